"""The project record at the seam: field edits with their history, and supervision tiers."""

from __future__ import annotations

import pytest

from bot.domain.rounds import Scope
from bot.services import Services, rounds
from bot.services import project_record as record
from bot.services import projects as service
from bot.services.projects import ProjectFields, ProjectNotFound
from bot.services.refused import Refused, TooLong
from storage import people, project_stages, projects

ADMIN = 7_000_000_001


def _world(svc: Services) -> None:
    now = svc.clock.now()
    people.touch_person(svc.db, ADMIN, "ada", "Ada", None, "en", now)
    people.set_role(svc.db, ADMIN, "admin", None, now)
    people.add_unit(svc.db, "TECH", "Technology Supervision Bureau", now)
    for code, category in (("BJ-01", "tech"), ("BJ-02", "public"), ("BJ-03", "tech")):
        service.register(svc, code, ProjectFields(f"Project {code}", category, "Lead"), ADMIN, now)
        project_stages.set_stage(svc.db, code, "running", "", now, ADMIN)
        service.follow(svc, code, "TECH", now)


@pytest.mark.parametrize(
    ("what", "value", "stored"),
    [
        ("name", "Supply-chain platform", "Supply-chain platform"),
        ("category", "科技赋能", "enablement"),
        ("lead", "示例证券股份有限公司", "示例证券股份有限公司"),
        ("batch", "第二批", "第二批"),
        ("region", "北京", "北京"),
    ],
)
def test_an_edit_keeps_the_old_value(svc: Services, what: str, value: str, stored: str) -> None:
    _world(svc)
    before = service.find(svc, "BJ-01")
    done = record.edit(svc, "bj-01", what, value, ADMIN, svc.clock.now())
    assert getattr(done.project, what) == stored
    assert done.change.old_value == str(getattr(before, what))
    assert done.audit["old"] == str(getattr(before, what))
    shown = record.history(svc, "BJ-01").changes
    assert [(c.field, c.old_value, c.new_value) for c in shown] == [
        (what, str(getattr(before, what)), stored)
    ]


@pytest.mark.parametrize(
    ("what", "value", "refusal"),
    [
        ("category", "nonsense", record.UnknownCategory),
        ("name", "", record.EmptyValue),
        ("lead", "  ", record.EmptyValue),
        ("name", "Project BJ-01", record.Unchanged),
        ("region", "r" * 201, TooLong),
    ],
)
def test_a_refused_edit_changes_nothing(
    svc: Services, what: str, value: str, refusal: type[Refused]
) -> None:
    _world(svc)
    with pytest.raises(refusal):
        record.edit(svc, "BJ-01", what, value, ADMIN, svc.clock.now())
    assert record.history(svc, "BJ-01").changes == []
    assert service.find(svc, "BJ-01").name == "Project BJ-01"


def test_an_unknown_project_is_refused(svc: Services) -> None:
    _world(svc)
    with pytest.raises(ProjectNotFound):
        record.edit(svc, "NOPE-1", "name", "x", ADMIN, svc.clock.now())


def test_a_tier_needs_a_reason_and_is_kept_in_the_history(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    with pytest.raises(record.ReasonRequired):
        record.set_tier(svc, "BJ-01", "key", " ", ADMIN, now)
    done = record.set_tier(svc, "BJ-01", "key", "评估发现风险敞口较大", ADMIN, now)
    assert done.project.tier == "key"
    assert done.audit == {
        "project": "BJ-01",
        "tier": "key",
        "previous": "",
        "reason": "评估发现风险敞口较大",
    }
    with pytest.raises(record.Unchanged):
        record.set_tier(svc, "BJ-01", "key", "again", ADMIN, now)
    record.set_tier(svc, "BJ-01", "watch", "整改完成", ADMIN, now)
    shown = record.history(svc, "BJ-01").changes
    assert [(c.old_value, c.new_value, c.reason) for c in shown] == [
        ("", "key", "评估发现风险敞口较大"),
        ("key", "watch", "整改完成"),
    ]


def test_a_round_scoped_by_tier_asks_only_that_tier(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    assert rounds.in_scope(svc, Scope(tiers=("key",))) == []
    record.set_tier(svc, "BJ-02", "key", "重点监管", ADMIN, now)
    record.set_tier(svc, "BJ-03", "regular", "常规监管", ADMIN, now)
    assert [p.code for p in rounds.in_scope(svc, Scope(tiers=("key",)))] == ["BJ-02"]
    both = Scope(categories=("tech",), tiers=("key",))
    assert [p.code for p in rounds.in_scope(svc, both)] == ["BJ-01", "BJ-02", "BJ-03"]


def test_tier_order_puts_focus_first() -> None:
    made = [
        projects.Project(c, c, "tech", "L", "", "", "running", None, t)  # type: ignore[arg-type]
        for c, t in (("A", ""), ("B", "watch"), ("C", "key"), ("D", "regular"))
    ]
    assert [p.code for p in sorted(made, key=record.tier_order)] == ["C", "D", "B", "A"]
