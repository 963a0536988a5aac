"""JSON control endpoints under /_emu/ for out-of-process drivers."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import ops
from .state import JSON, CallRecord

if TYPE_CHECKING:
    from .server import Core

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def call_json(rec: CallRecord) -> JSON:
    """A CallRecord as JSON (file bytes replaced by size and sha256)."""
    return {
        "seq": rec.seq,
        "method": rec.method,
        "params": ops.jsonable(rec.params),
        "time": rec.time,
        "wall_time": rec.wall_time,
        "ok": rec.ok,
        "result": ops.jsonable(rec.result),
        "error": rec.error,
    }


def _pick(body: JSON, *keys: str) -> JSON:
    return {k: body[k] for k in keys if k in body}


def add_control_routes(app: web.Application, core: Core) -> None:
    """Register /_emu/* routes on the app."""
    s = core.state

    def post(path: str, func: Callable[[JSON], Any]) -> None:
        async def handler(request: web.Request) -> web.StreamResponse:
            body = await request.json() if request.can_read_body else {}
            try:
                result = func(body or {})
            except (ValueError, KeyError, TypeError) as exc:
                return web.json_response({"ok": False, "error": repr(exc)}, status=400)
            if dataclasses.is_dataclass(result) and not isinstance(result, type):
                result = dataclasses.asdict(result)
            return web.json_response({"ok": True, "result": result})

        app.router.add_post(f"/_emu/{path}", handler)

    post(
        "user",
        lambda b: ops.add_user(
            s,
            int(b["user_id"] if "user_id" in b else b["id"]),
            b["first_name"],
            **_pick(b, "last_name", "username", "language_code"),
        ),
    )
    post(
        "group",
        lambda b: ops.add_group(
            s, int(b["chat_id"]), b["title"], **_pick(b, "type", "members", "admins", "bot_status")
        ),
    )
    post(
        "message",
        lambda b: ops.send_message(
            s, int(b["user_id"]), b["text"], b.get("chat_id"), b.get("reply_to_message_id")
        ),
    )
    post(
        "press",
        lambda b: ops.press_button(
            s,
            int(b["user_id"]),
            int(b["message_id"]),
            b["data"],
            b.get("chat_id"),
            b.get("check", True),
        ),
    )
    post(
        "fault",
        lambda b: ops.add_fault(
            s, b["method"], str(b["kind"]), **_pick(b, "chat_id", "times", "retry_after", "delay")
        ),
    )
    post("clear_faults", lambda b: s.faults.clear())
    post(
        "add_bot",
        lambda b: ops.add_bot_to_group(
            s, int(b["chat_id"]), int(b["by_user_id"]), **_pick(b, "title", "type")
        ),
    )
    post(
        "remove_bot",
        lambda b: ops.remove_bot_from_group(
            s, int(b["chat_id"]), int(b["by_user_id"]), **_pick(b, "kicked")
        ),
    )
    post("block", lambda b: ops.block_bot(s, int(b["user_id"])))
    post(
        "migrate",
        lambda b: ops.migrate_group(s, int(b["old_id"]), int(b["new_id"]), b.get("by_user_id")),
    )

    def set_limits(b: JSON) -> bool:
        s.enforce_limits = bool(b.get("on", True))
        return s.enforce_limits

    post("enforce_limits", set_limits)

    async def calls(request: web.Request) -> web.StreamResponse:
        since = int(request.query.get("since", 0))
        method = request.query.get("method")
        recs = [c for c in s.calls if c.seq > since and (method is None or c.method == method)]
        return web.json_response([call_json(c) for c in recs])

    async def wait(request: web.Request) -> web.StreamResponse:
        since = int(request.query.get("since", 0))
        method = request.query.get("method")
        count = int(request.query.get("count", 1))
        timeout = float(request.query.get("timeout", 5))
        ok_only = request.query.get("ok") == "1"

        def matching() -> list[CallRecord]:
            return [
                c
                for c in s.calls
                if c.seq > since
                and (method is None or c.method == method)
                and (not ok_only or c.ok)
            ]

        try:
            async with core.calls_cond:
                await asyncio.wait_for(
                    core.calls_cond.wait_for(lambda: len(matching()) >= count), timeout
                )
        except TimeoutError:
            return web.json_response(
                {"ok": False, "calls": [call_json(c) for c in matching()]}, status=408
            )
        return web.json_response({"ok": True, "calls": [call_json(c) for c in matching()]})

    async def stats(request: web.Request) -> web.StreamResponse:
        return web.json_response(
            {**s.stats, "last_seq": core._seq, "pending_updates": len(s.updates)}
        )

    async def chat(request: web.Request) -> web.StreamResponse:
        chat_id = int(request.match_info["chat_id"])
        msgs = [m for _, m in sorted(s.messages.get(chat_id, {}).items())]
        return web.json_response(ops.jsonable(msgs))

    app.router.add_get("/_emu/calls", calls)
    app.router.add_get("/_emu/wait", wait)
    app.router.add_get("/_emu/stats", stats)
    app.router.add_get("/_emu/chat/{chat_id}", chat)
