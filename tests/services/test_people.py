"""People and units at the seam: units, finding people, roles, evaluators, languages."""

from __future__ import annotations

import pytest

from bot.services import Services
from bot.services import people as service
from storage import chats, evaluations, people

ADMIN, SAM, MEI = 7_000_000_001, 7_000_000_002, 7_000_000_003


def _world(svc: Services) -> None:
    now = svc.clock.now()
    for user_id, username, name in (
        (ADMIN, "ada", "Ada"),
        (SAM, "sam", "Sam"),
        (MEI, None, "Mei"),
    ):
        people.touch_person(svc.db, user_id, username, name, None, "en", now)
    people.set_role(svc.db, ADMIN, "admin", None, now)
    service.add_unit(svc, "TECH", "Technology Supervision Bureau", now)
    service.add_unit(svc, "bj", "Beijing Bureau", now)


def test_units_with_their_people(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    service.set_role(svc, SAM, "staff", "tech", ADMIN, now)
    service.set_role(svc, MEI, "member", "TECH", ADMIN, now)
    assert [(u.code, n) for u, n in service.units(svc)] == [("BJ", 0), ("TECH", 2)]
    assert service.unit_names(svc) == {
        "BJ": "Beijing Bureau",
        "TECH": "Technology Supervision Bureau",
    }


@pytest.mark.parametrize("code", ["TECH", "tech", "Tech"])
def test_a_unit_code_is_taken_in_any_case(svc: Services, code: str) -> None:
    _world(svc)
    with pytest.raises(service.UnitExists) as refused:
        service.add_unit(svc, code, "Again", svc.clock.now())
    assert refused.value.text(svc.translator.get("zh")) == "单位TECH已存在。"


@pytest.mark.parametrize(
    ("who", "expected"),
    [(SAM, SAM), (9_876_543_210, 9_876_543_210), ("@sam", SAM), ("@SAM", SAM)],
)
def test_find_user(svc: Services, who: int | str, expected: int) -> None:
    _world(svc)
    assert service.find_user(svc, who) == expected


def test_an_unknown_username_is_refused_escaped(svc: Services) -> None:
    _world(svc)
    with pytest.raises(service.UnknownUsername) as refused:
        service.find_user(svc, "@<nobody>")
    assert "@&lt;nobody&gt;" in refused.value.text(svc.translator.get("en"))


@pytest.mark.parametrize(
    ("unit", "expected_unit"),
    [("bj", "BJ"), (None, "TECH")],  # no unit named: the one they had stays
)
def test_set_role(svc: Services, unit: str | None, expected_unit: str) -> None:
    _world(svc)
    now = svc.clock.now()
    service.set_role(svc, SAM, "staff", "TECH", ADMIN, now)
    done = service.set_role(svc, SAM, "member", unit, ADMIN, now)
    assert (done.name, done.role, done.unit_code) == ("Sam", "member", expected_unit)
    assert done.audit == {"target": SAM, "role": "member", "unit": expected_unit}
    person = people.get_person(svc.db, SAM)
    assert person is not None and person.unit_code == expected_unit


def test_set_role_refusals_change_nothing(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    with pytest.raises(service.UnknownUnit):
        service.set_role(svc, SAM, "staff", "NOPE", ADMIN, now)
    with pytest.raises(service.OwnAdminRole):
        service.set_role(svc, ADMIN, "member", None, ADMIN, now)
    assert [p.user_id for p in people.people_with_role(svc.db, "admin")] == [ADMIN]
    assert people.get_person(svc.db, SAM).role == "none"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("steps", "changed"),
    [
        ([True], [True]),
        ([True, True], [True, False]),
        ([False], [False]),
        ([True, False], [True, True]),
    ],
)
def test_set_evaluator(svc: Services, steps: list[bool], changed: list[bool]) -> None:
    _world(svc)
    results = [service.set_evaluator(svc, MEI, on, svc.clock.now()) for on in steps]
    assert [r.changed for r in results] == changed
    assert evaluations.is_evaluator(svc.db, MEI) == steps[-1]
    assert results[-1].name == "Mei"


def test_set_language(svc: Services) -> None:
    chats.touch_chat(svc.db, -1001, "supergroup", "Pilot group", svc.clock.now())
    service.set_language(svc, -1001, "zh")
    assert chats.get_chat(svc.db, -1001).language == "zh"  # type: ignore[union-attr]
