"""Which notices a chat receives: bulletins, meetings, disclosures.

The notify service reads the subscribers of a topic (bot.services.notify.subscribers);
this is where chats choose. Both functions run inside the caller's transaction and return
the topics the chat receives afterwards.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from storage import chats
from storage.chats import Topic

if TYPE_CHECKING:
    from bot.services import Services


def subscribe(svc: Services, chat_id: int, topics: list[Topic], now: datetime) -> list[Topic]:
    """Subscribe a chat to topics; return every topic it now receives."""
    chats.subscribe(svc.db, chat_id, topics, now)
    return chats.topics_of(svc.db, chat_id)


def unsubscribe(svc: Services, chat_id: int, topics: list[Topic]) -> list[Topic]:
    """Unsubscribe a chat from topics; return every topic it still receives."""
    chats.unsubscribe(svc.db, chat_id, topics)
    return chats.topics_of(svc.db, chat_id)


def topics(svc: Services, chat_id: int) -> list[Topic]:
    """The topics a chat receives."""
    return chats.topics_of(svc.db, chat_id)
