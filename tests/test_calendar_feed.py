"""The calendar feed through the real stack: /calendar in a private chat, the feed fetched
over HTTP from the bot's own web server and parsed with icalendar, before and after
/meeting_move and /meeting_cancel; /calendar reset; /dashboard and its Mini App button."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from icalendar import Calendar

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from bot.telegram.app import WEB_KEY
from tests.support.harness import ADMIN, GROUP, MEMBER, OUTSIDER, Harness, running_bot, setup_org
from tests.support.services import SERVICE_T0

PUBLIC = "https://coord.example.org"


@pytest.fixture
async def web_bot(emu: Emulator, tmp_path: Path) -> AsyncIterator[Harness]:
    clock = FixedClock(SERVICE_T0)  # Tuesday 1 December 2026, 10:00 in Shanghai
    async with running_bot(emu, tmp_path, clock, web_port=0, web_url=PUBLIC) as h:
        await setup_org(h)
        yield h


def local_url(h: Harness, public: str) -> str:
    """The feed's public URL, fetched from the bot's web server on this machine."""
    server = h.app.bot_data[WEB_KEY]
    return public.replace(PUBLIC, f"http://127.0.0.1:{server.port}")


async def fetch(url: str, etag: str | None = None) -> tuple[int, bytes, Any]:
    headers = {"If-None-Match": etag} if etag else {}
    async with aiohttp.ClientSession() as session, session.get(url, headers=headers) as r:
        return r.status, await r.read(), r.headers.copy()


def events(body: bytes) -> dict[str, Any]:
    cal = Calendar.from_ical(body)
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


async def subscribe(h: Harness, user: int, args: str = "") -> tuple[str, str]:
    text = await h.text(user, f"/calendar {args}".strip())
    webcal = re.search(r"webcal://\S+?\.ics", text)
    https = re.search(r"https://\S+?\.ics", text)
    assert webcal and https, text
    assert webcal.group(0)[len("webcal") :] == https.group(0)[len("https") :]
    return https.group(0), text


async def test_feed_follows_moves_and_cancellations(web_bot: Harness) -> None:
    h = web_bot
    await h.send(ADMIN, "/meeting_new joint | 2026-12-10 14:00 | Joint meeting | Room 301")
    await h.send(ADMIN, "/invite 1 BJ")
    await h.send(
        ADMIN, "/meeting_new working | 2026-12-08 10:00 | Weekly call | | every week on tue"
    )
    await h.send(ADMIN, "/meeting_new coordination | 2026-12-15 09:00 | TECH only")
    await h.send(ADMIN, "/invite 3 TECH")
    url, text = await subscribe(h, MEMBER)  # a member of BJ
    assert "keep the link to yourself" in text
    status, body, headers = await fetch(local_url(h, url))
    assert status == 200 and headers["Content-Type"].startswith("text/calendar")
    found = events(body)
    assert set(found) == {"Joint meeting", "Weekly call"}  # not the TECH-only meeting
    joint = found["Joint meeting"]
    assert joint.decoded("dtstart") == datetime(2026, 12, 10, 6, 0, tzinfo=UTC)
    assert str(joint["location"]) == "Room 301"
    assert len(joint.walk("VALARM")) == 2  # COORDBOT_REMINDERS: 1d, 1h
    assert "RRULE" in found["Weekly call"] and "EXDATE" not in found["Weekly call"]
    # Unchanged: a calendar app polling with the ETag gets 304.
    again, _body, _h = await fetch(local_url(h, url), headers["ETag"])
    assert again == 304

    await h.send(ADMIN, "/meeting_move 1 | 2026-12-11 15:00")
    status, body, moved_headers = await fetch(local_url(h, url), headers["ETag"])
    assert status == 200 and moved_headers["ETag"] != headers["ETag"]
    joint = events(body)["Joint meeting"]
    assert joint.decoded("dtstart") == datetime(2026, 12, 11, 7, 0, tzinfo=UTC)
    assert int(joint["sequence"]) == 2

    await h.send(ADMIN, "/meeting_cancel 2 this | holiday")
    await h.send(ADMIN, "/meeting_cancel 1 | postponed")
    found = events((await fetch(local_url(h, url)))[1])
    assert set(found) == {"Weekly call"}  # the cancelled meeting has left the calendar
    exdates = found["Weekly call"]["EXDATE"]
    exdates = exdates if isinstance(exdates, list) else [exdates]
    skipped = [d.dt for x in exdates for d in x.dts]
    assert [d.astimezone(UTC) for d in skipped] == [datetime(2026, 12, 8, 2, 0, tzinfo=UTC)]

    # The admin's feed has every meeting still on.
    admin_url, _text = await subscribe(h, ADMIN)
    assert set(events((await fetch(local_url(h, admin_url)))[1])) == {"Weekly call", "TECH only"}


async def test_reset_revokes_and_unknown_tokens_are_404(web_bot: Harness) -> None:
    h = web_bot
    old, _text = await subscribe(h, MEMBER)
    assert (await subscribe(h, MEMBER))[0] == old  # asking again gives the same link
    new, text = await subscribe(h, MEMBER, "重置")
    assert new != old and "old one no longer works" in text
    assert (await fetch(local_url(h, old)))[0] == 404
    assert (await fetch(local_url(h, new)))[0] == 200
    token = new.rsplit("/", 1)[1][: -len(".ics")]
    assert len(token) >= 40
    forged = local_url(h, new.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B")))
    assert (await fetch(forged))[0] == 404
    # A person whose role is taken away loses the feed.
    await h.send(ADMIN, f"/role {MEMBER} none")
    assert (await fetch(local_url(h, new)))[0] == 404


async def test_calendar_is_private_and_needs_a_role(web_bot: Harness) -> None:
    h = web_bot
    assert "private chat" in await h.text(MEMBER, "/calendar", chat=GROUP)
    assert "member role" in await h.text(OUTSIDER, "/calendar")
    assert "Usage" in await h.text(MEMBER, "/calendar now please")


async def test_dashboard_button_and_menu(web_bot: Harness) -> None:
    h = web_bot
    calls = await h.send(MEMBER, "/dashboard")
    sent = [c for c in calls if c.method == "sendMessage"]
    button = sent[0].params["reply_markup"]["inline_keyboard"][0][0]
    assert button["web_app"] == {"url": f"{PUBLIC}/app/"}
    menu = [c for c in h.emu.calls() if c.method == "setChatMenuButton"]
    assert menu and menu[-1].ok and menu[-1].params["chat_id"] == MEMBER
    # In a group the button goes to the person's private chat (Telegram's rule for Mini Apps).
    calls = await h.send(MEMBER, "/dashboard", chat=GROUP)
    targets = {c.chat_id for c in calls if c.method == "sendMessage"}
    assert targets == {MEMBER, GROUP}  # the button privately, "sent to you privately" here


async def test_web_server_off_by_default(bot: Harness) -> None:
    assert WEB_KEY not in bot.app.bot_data
    await bot.send(ADMIN, "/start")
    assert "not switched on" in await bot.text(ADMIN, "/dashboard")


async def test_healthz_in_the_running_bot(web_bot: Harness) -> None:
    status, body, _headers = await fetch(local_url(web_bot, PUBLIC + "/healthz"))
    assert status == 200 and b'"scheduler": true' in body and b'"database": true' in body


def test_feed_builds_fast_enough_to_poll(tmp_path: Path) -> None:
    from bot.services import calendar
    from tests.support.services import make_services
    from tests.web_seed import MEMBER as SEEDED_MEMBER
    from tests.web_seed import seed

    svc = make_services(tmp_path)
    seed(svc)
    token = calendar.token_for(svc, SEEDED_MEMBER, svc.clock.now())
    feed = calendar.feed(svc, token.token, svc.clock.now())
    assert feed is not None and feed.body.count(b"BEGIN:VEVENT") >= 3
    assert calendar.feed(svc, token.token, svc.clock.now() + timedelta(seconds=1)) == feed
