"""Plan-change review at the seam: who may file, the notices, decisions and their refusals."""

from __future__ import annotations

import pytest

from bot.services import Services, changes
from bot.services import projects as service
from bot.services.projects import ProjectFields
from storage import chats, outbox, people, project_stages

ADMIN, STAFF, OTHER = 7_000_000_001, 7_000_000_002, 7_000_000_003
GROUP = -1001


def _world(svc: Services) -> None:
    now = svc.clock.now()
    people.add_unit(svc.db, "TECH", "Technology Supervision Bureau", now)
    people.add_unit(svc.db, "BJ", "Beijing Bureau", now)
    for user, role, unit in (
        (ADMIN, "admin", None),
        (STAFF, "staff", "TECH"),
        (OTHER, "staff", "BJ"),
    ):
        people.touch_person(svc.db, user, None, f"u{user % 10}", None, "en", now)
        people.set_role(svc.db, user, role, unit, now)  # type: ignore[arg-type]
    chats.touch_chat(svc.db, GROUP, "supergroup", "Pilot group", now)
    chats.subscribe(svc.db, GROUP, ["disclosures"], now)
    service.register(svc, "BJ-01", ProjectFields("Pilot", "tech", "Lead"), ADMIN, now)
    project_stages.set_stage(svc.db, "BJ-01", "running", "", now, ADMIN)
    service.follow(svc, "BJ-01", "TECH", now)


def _person(svc: Services, user: int) -> people.Person:
    found = people.get_person(svc.db, user)
    assert found is not None
    return found


def _keys(svc: Services, prefix: str) -> list[str]:
    return [row.key for row in outbox.by_key_prefix(svc.db, prefix)]


def test_file_then_approve(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    filed = changes.file(svc, "bj-01", "上线时间调整", "接口重测", _person(svc, STAFF), now)
    assert filed.change.state == "pending" and filed.change.by_unit == "TECH"
    assert _keys(svc, "change-request:") == [f"change-request:1:{ADMIN}"]
    done = changes.decide(svc, 1, True, "", ADMIN, now)
    assert done.change.state == "approved" and done.audit["state"] == "approved"
    assert _keys(svc, "change-decided:") == [f"change-decided:1:{STAFF}"]
    assert _keys(svc, "disclose:change:") == [f"disclose:change:1:{GROUP}"]
    assert [c.id for c in service.card(svc, "BJ-01").changes] == [1]
    with pytest.raises(changes.AlreadyDecided):
        changes.decide(svc, 1, False, "late", ADMIN, now)


def test_reject_needs_a_reason_and_is_not_disclosed(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    changes.file(svc, "BJ-01", "a", "b", _person(svc, STAFF), now)
    with pytest.raises(changes.ReasonNeeded):
        changes.decide(svc, 1, False, " ", ADMIN, now)
    done = changes.decide(svc, 1, False, "材料不全", ADMIN, now)
    assert (done.change.state, done.change.reason) == ("rejected", "材料不全")
    assert _keys(svc, "disclose:change:") == []
    assert service.card(svc, "BJ-01").changes == []
    assert [c.state for c in changes.listing(svc, "BJ-01")] == ["rejected"]


@pytest.mark.parametrize(
    ("user", "stage", "refusal"),
    [
        (OTHER, "running", changes.NotFollowingProject),
        (STAFF, "exited", changes.ProjectLeft),
    ],
)
def test_refused_requests_store_nothing(
    svc: Services, user: int, stage: str, refusal: type[Exception]
) -> None:
    _world(svc)
    now = svc.clock.now()
    if stage != "running":
        project_stages.set_stage(svc.db, "BJ-01", stage, "", now, ADMIN)
    with pytest.raises(refusal):
        changes.file(svc, "BJ-01", "a", "b", _person(svc, user), now)
    assert changes.listing(svc, None) == []
    with pytest.raises(changes.NoSuchChange):
        changes.decide(svc, 1, True, "", ADMIN, now)


@pytest.mark.parametrize("words", ["上线时间", "重测", "BJ-01 调整"])
def test_a_plan_change_is_found_by_search(svc: Services, words: str) -> None:
    from bot.services import search

    _world(svc)
    now = svc.clock.now()
    changes.file(svc, "BJ-01", "上线时间调整", "接口重测", _person(svc, STAFF), now)
    found = search.search(svc, words, _person(svc, OTHER))
    assert [(hit.kind, hit.ref) for hit in found.hits if hit.kind == "change"] == [("change", "1")]
    people.set_role(svc.db, OTHER, "member", "BJ", now)  # members are not shown requests
    assert [
        h for h in search.search(svc, words, _person(svc, OTHER)).hits if h.kind == "change"
    ] == []
