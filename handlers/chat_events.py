"""Chat membership and migration events: added, removed, blocked, upgraded to a supergroup."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import ChatMember, Update
from telegram.ext import BaseHandler, ChatMemberHandler, MessageHandler, filters

from bot.dispatch import Context
from bot.fanout import to_admins
from bot.i18n import Tr
from bot.render.text import esc
from bot.services import Services, services
from storage import chats, outbox, people
from storage.chats import Chat
from storage.db import run_transaction, utc_iso
from storage.people import Person

log = logging.getLogger(__name__)

GONE = (ChatMember.LEFT, ChatMember.BANNED)
PRESENT = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR)
EVENT_BUSY_WAIT = 30.0


async def bot_membership(update: Update, context: Context) -> None:
    """React to the bot being added to, removed from, or blocked in a chat."""
    change = update.my_chat_member
    if change is None:
        return
    svc = services(context)
    chat, by = change.chat, change.from_user
    old, new = change.old_chat_member.status, change.new_chat_member.status

    def record_change() -> tuple[Chat, Person | None]:
        now = svc.clock.now()
        record = chats.touch_chat(svc.db, chat.id, chat.type, chat.title or "", now)
        adder = people.get_person(svc.db, by.id)
        if new in GONE:
            reason = f"bot {new} by {by.id}"
            if chats.suspend(svc.db, chat.id, reason, now):
                outbox.suspend_chat(svc.db, chat.id, reason)
                _alert_removed(svc, chat.id, record, by.full_name, now)
        elif record.is_private and new in PRESENT:
            # Unblocked: a group waits for an admin's /subscribe, a person needs nothing more.
            chats.resume(svc.db, chat.id)
        return record, adder

    # No one waits for an answer here, so wait out a busy database for longer.
    record, adder = await run_transaction(svc.db, record_change, wait=EVENT_BUSY_WAIT)
    svc.delivery.kick()
    if new in GONE:
        return
    if new in PRESENT and old in GONE and chat.type != "private":
        _ = svc.translator.get(record.language or svc.config.locale)
        if adder is None or adder.role != "admin":
            await context.bot.send_message(
                chat.id,
                _(
                    "I was added by {name}, who is not a coordination-group admin, so I am "
                    "leaving. Ask a secretariat admin to add me.",
                    name=esc(by.full_name),
                ),
            )
            await context.bot.leave_chat(chat.id)
            log.info("left chat %s: added by non-admin %s", chat.id, by.id)
            return
        await context.bot.send_message(
            chat.id,
            _(
                "Thank you for adding me. "
                "An admin chooses what this group receives with /subscribe."
            ),
        )


def _alert_removed(svc: Services, chat_id: int, chat: Chat, by: str, now: datetime) -> None:
    """Tell every admin privately that the bot lost a group or was blocked (via the outbox)."""

    def render(tr: Tr) -> str:
        if chat.is_private:
            return tr(
                "⚠️ {name} blocked me; private reminders and notices to them are suspended "
                "until they send me a message again.",
                name=esc(by),
            )
        return tr(
            "⚠️ I was removed from {title} by {name}; its subscriptions are suspended "
            "until an admin adds me back and sends /subscribe there.",
            title=esc(chat.title or str(chat_id)),
            name=esc(by),
        )

    to_admins(svc, f"removed:{chat_id}:{utc_iso(now)}", "alert", render, now)


async def migrated(update: Update, context: Context) -> None:
    """Move a group that became a supergroup to its new id, keeping subscriptions."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old_id, new_id = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old_id, new_id = message.migrate_from_chat_id, message.chat.id
    else:
        return
    svc = services(context)

    def move() -> None:
        chats.migrate_chat(svc.db, old_id, new_id, svc.clock.now())
        outbox.redirect(svc.db, old_id, new_id)

    await run_transaction(svc.db, move, wait=EVENT_BUSY_WAIT)
    svc.delivery.kick()


HANDLERS: list[BaseHandler[Update, Context, None]] = [
    ChatMemberHandler(bot_membership, ChatMemberHandler.MY_CHAT_MEMBER),
    MessageHandler(filters.StatusUpdate.MIGRATE, migrated),
]
