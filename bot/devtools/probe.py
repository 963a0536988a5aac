"""Knowing when the bot has finished with an update, for the console, the demo and tests."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

LAST_GROUP = 1_000_000


class CompletionProbe:
    """A last-group handler that records each processed update id."""

    def __init__(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self._done: set[int] = set()
        self._changed = asyncio.Condition()
        # Groups run in order and every handler here blocks, so by the time this one
        # runs, every earlier handler for the update has finished.
        app.add_handler(TypeHandler(Update, self._seen), group=LAST_GROUP)

    async def _seen(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        async with self._changed:
            self._done.add(update.update_id)
            self._changed.notify_all()

    async def wait(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until the update has been processed by every handler group."""
        async with asyncio.timeout(timeout):
            async with self._changed:
                await self._changed.wait_for(lambda: update_id in self._done)

    def done(self, update_id: int) -> bool:
        """Whether the update has been processed by every handler group."""
        return update_id in self._done
