"""Pilot projects: registering, reading, lifecycle moves, and the units that follow them.

Exits and terminations are disclosed to the chats subscribed to disclosures. Every function
runs inside the caller's transaction; results carry the audit detail (`audit`) for the
handler to record, and refusals are `Refused` subclasses.

One message in the chat a command came from: `move_stage` takes `origin_chat_id`; when that
chat is itself subscribed, no notice row is queued to it (notify's `exclude`) and the result
carries the notice's render function (`notice_here`), so the handler's reply includes the
disclosure: the chat gets one message, not the reply and then the same notice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.domain.normalize import token
from bot.i18n import N_, Tr
from bot.render.project import disclosure_stage, stage_name
from bot.render.text import esc
from bot.render.units import unit_label
from bot.services import notify
from bot.services.people import find_unit, unit_names
from bot.services.refused import Refused, TooLong
from storage import (
    attachments,
    changes,
    evaluations,
    progress,
    progress_reads,
    project_follows,
    project_stages,
    projects,
)
from storage.changes import PlanChange
from storage.evaluations import Result
from storage.progress import Entry
from storage.project_stages import StageChange
from storage.projects import CODE, FINAL_STAGES, Project

if TYPE_CHECKING:
    from bot.services import Services

NAME_LIMIT = 200
NOTE_LIMIT = 1000

Notice = Callable[[Tr], str]


class ProjectNotFound(Refused):
    """A project code nobody registered."""

    message = N_("Unknown project {code}. See /projects.")


class ProjectExists(Refused):
    """A project code already taken."""

    message = N_("Project {code} already exists.")


class StageNotAllowed(Refused):
    """A move that is not forward along the lifecycle."""

    message = N_("{code} is {current}; stages advance only in order, to: {allowed}.")


class NotFollowing(Refused):
    """Unfollowing a project the unit does not follow."""

    message = N_("{unit} does not follow {code}.")


@dataclass(frozen=True)
class ProjectFields:
    """What describes a project besides its code (what registering, or an edit, sets)."""

    name: str
    category: str
    lead: str
    batch: str = ""
    region: str = ""

    def check(self) -> None:
        """Refuse a field over its limit."""
        if max(len(self.name), len(self.lead), len(self.batch), len(self.region)) > NAME_LIMIT:
            raise TooLong(NAME_LIMIT)


@dataclass(frozen=True)
class Registered:
    """A project just registered."""

    project: Project
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Card:
    """What a project's card shows."""

    project: Project
    followers: list[str]
    unit_names: dict[str, str]
    recent: list[Entry]
    open_risks: list[Entry]
    result: Result | None
    files: list[str] = field(default_factory=list)  # names of the files kept on its records
    changes: list[PlanChange] = field(default_factory=list)  # approved plan changes


@dataclass(frozen=True)
class StageMoved:
    """A move along the lifecycle; `notice_here` when the reply must carry the disclosure."""

    before: Project
    change: StageChange
    notice_here: Notice | None = None
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Followers:
    """A project and the units following it."""

    project: Project
    units: list[str]
    unit_names: dict[str, str]


@dataclass(frozen=True)
class FollowChanged:
    """A unit started or stopped following a project (`changed`: it was not so before)."""

    project: Project
    unit_code: str
    changed: bool
    unit_names: dict[str, str]
    audit: dict[str, Any] = field(default_factory=dict)


def find(svc: Services, code: str) -> Project:
    """A project by code (any case, full-width too), or ProjectNotFound."""
    code = token(code)
    project = projects.get_project(svc.db, code) if CODE.match(code) else None
    if project is None:
        raise ProjectNotFound(code=esc(code[:40]))
    return project


def register(
    svc: Services, code: str, fields: ProjectFields, by_user: int, now: datetime
) -> Registered:
    """Register a project in the solicitation stage (the caller checked code and category)."""
    fields.check()
    project = projects.add_project(
        svc.db,
        code=code,
        name=fields.name,
        category=fields.category,
        lead=fields.lead,
        batch=fields.batch,
        region=fields.region,
        now=now,
        by_user=by_user,
    )
    if project is None:
        raise ProjectExists(code=esc(code.upper()))
    return Registered(project, {"project": project.code})


def card(svc: Services, code: str) -> Card:
    """A project with its followers, latest entries, open risks and evaluation result."""
    project = find(svc, code)
    return Card(
        project,
        project_follows.followers(svc.db, project.code),
        unit_names(svc),
        progress.recent_entries(svc.db, project.code),
        progress_reads.open_risks(svc.db, project.code),
        evaluations.get_result(svc.db, project.code),
        [f.name or f.media for f in attachments.of_project(svc.db, project.code)],
        changes.approved(svc.db, project.code),
    )


def listing(svc: Services, stage: str | None = None, category: str | None = None) -> list[Project]:
    """Every project by code; with a stage or category, those in it."""
    every = projects.list_projects(svc.db)
    if stage is None and category is None:
        return every
    return [p for p in every if p.stage == stage or p.category == category]


def check_move(svc: Services, code: str, target: str) -> Project:
    """The project, if it may move to `target` now; refused naming the stages it may take."""
    project = find(svc, code)
    allowed = projects.next_stages(project.stage)
    if target not in allowed:
        raise StageNotAllowed(
            code=esc(project.code),
            current=lambda tr: stage_name(tr, project.stage),
            allowed=lambda tr: tr.join(stage_name(tr, s) for s in allowed) or tr("nothing"),
        )
    return project


def move_stage(
    svc: Services,
    code: str,
    target: str,
    note: str,
    by_user: int,
    now: datetime,
    origin_chat_id: int | None = None,
    exit_way: str = "",
) -> StageMoved:
    """Move a project forward; an exit or termination is disclosed at once, saying how the
    project left (`exit_way`, see bot.services.exits)."""
    project = check_move(svc, code, target)
    if len(note) > NOTE_LIMIT:
        raise TooLong(NOTE_LIMIT)
    change = project_stages.set_stage(svc.db, project.code, target, note, now, by_user, exit_way)
    audit = {"project": project.code, "stage": target, "previous": project.stage}
    if exit_way:
        audit["exit_way"] = exit_way
    if target not in FINAL_STAGES:
        return StageMoved(project, change, None, audit)
    tz = svc.config.tz

    def render(tr: Tr) -> str:
        return disclosure_stage(project, change, tr, tz)

    recipients = notify.subscribers(svc, "disclosures")
    here = notify.receives(svc, recipients, origin_chat_id)
    notify.notify(
        svc,
        recipients,
        stage_disclosure_key(change.id),
        "disclosure",
        render,
        now,
        exclude=origin_chat_id if here else None,
    )
    return StageMoved(project, change, render if here else None, audit)


def stage_disclosure_key(change_id: int) -> str:
    """The notice key of a stage change's disclosure."""
    return f"disclose:stage:{change_id}"


def followers(svc: Services, code: str) -> Followers:
    """The units following a project."""
    project = find(svc, code)
    return Followers(project, project_follows.followers(svc.db, project.code), unit_names(svc))


def follow(svc: Services, code: str, unit_code: str, now: datetime) -> FollowChanged:
    """Make a unit follow a project (its staff then log on it)."""
    project = find(svc, code)
    unit = find_unit(svc, unit_code)
    added = project_follows.follow(svc.db, project.code, unit.code, now)
    audit = {"project": project.code, "unit": unit.code}
    return FollowChanged(project, unit.code, added, unit_names(svc), audit)


def unfollow(svc: Services, code: str, unit_code: str) -> FollowChanged:
    """Stop a unit following a project."""
    project = find(svc, code)
    names = unit_names(svc)
    if not project_follows.unfollow(svc.db, project.code, unit_code):
        raise NotFollowing(
            unit=lambda tr: unit_label(tr, unit_code[:40], names), code=esc(project.code)
        )
    audit = {"project": project.code, "unit": unit_code.upper()}
    return FollowChanged(project, unit_code, True, names, audit)
