"""Chat membership and migration events: removed, blocked, upgraded to a supergroup."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.ext import BaseHandler, ChatMemberHandler, MessageHandler, filters

from bot.dispatch import Context
from bot.services import services
from storage import chats, outbox
from storage.db import transaction

log = logging.getLogger(__name__)

GONE = (ChatMember.LEFT, ChatMember.BANNED)


async def bot_membership(update: Update, context: Context) -> None:
    """Suspend a chat's deliveries when the bot is removed from it or blocked."""
    change = update.my_chat_member
    if change is None:
        return
    svc = services(context)
    status = change.new_chat_member.status
    now = svc.clock.now()
    with transaction(svc.db):
        chats.touch_chat(svc.db, change.chat.id, change.chat.type, change.chat.title or "", now)
        if status in GONE:
            reason = f"bot {status} by {change.from_user.id}"
            chats.suspend(svc.db, change.chat.id, reason, now)
            outbox.suspend_chat(svc.db, change.chat.id, reason)
    log.info("bot membership in %s is now %s", change.chat.id, status)


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
    with transaction(svc.db):
        chats.migrate_chat(svc.db, old_id, new_id, svc.clock.now())
        outbox.redirect(svc.db, old_id, new_id)
    svc.delivery.kick()


HANDLERS: list[BaseHandler[Update, Context, None]] = [
    ChatMemberHandler(bot_membership, ChatMemberHandler.MY_CHAT_MEMBER),
    MessageHandler(filters.StatusUpdate.MIGRATE, migrated),
]
