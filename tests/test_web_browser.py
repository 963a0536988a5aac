"""The dashboard in a real headless browser: Debian's chromium driven by Playwright, opened
the way Telegram opens a Mini App (signed initData in the URL fragment's tgWebAppData), in
Chinese and in English, with no console errors; screenshots are kept with the test output.

Skipped only when COORDBOT_SKIP_BROWSER=1 (.ci/run installs chromium and fonts-noto-cjk).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestServer

from bot.services import Services
from bot.web.app import make_web_app
from bot.web.auth import sign_init_data
from storage import projects
from storage.db import transaction
from tests.support.services import make_services
from tests.web_seed import ADMIN, OUTSIDER, STAFF, seed

pytestmark = pytest.mark.skipif(
    os.environ.get("COORDBOT_SKIP_BROWSER") == "1", reason="COORDBOT_SKIP_BROWSER=1"
)
CHROMIUM = os.environ.get("COORDBOT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
HOSTILE = '<img src=x onerror="document.title=1">Sandbox & <b>Co</b>'


def launch_options() -> dict[str, Any]:
    """How Playwright starts the system browser (never a downloaded one)."""
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    assert path, "chromium is not installed: apt-get install chromium (or COORDBOT_SKIP_BROWSER=1)"
    return {"executable_path": path, "args": ARGS}


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: COORDBOT_SCREENSHOTS if set, else the test's tmp_path."""
    folder = Path(os.environ.get("COORDBOT_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[tuple[Services, TestServer]]:
    svc = make_services(tmp_path)
    seed(svc)
    with transaction(svc.db):
        projects.add_project(
            svc.db,
            code="XSS-1",
            name=HOSTILE,
            category="tech",
            lead="<script>document.title=2</script>",
            batch="",
            region="",
            now=svc.clock.now(),
            by_user=ADMIN,
        )
    server = TestServer(make_web_app(svc))
    await server.start_server()
    yield svc, server
    await server.close()


def launch_url(svc: Services, server: TestServer, user: int) -> str:
    init = sign_init_data(
        svc.config.require_token(), {"id": user, "first_name": "A"}, svc.clock.now()
    )
    theme = '{"bg_color":"#ffffff","text_color":"#000000","button_color":"#3390ec"}'
    fragment = f"tgWebAppData={quote(init, safe='')}&tgWebAppThemeParams={quote(theme, safe='')}"
    return f"{server.make_url('/app/')}#{fragment}"


async def open_page(browser: Any, errors: list[str]) -> Any:
    page = await browser.new_page(viewport=PHONE, device_scale_factor=2)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


async def shown(page: Any, route: str | None = None) -> str:
    """Go to a route and wait until the view is rendered; its text."""
    if route is not None:
        await page.evaluate("() => document.getElementById('view').removeAttribute('data-ready')")
        await page.evaluate(f"location.hash = {route!r}")
    await page.wait_for_selector("#view[data-ready]", timeout=10_000)
    return str(await page.inner_text("body"))


async def test_dashboard_in_chinese_and_english(
    site: tuple[Services, TestServer], shots: Path
) -> None:
    from playwright.async_api import async_playwright

    svc, server = site
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(**launch_options())
        page = await open_page(browser, errors)
        await page.goto(launch_url(svc, server, ADMIN))  # the admin's Telegram is in Chinese
        text = await shown(page)
        assert "试点工作看板" in text and "各阶段项目数" in text and "各单位报送情况" in text
        await page.screenshot(path=str(shots / "overview-zh.png"), full_page=True)
        views = [
            ("#/projects", "试点运行", "projects-zh"),
            ("#/projects/BJ-07", "专业评估", "project-zh"),
            ("#/meetings?month=2026-12", "协调小组第五次会议", "meetings-zh"),
            ("#/meetings/1", "各单位回复", "meeting-zh"),
            ("#/actions", "逾期", "actions-zh"),
        ]
        for route, expected, name in views:
            assert expected in await shown(page, route), route
            await page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
        await shown(page, "#/projects/BJ-07")
        assert await page.locator("svg.svgchart rect").count() == 4  # the four dimensions
        # User text is shown as typed, never run or parsed as markup.
        board = await shown(page, "#/projects")
        assert HOSTILE in board
        assert await page.locator("#view img, #view script").count() == 0
        assert await page.locator("#view b").filter(has_text="Co").count() == 0
        assert await page.title() not in ("1", "2")
        # The language button switches to English in place.
        await page.evaluate("() => document.getElementById('view').removeAttribute('data-ready')")
        await page.click("#lang")
        text = await shown(page)
        assert "Projects by stage" in text or "running under supervision" in text
        await page.screenshot(path=str(shots / "projects-en.png"), full_page=True)

        staff = await open_page(browser, errors)  # Sam's Telegram is in English
        await staff.goto(launch_url(svc, server, STAFF))
        text = await shown(staff)
        assert "Programme dashboard" in text and "Reporting by unit" in text
        assert "试点" not in text.replace(HOSTILE, "")
        await staff.screenshot(path=str(shots / "overview-en.png"), full_page=True)
        await browser.close()
    assert errors == []
    print(f"\nscreenshots: {shots}")


async def test_refusals_read_well_in_a_browser(site: tuple[Services, TestServer]) -> None:
    from playwright.async_api import async_playwright

    svc, server = site
    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(**launch_options())
        page = await open_page(browser, errors)
        await page.goto(str(server.make_url("/app/")))  # an ordinary browser, no initData
        assert "send /dashboard" in await shown(page)
        await page.goto(launch_url(svc, server, OUTSIDER))
        await page.reload()  # the launch data is kept for the session, as in Telegram
        assert "no role" in await shown(page)
        await browser.close()
    # The refused API calls log "Failed to load resource" (401/403); nothing else may.
    assert [e for e in errors if "Failed to load resource" not in e] == []
