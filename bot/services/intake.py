"""Intake (项目征集): calls for projects, applications (申报) and their materials, decisions.

An admin opens a call with a deadline; staff file applications for their unit until then;
an admin accepts one (the project is registered through the projects service and moved to
selection, the applicant's unit following it) or rejects it with a reason, which goes back
to the applicant privately. At the deadline the admins are told how many applications came
in (a schedule row fired by `fire_close`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.i18n import N_, Tr
from bot.render.dates import show_datetime
from bot.render.text import esc
from bot.services import notify
from bot.services import projects as project_service
from bot.services.refused import Refused, TooLong
from storage import attachments, intake, project_follows
from storage.attachments import Attachment
from storage.intake import Application, CallForProjects
from storage.projects import Project
from storage.schedule import Job

if TYPE_CHECKING:
    from bot.services import Services
    from bot.telegram.scheduler import FireResult

CLOSE = "call-close"
MATERIALS = "application"  # the attachments kind of an application's materials (ref: its id)
TITLE_LIMIT = 200
FIELD_LIMIT = 200
SUMMARY_LIMIT = 2000
REASON_LIMIT = 1000


class CallNotFound(Refused):
    """A call number nobody opened."""

    message = N_("There is no call {n}. See /calls.")


class CallClosed(Refused):
    """Applying after the deadline."""

    message = N_("Call {n} closed at {deadline}; applications are no longer accepted.")


class DeadlinePassed(Refused):
    """Opening a call whose deadline is already past."""

    message = N_("That deadline is in the past.")


class ApplicationNotFound(Refused):
    """An application number nobody filed."""

    message = N_("There is no application {n}. See /applications.")


class AlreadyDecided(Refused):
    """Deciding an application twice."""

    message = N_("Application {n} was already decided.")


class NotYourApplication(Refused):
    """Adding materials to another unit's application."""

    message = N_("Application {n} is not your unit's.")


@dataclass(frozen=True)
class Opened:
    """A call opened."""

    call: CallForProjects
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Filed:
    """An application filed (its materials are kept by the handler, kind MATERIALS)."""

    application: Application
    call: CallForProjects
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Shown:
    """One application with its call and materials."""

    application: Application
    call: CallForProjects
    materials: list[Attachment]


@dataclass(frozen=True)
class Decided:
    """An application accepted (with the project made) or rejected."""

    application: Application
    project: Project | None
    audit: dict[str, Any] = field(default_factory=dict)


def _call(svc: Services, call_id: int) -> CallForProjects:
    found = intake.get_call(svc.db, call_id)
    if found is None:
        raise CallNotFound(n=call_id)
    return found


def _application(svc: Services, app_id: int) -> Application:
    found = intake.get_application(svc.db, app_id)
    if found is None:
        raise ApplicationNotFound(n=app_id)
    return found


def open_call(
    svc: Services, title: str, deadline: datetime, by_user: int, now: datetime
) -> Opened:
    """Open a call until its deadline; the admins hear the count when it closes."""
    if len(title) > TITLE_LIMIT:
        raise TooLong(TITLE_LIMIT)
    if deadline <= now:
        raise DeadlinePassed()
    call_id = intake.add_call(svc.db, title, deadline, now, by_user)
    svc.scheduler.put(CLOSE, str(call_id), deadline)
    opened = _call(svc, call_id)
    return Opened(opened, {"call": call_id, "deadline": deadline.isoformat()})


def calls(svc: Services) -> list[tuple[CallForProjects, int]]:
    """Every call, newest first, with its application count."""
    return intake.list_calls(svc.db)


def file_application(
    svc: Services,
    call_id: int,
    fields: tuple[str, str, str, str, str],
    unit_code: str | None,
    by_user: int,
    now: datetime,
) -> Filed:
    """File an application (name, category, lead, contact, summary) before the deadline."""
    found = _call(svc, call_id)
    if now >= found.deadline:
        tz = svc.config.tz
        raise CallClosed(n=call_id, deadline=lambda tr: show_datetime(found.deadline, tz, tr))
    if max(len(f) for f in fields[:4]) > FIELD_LIMIT:
        raise TooLong(FIELD_LIMIT)
    if len(fields[4]) > SUMMARY_LIMIT:
        raise TooLong(SUMMARY_LIMIT)
    app_id = intake.add_application(svc.db, call_id, unit_code, fields, by_user, now)
    application = _application(svc, app_id)

    def render(tr: Tr) -> str:
        return tr(
            "Application {n} to call {call}: {name} ({lead}).",
            n=app_id,
            call=call_id,
            name=esc(application.name),
            lead=esc(application.lead),
        )

    notify.notify(svc, notify.admins(svc), f"application:{app_id}", "notice", render, now)
    audit = {"application": app_id, "call": call_id}
    return Filed(application, found, audit)


def material_target(
    svc: Services, app_id: int, by_user: int, unit_code: str | None, admin: bool
) -> Application:
    """The application a file is added to, if the sender may: its filer, their unit's staff
    or an admin (the handler keeps the file, kind MATERIALS)."""
    application = _application(svc, app_id)
    mine = application.filed_by == by_user or (unit_code and application.unit_code == unit_code)
    if not (mine or admin):
        raise NotYourApplication(n=app_id)
    return application


def listing(svc: Services, call_id: int | None = None) -> list[Application]:
    """Applications of one call (it must exist) or of all calls."""
    if call_id is not None:
        _call(svc, call_id)
    return intake.list_applications(svc.db, call_id)


def show(svc: Services, app_id: int) -> Shown:
    """One application with its call and materials."""
    application = _application(svc, app_id)
    files = attachments.of_record(svc.db, MATERIALS, str(app_id))
    return Shown(application, _call(svc, application.call_id), files)


def accept(svc: Services, app_id: int, code: str, by_user: int, now: datetime) -> Decided:
    """Register the applied-for project under `code` and move it to selection."""
    application = _application(svc, app_id)
    if application.state != "filed":
        raise AlreadyDecided(n=app_id)
    fields = project_service.ProjectFields(
        application.name, application.category, application.lead
    )
    registered = project_service.register(svc, code, fields, by_user, now)
    moved = project_service.move_stage(svc, registered.project.code, "selection", "", by_user, now)
    if application.unit_code:
        project_follows.follow(svc.db, moved.change.project_code, application.unit_code, now)
    project = project_service.find(svc, registered.project.code)
    intake.decide(svc.db, app_id, "accepted", "", project.code, by_user, now)
    # The materials go with the project: /files and the dossier list them.
    attachments.assign_project(svc.db, MATERIALS, str(app_id), project.code)

    def render(tr: Tr) -> str:
        return tr(
            "Your application {n} ({name}) was accepted: project {code}, now in selection.",
            n=app_id,
            name=esc(application.name),
            code=esc(project.code),
        )

    notify.notify(
        svc, [application.filed_by], f"application-accepted:{app_id}", "notice", render, now
    )
    done = _application(svc, app_id)
    audit = {"application": app_id, "project": project.code}
    return Decided(done, project, audit)


def reject(svc: Services, app_id: int, reason: str, by_user: int, now: datetime) -> Decided:
    """Reject an application; the reason goes to the applicant privately."""
    application = _application(svc, app_id)
    if application.state != "filed":
        raise AlreadyDecided(n=app_id)
    if len(reason) > REASON_LIMIT:
        raise TooLong(REASON_LIMIT)
    intake.decide(svc.db, app_id, "rejected", reason, None, by_user, now)

    def render(tr: Tr) -> str:
        return tr(
            "Your application {n} ({name}) was not accepted. Reason: {reason}",
            n=app_id,
            name=esc(application.name),
            reason=esc(reason),
        )

    notify.notify(
        svc, [application.filed_by], f"application-rejected:{app_id}", "notice", render, now
    )
    return Decided(_application(svc, app_id), None, {"application": app_id, "reason": reason})


def fire_close(svc: Services, job: Job, now: datetime) -> FireResult:
    """At a call's deadline: tell the admins how many applications came in."""
    found = intake.get_call(svc.db, int(job.ref))
    if found is None:
        return "done", "no such call"
    count = len(intake.list_applications(svc.db, found.id))

    def render(tr: Tr) -> str:
        return tr.ngettext(
            "Call {call} ({title}) closed with {n} application. See /applications {call}.",
            "Call {call} ({title}) closed with {n} applications. See /applications {call}.",
            count,
            call=found.id,
            title=esc(found.title),
        )

    notify.notify(svc, notify.admins(svc), f"call-closed:{found.id}", "notice", render, now)
    return "done", f"{count} applications"


FIRERS = {CLOSE: fire_close}
