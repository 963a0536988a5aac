"""aiohttp server core: request decoding, faults, rate limits, long polling, call log."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

from aiohttp import web

from .api import BotApi
from .state import JSON, WITHHELD_KINDS, ApiError, CallRecord, State, as_int

# Fields that are strings in the Bot API: never JSON-decode them (text "123" stays "123").
STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "title",
        "data",
        "description",
        "short_description",
        "url",
        "language_code",
        "inline_message_id",
        "secret_token",
        "name",
        "first_name",
        "last_name",
        "custom_title",
        "emoji",
        "question",
        "address",
        "query",
        "switch_pm_text",
        "switch_pm_parameter",
        "business_connection_id",
        "message_effect_id",
    }
)
EMU_KEY: web.AppKey[Any] = web.AppKey("emulator")


def decode_value(name: str, raw: str) -> Any:
    """Decode one form field as PTB encodes it: JSON for non-strings, raw for strings."""
    if name in STRING_FIELDS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


async def decode_params(request: web.Request) -> JSON:
    """Decode a Bot API request (query, urlencoded, multipart or JSON body) into a dict."""
    params: JSON = {k: decode_value(k, v) for k, v in request.query.items()}
    if request.method != "POST" or not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
        return params
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            data = value.file.read()
            params[key] = {
                "filename": value.filename,
                "mime_type": value.content_type,
                "size": len(data),
                "data": data,
            }
        else:
            params[key] = decode_value(key, str(value))
    # attach://name references (InputMedia style) resolve to the uploaded part
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            params[key] = params.get(value[len("attach://") :], value)
    return params


class Core:
    """The HTTP-facing half of the emulator (state + API + async plumbing)."""

    def __init__(
        self,
        bot_username: str = "coordbot_test_bot",
        bot_id: int = 1000,
        enforce_limits: bool = False,
    ) -> None:
        self.state = State(bot_username, bot_id)
        self.state.enforce_limits = enforce_limits
        self.state.on_update = self._kick_pollers
        self.api = BotApi(self.state)
        self._calls_cond: asyncio.Condition | None = None
        self._update_event = asyncio.Event()
        self._closing = asyncio.Event()
        self._poll_gen = 0
        self._seq = 0
        self.polling = 0  # getUpdates requests currently waiting for updates

    @property
    def calls_cond(self) -> asyncio.Condition:
        """Condition notified after every logged call (created lazily inside the loop)."""
        if self._calls_cond is None:
            self._calls_cond = asyncio.Condition()
        return self._calls_cond

    def _kick_pollers(self) -> None:
        self._update_event.set()
        self._update_event = asyncio.Event()

    async def _record(
        self, method: str, params: JSON, ok: bool, result: Any = None, error: JSON | None = None
    ) -> CallRecord:
        self._seq += 1
        rec = CallRecord(
            self._seq, method, params, time.monotonic(), time.time(), ok, result, error
        )
        self.state.calls.append(rec)
        self.state.stats["calls"] += 1
        if not ok:
            self.state.stats["errors"] += 1
        async with self.calls_cond:
            self.calls_cond.notify_all()
        return rec

    async def _sleep_unless_closing(self, delay: float) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._closing.wait(), delay)

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self.state.webhook:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        self._poll_gen += 1
        gen = self._poll_gen
        self._kick_pollers()  # an older pending long poll gets terminated (409)
        offset = as_int(params.get("offset"))
        limit = int(as_int(params.get("limit")) or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        while True:
            if gen != self._poll_gen:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure "
                    "that only one bot instance is running",
                )
            updates = self.state.take_updates(offset if isinstance(offset, int) else None, limit)
            remaining = deadline - time.monotonic()
            if updates or remaining <= 0 or self._closing.is_set():
                return updates
            event = self._update_event
            self.polling += 1
            async with self.calls_cond:
                self.calls_cond.notify_all()
            try:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)
            finally:
                self.polling -= 1

    async def handle_bot(self, request: web.Request) -> web.StreamResponse:
        """Serve POST/GET /bot<token>/<method>."""
        method = request.match_info["method"]
        try:
            params = await decode_params(request)
        except Exception as exc:  # malformed body
            err = ApiError(400, f"Bad Request: can't parse request: {exc}")
            await self._record(method, {}, False, error=err.to_dict())
            return web.json_response(err.to_dict(), status=400)
        fault = self.state.take_fault(method, params.get("chat_id"))
        try:
            if fault is not None and fault.kind not in WITHHELD_KINDS:
                return await self._fault_response(request, method, params, fault)
            retry = self.state.check_limits(method, params.get("chat_id"), time.monotonic())
            if retry is not None:
                raise ApiError(
                    429, f"Too Many Requests: retry after {retry}", {"retry_after": retry}
                )
            if method.lower() == "getupdates":
                result: Any = await self._get_updates(params)
            else:
                result = self.api.call(method, params)
        except ApiError as err:
            await self._record(method, params, False, error=err.to_dict())
            return web.json_response(err.to_dict(), status=err.code)
        await self._record(method, params, True, result=result)
        if fault is not None:  # "slow"/"timeout": delivered and logged, the answer withheld
            await self._sleep_unless_closing(fault.delay)
        return web.json_response({"ok": True, "result": result})

    async def _fault_response(
        self, request: web.Request, method: str, params: JSON, fault: Any
    ) -> web.StreamResponse:
        if fault.kind == "disconnect":
            await self._record(method, params, False, error={"fault": "disconnect"})
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=500)
        if fault.kind == "429":
            err = ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
        elif fault.kind == "500":
            err = ApiError(500, "Internal Server Error")
        else:
            chat = self.state.chats.get(as_int(params.get("chat_id")))
            private = chat is not None and chat.type == "private"
            err = ApiError(
                403,
                "Forbidden: bot was blocked by the user"
                if private
                else "Forbidden: bot was kicked from the group chat",
            )
        error = err.to_dict()
        error["fault"] = fault.kind
        await self._record(method, params, False, error=error)
        return web.json_response(err.to_dict(), status=err.code)

    def make_app(self) -> web.Application:
        """Build the aiohttp application with Bot API and /_emu/ control routes."""
        from .control import add_control_routes

        app = web.Application(client_max_size=60 * 1024 * 1024)
        app[EMU_KEY] = self
        app.router.add_route("*", "/bot{token}/{method}", self.handle_bot)
        add_control_routes(app, self)
        return app
