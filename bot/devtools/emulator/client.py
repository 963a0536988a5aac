"""Synchronous httpx client for the emulator's /_emu/ control endpoints (out-of-process)."""

from __future__ import annotations

from typing import Any

import httpx

JSON = dict[str, Any]
SEND_METHODS = ("sendMessage", "sendDocument", "sendPhoto")


class EmulatorClient:
    """Drive a running emulator over HTTP; method names mirror Emulator."""

    def __init__(self, base: str, timeout: float = 10.0) -> None:
        base = base.rstrip("/")
        if base.endswith("/bot"):
            base = base[: -len("/bot")]
        self.root_url = base
        self.base_url = f"{base}/bot"
        self._http = httpx.Client(base_url=base, timeout=timeout)

    def close(self) -> None:
        """Close the underlying HTTP client."""
        self._http.close()

    def __enter__(self) -> EmulatorClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _post(self, path: str, body: JSON) -> Any:
        resp = self._http.post(
            f"/_emu/{path}", json={k: v for k, v in body.items() if v is not None}
        )
        data = resp.json()
        if resp.status_code != 200 or not data.get("ok"):
            raise ValueError(f"/_emu/{path} failed: {data}")
        return data["result"]

    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        """Register a user (and their private chat)."""
        return self._post(
            "user",
            {
                "user_id": user_id,
                "first_name": first_name,
                "last_name": last_name,
                "username": username,
                "language_code": language_code,
            },
        )

    def add_group(
        self,
        chat_id: int,
        title: str,
        type: str = "group",
        members: list[int] | None = None,
        admins: list[int] | None = None,
    ) -> JSON:
        """Create a group/supergroup the bot is in."""
        return self._post(
            "group",
            {
                "chat_id": chat_id,
                "title": title,
                "type": type,
                "members": members,
                "admins": admins,
            },
        )

    def send_message(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        """A user writes a message; returns the Update."""
        return self._post(
            "message",
            {
                "user_id": user_id,
                "text": text,
                "chat_id": chat_id,
                "reply_to_message_id": reply_to_message_id,
            },
        )

    def press_button(
        self,
        user_id: int,
        message_id: int,
        data: str,
        chat_id: int | None = None,
        check: bool = True,
    ) -> JSON:
        """A user presses an inline button; returns the Update."""
        return self._post(
            "press",
            {
                "user_id": user_id,
                "message_id": message_id,
                "data": data,
                "chat_id": chat_id,
                "check": check,
            },
        )

    def add_fault(
        self,
        method: str,
        kind: str,
        chat_id: int | None = None,
        times: int = 1,
        retry_after: int = 1,
        delay: float = 30.0,
    ) -> JSON:
        """Schedule a failure for matching calls."""
        return self._post(
            "fault",
            {
                "method": method,
                "kind": kind,
                "chat_id": chat_id,
                "times": times,
                "retry_after": retry_after,
                "delay": delay,
            },
        )

    def clear_faults(self) -> None:
        """Drop all pending faults."""
        self._post("clear_faults", {})

    def add_bot_to_group(self, chat_id: int, by_user_id: int, title: str = "") -> JSON:
        """A user adds the bot to a group."""
        return self._post(
            "add_bot", {"chat_id": chat_id, "by_user_id": by_user_id, "title": title}
        )

    def remove_bot_from_group(self, chat_id: int, by_user_id: int, kicked: bool = True) -> JSON:
        """A user removes the bot from a group."""
        return self._post(
            "remove_bot", {"chat_id": chat_id, "by_user_id": by_user_id, "kicked": kicked}
        )

    def block_bot(self, user_id: int) -> JSON:
        """The user blocks the bot."""
        return self._post("block", {"user_id": user_id})

    def migrate_group(self, old_id: int, new_id: int) -> list[JSON]:
        """Upgrade a group to a supergroup."""
        return self._post("migrate", {"old_id": old_id, "new_id": new_id})

    def enforce_limits(self, on: bool = True) -> bool:
        """Switch Telegram flood-limit enforcement."""
        return bool(self._post("enforce_limits", {"on": on}))

    def calls(self, since: int = 0, method: str | None = None) -> list[JSON]:
        """Logged calls after seq `since` (file bytes replaced by size/sha256)."""
        params: JSON = {"since": since}
        if method:
            params["method"] = method
        return list(self._http.get("/_emu/calls", params=params).json())

    def sent(self, chat_id: int | None = None, since: int = 0) -> list[JSON]:
        """Messages successfully sent by the bot, in order."""
        return [
            c["result"]
            for c in self.calls(since)
            if c["ok"]
            and c["method"] in SEND_METHODS
            and (chat_id is None or c["result"]["chat"]["id"] == chat_id)
        ]

    def chat_messages(self, chat_id: int) -> list[JSON]:
        """Current state of a chat's messages."""
        return list(self._http.get(f"/_emu/chat/{chat_id}").json())

    def stats(self) -> JSON:
        """Counters incl. '429', 'calls', 'last_seq'."""
        return dict(self._http.get("/_emu/stats").json())

    def wait_for(
        self,
        method: str | None = None,
        count: int = 1,
        since_seq: int = 0,
        timeout: float = 5.0,
        ok_only: bool = False,
    ) -> list[JSON]:
        """Block (server-side condition wait) until `count` matching calls exist after since."""
        params: JSON = {
            "since": since_seq,
            "count": count,
            "timeout": timeout,
            "ok": "1" if ok_only else "0",
        }
        if method:
            params["method"] = method
        resp = self._http.get("/_emu/wait", params=params, timeout=timeout + 5)
        data = resp.json()
        if not data["ok"]:
            got = [(c["seq"], c["method"], c["ok"]) for c in data["calls"]]
            raise TimeoutError(f"wait_for {method!r} x{count} after {since_seq}: only {got}")
        return list(data["calls"])
