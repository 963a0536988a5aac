"""Evaluation panels: who evaluates a project's round, conflicts of interest (回避), completion.

A panel names the evaluators of one project's round. Someone whose unit leads the project
(the unit's name or code equals the project's lead institution) or follows it has a
conflict of interest and cannot be named. Once a project has members on its panel, only
they may score it (see bot.services.evaluation.score, which asks `may_score`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.domain.normalize import token
from bot.i18n import N_, Tr
from bot.render.text import esc
from bot.services.people import display_name
from bot.services.projects import find
from bot.services.refused import Refused
from storage import evaluations, panels, people, project_follows
from storage.panels import Panel
from storage.projects import Project

if TYPE_CHECKING:
    from bot.services import Services


class Conflicted(Refused):
    """Naming an evaluator whose unit leads or follows the project."""

    message = N_("Conflict of interest, not named: {conflicts}. They must recuse themselves.")


class RoundClosed(Refused):
    """Naming a panel for a round already closed."""

    message = N_("The evaluation of {code} is closed.")


class NotOnPanel(Refused):
    """Scoring a project whose panel does not include the scorer."""

    message = N_("{code} has an evaluation panel and you are not on it.")


class OpinionRequired(Refused):
    """Scoring without a written opinion where the round requires one."""

    message = N_("This round requires a written opinion: add it as the last field.")


class UnknownPerson(Refused):
    """Naming someone the bot has never seen."""

    message = N_("Unknown person {who}: they must write to the bot first.")


@dataclass(frozen=True)
class Conflict:
    """Why one person may not evaluate a project: their unit leads or follows it."""

    user_id: int
    name: str
    unit: str
    leads: bool

    def text(self, tr: Tr) -> str:
        """The conflict in the reader's language."""
        if self.leads:
            return tr(
                "{name} ({unit} leads the project)", name=esc(self.name), unit=esc(self.unit)
            )
        return tr("{name} ({unit} follows the project)", name=esc(self.name), unit=esc(self.unit))


@dataclass(frozen=True)
class Named:
    """A panel named."""

    project: Project
    names: list[str]
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OpinionSet:
    """The opinion rule changed (or already was so)."""

    project: Project
    required: bool
    changed: bool
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Completion:
    """Who on a panel has scored and who has not."""

    project: Project
    scored: list[str]
    missing: list[str]
    opinion_required: bool

    @property
    def size(self) -> int:
        """How many are on the panel."""
        return len(self.scored) + len(self.missing)


def conflict_of(svc: Services, project: Project, user_id: int) -> Conflict | None:
    """The conflict of interest one person has with a project, or None."""
    person = people.get_person(svc.db, user_id)
    if person is None or not person.unit_code:
        return None
    unit = people.get_unit(svc.db, person.unit_code)
    lead = token(project.lead).casefold()
    label = unit.name if unit else person.unit_code
    if lead and unit and lead in (token(unit.name).casefold(), token(unit.code).casefold()):
        return Conflict(user_id, person.display_name, label, True)
    if project_follows.is_follower(svc.db, project.code, person.unit_code):
        return Conflict(user_id, person.display_name, label, False)
    return None


def name_panel(
    svc: Services, code: str, user_ids: list[int], by_user: int, now: datetime
) -> Named:
    """Name the evaluators of a project's round; refuse all if anyone has a conflict."""
    project = find(svc, code)
    if evaluations.get_result(svc.db, project.code) is not None:
        raise RoundClosed(code=esc(project.code))
    for user_id in user_ids:
        if people.get_person(svc.db, user_id) is None:
            raise UnknownPerson(who=user_id)
    conflicts = [c for c in (conflict_of(svc, project, u) for u in user_ids) if c]
    if conflicts:
        raise Conflicted(conflicts=lambda tr: tr.join(c.text(tr) for c in conflicts))
    unique = list(dict.fromkeys(user_ids))
    panels.set_members(svc.db, project.code, unique, now, by_user)
    names = [display_name(svc, u) for u in unique]
    return Named(project, names, {"project": project.code, "members": unique})


def set_opinion(
    svc: Services, code: str, required: bool, by_user: int, now: datetime
) -> OpinionSet:
    """Require (or stop requiring) a written opinion from each evaluator of a round."""
    project = find(svc, code)
    changed = panels.set_opinion_required(svc.db, project.code, required, now, by_user)
    audit = {"project": project.code, "opinion_required": required}
    return OpinionSet(project, required, changed, audit)


def panel_of(svc: Services, code: str) -> Panel | None:
    """A project's panel as stored (None when none was set)."""
    return panels.get_panel(svc.db, code)


def completion(svc: Services, code: str) -> Completion:
    """Who on a project's panel has scored, who is missing, and the opinion rule."""
    project = find(svc, code)
    panel = panels.get_panel(svc.db, project.code)
    members = panel.members if panel else ()
    done = {s.evaluator_id for s in evaluations.all_scores(svc.db, project.code)}
    scored = [display_name(svc, u) for u in members if u in done]
    missing = [display_name(svc, u) for u in members if u not in done]
    return Completion(project, scored, missing, bool(panel and panel.opinion_required))


def check_may_score(svc: Services, project: Project, user_id: int, comment: str) -> bool:
    """Whether the project has a panel naming this person (True) or none (False); refuse a
    scorer left off a panel and a missing opinion where one is required."""
    panel = panels.get_panel(svc.db, project.code)
    if panel is None:
        return False
    if panel.members and user_id not in panel.members:
        raise NotOnPanel(code=esc(project.code))
    if panel.opinion_required and not comment.strip():
        raise OpinionRequired()
    return bool(panel.members)
