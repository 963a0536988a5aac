"""Plan-change review (变更审核): staff of a following unit file a request; the admins get
it privately with Approve / Reject buttons; the requester is told the decision; an approved
change is disclosed to the chats subscribed to disclosures and shows on the project's card.
Runs in the caller's transaction; notices through bot.services.notify only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.i18n import N_, Tr
from bot.render import changes as render
from bot.render.text import esc
from bot.services import notify
from bot.services.projects import find
from bot.services.refused import Refused, TooLong
from storage import changes as stored
from storage import project_follows
from storage.changes import PlanChange
from storage.people import Person
from storage.projects import FINAL_STAGES, Project

if TYPE_CHECKING:
    from bot.services import Services

TEXT_LIMIT = 1000
APPROVE, REJECT, FILE = "chg_ok", "chg_no", "chg_file"


class NotFollowingProject(Refused):
    """A request on a project the requester's unit does not follow."""

    message = N_("Only staff of a unit following {code}, or an admin, may request a change.")


class ProjectLeft(Refused):
    """A request on a project that has left the pilot."""

    message = N_("{code} has left the pilot; its plan no longer changes.")


class NoSuchChange(Refused):
    """A request number nobody filed."""

    message = N_("There is no plan-change request #{n}. See /changes.")


class AlreadyDecided(Refused):
    """A decision on a request already decided."""

    message = N_("Plan-change request #{n} was already {state}.")


class ReasonNeeded(Refused):
    """A rejection without its reason."""

    message = N_(
        "Say why the request is rejected, e.g. /change_reject {n} the risk assessment is missing."
    )


@dataclass(frozen=True)
class Filed:
    """A request filed and sent to the admins."""

    change: PlanChange
    project: Project
    audit: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decided:
    """A request approved or rejected."""

    change: PlanChange
    audit: dict[str, Any] = field(default_factory=dict)


def file(svc: Services, code: str, what: str, why: str, by: Person, now: datetime) -> Filed:
    """File a request on a project the requester's unit follows; the admins get it privately
    with Approve / Reject buttons."""
    project = find(svc, code)
    if by.role != "admin" and not project_follows.is_follower(svc.db, project.code, by.unit_code):
        raise NotFollowingProject(code=esc(project.code))
    if project.stage in FINAL_STAGES:
        raise ProjectLeft(code=esc(project.code))
    if max(len(what), len(why)) > TEXT_LIMIT:
        raise TooLong(TEXT_LIMIT)
    change = stored.add(
        svc.db,
        project_code=project.code,
        what=what,
        why=why,
        by_user=by.user_id,
        by_unit=by.unit_code,
        now=now,
    )
    tz, who = svc.config.tz, esc(by.display_name)

    def buttons(tr: Tr) -> list[list[dict[str, str]]]:
        payload = str(change.id)
        return [
            [
                {"text": tr("Approve"), "action": APPROVE, "payload": payload},
                {"text": tr("Reject"), "action": REJECT, "payload": payload},
            ]
        ]

    notify.notify(
        svc,
        notify.admins(svc),
        f"change-request:{change.id}",
        "approval",
        lambda tr: render.request_text(change, project, who, tr, tz),
        now,
        buttons=buttons,
    )
    return Filed(change, project, {"change": change.id, "project": project.code})


def get(svc: Services, change_id: int | None) -> PlanChange:
    """A request by number, or NoSuchChange."""
    found = stored.get(svc.db, change_id) if change_id is not None else None
    if found is None:
        raise NoSuchChange(n=change_id if change_id is not None else "?")
    return found


def decide(
    svc: Services, change_id: int | None, approve: bool, reason: str, by_user: int, now: datetime
) -> Decided:
    """Approve or reject a pending request: the requester is told; an approved change is
    disclosed and recorded on the project."""
    change = get(svc, change_id)
    reason = reason.strip()
    if not approve and not reason:
        raise ReasonNeeded(n=change.id)
    if len(reason) > TEXT_LIMIT:
        raise TooLong(TEXT_LIMIT)
    state = "approved" if approve else "rejected"
    if not stored.decide(svc.db, change.id, state, reason, by_user, now):
        raise AlreadyDecided(n=change.id, state=lambda tr: render.state_name(tr, change.state))
    done = stored.get(svc.db, change.id)
    assert done is not None
    notify.notify(
        svc,
        [done.by_user],
        f"change-decided:{done.id}",
        "notice",
        lambda tr: render.decided_text(done, tr),
        now,
    )
    if approve:
        project = find(svc, done.project_code)
        tz = svc.config.tz
        notify.notify(
            svc,
            notify.subscribers(svc, "disclosures"),
            f"disclose:change:{done.id}",
            "disclosure",
            lambda tr: render.disclosure_text(done, project, tr, tz),
            now,
        )
    audit = {"change": done.id, "project": done.project_code, "state": state}
    if reason:
        audit["reason"] = reason
    return Decided(done, audit)


def listing(svc: Services, code: str | None) -> list[PlanChange]:
    """Requests, newest first; of one project when a code is given."""
    if code is None:
        return stored.listing(svc.db)
    return stored.listing(svc.db, find(svc, code).code)


def approved(svc: Services, code: str) -> list[PlanChange]:
    """A project's approved changes, oldest first."""
    return stored.approved(svc.db, code)
