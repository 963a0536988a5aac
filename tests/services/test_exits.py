"""The exit mechanism at the seam: the way out, the assessment, the disclosure, the follow-up."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.services import Services, exits
from bot.services import projects as service
from bot.services.projects import ProjectFields, StageNotAllowed
from bot.services.refused import Refused
from storage import chats, outbox, people, project_stages, schedule

ADMIN = 7_000_000_001
GROUP = -1001


def _world(svc: Services) -> None:
    now = svc.clock.now()
    people.touch_person(svc.db, ADMIN, "ada", "Ada", None, "en", now)
    people.set_role(svc.db, ADMIN, "admin", None, now)
    chats.touch_chat(svc.db, GROUP, "supergroup", "Pilot group", now)
    chats.subscribe(svc.db, GROUP, ["disclosures"], now)
    service.register(
        svc, "BJ-01", ProjectFields("Pilot", "tech", "Example Securities"), ADMIN, now
    )
    project_stages.set_stage(svc.db, "BJ-01", "running", "", now, ADMIN)


def _keys(svc: Services, prefix: str) -> list[str]:
    return [row.key for row in outbox.by_key_prefix(svc.db, prefix)]


def test_an_exit_records_the_way_discloses_it_and_plans_the_follow_up(
    svc: Services, clock: FixedClock
) -> None:
    _world(svc)
    now = svc.clock.now()
    moved = exits.exit_project(svc, "bj-01", "exited", "withdrawn", "申报机构主动申请", ADMIN, now)
    assert (moved.change.exit_way, moved.change.note) == ("withdrawn", "申报机构主动申请")
    assert moved.audit["exit_way"] == "withdrawn"
    (notice,) = outbox.by_key_prefix(svc.db, "disclose:stage:")
    assert notice.chat_id == GROUP
    job = schedule.find(svc.db, exits.FOLLOWUP, str(moved.change.id))
    assert job is not None and job.due_at == now + timedelta(days=90)
    clock.set(now + timedelta(days=90, minutes=1))
    svc.scheduler.fire_due()
    assert _keys(svc, "exit-followup:") == [f"exit-followup:{moved.change.id}:{ADMIN}"]
    text = exits.followup_text(
        service.find(svc, "BJ-01"), moved.change, svc.translator.get("zh"), svc
    )
    assert "退出后续跟踪：BJ-01" in text and "主动退出" in text and "申报机构主动申请" in text


def test_a_termination_is_for_cause(svc: Services) -> None:
    _world(svc)
    moved = exits.exit_project(
        svc, "BJ-01", "terminated", None, "重大风险", ADMIN, svc.clock.now()
    )
    assert moved.change.exit_way == "terminated"


@pytest.mark.parametrize(
    ("target", "way", "assessment", "refusal"),
    [
        ("exited", None, "done", exits.ExitWayRequired),
        ("exited", "completed", " ", exits.AssessmentRequired),
        ("terminated", "withdrawn", "x", exits.WrongWay),
        ("exited", "terminated", "x", exits.WrongWay),
    ],
)
def test_a_refused_exit_changes_nothing(
    svc: Services, target: str, way: str | None, assessment: str, refusal: type[Refused]
) -> None:
    _world(svc)
    with pytest.raises(refusal):
        exits.exit_project(svc, "BJ-01", target, way, assessment, ADMIN, svc.clock.now())
    assert service.find(svc, "BJ-01").stage == "running"
    assert schedule.pending_with_prefix(svc.db, exits.FOLLOWUP, "") == []


def test_no_exit_out_of_a_final_stage(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    exits.exit_project(svc, "BJ-01", "exited", "completed", "目标达成", ADMIN, now)
    with pytest.raises(StageNotAllowed):
        exits.exit_project(svc, "BJ-01", "terminated", None, "x", ADMIN, now)


@pytest.mark.parametrize(
    ("target", "way", "asked"),
    [
        ("exited", None, ("exited", None)),  # the way out is asked (buttons), then the rest
        ("exited", "withdrawn", ("exited", "withdrawn")),  # only the assessment is asked
        ("terminated", None, ("terminated", "terminated")),  # termination is for cause
    ],
)
def test_an_exit_without_its_assessment_asks_and_changes_nothing(
    svc: Services, target: str, way: str | None, asked: tuple[str, str | None]
) -> None:
    _world(svc)
    before = list(svc.db.query("SELECT * FROM stage_changes"))
    outcome = exits.exit_or_ask(svc, "bj-01", target, way, "  ", ADMIN, svc.clock.now())
    assert isinstance(outcome, exits.ExitAsk)
    assert (outcome.project.code, outcome.target, outcome.way) == ("BJ-01", *asked)
    assert list(svc.db.query("SELECT * FROM stage_changes")) == before
    assert outbox.by_key_prefix(svc.db, "disclose:") == []


def test_asking_is_refused_when_the_project_cannot_leave(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    exits.exit_project(svc, "BJ-01", "exited", "completed", "目标达成", ADMIN, now)
    with pytest.raises(StageNotAllowed):
        exits.exit_or_ask(svc, "BJ-01", "exited", None, "", ADMIN, now)
    with pytest.raises(exits.WrongWay):
        _world_two(svc)
        exits.ask(svc, "BJ-02", "terminated", "completed")


def test_the_answers_of_the_follow_up_exit_as_the_one_line_form(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    asked = exits.ask(svc, "BJ-01", exits.stage_of_way("terminated"), "terminated")
    moved = exits.exit_or_ask(svc, "BJ-01", asked.target, asked.way, "重大风险", ADMIN, now)
    assert not isinstance(moved, exits.ExitAsk)
    assert (moved.change.to_stage, moved.change.exit_way) == ("terminated", "terminated")
    assert schedule.find(svc.db, exits.FOLLOWUP, str(moved.change.id)) is not None
    assert len(outbox.by_key_prefix(svc.db, "disclose:stage:")) == 1


def _world_two(svc: Services) -> None:
    now = svc.clock.now()
    service.register(svc, "BJ-02", ProjectFields("Two", "tech", "Example Securities"), ADMIN, now)
    project_stages.set_stage(svc.db, "BJ-02", "running", "", now, ADMIN)
