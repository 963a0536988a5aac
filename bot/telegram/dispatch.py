"""Glue between python-telegram-bot updates and our synchronous command handlers."""

from __future__ import annotations

import asyncio
import logging
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from telegram import MenuButtonWebApp, Message, Update, WebAppInfo
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.i18n import N_, pick_language
from bot.render.text import (
    CAPTION_LIMIT,
    clip,
    clip_html,
    esc,
    plain_text,
    split_message,
    split_sections,
)
from bot.services import Services, services
from bot.services.refused import Refused
from bot.telegram.busy import answer_busy
from bot.telegram.buttons import keyboard
from bot.telegram.commands import (
    ButtonSpec,
    Call,
    CommandSpec,
    FollowUp,
    Refusal,
    Reply,
    UsageError,
    role_name,
)
from bot.telegram.errors import Handling
from storage import audit, chats, forms, outbox, people
from storage.attachments import Sent
from storage.db import DatabaseBusy, is_busy, run_transaction, transaction
from storage.people import role_rank

log = logging.getLogger(__name__)
DEFER_WAIT = 3.0  # seconds a reply deferred at stop waits for a busy database
Context = ContextTypes.DEFAULT_TYPE


def command_args(text: str | None) -> str:
    """The raw text after the leading /command[@bot] token, keeping spacing and newlines.

    The token ends at any whitespace: a phone keyboard's ideographic space (U+3000) too.
    """
    parts = (text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def command_name(text: str | None) -> str:
    """The command of a message, lower-case, without the slash or @bot suffix."""
    head = (text or "").split(maxsplit=1)[0] if (text or "").strip() else ""
    return head[1:].split("@", 1)[0].lower()


def make_call(
    update: Update, context: Context, args: str, files: tuple[Sent, ...] = ()
) -> Call | None:
    """Record the user and chat, pick the language, and build the Call; `files` were sent
    while the command's guided form was open (the message's own file, if any, follows)."""
    svc = services(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    now = svc.clock.now()
    person = people.touch_person(
        svc.db, user.id, user.username, user.first_name, user.last_name, user.language_code, now
    )
    chat_rec = chats.touch_chat(svc.db, chat.id, chat.type, chat.title or "", now)
    lang = pick_language(
        chat_rec.language, chat_rec.is_private, user.language_code, svc.config.locale
    )
    message = update.effective_message
    reply_to = message.reply_to_message if message else None
    return Call(
        services=svc,
        user=person,
        chat=chat_rec,
        tr=svc.translator.get(lang),
        args=args,
        now=now,
        message_id=message.message_id if message and not update.callback_query else None,
        attachments=(
            files if update.callback_query else (*files, *filter(None, [attachment_of(message)]))
        ),
        reply_to_user_id=(
            # Replying to one of the bot's own messages names nobody.
            reply_to.from_user.id
            if reply_to and reply_to.from_user and not reply_to.from_user.is_bot
            else None
        ),
    )


def attachment_of(message: Message | None) -> Sent | None:
    """The document or photo a command came with (a command in a caption), if any."""
    if message is None:
        return None
    if message.document is not None:
        doc = message.document
        return Sent(
            "document",
            doc.file_id,
            doc.file_unique_id,
            doc.file_name or "",
            doc.file_size or 0,
            doc.mime_type or "",
        )
    if message.photo:
        best = message.photo[-1]  # Telegram lists the sizes smallest first
        return Sent("photo", best.file_id, best.file_unique_id, "", best.file_size or 0, "")
    return None


def ignored(call: Call) -> bool:
    """Groups that no admin has subscribed are ignored, except for admins setting them up."""
    if call.chat.is_private or call.user.role == "admin":
        return False
    return not chats.topics_of(call.db, call.chat.chat_id)


def usage_text(call: Call, spec: CommandSpec, detail: str = "") -> str:
    """The usage line and an example, in the chat's language."""
    _ = call.tr
    lines = [detail] if detail else []
    lines.append(_("Usage: {usage}", usage=esc(_(spec.usage))))
    lines.append(_("Example: {example}", example=esc(_(spec.example))))
    return "\n".join(lines)


def refusal_for_role(call: Call, spec_role: str) -> str | None:
    """The refusal text when the caller's role is below what is needed."""
    if role_rank(call.user.role) >= role_rank(spec_role):
        return None
    return call.tr(
        "Sorry, this needs the {needed} role; you have {have}.",
        needed=role_name(call.tr, spec_role),
        have=role_name(call.tr, call.user.role),
    )


def check_where(call: Call, spec: CommandSpec) -> str | None:
    """The refusal text when a command is used in the wrong kind of chat."""
    if spec.where == "group" and call.chat.is_private:
        return call.tr("Use this command in a group chat.")
    if spec.where == "private" and not call.chat.is_private:
        return call.tr("Use this command in a private chat with me.")
    return None


class _Answer(Exception):
    """Abandon the whole unit of work (nothing is committed) and answer with this reply."""

    def __init__(self, call: Call, reply: Reply, error: Exception | None = None) -> None:
        super().__init__("answer without committing")
        self.call = call
        self.reply = reply
        self.error = error  # unexpected: the admins are told once the unit is rolled back


async def run_command(
    spec: CommandSpec, update: Update, context: Context, args: str, files: tuple[Sent, ...] = ()
) -> None:
    """Check role, deduplicate, run the handler in a transaction, commit, then reply.

    The whole unit (recording the sender, the checks, the handler, the audit entry) is one
    transaction, retried as a whole while another process holds the database; if it stays
    locked the sender is told to resend and nothing was written.
    """
    svc = services(context)
    queued = outbox.queued_count(svc.db)
    try:
        outcome = await run_transaction(
            svc.db,
            lambda: _command(spec, update, context, args, files),
            wait=svc.config.busy_wait,
            immediate=spec.writes,
        )
    except DatabaseBusy:
        await answer_busy(update, context)
        return
    except _Answer as answer:
        outcome = answer.call, answer.reply
        if answer.error is not None:
            # After the rollback, so the alert is not rolled back with the failed unit.
            _tell_admins(answer.call, answer.error, "command", f"/{spec.name} {args}")
    if outcome is None:
        return
    await send_reply(update, context, *outcome)
    _wake_delivery(svc, queued)


def _wake_delivery(svc: Services, queued: int) -> None:
    """Wake delivery if the unit queued notices (or an alert about its failure)."""
    # Waking it with nothing new cost two outbox queries on the loop after every write.
    if outbox.queued_count(svc.db) != queued:
        svc.delivery.kick()


def _command(
    spec: CommandSpec, update: Update, context: Context, args: str, files: tuple[Sent, ...]
) -> tuple[Call, Reply] | None:
    """The synchronous part of a command, inside the caller's transaction."""
    call = make_call(update, context, args, files)
    if call is None or ignored(call):
        return None
    refusal = check_where(call, spec) or refusal_for_role(call, spec.role)
    if refusal:
        if spec.writes:
            _audit(call, spec.name, "refused: role")
        return call, Reply(text=refusal)
    if spec.writes and call.message_id is not None:
        if audit.already_handled(call.db, call.chat.chat_id, call.message_id):
            log.info(
                "skipping redelivered /%s %s:%s", spec.name, call.chat.chat_id, call.message_id
            )
            return None
    reply = _execute(call, spec)
    if call.attachments and not spec.files:
        reply.text = "\n".join(filter(None, [reply.text, not_kept(call, spec.name)]))
    if reply.follow_up is not None and call.message_id is not None:
        # A command that opens its own guided form part-answered (/report CODE): the
        # sender's next messages in this chat answer the rest.
        _follow_up(call, reply.follow_up, call.message_id)
    return call, reply


def _execute(call: Call, spec: CommandSpec) -> Reply:
    """Run a handler; its writes and the audit entry commit together or not at all."""
    try:
        # A savepoint: a refused or mistyped write still commits its audit entry.
        with transaction(call.db) if spec.writes else nullcontext(call.db):
            reply = spec.handler(call)
        if spec.writes:
            _audit(call, spec.name, "ok")
        return reply
    except UsageError as exc:
        reply = Reply(text=usage_text(call, spec, exc.detail))
    except Refusal as exc:
        reply = Reply(text=exc.message)
        if spec.writes:
            _audit(call, spec.name, exc.outcome)
    except Refused as exc:  # a service's refusal, said in this chat's language
        reply = Reply(text=exc.text(call.tr))
        if spec.writes:
            _audit(call, spec.name, exc.outcome)
    except Exception as exc:
        if is_busy(exc):
            raise  # the whole unit is retried once the other process lets go
        log.exception(
            "/%s failed (chat %s, user %s)", spec.name, call.chat.chat_id, call.user.user_id
        )
        raise _Answer(call, Reply(text=call.tr(SOMETHING_WRONG)), exc) from exc
    return reply


def not_kept(call: Call, command: str) -> str:
    """Said when a file came with a command that keeps none: it was not kept, and which
    commands do keep one."""
    return call.tr(
        "The file was not kept: /{command} takes no attachment. Send a file with one of "
        "{commands} as its caption to keep it with that record.",
        command=esc(command),
        commands=call.tr.join("/" + s.name for s in call.services.commands if s.files),
    )


SOMETHING_WRONG = N_("Something went wrong; nothing was changed. Please try again.")


async def open_call(update: Update, context: Context, args: str = "") -> Call | None:
    """make_call in its own transaction, waiting out a busy database.

    None when there is nobody to answer, and also when the database stayed locked (the
    sender has then been told to resend).
    """
    svc = services(context)
    try:
        return await run_transaction(
            svc.db,
            lambda: make_call(update, context, args),
            wait=svc.config.busy_wait,
            immediate=False,
        )
    except DatabaseBusy:
        await answer_busy(update, context)
        return None


def _follow_up(call: Call, follow: FollowUp, message_id: int) -> None:
    """Open (or withdraw) the guided form a button press asks for; the button's message
    id is the form's last one, so only messages sent after it answer."""
    chat_id, user_id = call.chat.chat_id, call.user.user_id
    if follow.prompt:
        forms.start(
            call.db, chat_id, user_id, follow.command, message_id, call.now, follow.answers
        )
        return
    form = forms.get(call.db, chat_id, user_id)
    if form is not None and form.command == follow.command:
        forms.close(call.db, chat_id, user_id)


def _tell_admins(call: Call, error: Exception, kind: str, text: str) -> None:
    """An unexpected error in a handler: the admins get a (rate-limited) alert."""
    svc = call.services
    svc.errors.report(svc, error, Handling(kind, call.user.user_id, call.chat.chat_id, text))


def _audit(call: Call, action: str, outcome: str) -> None:
    detail = {"args": call.args[:2000], **call.audit_detail}
    audit.record(
        call.db,
        now=call.now,
        action=action,
        outcome=outcome,
        user_id=call.user.user_id,
        chat_id=call.chat.chat_id,
        message_id=call.message_id,
        detail=detail,
    )


async def send_reply(update: Update, context: Context, call: Call, reply: Reply) -> None:
    """Send a Reply: edit in place, post in the chat, or post privately."""
    svc = call.services
    markup = keyboard(svc.signer, reply.buttons)
    query = update.callback_query
    if query is not None:
        # A toast is plain text (never parsed as HTML): show the names as typed.
        toast = clip(plain_text(reply.toast), 190) if reply.toast else None
        await query.answer(text=toast)
        if reply.edit and reply.text and isinstance(query.message, Message):
            try:
                await query.message.edit_text(reply.text, reply_markup=markup)
            except BadRequest as exc:
                if "not modified" not in str(exc).lower():
                    raise
            # The question goes below the edited message, unless that message now asks it.
            follow = reply.follow_up
            if follow is not None and follow.prompt and follow.prompt != reply.text:
                await context.bot.send_message(call.chat.chat_id, follow.prompt)
            return
    chat_id = call.user.user_id if reply.private else call.chat.chat_id
    try:
        await _post(context, chat_id, reply, markup, f"reply:{update.update_id}")
    except Forbidden:
        if chat_id != call.chat.chat_id:
            await context.bot.send_message(
                call.chat.chat_id,
                call.tr("I cannot message you privately: open a chat with me and send /start."),
            )
    if reply.private and chat_id != call.chat.chat_id:
        await context.bot.send_message(call.chat.chat_id, call.tr("Sent to you privately."))
    if reply.menu_app is not None and (reply.private or call.chat.is_private):
        menu = reply.menu_app
        await context.bot.set_chat_menu_button(
            chat_id=call.user.user_id,
            menu_button=MenuButtonWebApp(menu.text, WebAppInfo(menu.web_app)),
        )


async def _post(context: Context, chat_id: int, reply: Reply, keyboard: Any, key: str) -> None:
    svc = services(context)
    if reply.document is not None:
        doc = reply.document
        await context.bot.send_document(
            chat_id,
            document=doc.data,
            filename=doc.filename,
            caption=clip_html(doc.caption, CAPTION_LIMIT),
        )
    if reply.photo is not None:
        photo = reply.photo
        await context.bot.send_photo(
            chat_id,
            photo=await photo.render() if photo.render else photo.data,
            filename=photo.filename,
            caption=clip_html(photo.caption, CAPTION_LIMIT),
        )
    if not reply.text and not reply.sections:
        await _resend(context, chat_id, reply)
        return
    parts = split_sections(reply.sections) if reply.sections else split_message(reply.text)
    paced = context.bot.rate_limiter is not None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if svc.stopping:  # the bot is stopping: the rest waits in the outbox for the restart
            await _defer(svc, chat_id, parts[index:], reply.buttons, f"{key}:{index}")
            return
        flight = _ReplyFlight(out=not paced)
        try:
            await context.bot.send_message(
                chat_id,
                part,
                reply_markup=keyboard if last else None,
                rate_limit_args=flight if paced else None,  # type: ignore[arg-type]
            )
        except asyncio.CancelledError:
            if not flight.out:  # still waiting for its chat's pacing: it never left
                await _defer(svc, chat_id, parts[index:], reply.buttons, f"{key}:{index}")
            raise
    await _resend(context, chat_id, reply)


async def _resend(context: Context, chat_id: int, reply: Reply) -> None:
    """Send kept files again by file_id, after the text that lists them (/files).

    At a stop they are not deferred to the outbox (it holds text); /files can be sent again.
    """
    for again in reply.resend or []:
        caption = clip_html(again.caption, CAPTION_LIMIT)
        if again.media == "photo":
            await context.bot.send_photo(chat_id, photo=again.file_id, caption=caption)
        else:
            await context.bot.send_document(chat_id, document=again.file_id, caption=caption)


@dataclass
class _ReplyFlight:
    """Told by the rate limiter when a reply leaves (bot/telegram/ratelimit.py Departure)."""

    out: bool = False

    def leave(self) -> None:
        """The reply passed pacing and goes out now."""
        self.out = True

    def back(self) -> None:
        """A 429 sent it back to wait."""
        self.out = False


async def _defer(
    svc: Services, chat_id: int, parts: list[str], rows: list[list[Any]] | None, key: str
) -> None:
    """Queue a reply that could not leave before the stop; it goes out after the restart."""
    buttons = (
        [
            [
                {"text": b.text, "action": b.action, "payload": b.payload, "web_app": b.web_app}
                for b in row
            ]
            for row in rows
        ]
        if rows
        else None
    )
    now = svc.clock.now()

    def work() -> None:
        for n, part in enumerate(parts):
            last = n == len(parts) - 1
            outbox.enqueue(
                svc.db,
                key=f"{key}:{n}",
                kind="reply",
                chat_id=chat_id,
                text=part,
                now=now,
                buttons=buttons if last else None,
            )

    try:
        await run_transaction(svc.db, work, wait=DEFER_WAIT)
    except DatabaseBusy:
        log.warning("database busy at stop: a reply to chat %s was not kept", chat_id)


async def run_button(specs: dict[str, ButtonSpec], update: Update, context: Context) -> None:
    """Verify a button's signature, check the presser's role, run its handler, then reply."""
    query = update.callback_query
    if query is None:
        return
    svc = services(context)
    queued = outbox.queued_count(svc.db)
    try:
        outcome = await run_transaction(
            svc.db, lambda: _button(specs, update, context), wait=svc.config.busy_wait
        )
    except DatabaseBusy:
        await answer_busy(update, context)
        return
    if isinstance(outcome, str):
        await query.answer(clip(plain_text(outcome), 190), show_alert=True)
        return
    if outcome is None:
        await query.answer()
        return
    await send_reply(update, context, *outcome)
    _wake_delivery(svc, queued)


def _button(
    specs: dict[str, ButtonSpec], update: Update, context: Context
) -> tuple[Call, Reply] | str | None:
    """The synchronous part of a press: the reply, an alert to show, or None (just ack)."""
    query = update.callback_query
    assert query is not None
    call = make_call(update, context, "")
    if call is None or ignored(call):
        return None
    verified = call.services.signer.verify(query.data or "")
    spec = specs.get(verified[0]) if verified else None
    if verified is None or spec is None:
        return call.tr("This button is not valid any more.")
    refusal = refusal_for_role(call, spec.role)
    if refusal:
        return refusal
    try:
        with transaction(call.db):
            reply = spec.handler(call, verified[1])
            if reply.follow_up is not None and isinstance(query.message, Message):
                _follow_up(call, reply.follow_up, query.message.message_id)
            if spec.writes:
                _audit(call, f"button:{spec.action}", "ok")
    except Refusal as exc:
        reply = Reply(toast=exc.message)
    except Refused as exc:
        reply = Reply(toast=exc.text(call.tr))
    except Exception as exc:
        if is_busy(exc):
            raise
        log.exception("button %s failed", spec.action)
        _tell_admins(call, exc, "button", spec.action)
        reply = Reply(toast=call.tr(SOMETHING_WRONG))
    return call, reply
