"""Guided forms: a command sent without arguments asks for each field in turn.

The form in progress (command, answers so far) is a row in SQLite (storage/forms.py), not
python-telegram-bot's in-memory conversation state, so a restart in the middle of a form
continues it. Each answer is committed with the id of the message that gave it, so an
update redelivered after a crash is not counted twice; the last answer runs the command
through the dispatcher (which deduplicates writes by chat and message id) and only then
closes the form. /cancel closes it (handlers/start.py).
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.commands import CommandSpec, Reply
from bot.dispatch import (
    Context,
    check_where,
    command_args,
    command_name,
    ignored,
    make_call,
    refusal_for_role,
    run_command,
    send_reply,
)
from bot.normalize import form_answer
from bot.services import services
from storage import forms
from storage.db import transaction

SKIP = "-"


def build_forms(specs: list[CommandSpec]) -> tuple[BaseHandler[Any, Any, Any], ...]:
    """The handler starting a form (every command with fields) and the one taking answers."""
    by_name = {spec.name: spec for spec in specs if spec.fields}

    async def start(update: Update, context: Context) -> None:
        message = update.effective_message
        text = message.text if message else ""
        spec = by_name[command_name(text)]
        args = command_args(text)
        if args:
            await run_command(spec, update, context, args)
            return
        call = make_call(update, context, "")
        if call is None or call.message_id is None or ignored(call):
            return
        refusal = check_where(call, spec) or refusal_for_role(call, spec.role)
        if refusal:
            await send_reply(update, context, call, Reply(text=refusal))
            return
        with transaction(call.db):
            forms.start(
                call.db, call.chat.chat_id, call.user.user_id, spec.name, call.message_id, call.now
            )
        await _ask(update, context, spec, 0)

    async def collect(update: Update, context: Context) -> None:
        message, user, chat = update.message, update.effective_user, update.effective_chat
        if message is None or user is None or chat is None:
            return
        svc = services(context)
        form = forms.get(svc.db, chat.id, user.id)
        if form is None:
            return
        now = svc.clock.now()
        spec = by_name.get(form.command)
        if spec is None or form.expired(now):
            with transaction(svc.db):
                forms.close(svc.db, chat.id, user.id)
            return
        complete = len(form.answers) == len(spec.fields)
        if message.message_id < form.last_message_id or (
            message.message_id == form.last_message_id and not complete
        ):
            return  # redelivered after a restart: this answer was already taken
        if complete and message.message_id > form.last_message_id:
            # The last answer's command ran before a crash that kept the form open:
            # this message is not an answer any more.
            with transaction(svc.db):
                forms.close(svc.db, chat.id, user.id)
            return
        if not complete:
            answer = form_answer(message.text)  # full-width ｜ and － read as | and -
            if spec.fields[len(form.answers)].optional and answer == SKIP:
                answer = ""
            if spec.separator.strip() == "|":
                answer = answer.replace("|", "/")
            with transaction(svc.db):
                form = forms.answer(svc.db, form, answer, message.message_id, now)
            if len(form.answers) < len(spec.fields):
                await _ask(update, context, spec, len(form.answers))
                return
        # The last answer is committed with its message id before the command runs, so a
        # redelivery after a crash runs the command again (the dispatcher skips a write
        # already done, by chat and message id) rather than losing it.
        await run_command(spec, update, context, spec.separator.join(form.answers).strip())
        with transaction(svc.db):
            forms.close(svc.db, chat.id, user.id)

    return (
        # One handler for every form command: a set lookup per update, not one check each.
        CommandHandler(list(by_name), start),
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, collect),
    )


async def _ask(update: Update, context: Context, spec: CommandSpec, index: int) -> None:
    call = make_call(update, context, "")
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
