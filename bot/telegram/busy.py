"""Telling a sender that the database is busy, when another process held it too long."""

from __future__ import annotations

import logging
import sqlite3

from telegram import Update
from telegram.ext import ContextTypes

from bot.i18n import N_, pick_language
from bot.render.text import clip
from bot.services import services
from storage import chats, people

log = logging.getLogger(__name__)

BUSY = N_(
    "The database is busy (another program is using it), so nothing was done. "
    "Please send that again in a minute."
)


async def answer_busy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell the sender the database is busy and nothing was done (reads only, no writes)."""
    svc = services(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    try:
        known = chats.get_chat(svc.db, chat.id)
        person = people.get_person(svc.db, user.id)
        silent = (
            chat.type != "private"
            and (person is None or person.role != "admin")
            and not chats.topics_of(svc.db, chat.id)
        )
    except sqlite3.Error:
        known, silent = None, False
    if silent:  # a group nobody subscribed: we say nothing there
        return
    lang = pick_language(
        known.language if known else None,
        chat.type == "private",
        user.language_code,
        svc.config.locale,
    )
    text = svc.translator.get(lang)(BUSY)
    log.warning("database busy: asked chat %s to resend", chat.id)
    if update.callback_query is not None:
        await update.callback_query.answer(clip(text, 190), show_alert=True)
    else:
        await context.bot.send_message(chat.id, text)
