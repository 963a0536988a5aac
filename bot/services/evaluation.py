"""Professional evaluation: evaluators score projects in evaluation; an admin closes the round.

Scores stay private until the round closes: admins see every set, an evaluator their own.
Every function runs inside the caller's transaction; results carry the audit detail
(`audit`), refusals are `Refused` subclasses. Who is an evaluator is set in the people
service (bot.services.people.set_evaluator).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.i18n import N_
from bot.render.project import stage_name
from bot.render.text import esc
from bot.services import panels
from bot.services.people import display_name
from bot.services.projects import find
from bot.services.refused import Refused, TooLong
from storage import evaluations
from storage.evaluations import Result, ScoreSet
from storage.people import Person
from storage.projects import Project

if TYPE_CHECKING:
    from bot.services import Services

COMMENT_LIMIT = 1000
Scores = tuple[int, int, int, int]


class NotEvaluator(Refused):
    """Scoring without being in the evaluation group."""

    message = N_("Only members of the evaluation group may score projects.")


class EvaluationClosed(Refused):
    """Scoring or closing a round already closed."""

    message = N_("The evaluation of {code} is closed.")


class NotInEvaluation(Refused):
    """Scoring a project that is not in professional evaluation."""

    message = N_("{code} is not in professional evaluation (it is {stage}).")


class NobodyScored(Refused):
    """Closing a round with no scores."""

    message = N_("Nobody has scored {code} yet.")


class ScoresPrivate(Refused):
    """Asking for scores of an open round one has not taken part in."""

    message = N_("Scores stay private until the round closes.")


@dataclass(frozen=True)
class Scored:
    """An evaluator's scores recorded (`replaced`: they had scored before)."""

    project: Project
    replaced: bool
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class View:
    """What one person may see of a round: named score sets and the result once closed."""

    project: Project
    sets: list[tuple[str, ScoreSet]]
    result: Result | None
    panel: panels.Completion | None = None


@dataclass(frozen=True)
class Closed:
    """A round frozen with its result."""

    project: Project
    result: Result
    audit: dict[str, Any] = field(default_factory=dict)


def score(
    svc: Services, code: str, scores: Scores, comment: str, by_user: int, now: datetime
) -> Scored:
    """Record (or replace) an evaluator's scores, 1 to 5 on each dimension."""
    project = find(svc, code)
    on_panel = panels.check_may_score(svc, project, by_user, comment)
    if not on_panel and not evaluations.is_evaluator(svc.db, by_user):
        raise NotEvaluator()
    if evaluations.get_result(svc.db, project.code) is not None:
        raise EvaluationClosed(code=esc(project.code))
    if project.stage != "evaluation":
        raise NotInEvaluation(
            code=esc(project.code), stage=lambda tr: stage_name(tr, project.stage)
        )
    if len(comment) > COMMENT_LIMIT:
        raise TooLong(COMMENT_LIMIT)
    replaced = evaluations.put_scores(svc.db, project.code, by_user, scores, comment, now)
    return Scored(project, replaced, {"project": project.code, "replaced": replaced})


def view(svc: Services, code: str, viewer: Person) -> View:
    """The round as the viewer may see it: all of it for an admin, else their own scores;
    once closed, everyone sees the result."""
    project = find(svc, code)
    result = evaluations.get_result(svc.db, project.code)
    sets = evaluations.all_scores(svc.db, project.code)
    if viewer.role != "admin":
        sets = [s for s in sets if s.evaluator_id == viewer.user_id]
        if not sets and result is None:
            raise ScoresPrivate()
    named = [(display_name(svc, s.evaluator_id), s) for s in sets]
    shown = panels.completion(svc, project.code) if viewer.role == "admin" else None
    return View(project, named, result, shown if shown and shown.size else None)


def close(svc: Services, code: str, by_user: int, now: datetime) -> Closed:
    """Freeze a project's round and record the result."""
    project = find(svc, code)
    if evaluations.get_result(svc.db, project.code) is not None:
        raise EvaluationClosed(code=esc(project.code))
    result = evaluations.close_round(svc.db, project.code, now, by_user)
    if result is None:
        raise NobodyScored(code=esc(project.code))
    audit = {"project": project.code, "count": result.count, "means": list(result.means)}
    return Closed(project, result, audit)
