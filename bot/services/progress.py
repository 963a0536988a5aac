"""Progress entries: logging, correcting and withdrawing them, closing risks, and the
disclosure of #major entries with its corrections.

A #major entry is disclosed to the chats subscribed to disclosures when it is logged (or
first tagged #major by an edit). Those chats are what it was disclosed to (the notice's
outbox rows, plus the chat whose reply carried it): an edit sends them a correction with the
new text, a withdrawal a correction saying so, whoever is subscribed by then.

One message in the chat a command came from: each function takes `origin_chat_id`; when that
chat is among the recipients, no notice row is queued to it (notify's `exclude`) and the
result carries the notice's render function (`notice_here`), so the handler's reply includes
it. A disclosure carried that way is recorded on the entry, so later corrections reach the
chat too. Results carry the audit detail (`audit`); refusals are `Refused` subclasses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.i18n import N_, Tr
from bot.render.bulletin_lines import line_html
from bot.render.project import (
    correction_entry,
    correction_withdrawn,
    disclosure_entry,
    one_line,
)
from bot.render.text import esc
from bot.services import notify
from bot.services.projects import find
from bot.services.refused import Refused
from storage import progress, progress_reads, progress_tags, project_follows
from storage.people import Person
from storage.progress import Entry
from storage.projects import Project

if TYPE_CHECKING:
    from bot.services import Services

TEXT_LIMIT = 2000
EDIT_WINDOW = timedelta(minutes=30)

Notice = Callable[[Tr], str]


class NotFollowing(Refused):
    """Logging on a project the caller's unit does not follow."""

    message = N_("Only staff of a unit following {code}, or an admin, may log on it.")


class EntryTooLong(Refused):
    """An entry over the limit."""

    message = N_("Too long: an entry is at most {n} characters (yours has {m}).")


class ClosesWithoutRectification(Refused):
    """`closes #n` in an entry not tagged #rectification."""

    message = N_("To close a risk, tag the entry #rectification (#整改).")


class NotAnOpenRisk(Refused):
    """`closes #n` naming something that is not an open risk of the project."""

    message = N_("#{n} is not an open risk on {code}.")

    def __init__(self, number: int, project: Project, risks: list[Entry]) -> None:
        super().__init__(n=number, code=esc(project.code))
        self.project, self.risks = project, risks

    def text(self, tr: Tr) -> str:
        """The refusal, then the risks that are open (what `closes #n` may name)."""
        return "\n".join([super().text(tr), *risk_lines(tr, self.project, self.risks)])


class NoSuchEntry(Refused):
    """An entry number that does not exist (or was withdrawn)."""

    message = N_("There is no entry #{n}.")


class NotAuthor(Refused):
    """Changing someone else's entry without being an admin."""

    message = N_("Only its author or an admin may change entry #{n}.")


class EditWindowPassed(Refused):
    """The author's 30 minutes to change an entry are over."""

    message = N_("Entry #{n} is older than 30 minutes; ask an admin to change it.")


# Why an entry cannot be changed at all (as opposed to what was typed being wrong).
NOT_EDITABLE = (NoSuchEntry, NotAuthor, EditWindowPassed)


@dataclass(frozen=True)
class Changed:
    """An entry logged, corrected or withdrawn; `notice_here` when the reply carries the
    disclosure or correction this chat would otherwise also receive."""

    entry: Entry
    project: Project
    notice_here: Notice | None = None
    audit: dict[str, Any] = field(default_factory=dict)


def risk_lines(tr: Tr, project: Project, risks: list[Entry]) -> list[str]:
    """A project's open risks with their numbers, or a line saying there are none."""
    if not risks:
        return [tr("{code} has no open risks.", code=esc(project.code))]
    lines = [tr("Open risks on {code}:", code=esc(project.code))]
    lines += [f"#{r.id} {esc(one_line(r.text, 120))}" for r in risks[:20]]
    return lines


def log(
    svc: Services,
    code: str,
    text: str,
    by: Person,
    now: datetime,
    origin_chat_id: int | None = None,
) -> Changed:
    """Log an entry on a project the author's unit follows (any project, for an admin)."""
    project = find(svc, code)
    if by.role != "admin" and not project_follows.is_follower(svc.db, project.code, by.unit_code):
        raise NotFollowing(code=esc(project.code))
    closes = _check(svc, project, text)
    entry = progress.add_entry(
        svc.db,
        project_code=project.code,
        author_id=by.user_id,
        author_unit=by.unit_code,
        text=text,
        now=now,
        line_html=line_html(text),
    )
    progress.close_risks(svc.db, entry.id, closes)
    here = _disclose(svc, project, entry, now, origin_chat_id) if "major" in entry.tags else None
    audit = {"entry": entry.id, "project": project.code, "tags": list(entry.tags)}
    return Changed(entry, project, here, audit)


def editable(svc: Services, entry_id: int, by: Person, now: datetime) -> Entry:
    """An entry the caller may still change: the author within 30 minutes, or an admin."""
    entry = progress.get_entry(svc.db, entry_id)
    if entry is None or entry.withdrawn:
        raise NoSuchEntry(n=entry_id)
    if by.role == "admin":
        return entry
    if entry.author_id != by.user_id:
        raise NotAuthor(n=entry.id)
    if now - entry.created_at > EDIT_WINDOW:
        raise EditWindowPassed(n=entry.id)
    return entry


def edit(
    svc: Services,
    entry_id: int,
    text: str,
    by: Person,
    now: datetime,
    origin_chat_id: int | None = None,
) -> Changed:
    """Correct an entry (the old text is kept); where it was disclosed, send a correction."""
    entry = editable(svc, entry_id, by, now)
    project = find(svc, entry.project_code)
    closes = _check(svc, project, text, own_id=entry.id)
    updated = progress.edit_entry(svc.db, entry, text, by.user_id, now, line_html(text))
    progress.close_risks(svc.db, entry.id, closes)
    audit: dict[str, Any] = {"entry": entry.id, "old_text": entry.text[:2000]}
    disclosed = disclosed_to(svc, entry.id)
    if disclosed:
        tz = svc.config.tz
        revision = len(progress.revisions(svc.db, entry.id))
        here = _send(
            svc,
            disclosed,
            f"disclose:corrected:{entry.id}:{revision}",
            lambda tr: correction_entry(project, updated, tr, tz),
            now,
            origin_chat_id,
        )
        audit["corrected"] = disclosed
    elif "major" in updated.tags:
        here = _disclose(svc, project, updated, now, origin_chat_id)
    else:
        here = None
    return Changed(updated, project, here, audit)


def undo(
    svc: Services,
    entry_id: int,
    by: Person,
    now: datetime,
    origin_chat_id: int | None = None,
) -> Changed:
    """Withdraw an entry (kept, but no longer counting); where it was disclosed, say so."""
    entry = editable(svc, entry_id, by, now)
    project = find(svc, entry.project_code)
    progress.withdraw_entry(svc.db, entry, by.user_id, now)
    audit: dict[str, Any] = {"entry": entry.id, "old_text": entry.text[:2000]}
    disclosed = disclosed_to(svc, entry.id)
    here = None
    if disclosed:
        here = _send(
            svc,
            disclosed,
            f"disclose:withdrawn:{entry.id}",
            lambda tr: correction_withdrawn(project, entry, tr),
            now,
            origin_chat_id,
        )
        audit["corrected"] = disclosed
    return Changed(entry, project, here, audit)


def open_risks(svc: Services, project: Project) -> list[Entry]:
    """A project's risks not closed by a rectification, oldest first."""
    return progress_reads.open_risks(svc.db, project.code)


def disclosure_key(entry_id: int) -> str:
    """The notice key of an entry's disclosure."""
    return f"disclose:entry:{entry_id}"


def disclosed_to(svc: Services, entry_id: int) -> list[int]:
    """The chats an entry was disclosed to: its notice's rows, and a reply that carried it."""
    chats = notify.queued_to(svc, disclosure_key(entry_id))
    replied = progress.reply_disclosure(svc.db, entry_id)
    return chats + [replied] if replied is not None and replied not in chats else chats


def _check(svc: Services, project: Project, text: str, own_id: int | None = None) -> list[int]:
    """The length rule, and the open risks of this project that the text closes."""
    if len(text) > TEXT_LIMIT:
        raise EntryTooLong(n=TEXT_LIMIT, m=len(text))
    numbers = progress_tags.parse_closes(text)
    if numbers and "rectification" not in progress_tags.parse_tags(text):
        raise ClosesWithoutRectification()
    for n in numbers:
        risk = progress.get_entry(svc.db, n)
        ok = risk is not None and risk.project_code.upper() == project.code and n != own_id
        if not ok or not progress_reads.is_open_risk(svc.db, n):
            raise NotAnOpenRisk(n, project, open_risks(svc, project))
    return numbers


def _disclose(
    svc: Services, project: Project, entry: Entry, now: datetime, origin_chat_id: int | None
) -> Notice | None:
    """Disclose a #major entry to the subscribed chats; remember a reply that carries it."""
    tz = svc.config.tz
    here = _send(
        svc,
        notify.subscribers(svc, "disclosures"),
        disclosure_key(entry.id),
        lambda tr: disclosure_entry(project, entry, tr, tz),
        now,
        origin_chat_id,
    )
    if here is not None and origin_chat_id is not None:
        progress.record_reply_disclosure(svc.db, entry.id, origin_chat_id)
    return here


def _send(
    svc: Services,
    recipients: list[int],
    key: str,
    render: Notice,
    now: datetime,
    origin_chat_id: int | None,
) -> Notice | None:
    """Queue a notice to every recipient but the origin chat when it is one of them; return
    the render function then, for the reply to carry."""
    here = notify.receives(svc, recipients, origin_chat_id)
    notify.notify(
        svc, recipients, key, "disclosure", render, now, exclude=origin_chat_id if here else None
    )
    return render if here else None
