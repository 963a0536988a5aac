"""Benchmark (not a test): the dashboard's API, its first render in Chromium, the calendar feed,
and the bot's peak RSS with the web server on and /stats drawn.

200 projects, 10,000 progress entries and 100 meetings. The API and the feed are timed
through aiohttp over HTTP on this machine (one request at a time, after a warm-up); the first
render is from navigation to the page's first view drawn, in Debian's headless chromium
(each run a new tab; the browser already started); RSS is the bot as a real process
(`python -m bot run`) against the emulator serving the same database. Run:
`python -m bench.bench_web`.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import aiohttp
from aiohttp.test_utils import TestServer

from bench.harness import Proc, line
from bot.devtools.emulator import Emulator
from bot.services import Services
from bot.services import calendar as calendar_service
from bot.web.app import make_web_app
from bot.web.auth import sign_init_data
from storage import meetings
from storage.db import transaction
from tests.conftest import make_services
from tests.web_seed import ADMIN, MEMBER, seed

PROJECTS, ENTRIES, MEETINGS = 200, 10_000, 100
REQUESTS = 100  # per endpoint
RENDERS = 7
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def populate(folder: Path) -> Services:
    """Services over a database with the benchmark's programme."""
    svc = make_services(folder)
    seed(svc, n_projects=PROJECTS, n_entries=ENTRIES)
    now = svc.clock.now()
    with transaction(svc.db):
        for n in range(MEETINGS):
            start = now + timedelta(days=n % 90 - 30, hours=n % 5)
            meeting_id = meetings.create(
                svc.db,
                kind=("joint", "working", "coordination", "evaluation")[n % 4],
                title=f"会议 {n}",
                place="301会议室",
                start=start,
                end=start + timedelta(hours=2),
                tz=svc.config.tz.key,
                rrule="FREQ=WEEKLY" if n % 10 == 0 else None,
                created_by=ADMIN,
                now=now,
            )
            meetings.set_invited(svc.db, meeting_id, [] if n % 3 else ["BJ", "TECH"])
    return svc


def p(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of a sample, in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def api_latency(svc: Services, server: TestServer) -> dict[str, float]:
    """p50/p99 per endpoint and overall."""
    init = sign_init_data(svc.config.require_token(), {"id": ADMIN}, svc.clock.now())
    headers = {"Authorization": f"tma {init}"}
    busiest = "BJ-01"
    paths = [
        "/api/overview",
        "/api/projects",
        f"/api/projects/{busiest}",
        "/api/meetings?month=2026-12",
        "/api/meetings/1",
        "/api/actions",
    ]
    every: list[float] = []
    out: dict[str, float] = {}
    async with aiohttp.ClientSession() as session:
        for path in paths:
            times = []
            for n in range(REQUESTS + 5):
                began = time.perf_counter()
                async with session.get(server.make_url(path), headers=headers) as response:
                    await response.read()
                    assert response.status == 200, (path, response.status)
                if n >= 5:  # warm-up
                    times.append(time.perf_counter() - began)
            every += times
            key = path.split("?")[0].replace("/api/", "").replace("/", "_") or "root"
            out[f"web_api_{key}_p99"] = p(times, 0.99)
    out["web_api_p50"] = p(every, 0.5)
    out["web_api_p99"] = p(every, 0.99)
    return out


async def feed_latency(svc: Services, server: TestServer) -> dict[str, float]:
    """The calendar feed: building it, and fetching it over HTTP (p50/p99)."""
    with transaction(svc.db):
        token = calendar_service.token_for(svc, MEMBER, svc.clock.now()).token
    builds = []
    for _ in range(30):
        began = time.perf_counter()
        feed = calendar_service.feed(svc, token, svc.clock.now())
        builds.append(time.perf_counter() - began)
    assert feed is not None
    fetches = []
    async with aiohttp.ClientSession() as session:
        for _ in range(50):
            began = time.perf_counter()
            async with session.get(server.make_url(f"/cal/{token}.ics")) as response:
                await response.read()
            fetches.append(time.perf_counter() - began)
    return {
        "web_feed_events": float(feed.body.count(b"BEGIN:VEVENT")),
        "web_feed_build_p50": p(builds, 0.5),
        "web_feed_http_p50": p(fetches, 0.5),
        "web_feed_http_p99": p(fetches, 0.99),
    }


async def first_render(svc: Services, server: TestServer) -> dict[str, float]:
    """Navigation to the Overview drawn, in headless chromium, on a phone-sized page."""
    from playwright.async_api import async_playwright

    init = sign_init_data(svc.config.require_token(), {"id": ADMIN}, svc.clock.now())
    url = f"{server.make_url('/app/')}#tgWebAppData={quote(init, safe='')}"
    path = shutil.which("chromium") or "/usr/bin/chromium"
    times = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        for _ in range(RENDERS):
            page = await browser.new_page(viewport={"width": 390, "height": 844})
            began = time.perf_counter()
            await page.goto(url)
            await page.wait_for_selector("#view[data-ready]")
            times.append(time.perf_counter() - began)
            await page.close()
        await browser.close()
    return {
        "web_first_render_first": 1000 * times[0],
        "web_first_render_median": 1000 * statistics.median(times),
    }


def free_port() -> int:
    """A TCP port free on this machine now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def process_rss(db_path: Path, folder: Path) -> dict[str, float]:
    """The bot as a real process with the web on: /stats drawn and the API read; peak RSS."""
    emu = Emulator()
    await emu.start()
    emu.add_user(ADMIN, "Ada", username="ada", language_code="zh")
    port, token = free_port(), "1000:bench-web"
    env = {
        "COORDBOT_TOKEN": token,
        "COORDBOT_DB": str(db_path),
        "COORDBOT_ADMINS": str(ADMIN),
        "COORDBOT_WEB_PORT": str(port),
        "COORDBOT_RATE_LIMIT": "0",
    }
    bot = Proc(emu, ["-m", "bot", "run"], env, folder / "bot.log")
    try:
        ready = await bot.start()
        for _ in range(3):
            before = emu.last_seq
            emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="/stats")
            await emu.wait_for(lambda c: c.method == "sendPhoto", since_seq=before, timeout=60)
        init = sign_init_data(token, {"id": ADMIN}, datetime.now(UTC))
        headers = {"Authorization": f"tma {init}"}
        async with aiohttp.ClientSession() as session:
            for _ in range(20):
                for path in ("/api/overview", "/api/projects", "/api/projects/BJ-01"):
                    async with session.get(f"http://127.0.0.1:{port}{path}", headers=headers) as r:
                        await r.read()
                        assert r.status == 200, (path, r.status)
            async with session.get(f"http://127.0.0.1:{port}/healthz") as r:
                assert r.status == 200
        rss = bot.sample_rss() / 1024
    finally:
        await bot.stop()
        await emu.stop()
    return {"web_bot_ready_s": ready, "web_bot_peak_rss_mb": rss}


async def run() -> dict[str, float]:
    """Every figure, printed as `name value unit` lines."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        began = time.perf_counter()
        svc = populate(folder)
        line("web_seed", time.perf_counter() - began, "s")
        server = TestServer(make_web_app(svc))
        await server.start_server()
        figures: dict[str, float] = {}
        try:
            figures.update(await api_latency(svc, server))
            figures.update(await feed_latency(svc, server))
            if os.environ.get("COORDBOT_SKIP_BROWSER") != "1":
                figures.update(await first_render(svc, server))
        finally:
            await server.close()
            svc.db.close()
        figures.update(await process_rss(folder / "services.db", folder))
    for name, value in figures.items():
        unit = "ms" if not name.endswith(("_mb", "_s", "_events")) else name.rsplit("_", 1)[1]
        line(name, value, "MB" if unit == "mb" else unit)
    return figures


if __name__ == "__main__":
    asyncio.run(run())
