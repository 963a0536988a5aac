"""The emulator and the bot on an event loop in a background thread, for synchronous tests.

Hypothesis drives plain functions, so the property tests talk to a bot that keeps running
in its own thread across examples; every call crosses over with run_coroutine_threadsafe.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any, TypeVar

from bot.devtools.emulator import Emulator
from bot.telegram.app import running
from tests.support.harness import SEND_METHODS, add_cast, make_config, start_bot

T = TypeVar("T")


class ThreadedBot:
    """A running emulator + Application in a background loop."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.stack = AsyncExitStack()
        self.db_path = tmp_path / "coordbot.db"

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        """Run a coroutine on the bot's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def start(self) -> None:
        """Start the loop thread, the emulator and the bot."""
        self.thread.start()
        self.run(self._start())

    async def _start(self) -> None:
        self.emu = Emulator()
        await self.emu.start()
        add_cast(self.emu)
        self.app, self.probe = await start_bot(self.emu, make_config(self.emu, self.tmp_path))
        await self.stack.enter_async_context(running(self.app))

    def send(self, user: int, text: str, chat: int | None = None) -> list[Any]:
        """Send a message and return the bot's sends made while handling it."""

        async def go() -> list[Any]:
            before = self.emu.last_seq
            update = self.emu.send_message(
                user_id=user, chat_id=chat if chat is not None else user, text=text
            )
            await self.probe.wait(update["update_id"], timeout=20)
            return [c for c in self.emu.calls(since_seq=before) if c.method in SEND_METHODS]

        return self.run(go())

    def stop(self) -> None:
        """Stop the bot, the emulator and the loop."""

        async def go() -> None:
            await self.stack.aclose()
            await self.emu.stop()

        self.run(go())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
