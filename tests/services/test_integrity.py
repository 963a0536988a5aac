"""The integrity record at the seam: missing reports, risks open too long, rectifications
with their timeliness, recorded entries; found by project code or institution name."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.domain.rounds import Scope
from bot.services import Services, integrity, rounds
from bot.services import projects as service
from bot.services.projects import ProjectFields
from storage import people, progress, project_stages

ADMIN, STAFF = 7_000_000_001, 7_000_000_002


def _world(svc: Services) -> None:
    now = svc.clock.now()
    people.add_unit(svc.db, "TECH", "Technology Supervision Bureau", now)
    people.touch_person(svc.db, ADMIN, "ada", "Ada", None, "en", now)
    people.set_role(svc.db, ADMIN, "admin", None, now)
    people.touch_person(svc.db, STAFF, "sam", "Sam", None, "en", now)
    people.set_role(svc.db, STAFF, "staff", "TECH", now)
    for code, lead in (("BJ-01", "Example Securities"), ("BJ-02", "Other Bank")):
        service.register(svc, code, ProjectFields(code, "tech", lead), ADMIN, now)
        project_stages.set_stage(svc.db, code, "running", "", now, ADMIN)
        service.follow(svc, code, "TECH", now)


def _log(svc: Services, code: str, text: str, days_ago: int) -> progress.Entry:
    return progress.add_entry(
        svc.db,
        project_code=code,
        author_id=STAFF,
        author_unit="TECH",
        text=text,
        now=svc.clock.now() - timedelta(days=days_ago),
    )


def test_the_record_of_a_lead_institution(svc: Services, clock: FixedClock) -> None:
    _world(svc)
    now = svc.clock.now()
    rounds.open_round(svc, Scope(), now + timedelta(days=2), ADMIN, now)
    old = _log(svc, "BJ-01", "#风险 高 old risk", 70)
    _log(svc, "BJ-01", "#风险 recent risk", 5)
    fixed = _log(svc, "BJ-01", "#风险 fixed risk", 90)
    fix = _log(svc, "BJ-01", f"#整改 关闭 #{fixed.id}", 10)
    progress.close_risks(svc.db, fix.id, [fixed.id])
    _log(svc, "BJ-02", "#风险 other institution", 80)
    integrity.record_entry(svc, "bj-01", "退出报告迟报", ADMIN, now)
    clock.set(now + timedelta(days=3))
    found = integrity.record(svc, "example securities", svc.clock.now())
    assert found.lead == "Example Securities" and [p.code for p in found.projects] == ["BJ-01"]
    assert [(m.project_code, m.late) for m in found.reports] == [("BJ-01", False)]
    assert [r.entry.id for r in found.open_risks] == [old.id]
    assert [(r.entry.id, r.days, r.closed_by) for r in found.rectifications] == [
        (fixed.id, 80, fix.id)
    ]
    assert [e.text for e in found.entries] == ["退出报告迟报"]
    assert integrity.record(svc, "BJ-01", svc.clock.now()).lead == "Example Securities"


@pytest.mark.parametrize("words", ["NOPE-1", "Nobody Bank"])
def test_an_unknown_institution_is_refused(svc: Services, words: str) -> None:
    _world(svc)
    with pytest.raises(integrity.UnknownInstitution):
        integrity.record(svc, words, svc.clock.now())


def test_an_empty_entry_is_refused(svc: Services) -> None:
    _world(svc)
    with pytest.raises(integrity.EmptyEntry):
        integrity.record_entry(svc, "BJ-01", " ", ADMIN, svc.clock.now())
    assert integrity.record(svc, "BJ-01", svc.clock.now()).entries == []


def _busy_record(svc: Services) -> None:
    """BJ-01's lead with 12 recorded entries a day apart, a risk open 70 days and one
    closed late."""
    _world(svc)
    _log(svc, "BJ-01", "#风险 old risk", 70)
    fixed = _log(svc, "BJ-01", "#风险 fixed risk", 90)
    fix = _log(svc, "BJ-01", f"#整改 关闭 #{fixed.id}", 10)
    progress.close_risks(svc.db, fix.id, [fixed.id])
    now = svc.clock.now()
    for n in range(12):
        integrity.record_entry(svc, "BJ-01", f"entry {n}", ADMIN, now - timedelta(days=n))


def test_the_record_in_pages_newest_first_with_totals(svc: Services) -> None:
    _busy_record(svc)
    now = svc.clock.now()
    first = integrity.record_page(svc, "Example Securities", now)
    assert first.totals == {"report": 0, "risk": 1, "rectification": 1, "entry": 12}
    assert first.late_rectifications == 1 and (first.page, first.pages) == (1, 2)
    assert [i.at for i in first.items] == sorted((i.at for i in first.items), reverse=True)
    assert first.items[0].kind == "entry" and len(first.items) == integrity.PAGE
    second = integrity.record_page(svc, "BJ-01", now, page=2)
    assert sorted(i.kind for i in second.items) == ["entry", "entry", "rectification", "risk"]
    assert second.items[-1].mark.text == "entry 11"  # type: ignore[union-attr]
    assert integrity.record_page(svc, "BJ-01", now, page=9).page == 2  # past the end: last


@pytest.mark.parametrize(
    ("days", "totals"),
    [
        (3, {"report": 0, "risk": 0, "rectification": 0, "entry": 4}),
        # The risk opened 70 days ago passed the 60-day threshold 10 days ago.
        (10, {"report": 0, "risk": 1, "rectification": 1, "entry": 11}),
        (None, {"report": 0, "risk": 1, "rectification": 1, "entry": 12}),
    ],
)
def test_the_window_counts_only_what_fell_in_it(
    svc: Services, days: int | None, totals: dict[str, int]
) -> None:
    _busy_record(svc)
    now = svc.clock.now()
    since = now - timedelta(days=days) if days is not None else None
    found = integrity.record_page(svc, "BJ-01", now, since, days=days)
    assert found.totals == totals and found.days == days
    assert all(i.at >= since for i in found.items) if since else found.pages == 2
