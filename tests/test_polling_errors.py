"""Telegram failing getUpdates (5xx, 409): one log line each, and back within seconds."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from bot.devtools.emulator import Emulator
from bot.telegram.polling import PollingRequest
from storage import outbox
from tests.support.harness import ADMIN, running_bot


def test_backoff_is_short_and_capped() -> None:
    request = PollingRequest(max_backoff=3.0)
    waits = []
    for failures in range(1, 8):
        request.failures = failures
        waits.append(request.backoff())
    assert waits == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0, 3.0]


@pytest.mark.slow(2)
async def test_5xx_on_getupdates_logs_a_line_each_and_recovers_at_once(
    emu: Emulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(emu, tmp_path, poll_retry_max=0.1) as h:
        await h.send(ADMIN, "/start")
        caplog.clear()
        caplog.set_level(logging.DEBUG, logger="bot")
        caplog.set_level(logging.INFO, logger="telegram")
        emu.add_fault("getUpdates", "500", times=12)
        await emu.wait_for(lambda c: c.error is not None, method="getUpdates", count=12)
        started = time.monotonic()
        reply = await h.text(ADMIN, "/whoami")
        # python-telegram-bot's own backoff had grown to 30 s after twelve failures.
        assert "Role: admin" in reply and time.monotonic() - started < 3
    failures = [r for r in caplog.records if "getUpdates failed" in r.getMessage()]
    assert len(failures) == 12
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in failures)
    assert not [r for r in caplog.records if r.exc_info and r.levelno >= logging.WARNING]
    assert any("works again after 12 failures" in r.getMessage() for r in caplog.records)


@pytest.mark.slow(2)
async def test_409_from_another_poller_is_logged_and_told_to_the_admins_once(
    emu: Emulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(emu, tmp_path, poll_retry_max=0.1) as h:
        await h.send(ADMIN, "/start")
        caplog.set_level(logging.INFO, logger="telegram")
        # While a webhook is set, Telegram answers getUpdates with 409 Conflict.
        emu.state.webhook = {"url": "https://elsewhere.example/hook"}
        await emu.wait_for(lambda c: c.error is not None, method="getUpdates", count=6)
        emu.state.webhook = None
        (alert,) = await emu.wait_for(
            lambda c: c.chat_id == ADMIN and "Conflict" in str(c.params.get("text")),
            method="sendMessage",
        )
        assert "fetching updates" in alert.params["text"] and "webhook" in alert.params["text"]
        assert "Role: admin" in await h.text(ADMIN, "/whoami")
        assert len(outbox.by_key_prefix(h.svc.db, "error:")) == 1
    assert not [r for r in caplog.records if r.exc_info and r.levelno >= logging.WARNING]
