"""The project, progress, evaluation and bulletin world end to end: a fixed instant, two
projects followed by the two units, and readers for what changed and what was sent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from storage import bulletins
from tests.support.harness import ADMIN, STAFF, Harness, clock_of, setup_org, table_rows

# A Monday, 10:00 in Shanghai; after the real clock, so APScheduler never fires our rows
# by itself: tests drive them with fire_due().
T0 = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
FRI = datetime(2027, 3, 5, 8, 0, tzinfo=UTC)  # that Friday, 16:00 in Shanghai


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
    """Texts (and captions) the bot sent to a chat."""
    return [
        str(c.params.get("text") or c.params.get("caption") or "")
        for c in h.emu.calls(chat_id=chat, since_seq=since)
        if c.method in ("sendMessage", "sendDocument") and c.ok
    ]


async def scheduled_draft(h: Harness) -> Any:
    """Schedule with approval, let the run fire, and return the admin's Approve/Hold message."""
    assert "after an admin approves" in await h.text(
        ADMIN, "/bulletin_schedule weekly fri 16:00 approve"
    )
    await h.send(STAFF, "/progress BJ-01 #milestone ready for review")
    clock_of(h).set(FRI)
    since = h.emu.last_seq
    h.svc.scheduler.fire_due()
    (ask,) = await h.emu.wait_for(
        lambda c: c.chat_id == ADMIN and c.params.get("reply_markup"), since_seq=since
    )
    drafts = [c.params["text"] for c in h.emu.calls("sendMessage", ADMIN, since)]
    assert any("Draft, not yet published" in t and "ready for review" in t for t in drafts)
    assert "Publish it?" in ask.params["text"]
    assert bulletins.latest_issue(h.svc.db) is None
    return ask
