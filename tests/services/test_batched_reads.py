"""Reads made cheaper must answer as the plain ones did: the start-up pass over every
meeting reads once what `replan` reads per meeting, and a new item's standing comes from
one query instead of the whole agenda."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bot.services import Services
from bot.services import meeting_reads as meetings
from bot.services.agenda_timing import known, replan
from storage import actions, agenda, progress, progress_reads, projects, schedule
from storage.db import select, transaction
from tests.services.agenda_support import ADMIN, at, new_meeting, organise


class _Undo(Exception):
    """Raised to roll a transaction back."""


def _planned(svc: Services, *, batched: bool) -> list[dict[str, Any]]:
    """The schedule after a start-up pass, the pass itself rolled back."""
    now = svc.clock.now()
    seen: list[dict[str, Any]] = []
    with pytest.raises(_Undo), transaction(svc.db):
        facts = known(svc) if batched else None
        for meeting in meetings.active(svc.db, now):
            replan(svc, meeting, now, live=False, seen=facts)
        seen = select(svc.db, "SELECT kind, ref, due_at, state, note FROM schedule ORDER BY id")
        raise _Undo
    return seen


def _item(svc: Services, meeting_id: int, kind: str, start: str, title: str) -> int:
    return agenda.add_item(
        svc.db,
        meeting_id=meeting_id,
        occ="",
        meeting_kind=kind,
        sitting_start=at(start),
        title=title,
        kind="report",
        major=True,
        project=None,
        minutes=10,
        submitter=ADMIN,
        unit_code=None,
        late=False,
        now=svc.clock.now(),
    )


def test_the_batched_pass_plans_the_rows_the_per_meeting_one_does(svc: Services) -> None:
    organise(svc)
    now = svc.clock.now()
    with transaction(svc.db):
        past = new_meeting(svc, "joint", "2026-11-20 14:00", called=now - timedelta(days=20))
        waiting = _item(svc, past.id, "joint", "2026-11-20 14:00", "Carried over")
        agenda.set_waiting(svc.db, waiting, "carry")
        escalated = _item(svc, past.id, "joint", "2026-11-20 14:00", "Sent up")
        agenda.set_waiting(svc.db, escalated, "escalate")
        with_items = new_meeting(svc, "working", "2026-12-08 09:00")
        _item(svc, with_items.id, "working", "2026-12-08 09:00", "On the agenda")
        new_meeting(svc, "joint", "2026-12-10 14:00")  # nothing of its own: the carry comes
        new_meeting(svc, "coordination", "2026-12-15 10:00")  # the escalated item comes
        new_meeting(svc, "special", "2026-12-16 10:00")  # nothing at all: no rows
        new_meeting(svc, "working", "2026-12-02 09:00", rrule="FREQ=WEEKLY")
        actions.add_action(
            svc.db,
            meeting_id=past.id,
            occ="",
            meeting_kind="working",
            sitting_start=at("2026-11-25 09:00"),
            item_id=None,
            owner_user=ADMIN,
            owner_unit=None,
            due=date(2026, 12, 20),
            text="Matters arising",
            by=ADMIN,
            now=now,
        )
        # A stale row (an old version's), which both ways must cancel.
        schedule.put(svc.db, "agenda_publish", f"{with_items.id}.0.-", at("2026-12-07 09:00"), now)
    one_by_one = _planned(svc, batched=False)
    assert any(row["state"] == "cancelled" for row in one_by_one)
    assert {row["kind"] for row in one_by_one} == {
        "agenda_publish",
        "agenda_close",
        "agenda_carry",
    }
    assert _planned(svc, batched=True) == one_by_one


def test_an_items_standing_is_its_place_in_items(svc: Services) -> None:
    # submit() reads an item's number and the total with one query, not the whole agenda.
    organise(svc)
    with transaction(svc.db):
        meeting = new_meeting(svc, "working", "2026-12-08 09:00")
        ids = [
            _item(svc, meeting.id, "working", "2026-12-08 09:00", f"Item {n}") for n in range(4)
        ]
        agenda.drop(svc.db, ids[1], "covered")
        agenda.reorder(svc.db, [ids[3], ids[0], ids[2]])
    found = agenda.items(svc.db, meeting.id, "")
    assert [i.id for i in found] == [ids[3], ids[0], ids[2]]
    for number, item in enumerate(found, start=1):
        assert agenda.standing(svc.db, meeting.id, "", item.id) == (number, 30)


def test_open_risks_taken_from_entries_read_already_are_the_same(svc: Services) -> None:
    # A bulletin passes its period's entries; risks logged before it are still read.
    now = svc.clock.now()
    with transaction(svc.db):
        projects.add_project(
            svc.db,
            code="P-1",
            name="Pilot",
            category="tech",
            lead="Lead",
            batch="",
            region="",
            now=now,
            by_user=ADMIN,
        )
        texts = ["#risk low latency", "#风险 高 对接", "#milestone done", "#risk high outage"]
        found = [
            progress.add_entry(
                svc.db, project_code="P-1", author_id=ADMIN, author_unit=None, text=t, now=now
            )
            for t in texts
        ]
        fix = progress.add_entry(
            svc.db, project_code="P-1", author_id=ADMIN, author_unit=None, text="#整改", now=now
        )
        progress.close_risks(svc.db, fix.id, [found[1].id])
    plain = progress_reads.open_risks(svc.db)
    assert [e.id for e in plain] == [found[3].id, found[0].id]  # high first
    period = {e.id: e for e in progress_reads.entries_after(svc.db, found[1].id)}  # no found[0]
    assert progress_reads.open_risks(svc.db, known=period) == plain
    assert progress_reads.open_risks(svc.db, known={}) == plain
