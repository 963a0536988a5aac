"""Chat membership and migration events: added, removed, blocked, upgraded to a supergroup."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.ext import BaseHandler, ChatMemberHandler, MessageHandler, filters

from bot.render.text import esc
from bot.services import chats as service
from bot.services import services
from bot.telegram.calls import Context
from storage.db import run_transaction

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

    def record_change() -> service.Membership:
        return service.membership_changed(
            svc,
            chat.id,
            chat.type,
            chat.title or "",
            by.id,
            by.full_name,
            new,
            gone=new in GONE,
            present=new in PRESENT,
            now=svc.clock.now(),
        )

    # No one waits for an answer here, so wait out a busy database for longer.
    seen = await run_transaction(svc.db, record_change, wait=EVENT_BUSY_WAIT)
    record, adder = seen.chat, seen.by
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
        service.migrated(svc, old_id, new_id, svc.clock.now())

    await run_transaction(svc.db, move, wait=EVENT_BUSY_WAIT)
    svc.delivery.kick()


HANDLERS: list[BaseHandler[Update, Context, None]] = [
    ChatMemberHandler(bot_membership, ChatMemberHandler.MY_CHAT_MEMBER),
    MessageHandler(filters.StatusUpdate.MIGRATE, migrated),
]
