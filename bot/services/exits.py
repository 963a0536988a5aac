"""The exit mechanism (退出机制): how a project leaves the pilot, its exit assessment, and a
follow-up reminder to the admins some time after.

A move to exited needs the way out (completed 完成退出 or withdrawn 主动退出); a move to
terminated is terminated for cause (终止). Both need an exit assessment. The move itself,
and its disclosure (which says how the project left), is bot.services.projects.move_stage;
this module adds the checks and plans the follow-up (a `exit_followup` schedule row whose
ref is the stage change's number), and holds its firer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.i18n import N_, Tr
from bot.render.dates import show_date
from bot.render.project import exit_way_name, one_line, stage_name
from bot.render.text import esc
from bot.services import notify
from bot.services.projects import NOTE_LIMIT, StageMoved, check_move, find, move_stage
from bot.services.refused import Refused, TooLong
from storage import project_stages, projects
from storage.schedule import Job, JobState

if TYPE_CHECKING:
    from bot.services import Services

FOLLOWUP = "exit_followup"
WAYS = {"exited": ("completed", "withdrawn"), "terminated": ("terminated",)}
EXIT_WAYS = ("completed", "withdrawn", "terminated")  # the order the buttons offer them


def stage_of_way(way: str) -> str:
    """The stage a way out leads to: terminated for cause is termination, else exited."""
    return "terminated" if way == "terminated" else "exited"


@dataclass(frozen=True)
class ExitAsk:
    """An exit still missing the way out (`way` None: ask it, with buttons) or the exit
    assessment (ask it as free text); nothing was changed."""

    project: projects.Project
    target: str
    way: str | None


class ExitWayRequired(Refused):
    """An exit without the way out."""

    message = N_(
        "Say how {code} leaves: completed (完成退出) or withdrawn (主动退出), then the exit "
        "assessment, e.g. /stage {code} exited | completed | targets met, report filed."
    )


class AssessmentRequired(Refused):
    """An exit or termination without the exit assessment."""

    message = N_(
        "Add the exit assessment after a bar, e.g. /stage {code} {stage} | {way} | "
        "targets met, report filed."
    )


class WrongWay(Refused):
    """A way out that does not fit the stage (withdrawn into terminated, say)."""

    message = N_("To be {stage}, a project leaves as {ways}; not {way}.")


def exit_project(
    svc: Services,
    code: str,
    target: str,
    way: str | None,
    assessment: str,
    by_user: int,
    now: datetime,
    origin_chat_id: int | None = None,
) -> StageMoved:
    """Move a project out of the pilot with the way out and the exit assessment; disclose it
    and plan the admins' follow-up reminder."""
    project = find(svc, code)
    if target not in projects.next_stages(project.stage):
        return move_stage(svc, project.code, target, "", by_user, now)  # refuses, naming why
    ways = WAYS[target]
    if way is None and len(ways) == 1:
        way = ways[0]
    if way is None:
        raise ExitWayRequired(code=esc(project.code))
    if way not in ways:
        raise WrongWay(
            stage=lambda tr: stage_name(tr, target),
            ways=lambda tr: tr.join(exit_way_name(tr, w) for w in ways),
            way=lambda tr: exit_way_name(tr, way or ""),
        )
    assessment = assessment.strip()
    if not assessment:
        raise AssessmentRequired(
            code=esc(project.code),
            stage=lambda tr: stage_name(tr, target),
            way=lambda tr: exit_way_name(tr, way or ""),
        )
    if len(assessment) > NOTE_LIMIT:
        raise TooLong(NOTE_LIMIT)
    moved = move_stage(
        svc, project.code, target, assessment, by_user, now, origin_chat_id, exit_way=way
    )
    due = now + timedelta(days=svc.config.exit_followup_days)
    svc.scheduler.put(FOLLOWUP, followup_ref(moved.change.id), due)
    moved.audit["followup_at"] = due.isoformat()
    return moved


def exit_or_ask(
    svc: Services,
    code: str,
    target: str,
    way: str | None,
    assessment: str,
    by_user: int,
    now: datetime,
    origin_chat_id: int | None = None,
) -> StageMoved | ExitAsk:
    """Exit as exit_project does when the way out and the assessment are both given;
    when neither is, or only the way, what is still to be asked (the move is checked first,
    so a project that cannot leave now is refused before anything is asked)."""
    if not assessment.strip():
        if way is None and len(WAYS.get(target, ())) == 1:
            way = WAYS[target][0]
        return ask(svc, code, target, way)
    return exit_project(svc, code, target, way, assessment, by_user, now, origin_chat_id)


def ask(svc: Services, code: str, target: str, way: str | None) -> ExitAsk:
    """What is still to be asked of an exit to `target` (the way out, or only the
    assessment); refused when the project cannot move there now."""
    project = check_move(svc, code, target)
    if way is not None and way not in WAYS[target]:
        raise WrongWay(
            stage=lambda tr: stage_name(tr, target),
            ways=lambda tr: tr.join(exit_way_name(tr, w) for w in WAYS[target]),
            way=lambda tr: exit_way_name(tr, way),
        )
    return ExitAsk(project, target, way)


def followup_ref(change_id: int) -> str:
    """The schedule ref of an exit's follow-up: the stage change's number."""
    return str(change_id)


def followup_text(
    project: projects.Project, change: project_stages.StageChange, tr: Tr, svc: Services
) -> str:
    """The admins' reminder to follow up on a project that left the pilot."""
    day = show_date(change.at.astimezone(svc.config.tz).date(), tr)
    return "\n".join(
        [
            tr(
                "<b>Exit follow-up: {code}</b> — {name}",
                code=esc(project.code),
                name=esc(one_line(project.name, 120)),
            ),
            tr(
                "It left the pilot on {day} ({way}); check the exit is complete: investors "
                "and data handed over, the exit report filed.",
                day=day,
                way=exit_way_name(tr, change.exit_way),
            ),
            tr("Exit assessment: {text}", text=esc(one_line(change.note, 300))),
        ]
    )


def fire_followup(svc: Services, job: Job, now: datetime) -> tuple[JobState, str | None]:
    """Remind the admins, privately, to follow up on a project that left the pilot."""
    change = project_stages.get_change(svc.db, int(job.ref)) if job.ref.isdigit() else None
    project = projects.get_project(svc.db, change.project_code) if change else None
    if change is None or project is None:
        return "cancelled", "no such exit"
    notify.notify(
        svc,
        notify.admins(svc),
        f"exit-followup:{job.ref}",
        "reminder",
        lambda tr: followup_text(project, change, tr, svc),
        now,
    )
    return "done", project.code


FIRERS = {FOLLOWUP: fire_followup}
