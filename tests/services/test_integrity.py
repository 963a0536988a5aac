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
from storage import people, progress, projects

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
        projects.set_stage(svc.db, code, "running", "", now, ADMIN)
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
