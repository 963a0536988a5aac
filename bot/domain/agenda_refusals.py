"""Why the agenda, minutes and action services refuse a change: plain data, no wording.

The services (bot/services/agenda*.py, minutes.py, actions.py) raise these; the handlers
answer with bot.render.refusals.refusal_text in the chat's language. Pure: no storage, no
Telegram, so a web front end calling the same services can word them its own way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


class Refused(Exception):
    """A change the rules do not allow; the caller rolls its transaction back."""


@dataclass(eq=False)
class NotANumber(Refused):
    """A meeting, item or action was not named by a number ('meeting', 'item')."""

    what: str


@dataclass(eq=False)
class NoMeeting(Refused):
    """There is no meeting with this number."""

    meeting_id: int


@dataclass(eq=False)
class MeetingCancelled(Refused):
    """The meeting was cancelled."""

    meeting_id: int


@dataclass(eq=False)
class NoSittingLeft(Refused):
    """A series with no occurrence left."""

    meeting_id: int


@dataclass(eq=False)
class SittingOver(Refused):
    """The sitting has already taken place."""

    meeting_id: int


@dataclass(eq=False)
class NotStarted(Refused):
    """The sitting has not started yet (its minutes cannot be published)."""

    meeting_id: int


@dataclass(eq=False)
class NoItem(Refused):
    """The agenda has no item with this number."""

    meeting_id: int
    number: int


@dataclass(eq=False)
class BadPosition(Refused):
    """An agenda position outside 1..count."""

    count: int


@dataclass(eq=False)
class UnknownProject(Refused):
    """No project with this code."""

    code: str


@dataclass(eq=False)
class SubmissionsClosed(Refused):
    """The cut-off has passed (only admins may still add, marked late)."""

    meeting_id: int
    cutoff: datetime


@dataclass(eq=False)
class AgendaLocked(Refused):
    """The agenda is locked to staff submissions."""

    meeting_id: int


@dataclass(eq=False)
class AlreadyLocked(Refused):
    """/agenda_lock on a locked agenda."""

    meeting_id: int


@dataclass(eq=False)
class AgendaAlreadyPublished(Refused):
    """/agenda_publish on a published agenda; changes go out as amendments."""

    meeting_id: int
    published_at: datetime


@dataclass(eq=False)
class NotRecorder(Refused):
    """Only admins and staff of the secretariat unit record minutes."""


@dataclass(eq=False)
class MinutesFrozen(Refused):
    """The minutes are published: only /minutes_correct changes them now."""

    meeting_id: int


@dataclass(eq=False)
class MinutesAlreadyPublished(Refused):
    """/minutes_publish on published minutes."""

    meeting_id: int
    number: int


@dataclass(eq=False)
class MinutesNotPublished(Refused):
    """/minutes_correct on a draft."""

    meeting_id: int


@dataclass(eq=False)
class VotesOpen(Refused):
    """/minutes_publish while votes on items (their agenda numbers) are still open."""

    meeting_id: int
    numbers: list[int]


@dataclass(eq=False)
class UnknownUnits(Refused):
    """Unit codes nobody registered."""

    codes: list[str]


@dataclass(eq=False)
class UnknownPerson(Refused):
    """An @username the bot has not met."""

    username: str


@dataclass(eq=False)
class UnknownOwner(Refused):
    """An action owner that is neither @username, a unit code nor TBD."""

    text: str


@dataclass(eq=False)
class DueInPast(Refused):
    """An action due before today."""

    due: date


@dataclass(eq=False)
class DueBeforeMeeting(Refused):
    """A relative due date (下周五) that falls on or before the meeting the action comes
    from: asked back, with the date understood, rather than recorded."""

    meeting_id: int
    meeting_day: date
    due: date
    typed: str  # the due date as typed


@dataclass(eq=False)
class NoAction(Refused):
    """There is no action with this number."""

    action_id: int


@dataclass(eq=False)
class NotActionOwner(Refused):
    """Only the owner, the owner unit's staff or an admin close an action."""

    action_id: int


@dataclass(eq=False)
class ActionClosed(Refused):
    """The action is closed already."""

    action_id: int
