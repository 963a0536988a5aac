"""Per-chat update processing: one chat's updates in order, different chats concurrently.

Handled one at a time, every update waited for the one before it, including that one's
reply waiting out its chat's pacing (20 a minute into a group) or a Bot API request hanging
until the read timeout: a busy group held up everyone. Here each chat has its own lane. An
update waits only for the earlier updates of its own chat, so a saturated or slow chat waits
alone, a chat's commands are still handled in the order they were sent, and a guided form
(ConversationHandler, keyed by chat and user) never sees two updates of one chat at once,
which is what python-telegram-bot's warning about concurrent updates is about.

A button press has a lane of its own per message: it is answered at once even in a group
whose commands are queued behind that group's pacing.

There is still one SQLite writer: handlers are synchronous and run on the event loop thread,
so two lanes never interleave inside a transaction; lanes interleave only where an update
awaits the network.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Hashable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# python-telegram-bot takes its own semaphore *before* do_process_update, so an update
# waiting for its chat's turn would hold a slot: with its default bound (256), one flooded
# chat could fill every slot and stall the rest again. So that bound is set out of reach,
# and the limit on work in progress is RUNNING_CHATS, taken once an update's turn has come.
QUEUED_UPDATES = 100_000
RUNNING_CHATS = 64


def lane_key(update: object) -> Hashable:
    """The lane of an update: its chat; for a button press, the message the button is on."""
    if isinstance(update, Update):
        query = update.callback_query
        if query is not None:
            # A press waits for earlier presses on the same message (so its edits land in
            # order), not behind the commands its chat has queued: a press in a saturated
            # group would otherwise spin until the group's backlog had drained.
            if query.message is not None:
                return ("press", query.message.chat.id, query.message.message_id)
            return ("press", query.inline_message_id or query.from_user.id)
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id  # the same id as that user's private chat
    return None


@dataclass
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class ChatLanes(BaseUpdateProcessor):
    """An update processor that serialises updates per chat and runs chats concurrently."""

    def __init__(self, running_chats: int = RUNNING_CHATS) -> None:
        super().__init__(QUEUED_UPDATES)
        self._running_chats = running_chats
        self._lanes: dict[Hashable, _Lane] = {}
        self._running: asyncio.Semaphore | None = None
        self._in_progress: set[asyncio.Task[Any]] = set()
        self._wind_down: asyncio.TimerHandle | None = None

    async def initialize(self) -> None:
        """Create the limit on chats in progress (inside the running loop)."""
        self._running = asyncio.Semaphore(self._running_chats)

    def wind_down(self, grace: float) -> None:
        """The bot is stopping: updates still in progress after `grace` seconds are cancelled.

        A reply waiting for its chat's pacing is then queued in the outbox instead (see
        replies.send_reply), so a saturated group's backlog cannot hold the stop for
        minutes; the updates still waiting for their turn run at once and queue theirs.
        """
        if self._wind_down is None:
            loop = asyncio.get_running_loop()
            self._wind_down = loop.call_later(grace, self._cancel_in_progress)

    def _cancel_in_progress(self) -> None:
        for task in list(self._in_progress):
            task.cancel()

    async def shutdown(self) -> None:
        """Nothing to free: the Application waits for updates in progress before this."""
        if self._wind_down is not None:
            self._wind_down.cancel()
            self._wind_down = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for this chat's earlier updates (FIFO: asyncio.Lock wakes waiters in order)."""
        key = lane_key(update)
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _Lane()
        lane.users += 1
        started = False
        try:
            async with lane.lock:
                if self._running is None:
                    await self.initialize()
                assert self._running is not None
                async with self._running:
                    started = True
                    task = asyncio.current_task()
                    if task is not None:
                        self._in_progress.add(task)
                    try:
                        await coroutine
                    finally:
                        if task is not None:
                            self._in_progress.discard(task)
        finally:
            if not started and inspect.iscoroutine(coroutine):
                coroutine.close()  # cancelled while waiting for its turn (shutdown)
            lane.users -= 1
            if lane.users == 0:
                del self._lanes[key]
