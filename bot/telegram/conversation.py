"""Guided forms: a command sent without arguments asks for each field in turn.

The form in progress (command, answers so far) is a row in SQLite (storage/forms.py), not
python-telegram-bot's in-memory conversation state, so a restart in the middle of a form
continues it. Each answer is committed with the id of the message that gave it, so an
update redelivered after a crash is not counted twice; the last answer runs the command
through the dispatcher (which deduplicates writes by chat and message id) and only then
closes the form. /cancel closes it (handlers/start.py).

Files sent while a form is open (documents, photos) are kept in the form's row and go with
its command when it runs (Call.attachments), if the command keeps files (CommandSpec.files);
a file nobody takes is answered in a private chat, never dropped in silence (take_file).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.domain.normalize import form_answer
from bot.i18n import N_, Tr
from bot.render.records import kept_line
from bot.services import services
from bot.telegram.busy import answer_busy
from bot.telegram.calls import Context, command_args, command_name, open_call
from bot.telegram.checks import check_where, ignored, not_kept, refusal_for_role
from bot.telegram.commands import CommandSpec, Reply
from bot.telegram.dispatch import run_command
from bot.telegram.replies import send_reply
from storage import forms
from storage.db import DatabaseBusy, run_transaction

SKIP = "-"
T = TypeVar("T")


def build_forms(specs: list[CommandSpec]) -> tuple[BaseHandler[Any, Any, Any], ...]:
    """The handler starting a form (every command with fields), the one taking answers, and
    the one taking files (registered after the caption-command handler: bot/telegram/app.py)."""
    by_name = {spec.name: spec for spec in specs if spec.fields}

    async def start(update: Update, context: Context) -> None:
        message = update.effective_message
        text = message.text if message else ""
        spec = by_name[command_name(text)]
        args = command_args(text)
        if args:
            await run_command(spec, update, context, args)
            return
        await begin(spec, update, context)

    async def collect(update: Update, context: Context) -> None:
        message, user, chat = update.message, update.effective_user, update.effective_chat
        if message is None or user is None or chat is None:
            return
        svc = services(context)
        form = forms.get(svc.db, chat.id, user.id)
        private = chat.type == ChatType.PRIVATE
        if form is None:
            if private:  # a message to the bot itself: never left unanswered
                await _tell(update, context, lambda tr: tr(NOT_A_COMMAND))
            return
        now = svc.clock.now()
        spec = by_name.get(form.command)
        if spec is None or form.expired(now):
            await _commit(update, context, lambda: forms.close(svc.db, chat.id, user.id))
            if private:  # in a group, the next message after a lapsed form is ordinary chat
                lapsed = form.command
                await _tell(update, context, lambda tr: expired_text(tr, lapsed))
            return
        complete = len(form.answers) == len(spec.fields)
        if message.message_id < form.last_message_id or (
            message.message_id == form.last_message_id and not complete
        ):
            return  # redelivered after a restart: this answer was already taken
        if complete and message.message_id > form.last_message_id:
            # The last answer's command ran before a crash that kept the form open:
            # this message is not an answer any more.
            await _commit(update, context, lambda: forms.close(svc.db, chat.id, user.id))
            return
        if not complete:
            answer = form_answer(message.text)  # full-width ｜ and － read as | and -
            if spec.fields[len(form.answers)].optional and answer == SKIP:
                answer = ""
            if spec.separator.strip() == "|":
                answer = answer.replace("|", "/")
            taken = form
            answered = await _commit(
                update,
                context,
                lambda: forms.answer(svc.db, taken, answer, message.message_id, now),
            )
            if answered is _BUSY:
                return  # the sender was asked to send the answer again
            form = answered
            if len(form.answers) < len(spec.fields):
                await _ask(update, context, spec, len(form.answers))
                return
        # The last answer is committed with its message id before the command runs, so a
        # redelivery after a crash runs the command again (the dispatcher skips a write
        # already done, by chat and message id) rather than losing it.
        args = spec.separator.join(form.answers).strip()
        await run_command(spec, update, context, args, form.files if spec.files else ())
        await _commit(update, context, lambda: forms.close(svc.db, chat.id, user.id))

    async def collect_file(update: Update, context: Context) -> None:
        await take_file(by_name, update, context)

    return (
        # One handler for every form command: a set lookup per update, not one check each.
        CommandHandler(list(by_name), start),
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, collect),
        # A document or photo no caption command claimed (registered after that handler).
        MessageHandler(filters.UpdateType.MESSAGE & FILES, collect_file),
    )


FILES = filters.Document.ALL | filters.PHOTO


async def begin(spec: CommandSpec, update: Update, context: Context) -> None:
    """Open the guided form of a command sent without arguments and ask its first
    question; a file the command came with (a bare /apply as a document's caption) is kept
    in the form and goes with the command when the form completes."""
    call = await open_call(update, context)
    if call is None or call.message_id is None or ignored(call):
        return
    refusal = check_where(call, spec) or refusal_for_role(call, spec.role)
    if refusal:
        await send_reply(update, context, call, Reply(text=refusal))
        return
    message_id = call.message_id
    files = call.attachments if spec.files else ()

    def open_form() -> bool:
        forms.start(
            call.db,
            call.chat.chat_id,
            call.user.user_id,
            spec.name,
            message_id,
            call.now,
            files=files,
        )
        return True

    if await _commit(update, context, open_form) is _BUSY:
        return
    head = "\n".join(kept_line(f, call.tr) for f in files)
    if call.attachments and not spec.files:
        head = not_kept(call, spec.name)
    await _ask(update, context, spec, 0, head)


async def take_file(by_name: dict[str, CommandSpec], update: Update, context: Context) -> None:
    """A document or photo sent without a command of ours in its caption: kept in the open
    guided form whose command keeps files; otherwise never dropped in silence in a private
    chat (the sender is told it was not kept, and how to attach one). In a group, people
    share files among themselves: the bot says nothing unless a form of the sender is open."""
    call = await open_call(update, context)
    if call is None or call.message_id is None or ignored(call):
        return
    svc, message_id = call.services, call.message_id
    chat_id, user_id = call.chat.chat_id, call.user.user_id
    form = forms.get(svc.db, chat_id, user_id)
    spec = by_name.get(form.command) if form is not None else None
    if form is None or spec is None or form.expired(call.now):
        if call.chat.is_private:
            await send_reply(update, context, call, Reply(text=call.tr(NOT_TAKEN)))
        return
    if message_id <= form.last_message_id:
        return  # redelivered after a restart: this file was already taken
    index = min(len(form.answers), len(spec.fields) - 1)
    if not spec.files:
        await _ask(update, context, spec, index, not_kept(call, spec.name))
        return
    taken, sents = form, call.attachments
    added = await _commit(
        update,
        context,
        lambda: [forms.add_file(svc.db, taken, sent, message_id, call.now) for sent in sents],
    )
    if added is _BUSY:
        return
    head = "\n".join(
        call.tr(
            "{kept} It goes with your /{command} when you answer the last question.",
            kept=kept_line(sent, call.tr),
            command=spec.name,
        )
        for sent in sents
    )
    await _ask(update, context, spec, index, head)


NOT_A_COMMAND = N_(
    "I act on commands, not on plain messages. Send /help for the ones you can use."
)


def expired_text(tr: Tr, command: str) -> str:
    """What the answer to a form that lapsed is told: not taken, nothing changed."""
    minutes = int(forms.TIMEOUT.total_seconds() // 60)
    return tr.ngettext(
        "Your /{command} form closed after {n} minute without an answer, so this message was "
        "not taken and nothing changed. Send /{command} to start again.",
        "Your /{command} form closed after {n} minutes without an answer, so this message was "
        "not taken and nothing changed. Send /{command} to start again.",
        minutes,
        command=command,
    )


async def _tell(update: Update, context: Context, text: Callable[[Tr], str]) -> None:
    """Answer a plain message in the sender's language (no command, no form to take it)."""
    call = await open_call(update, context)
    if call is not None and not ignored(call):
        await send_reply(update, context, call, Reply(text=text(call.tr)))


NOT_TAKEN = N_(
    "This file was not kept: no command came with it. To keep a file with a record, send it "
    "with the command as its caption, e.g. /progress BJ-01 site visit report, or "
    "/apply_file 3 for an application's materials."
)


_BUSY: Any = object()


async def _commit(update: Update, context: Context, work: Callable[[], T]) -> T:
    """Commit a form's step, waiting out another process holding the database without
    blocking other chats; if it stays locked the sender is told and `_BUSY` returned."""
    svc = services(context)
    try:
        return await run_transaction(svc.db, work, wait=svc.config.busy_wait)
    except DatabaseBusy:
        await answer_busy(update, context)
        return cast(T, _BUSY)


async def _ask(
    update: Update, context: Context, spec: CommandSpec, index: int, head: str = ""
) -> None:
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
    await send_reply(update, context, call, Reply(text="\n".join(filter(None, [head, text]))))
