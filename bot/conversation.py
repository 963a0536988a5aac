"""Guided conversations: a command sent without arguments asks for each field in turn."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from bot.commands import CommandSpec, Reply
from bot.dispatch import (
    Context,
    check_where,
    command_args,
    command_name,
    ignored,
    open_call,
    refusal_for_role,
    run_command,
    send_reply,
)

ASKING = 1
FORM_KEY = "form"
SKIP = "-"


def build_conversation(specs: list[CommandSpec]) -> ConversationHandler:
    """One ConversationHandler whose entry points are every command that has fields."""
    by_name = {spec.name: spec for spec in specs if spec.fields}

    async def start(update: Update, context: Context) -> int:
        message = update.effective_message
        text = message.text if message else ""
        spec = by_name[command_name(text)]
        args = command_args(text)
        if args:
            await run_command(spec, update, context, args)
            return ConversationHandler.END
        call = await open_call(update, context)
        if call is None or ignored(call):
            return ConversationHandler.END
        refusal = check_where(call, spec) or refusal_for_role(call, spec.role)
        if refusal:
            await send_reply(update, context, call, Reply(text=refusal))
            return ConversationHandler.END
        context.user_data[FORM_KEY] = {"command": spec.name, "answers": []}  # type: ignore[index]
        await _ask(update, context, spec, 0)
        return ASKING

    async def collect(update: Update, context: Context) -> int:
        form = (context.user_data or {}).get(FORM_KEY)
        message = update.effective_message
        if not form or message is None or form["command"] not in by_name:
            return ConversationHandler.END
        spec = by_name[form["command"]]
        answer = (message.text or "").strip()
        index = len(form["answers"])
        if spec.fields[index].optional and answer == SKIP:
            answer = ""
        form["answers"].append(
            answer.replace("|", "/") if spec.separator.strip() == "|" else answer
        )
        if len(form["answers"]) < len(spec.fields):
            await _ask(update, context, spec, len(form["answers"]))
            return ASKING
        context.user_data.pop(FORM_KEY, None)  # type: ignore[union-attr]
        args = spec.separator.join(form["answers"]).strip()
        await run_command(spec, update, context, args)
        return ConversationHandler.END

    async def cancel(update: Update, context: Context) -> int:
        context.user_data.pop(FORM_KEY, None)  # type: ignore[union-attr]
        call = await open_call(update, context)
        if call is not None:
            await send_reply(update, context, call, Reply(text=call.tr("Cancelled.")))
        return ConversationHandler.END

    return ConversationHandler(
        # One handler for every form command: a set lookup per update, not one check each.
        entry_points=[CommandHandler(list(by_name), start)],
        states={ASKING: [MessageHandler(filters.TEXT & ~filters.COMMAND, collect)]},
        fallbacks=[CommandHandler("cancel", cancel)],
        name="guided_forms",
        conversation_timeout=900,
    )


async def _ask(update: Update, context: Context, spec: CommandSpec, index: int) -> None:
    call = await open_call(update, context)
    if call is None:
        return
    _ = call.tr
    field = spec.fields[index]
    text = _(field.prompt)
    if field.optional:
        text += "\n" + _("(send - to skip)")
    if index == 0:
        text = (
            _("/{command}: answer each question, or /cancel to stop.", command=spec.name)
            + "\n"
            + text
        )
    await send_reply(update, context, call, Reply(text=text))
