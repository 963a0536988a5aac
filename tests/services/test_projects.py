"""Projects at the seam: registering, finding, lifecycle moves and their disclosure, follows."""

from __future__ import annotations

import pytest

from bot.services import Services
from bot.services import projects as service
from bot.services.people import UnknownUnit
from bot.services.projects import ProjectFields
from bot.services.refused import TooLong
from storage import chats, outbox, people, projects

ADMIN = 7_000_000_001
GROUP, OTHER_GROUP = -1001, -1002


def _world(svc: Services) -> None:
    now = svc.clock.now()
    people.touch_person(svc.db, ADMIN, "ada", "Ada", None, "en", now)
    people.set_role(svc.db, ADMIN, "admin", None, now)
    people.add_unit(svc.db, "TECH", "Technology Supervision Bureau", now)
    people.add_unit(svc.db, "BJ", "Beijing Bureau", now)
    for chat_id, title in ((GROUP, "Pilot group"), (OTHER_GROUP, "Working group")):
        chats.touch_chat(svc.db, chat_id, "supergroup", title, now)
        chats.subscribe(svc.db, chat_id, ["disclosures"], now)
    fields = ProjectFields("Supply-chain finance", "tech", "Example Securities")
    service.register(svc, "BJ-01", fields, ADMIN, now)


def _keys(svc: Services, prefix: str = "") -> list[str]:
    return [row.key for row in outbox.by_key_prefix(svc.db, prefix)]


def test_register(svc: Services) -> None:
    _world(svc)
    fields = ProjectFields("Pension service", "public", "Example Bank", "second batch", "Beijing")
    done = service.register(svc, "bj-02", fields, ADMIN, svc.clock.now())
    assert done.project.code == "BJ-02"
    assert done.project.stage == "solicitation"
    assert (done.project.batch, done.project.region) == ("second batch", "Beijing")
    assert done.audit == {"project": "BJ-02"}


def test_register_refuses_a_taken_code(svc: Services) -> None:
    _world(svc)
    with pytest.raises(service.ProjectExists) as refused:
        service.register(svc, "bj-01", ProjectFields("Again", "tech", "X"), ADMIN, svc.clock.now())
    assert refused.value.text(svc.translator.get("en")) == "Project BJ-01 already exists."


@pytest.mark.parametrize(
    "fields",
    [
        ProjectFields("n" * 201, "tech", "lead"),
        ProjectFields("name", "tech", "l" * 201),
        ProjectFields("name", "tech", "lead", batch="b" * 201),
        ProjectFields("name", "tech", "lead", region="r" * 201),
    ],
)
def test_register_refuses_long_fields_and_writes_nothing(
    svc: Services, fields: ProjectFields
) -> None:
    _world(svc)
    with pytest.raises(TooLong):
        service.register(svc, "BJ-09", fields, ADMIN, svc.clock.now())
    assert projects.get_project(svc.db, "BJ-09") is None


@pytest.mark.parametrize("typed", ["BJ-01", "bj-01", "ＢＪ－０１", "Bj-01"])
def test_find_reads_codes_as_typed(svc: Services, typed: str) -> None:
    _world(svc)
    assert service.find(svc, typed).code == "BJ-01"


@pytest.mark.parametrize("typed", ["BJ-99", "no such", "<b>", ""])
def test_find_refuses_unknown_codes_escaped(svc: Services, typed: str) -> None:
    _world(svc)
    with pytest.raises(service.ProjectNotFound) as refused:
        service.find(svc, typed)
    assert "<b>" not in refused.value.text(svc.translator.get("en"))


@pytest.mark.parametrize(
    ("moves", "target", "allowed"),
    [
        ([], "selection", True),
        ([], "running", True),  # stages may be skipped forward
        (["running"], "evaluation", False),  # never backwards
        (["exited"], "terminated", False),  # nothing after a final stage
        (["running"], "running", False),
    ],
)
def test_stages_only_advance(svc: Services, moves: list[str], target: str, allowed: bool) -> None:
    _world(svc)
    now = svc.clock.now()
    for stage in moves:
        service.move_stage(svc, "BJ-01", stage, "", ADMIN, now)
    if allowed:
        assert service.move_stage(svc, "BJ-01", target, "", ADMIN, now).change.to_stage == target
    else:
        with pytest.raises(service.StageNotAllowed):
            service.move_stage(svc, "BJ-01", target, "", ADMIN, now)


def test_stage_refusal_names_the_stages_in_the_readers_language(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    service.move_stage(svc, "BJ-01", "running", "", ADMIN, now)
    with pytest.raises(service.StageNotAllowed) as refused:
        service.move_stage(svc, "BJ-01", "selection", "", ADMIN, now)
    assert refused.value.text(svc.translator.get("en")) == (
        "BJ-01 is running under supervision; stages advance only in order, to: exited, terminated."
    )
    assert "退出、终止" in refused.value.text(svc.translator.get("zh"))


def test_a_long_note_is_refused(svc: Services) -> None:
    _world(svc)
    with pytest.raises(TooLong):
        service.move_stage(svc, "BJ-01", "selection", "x" * 1001, ADMIN, svc.clock.now())
    assert service.find(svc, "BJ-01").stage == "solicitation"


@pytest.mark.parametrize(("target", "disclosed"), [("running", False), ("exited", True)])
def test_exits_are_disclosed_to_subscribed_chats(
    svc: Services, target: str, disclosed: bool
) -> None:
    _world(svc)
    moved = service.move_stage(svc, "BJ-01", target, "done", ADMIN, svc.clock.now(), ADMIN)
    assert moved.notice_here is None  # asked privately: the groups get the notice
    expected = {f"disclose:stage:{moved.change.id}:{c}" for c in (GROUP, OTHER_GROUP)}
    assert set(_keys(svc, "disclose:")) == (expected if disclosed else set())
    assert moved.audit == {"project": "BJ-01", "stage": target, "previous": "solicitation"}


def test_a_move_typed_in_a_subscribed_group_is_one_message_there(svc: Services) -> None:
    _world(svc)
    moved = service.move_stage(svc, "BJ-01", "terminated", "", ADMIN, svc.clock.now(), GROUP)
    # No row to the group the command came from: its reply carries the disclosure.
    assert _keys(svc, "disclose:") == [f"disclose:stage:{moved.change.id}:{OTHER_GROUP}"]
    assert moved.notice_here is not None
    assert "Disclosure: project terminated" in moved.notice_here(svc.translator.get("en"))


def test_listing_filters_by_stage_or_category(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    service.register(svc, "BJ-02", ProjectFields("Pensions", "public", "Bank"), ADMIN, now)
    service.move_stage(svc, "BJ-02", "running", "", ADMIN, now)
    assert [p.code for p in service.listing(svc)] == ["BJ-01", "BJ-02"]
    assert [p.code for p in service.listing(svc, stage="running")] == ["BJ-02"]
    assert [p.code for p in service.listing(svc, category="tech")] == ["BJ-01"]


def test_follow_and_unfollow(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    assert service.follow(svc, "BJ-01", "tech", now).changed
    assert not service.follow(svc, "BJ-01", "TECH", now).changed
    assert service.follow(svc, "bj-01", "BJ", now).audit == {"project": "BJ-01", "unit": "BJ"}
    assert service.followers(svc, "BJ-01").units == ["BJ", "TECH"]
    service.unfollow(svc, "BJ-01", "BJ")
    assert service.card(svc, "BJ-01").followers == ["TECH"]
    with pytest.raises(service.NotFollowing) as refused:
        service.unfollow(svc, "BJ-01", "BJ")
    assert refused.value.text(svc.translator.get("en")) == (
        "Beijing Bureau (BJ) does not follow BJ-01."
    )
    with pytest.raises(UnknownUnit):
        service.follow(svc, "BJ-01", "NOPE", now)
