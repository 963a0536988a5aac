"""An unexpected exception anywhere reaches the admins in chat, escaped and rate-limited."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from bot.i18n import Translator
from bot.telegram.errors import Handling, render, signature
from storage import chats, outbox, people
from tests.support.harness import ADMIN, GROUP, MEMBER, Harness, running_bot, setup_org
from tests.support.projects import T0

ALERT = "Unexpected error"


@pytest.fixture
async def h(emu: Emulator, tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_bot(emu, tmp_path, FixedClock(T0)) as harness:
        await setup_org(harness)
        yield harness


def error_alerts(h: Harness) -> list[Any]:
    return outbox.by_key_prefix(h.svc.db, "error:")


async def alert_to(h: Harness, user: int, since: int, needle: str) -> str:
    (call,) = await h.emu.wait_for(
        lambda c: c.chat_id == user and needle in str(c.params.get("text")), since_seq=since
    )
    assert call.ok, call.error  # the emulator checks the HTML: everything was escaped
    return str(call.params["text"])


async def test_a_failing_command_alerts_the_admins_once_per_window(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("<boom> & bust")

    monkeypatch.setattr(people, "list_people", broken)
    since = h.emu.last_seq
    assert "Something went wrong" in await h.text(MEMBER, "/members <i>")
    text = await alert_to(h, ADMIN, since, ALERT)
    assert "a command" in text and "RuntimeError: &lt;boom&gt; &amp; bust" in text
    assert f"User {MEMBER} in chat {MEMBER}" in text and "/members &lt;i&gt;" in text
    assert "Where: storage" not in text and "tests/" not in text
    # The same error again within five minutes: the user is answered, the admins are not.
    assert "Something went wrong" in await h.text(MEMBER, "/members")
    assert "Something went wrong" in await h.text(MEMBER, "/members")
    assert len(error_alerts(h)) == 1
    clock = h.svc.clock
    assert isinstance(clock, FixedClock)
    clock.set(T0 + timedelta(minutes=6))
    since = h.emu.last_seq
    await h.send(MEMBER, "/members")
    text = await alert_to(h, ADMIN, since, ALERT)
    assert "Same error since the last alert, not sent: 2" in text
    assert len(error_alerts(h)) == 2


async def test_an_error_outside_the_dispatcher_reaches_chinese_admins(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await h.send(ADMIN, "/lang zh")

    def broken(*args: object) -> bool:
        raise ValueError("迁移失败 <x>")

    monkeypatch.setattr(chats, "migrate_chat", broken)
    since = h.emu.last_seq
    for update in h.emu.migrate_group(GROUP, -100123):
        await h.probe.wait(update["update_id"])
    text = await alert_to(h, ADMIN, since, "意外错误")
    assert "ValueError: 迁移失败 &lt;x&gt;" in text and "消息" in text


def test_signature_names_our_line_and_render_escapes() -> None:
    try:
        people.list_people(None)  # type: ignore[arg-type]
    except AttributeError as exc:
        kind = signature(exc)
        assert kind.startswith("AttributeError@storage/") and kind.rsplit(":", 1)[1].isdigit()
        tr = Translator().get("en")
        text = render(tr, exc, Handling("job", text="<b>"), "x.py:1", 0)
        assert "a scheduled job" in text and "&lt;b&gt;" in text and "Same error" not in text
