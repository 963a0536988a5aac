"""Shared set-up for the project, progress, evaluation and bulletin tests: a fixed clock and
two projects followed by the two units."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from tests.conftest import (
    ADMIN,
    Harness,
    running_bot,
    setup_org,
    table_rows,
)

# A Monday, 10:00 in Shanghai; after the real clock, so APScheduler never fires our rows
# by itself: tests drive them with fire_due().
T0 = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)


def clock_of(h: Harness) -> FixedClock:
    """The harness's fixed clock."""
    clock = h.svc.clock
    assert isinstance(clock, FixedClock)
    return clock


async def org_setup(h: Harness) -> None:
    """The standard cast (as conftest's org) plus two projects and their followers."""
    await setup_org(h)
    for text in (
        "/project_add BJ-01 | Supply-chain finance | tech | Example Securities | first | Beijing",
        "/project_add BJ-02 | Pension service | 公共服务 | Example Bank",
        "/follow BJ-01 TECH",
        "/follow BJ-02 BJ",
        "/stage BJ-01 running",
    ):
        await h.send(ADMIN, text)


@pytest.fixture
async def porg(emu: Emulator, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot on a fixed clock with the cast, two projects and a subscribed group."""
    async with running_bot(emu, tmp_path, FixedClock(T0)) as h:
        await org_setup(h)
        yield h


def snapshot(h: Harness) -> dict[str, Any]:
    """Row counts and contents of every table this feature writes (to prove nothing changed)."""
    db = h.svc.db
    out: dict[str, Any] = table_rows(
        db,
        "projects",
        "project_follows",
        "stage_changes",
        "progress_entries",
        "entry_revisions",
        "risk_closures",
        "evaluators",
        "evaluation_scores",
        "evaluation_results",
        "bulletin_issues",
        "bulletin_parts",
        "bulletin_schedule",
    )
    # Delivery moves outbox rows along asynchronously: compare which messages exist.
    out["outbox"] = [r["key"] for r in db.query("SELECT key FROM outbox ORDER BY id")]
    return out


def texts_to(h: Harness, chat: int, since: int = 0) -> list[str]:
    """Texts the bot sent to a chat."""
    return [
        str(c.params.get("text") or c.params.get("caption") or "")
        for c in h.emu.calls(chat_id=chat, since_seq=since)
        if c.method in ("sendMessage", "sendDocument") and c.ok
    ]
