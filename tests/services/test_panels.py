"""Evaluation panels at the seam: naming, conflicts (回避), who may score, completion."""

from __future__ import annotations

import pytest

from bot.i18n import Translator
from bot.services import Services, evaluation
from bot.services import panels as service
from bot.services.evaluation import NotEvaluator
from bot.services.people import set_evaluator
from storage import panels, people, project_follows, project_stages, projects

ADMIN, EVA, EVB, LEADER, FOLLOWER, OUTSIDER = (
    7_000_000_001,
    7_000_000_002,
    7_000_000_003,
    7_000_000_004,
    7_000_000_005,
    7_000_000_006,
)


def _world(svc: Services) -> None:
    now = svc.clock.now()
    people.add_unit(svc.db, "EXS", "Example Securities", now)
    people.add_unit(svc.db, "CSDC", "Depository", now)
    people.add_unit(svc.db, "BJFB", "Beijing Bureau", now)
    for user_id, name, role, unit in (
        (ADMIN, "Ada", "admin", None),
        (EVA, "Eva", "member", "BJFB"),
        (EVB, "Bo", "member", None),
        (LEADER, "Lee", "staff", "EXS"),
        (FOLLOWER, "Fay", "staff", "CSDC"),
        (OUTSIDER, "Otto", "member", None),
    ):
        people.touch_person(svc.db, user_id, name.lower(), name, None, "en", now)
        people.set_role(svc.db, user_id, role, unit, now)  # type: ignore[arg-type]
    projects.add_project(
        svc.db,
        code="BJ-01",
        name="Project",
        category="tech",
        lead="example securities",
        batch="",
        region="",
        now=now,
        by_user=ADMIN,
    )
    project_stages.set_stage(svc.db, "BJ-01", "evaluation", "", now, ADMIN)
    project_follows.follow(svc.db, "BJ-01", "CSDC", now)
    set_evaluator(svc, OUTSIDER, True, now)


@pytest.mark.parametrize(
    ("user_id", "expected"),
    [
        (LEADER, "Lee (Example Securities leads the project)"),
        (FOLLOWER, "Fay (Depository follows the project)"),
    ],
)
def test_a_conflicted_evaluator_is_refused_naming_the_conflict(
    svc: Services, user_id: int, expected: str
) -> None:
    _world(svc)
    with pytest.raises(service.Conflicted) as refused:
        service.name_panel(svc, "BJ-01", [EVA, user_id], ADMIN, svc.clock.now())
    assert expected in refused.value.text(Translator().get("en"))
    assert "回避" in refused.value.text(Translator().get("zh"))
    assert panels.get_panel(svc.db, "BJ-01") is None


def test_only_panel_members_score_and_completion_names_the_missing(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    named = service.name_panel(svc, "bj-01", [EVA, EVB, EVA], ADMIN, now)
    assert named.names == ["Eva", "Bo"]
    assert named.audit == {"project": "BJ-01", "members": [EVA, EVB]}
    # In the evaluation group but not on the panel: refused.
    with pytest.raises(service.NotOnPanel):
        evaluation.score(svc, "BJ-01", (4, 4, 4, 4), "", OUTSIDER, now)
    # On the panel without being in the evaluation group: may score.
    evaluation.score(svc, "BJ-01", (4, 4, 4, 4), "", EVA, now)
    done = service.completion(svc, "BJ-01")
    assert (done.scored, done.missing, done.size) == (["Eva"], ["Bo"], 2)
    admin = people.get_person(svc.db, ADMIN)
    assert admin is not None
    shown = evaluation.view(svc, "BJ-01", admin)
    assert shown.panel is not None and shown.panel.missing == ["Bo"]


def test_a_required_opinion_makes_the_comment_mandatory(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    first = service.set_opinion(svc, "BJ-01", True, ADMIN, now)
    assert first.changed and not service.set_opinion(svc, "BJ-01", True, ADMIN, now).changed
    with pytest.raises(service.OpinionRequired):
        evaluation.score(svc, "BJ-01", (3, 3, 3, 3), "  ", OUTSIDER, now)
    evaluation.score(svc, "BJ-01", (3, 3, 3, 3), "sound controls", OUTSIDER, now)
    # No members named: the evaluation group rule still holds.
    with pytest.raises(NotEvaluator):
        evaluation.score(svc, "BJ-01", (3, 3, 3, 3), "opinion", EVB, now)


def test_unknown_person_is_refused(svc: Services) -> None:
    _world(svc)
    with pytest.raises(service.UnknownPerson):
        service.name_panel(svc, "BJ-01", [9_999_999_999], ADMIN, svc.clock.now())
