"""The aiohttp client behind python-telegram-bot: bodies as PTB sends them, errors as it maps
them, and which timeouts may have reached Telegram (delivery's uncertain rows rest on it)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, LinkPreviewOptions
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.config import Config
from bot.telegram.app import POLLING_KEY, build_application
from bot.telegram.transport import AiohttpRequest, proxy_for, reached_server


class Seen(list[dict[str, object]]):
    """What the server was sent, and an event set at each arrival."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = asyncio.Event()
        self.hosts: list[str] = []  # the Host each request named


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, Seen]]:
    """A Bot API stand-in: answers after `?sleep=` seconds and records what it was sent."""
    seen = Seen()

    async def answer(request: web.Request) -> web.Response:
        if request.content_type == "application/json":
            fields = await request.json()
        else:
            fields = {
                key: (value.filename, value.content_type, value.file.read())
                if isinstance(value, web.FileField)
                else str(value)
                for key, value in (await request.post()).items()
            }
        seen.append({"content_type": request.content_type, **fields})
        seen.hosts.append(request.host)
        seen.arrived.set()
        if request.query.get("drop") and request.transport is not None:
            request.transport.close()  # the connection lost after the request arrived
            return web.Response()
        await asyncio.sleep(float(request.query.get("sleep", "0")))
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/{method}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}", seen
    await runner.cleanup()


def params(**values: object) -> RequestData:
    """Request data as the Bot builds it."""
    return RequestData([RequestParameter.from_input(k, v) for k, v in values.items()])


async def client(**kwargs: Any) -> AiohttpRequest:
    request = AiohttpRequest(**kwargs)
    await request.initialize()
    return request


async def test_parameters_go_as_a_json_body_with_nested_objects(server: tuple[str, Seen]) -> None:
    """JSON, which the Bot API takes for every method but uploads: nested values (buttons,
    link preview options) as objects, user ids past 32 bits as numbers, Chinese as typed."""
    url, seen = server
    request = await client()
    buttons = InlineKeyboardMarkup([[InlineKeyboardButton("同意", callback_data="vote:12:yes")]])
    status, body = await request.do_request(
        f"{url}/sendMessage",
        "POST",
        params(
            chat_id=1234567890123,
            text="进展 & <b>",
            reply_markup=buttons,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
    )
    await request.shutdown()
    assert (status, body) == (200, b'{"ok": true, "result": true}')
    assert seen == [
        {
            "content_type": "application/json",
            "chat_id": 1234567890123,
            "text": "进展 & <b>",
            "reply_markup": {
                "inline_keyboard": [[{"text": "同意", "callback_data": "vote:12:yes"}]]
            },
            "link_preview_options": {"is_disabled": True},
        }
    ]


@pytest.mark.parametrize(
    ("name", "parsed"),
    [
        ("简报（第1期）.docx", "简报（第1期）.docx"),
        ('report "final" v2.docx', "report %22final%22 v2.docx"),
        ("a\\b\n.docx", "a\\b%0A.docx"),
    ],
)
async def test_a_file_goes_as_ptb_own_client_sends_it(
    server: tuple[str, Seen], name: str, parsed: str
) -> None:
    """Multipart, the name as raw UTF-8 (aiohttp's default percent-encoding would have
    Telegram show a Chinese name as %-codes), quotes escaped as httpx escapes them."""
    url, seen = server
    document = InputFile(b"PK\x03\x04docx", filename=name)
    for request in (HTTPXRequest(), await client()):
        await request.initialize()
        await request.do_request(
            f"{url}/sendDocument", "POST", params(chat_id=-100, document=document, caption="第1期")
        )
        await request.shutdown()
    ptb, ours = seen
    assert ours == ptb
    assert ours["content_type"] == "multipart/form-data"
    assert ours["caption"] == "第1期" and ours["chat_id"] == "-100"
    part = ours[document.attach_name or "document"]
    assert part == (parsed, document.mimetype, b"PK\x03\x04docx")


async def test_a_read_timeout_may_have_reached_the_server(server: tuple[str, Seen]) -> None:
    url, seen = server
    request = await client(read_timeout=0.2)
    with pytest.raises(TimedOut) as caught:
        await request.do_request(f"{url}/sendMessage?sleep=1", "POST", params(text="x"))
    await request.shutdown()
    assert reached_server(caught.value)
    assert len(seen) == 1  # it did arrive


async def test_a_longer_read_timeout_asked_for_one_request_is_kept(
    server: tuple[str, Seen],
) -> None:
    """getUpdates asks for its long-poll timeout on top of the default read timeout."""
    url, _ = server
    request = await client(read_timeout=0.1)
    status, _ = await request.do_request(
        f"{url}/getUpdates?sleep=0.3", "POST", params(timeout=1), read_timeout=2
    )
    await request.shutdown()
    assert status == 200


async def test_waiting_for_a_pooled_connection_never_reached_the_server(
    server: tuple[str, Seen],
) -> None:
    url, seen = server
    request = await client(connection_pool_size=1, read_timeout=5, pool_timeout=0.1)
    busy = asyncio.create_task(
        request.do_request(f"{url}/sendMessage?sleep=1", "POST", params(text="first"))
    )
    await seen.arrived.wait()
    with pytest.raises(TimedOut) as caught:
        await request.do_request(
            f"{url}/sendMessage", "POST", params(text="second"), connect_timeout=0.1
        )
    assert not reached_server(caught.value)
    assert [s["text"] for s in seen] == ["first"]
    assert (await busy)[0] == 200
    await request.shutdown()


async def test_a_connection_lost_after_sending_is_not_sent_again(server: tuple[str, Seen]) -> None:
    """aiohttp retries a request on a dropped pooled connection only for idempotent methods;
    the Bot API is all POST, so the request reached the server once and the caller decides."""
    url, seen = server
    request = await client()
    await request.do_request(f"{url}/getMe", "POST")  # a pooled connection to reuse
    with pytest.raises(NetworkError) as caught:
        await request.do_request(f"{url}/sendMessage?drop=1", "POST", params(text="一次"))
    await request.shutdown()
    assert not isinstance(caught.value, TimedOut)
    assert [s.get("text") for s in seen] == [None, "一次"]


async def test_no_server_is_a_network_error() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    request = await client()
    with pytest.raises(NetworkError) as caught:
        await request.do_request(f"http://127.0.0.1:{port}/getMe", "POST")
    await request.shutdown()
    assert not isinstance(caught.value, TimedOut)
    assert "aiohttp.ClientConnectorError" in str(caught.value)


async def test_a_request_before_initialize_is_refused() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:1/getMe", "POST")


@pytest.mark.parametrize(
    ("api_url", "configured", "env", "expected"),
    [
        ("https://api.telegram.org/bot", "", {}, None),
        ("https://api.telegram.org/bot", "", {"HTTPS_PROXY": "http://p:7890"}, "http://p:7890"),
        ("https://api.telegram.org/bot", "", {"https_proxy": "http://p:1"}, "http://p:1"),
        ("http://127.0.0.1:8081/bot", "", {"HTTPS_PROXY": "http://p:7890"}, None),
        ("http://127.0.0.1:8081/bot", "", {"HTTP_PROXY": "http://p:7890"}, None),
        ("http://localhost:8081/bot", "", {"HTTP_PROXY": "http://p:7890"}, None),
        ("http://[::1]:8081/bot", "", {"HTTP_PROXY": "http://p:7890"}, None),
        ("http://botapi.lan:8081/bot", "", {"HTTP_PROXY": "http://p:7890"}, "http://p:7890"),
        (
            "https://api.telegram.org/bot",
            "",
            {"HTTPS_PROXY": "http://p:7890", "NO_PROXY": "api.telegram.org"},
            None,
        ),
        (
            "https://api.telegram.org/bot",
            "http://mine:3128",
            {"HTTPS_PROXY": "http://p:1"},
            "http://mine:3128",
        ),
    ],
)
def test_the_proxy_is_the_configured_one_else_the_environment_s(
    monkeypatch: pytest.MonkeyPatch,
    api_url: str,
    configured: str,
    env: dict[str, str],
    expected: str | None,
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert proxy_for(api_url, configured) == expected


async def test_requests_go_through_the_proxy(server: tuple[str, Seen]) -> None:
    """The proxy (here the test server) is asked for the Bot API's URL in absolute form."""
    url, seen = server
    request = await client(proxy=url)
    status, _ = await request.do_request(
        "http://api.telegram.invalid/sendMessage", "POST", params(text="经代理")
    )
    await request.shutdown()
    assert status == 200
    assert seen[0]["text"] == "经代理"
    assert seen.hosts == ["api.telegram.invalid"]


def test_the_bot_s_both_clients_use_the_configured_proxy(tmp_path: Path) -> None:
    config = Config(token="1:x", db_path=tmp_path / "x.db", proxy="http://127.0.0.1:7890")
    app = build_application(config)
    requests = (app.bot.request, app.bot_data[POLLING_KEY])  # everything else; getUpdates
    assert requests[0] is not requests[1]
    assert [r.proxy for r in requests if isinstance(r, AiohttpRequest)] == [
        "http://127.0.0.1:7890"
    ] * 2
