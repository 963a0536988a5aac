"""In-process driver: the Emulator class tests use to run the server and script users."""

from __future__ import annotations

import asyncio
import bisect
import copy
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from . import ops
from .server import Core
from .state import JSON, SEND_METHODS, CallRecord, Chat, Fault, User, as_int


class Emulator(Core):
    """A local Telegram Bot API server plus a scripting API for tests."""

    def __init__(
        self,
        bot_username: str = "coordbot_test_bot",
        enforce_limits: bool = False,
        bot_id: int = 1000,
    ) -> None:
        super().__init__(bot_username, bot_id, enforce_limits)
        self._runner: web.AppRunner | None = None
        self.host = "127.0.0.1"
        self.port = 0

    # ---- lifecycle ---------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Start serving; afterwards base_url is valid."""
        self._closing.clear()
        self._runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        addresses = self._runner.addresses
        self.host, self.port = host, int(addresses[0][1]) if addresses else port

    async def stop(self) -> None:
        """Stop serving; pending long polls and withheld answers are released."""
        self._closing.set()
        self._kick_pollers()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def root_url(self) -> str:
        """http://host:port (control endpoints live under /_emu/)."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """Value for ApplicationBuilder().base_url(...) / Bot(base_url=...)."""
        return f"{self.root_url}/bot"

    @property
    def stats(self) -> dict[str, int]:
        """Counters: '429', 'calls', 'errors', 'faults'."""
        return self.state.stats

    @property
    def enforce_limits(self) -> bool:
        """Whether Telegram flood limits are enforced."""
        return self.state.enforce_limits

    @enforce_limits.setter
    def enforce_limits(self, on: bool) -> None:
        self.state.enforce_limits = on

    @property
    def last_seq(self) -> int:
        """seq of the most recent call (0 when none)."""
        return self._seq

    # ---- scenario ------------------------------------------------------------------
    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> User:
        """Register a user (and their private chat)."""
        return ops.add_user(self.state, user_id, first_name, last_name, username, language_code)

    def add_group(
        self,
        chat_id: int,
        title: str,
        type: str = "group",
        members: Iterable[int] = (),
        admins: Iterable[int] = (),
        bot_status: str = "member",
    ) -> Chat:
        """Create a group/supergroup the bot is in (no update)."""
        return ops.add_group(self.state, chat_id, title, type, members, admins, bot_status)

    def send_message(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        """A user writes a message (default: in their private chat); returns the Update."""
        return ops.send_message(self.state, user_id, text, chat_id, reply_to_message_id)

    def send_document(
        self,
        user_id: int,
        file_name: str,
        size: int = 1024,
        caption: str = "",
        chat_id: int | None = None,
    ) -> JSON:
        """A user sends a document with a caption (default: in their private chat)."""
        return ops.send_document(self.state, user_id, file_name, size, caption, chat_id)

    def send_file(
        self,
        user_id: int,
        media: str,
        data: bytes,
        caption: str = "",
        filename: str = "",
        chat_id: int | None = None,
    ) -> JSON:
        """A user sends a document or photo with a caption; returns the Update."""
        return ops.send_file(self.state, user_id, media, data, caption, filename, chat_id)

    def edit_message(self, user_id: int, chat_id: int, message_id: int, text: str) -> JSON:
        """A user edits their message to a new text; returns the edited_message Update."""
        return ops.edit_message(self.state, user_id, chat_id, message_id, text)

    def forward_message(
        self, user_id: int, text: str, from_user_id: int, chat_id: int | None = None
    ) -> JSON:
        """A user forwards another user's message into a chat; returns the Update."""
        return ops.forward_message(self.state, user_id, text, from_user_id, chat_id)

    def redeliver(self, update_id: int) -> JSON:
        """Deliver an earlier update's content again (as after a crash before confirmation)."""
        original = self.state.history[update_id]
        kind = next(k for k in original if k != "update_id")
        return self.state.push_update(kind, original[kind])

    def press_button(
        self,
        user_id: int,
        message_id: int,
        data: str,
        chat_id: int | None = None,
        check: bool = True,
    ) -> JSON:
        """A user presses an inline button; returns the callback_query Update."""
        return ops.press_button(self.state, user_id, message_id, data, chat_id, check)

    def add_bot_to_group(
        self, chat_id: int, by_user_id: int, title: str = "", type: str = "group"
    ) -> JSON:
        """A user adds the bot to a group; returns the my_chat_member Update."""
        return ops.add_bot_to_group(self.state, chat_id, by_user_id, title, type)

    def remove_bot_from_group(self, chat_id: int, by_user_id: int, kicked: bool = True) -> JSON:
        """A user removes the bot from a group; returns the my_chat_member Update."""
        return ops.remove_bot_from_group(self.state, chat_id, by_user_id, kicked)

    def block_bot(self, user_id: int) -> JSON:
        """The user blocks the bot; returns the my_chat_member Update."""
        return ops.block_bot(self.state, user_id)

    def migrate_group(self, old_id: int, new_id: int, by_user_id: int | None = None) -> list[JSON]:
        """Upgrade a group to a supergroup; returns the two service-message Updates."""
        return ops.migrate_group(self.state, old_id, new_id, by_user_id)

    def add_fault(
        self,
        method: str,
        kind: str,
        chat_id: int | None = None,
        times: int | None = 1,
        retry_after: int = 1,
        delay: float = 30.0,
    ) -> Fault:
        """Make the next `times` matching calls fail with `kind`."""
        return ops.add_fault(self.state, method, kind, chat_id, times, retry_after, delay)

    def clear_faults(self) -> None:
        """Drop all pending faults."""
        self.state.faults.clear()

    # ---- inspection ------------------------------------------------------------------
    def calls(
        self, method: str | None = None, chat_id: int | None = None, since_seq: int = 0
    ) -> list[CallRecord]:
        """Logged calls in order, optionally filtered."""
        calls = self.state.calls
        # Calls are logged in seq order: skip the older ones without scanning them.
        start = bisect.bisect_right(calls, since_seq, key=lambda c: c.seq) if since_seq else 0
        return [
            c
            for c in calls[start:]
            if c.seq > since_seq
            and (method is None or c.method == method)
            and (chat_id is None or c.chat_id == as_int(chat_id))
        ]

    def sent(self, chat_id: int | None = None) -> list[JSON]:
        """Messages successfully sent by the bot (sendMessage/sendDocument/sendPhoto)."""
        return [
            copy.deepcopy(c.result)
            for c in self.calls(chat_id=chat_id)
            if c.ok and c.method in SEND_METHODS
        ]

    def chat_messages(self, chat_id: int) -> list[JSON]:
        """Current state of a chat's messages (edits applied)."""
        return [copy.deepcopy(m) for _, m in sorted(self.state.messages.get(chat_id, {}).items())]

    def file_bytes(self, file_id: str) -> bytes:
        """Bytes of a file the bot uploaded."""
        return bytes(self.state.files[file_id]["data"])

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """Commands stored by setMyCommands for a scope/language."""
        return self.api.do_getMyCommands({"scope": scope, "language_code": language_code})

    async def wait_until(self, check: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until check() is true; re-evaluated on every call and long-poll start."""
        async with self.calls_cond:
            await asyncio.wait_for(self.calls_cond.wait_for(check), timeout)

    async def wait_for(
        self,
        predicate: Callable[[CallRecord], Any] | None = None,
        count: int = 1,
        timeout: float = 5.0,
        since_seq: int = 0,
        method: str | None = None,
    ) -> list[CallRecord]:
        """Wait until `count` calls after since_seq match; TimeoutError lists recent calls."""

        def matching() -> list[CallRecord]:
            return [
                c
                for c in self.calls(method=method, since_seq=since_seq)
                if predicate is None or predicate(c)
            ]

        cond = self.calls_cond
        try:
            async with cond:
                await asyncio.wait_for(cond.wait_for(lambda: len(matching()) >= count), timeout)
        except TimeoutError:
            recent = "\n".join(
                f"  #{c.seq} {c.method} ok={c.ok} chat={c.chat_id} "
                f"{(c.params.get('text') or '')[:60]!r} {c.error or ''}"
                for c in self.state.calls[-15:]
                if c.method != "getUpdates"
            )
            raise TimeoutError(
                f"wait_for: {len(matching())}/{count} matching calls after seq {since_seq} "
                f"within {timeout}s; recent non-getUpdates calls:\n{recent or '  (none)'}"
            ) from None
        return matching()[:count]
