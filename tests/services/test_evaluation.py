"""Evaluation at the seam: who scores what, privacy until the round closes, the result."""

from __future__ import annotations

import pytest

from bot.services import Services
from bot.services import evaluation as service
from bot.services.people import set_evaluator
from bot.services.refused import TooLong
from storage import evaluations, people, project_stages, projects
from storage.people import Person

ADMIN, EVA, EVB, OUTSIDER = 7_000_000_001, 7_000_000_002, 7_000_000_003, 7_000_000_004


def _world(svc: Services) -> None:
    now = svc.clock.now()
    for user_id, name, role in (
        (ADMIN, "Ada", "admin"),
        (EVA, "Eva", "member"),
        (EVB, "Bo", "member"),
        (OUTSIDER, "Otto", "member"),
    ):
        people.touch_person(svc.db, user_id, name.lower(), name, None, "en", now)
        people.set_role(svc.db, user_id, role, None, now)  # type: ignore[arg-type]
    for code, stage in (("BJ-01", "evaluation"), ("BJ-02", "running")):
        projects.add_project(
            svc.db,
            code=code,
            name=f"Project {code}",
            category="tech",
            lead="Example Securities",
            batch="",
            region="",
            now=now,
            by_user=ADMIN,
        )
        project_stages.set_stage(svc.db, code, stage, "", now, ADMIN)
    set_evaluator(svc, EVA, True, now)
    set_evaluator(svc, EVB, True, now)


def _who(svc: Services, user_id: int) -> Person:
    person = people.get_person(svc.db, user_id)
    assert person is not None
    return person


def test_score_and_replace(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    first = service.score(svc, "bj-01", (4, 5, 3, 4), "clear safeguards", EVA, now)
    assert (first.replaced, first.audit) == (False, {"project": "BJ-01", "replaced": False})
    assert service.score(svc, "BJ-01", (3, 3, 3, 3), "", EVA, now).replaced
    scores = evaluations.get_scores(svc.db, "BJ-01", EVA)
    assert scores is not None and scores.scores == (3, 3, 3, 3)


@pytest.mark.parametrize(
    ("user_id", "code", "comment", "refusal"),
    [
        (OUTSIDER, "BJ-01", "", service.NotEvaluator),
        (EVA, "BJ-02", "", service.NotInEvaluation),
        (EVA, "BJ-01", "c" * 1001, TooLong),
    ],
)
def test_score_refusals(
    svc: Services, user_id: int, code: str, comment: str, refusal: type
) -> None:
    _world(svc)
    with pytest.raises(refusal):
        service.score(svc, code, (1, 2, 3, 4), comment, user_id, svc.clock.now())
    assert evaluations.all_scores(svc.db, code) == []


def test_not_in_evaluation_names_the_stage(svc: Services) -> None:
    _world(svc)
    with pytest.raises(service.NotInEvaluation) as refused:
        service.score(svc, "BJ-02", (1, 2, 3, 4), "", EVA, svc.clock.now())
    assert refused.value.text(svc.translator.get("en")) == (
        "BJ-02 is not in professional evaluation (it is running under supervision)."
    )


@pytest.mark.parametrize(
    ("viewer", "names"),
    [(ADMIN, ["Eva", "Bo"]), (EVA, ["Eva"]), (EVB, ["Bo"])],
)
def test_an_open_round_shows_each_viewer_what_is_theirs(
    svc: Services, viewer: int, names: list[str]
) -> None:
    _world(svc)
    now = svc.clock.now()
    service.score(svc, "BJ-01", (4, 4, 4, 4), "", EVA, now)
    service.score(svc, "BJ-01", (2, 2, 2, 2), "", EVB, now)
    shown = service.view(svc, "BJ-01", _who(svc, viewer))
    assert [name for name, _ in shown.sets] == names
    assert shown.result is None


def test_an_open_round_is_private_to_others(svc: Services) -> None:
    _world(svc)
    service.score(svc, "BJ-01", (4, 4, 4, 4), "", EVA, svc.clock.now())
    with pytest.raises(service.ScoresPrivate):
        service.view(svc, "BJ-01", _who(svc, OUTSIDER))


def test_closing_freezes_the_round_and_shows_the_result(svc: Services) -> None:
    _world(svc)
    now = svc.clock.now()
    with pytest.raises(service.NobodyScored):
        service.close(svc, "BJ-01", ADMIN, now)
    service.score(svc, "BJ-01", (4, 4, 4, 4), "", EVA, now)
    service.score(svc, "BJ-01", (2, 2, 2, 2), "", EVB, now)
    closed = service.close(svc, "BJ-01", ADMIN, now)
    assert (closed.result.count, closed.result.overall) == (2, 3.0)
    assert closed.audit == {"project": "BJ-01", "count": 2, "means": [3.0, 3.0, 3.0, 3.0]}
    with pytest.raises(service.EvaluationClosed):
        service.close(svc, "BJ-01", ADMIN, now)
    with pytest.raises(service.EvaluationClosed):
        service.score(svc, "BJ-01", (5, 5, 5, 5), "", EVA, now)
    shown = service.view(svc, "BJ-01", _who(svc, OUTSIDER))
    assert shown.sets == [] and shown.result is not None
