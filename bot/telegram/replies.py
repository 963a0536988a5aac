"""Sending a handler's Reply: edit the pressed message in place, post in the chat or
privately (split at 4096, paced), files with it, and at a stop defer what never left to
the outbox."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from telegram import MenuButtonWebApp, Message, Update, WebAppInfo
from telegram.error import BadRequest, Forbidden

from bot.render.text import (
    CAPTION_LIMIT,
    clip,
    clip_html,
    plain_text,
    split_message,
    split_sections,
)
from bot.services import Services, services
from bot.telegram.buttons import keyboard
from bot.telegram.calls import Context
from bot.telegram.commands import Call, Reply
from storage import outbox
from storage.db import DatabaseBusy, run_transaction

log = logging.getLogger(__name__)
DEFER_WAIT = 3.0  # seconds a reply deferred at stop waits for a busy database


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
