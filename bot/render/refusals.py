"""Why the agenda, minutes and action services refused, in the chat's language.

The refusals are plain data (bot/domain/agenda_refusals.py); this is their wording, used by
handlers/agenda.py, minutes.py and actions.py (through handlers/_args.refusing).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.domain import agenda_refusals as no
from bot.i18n import Tr
from bot.render.dates import show_date, show_datetime
from bot.render.text import esc
from bot.render.units import unknown_units


def refusal_text(refused: no.Refused, tr: Tr, tz: ZoneInfo) -> str:
    """The answer to a refused agenda, minutes or action command."""
    match refused:
        case no.NotANumber(what="meeting"):
            return tr("A meeting is named by its number, e.g. 12.")
        case no.NotANumber():
            return tr("An item is named by its number on the agenda, e.g. 2.")
        case no.NoMeeting(meeting_id=mid):
            return tr("There is no meeting #{id}.", id=mid)
        case no.MeetingCancelled(meeting_id=mid):
            return tr("Meeting #{id} was cancelled.", id=mid)
        case no.NoSittingLeft(meeting_id=mid):
            return tr("Meeting #{id} has no sitting left.", id=mid)
        case no.SittingOver(meeting_id=mid):
            return tr("Meeting #{id} has already taken place.", id=mid)
        case no.NotStarted(meeting_id=mid):
            return tr("Meeting #{id} has not started yet.", id=mid)
        case no.NoItem(meeting_id=mid, number=number):
            return tr("The agenda of #{id} has no item {n}.", id=mid, n=number)
        case no.BadPosition(count=count):
            return tr("Choose a position from 1 to {n}.", n=count)
        case no.UnknownProject(code=code):
            return tr("Unknown project {code}.", code=esc(code[:40]))
        case no.SubmissionsClosed(meeting_id=mid, cutoff=cut):
            when = show_datetime(cut, tz, tr)
            return tr("Submissions for #{id} closed at {when}.", id=mid, when=when)
        case no.AgendaLocked(meeting_id=mid):
            return tr("The agenda of #{id} is locked; ask the secretariat.", id=mid)
        case no.AlreadyLocked(meeting_id=mid):
            return tr("The agenda of #{id} is already locked.", id=mid)
        case no.AgendaAlreadyPublished(meeting_id=mid, published_at=at):
            return tr(
                "The agenda of #{id} was already published {when}; changes go out as amendments.",
                id=mid,
                when=show_datetime(at, tz, tr),
            )
        case no.NotRecorder():
            return tr("Only admins or staff of the secretariat unit record minutes.")
        case no.MinutesFrozen(meeting_id=mid):
            return tr("The minutes of #{id} are published; use /minutes_correct.", id=mid)
        case no.MinutesAlreadyPublished(meeting_id=mid, number=number):
            return tr(
                "The minutes of #{id} were already published as No. {number}; "
                "use /minutes_correct.",
                id=mid,
                number=number,
            )
        case no.MinutesNotPublished(meeting_id=mid):
            return tr("The minutes of #{id} are not published yet: edit the draft.", id=mid)
        case no.VotesOpen(meeting_id=mid, numbers=numbers):
            listed = tr.join(str(n) for n in numbers)
            return tr(
                "A vote is still open on #{id} (items {items}): close it with "
                "/vote_close {id} #{first} before publishing.",
                id=mid,
                items=listed,
                first=numbers[0] if numbers else 1,
            )
        case no.UnknownUnits(codes=codes):
            return unknown_units(tr, codes)
        case no.UnknownPerson(username=who):
            return tr("I don't know {who} yet: they must send me a message first.", who=esc(who))
        case no.UnknownOwner(text=text):
            return tr("Unknown owner {who}: give @username, a unit code or TBD.", who=esc(text))
        case no.DueInPast(due=due):
            return tr("The due date {date} is in the past.", date=show_date(due, tr))
        case no.DueBeforeMeeting(meeting_id=mid, meeting_day=day, due=due, typed=typed):
            return tr(
                "“{typed}” is {date}, on or before the meeting this action comes from "
                "(#{id}, {meeting}). Nothing was recorded.",
                typed=esc(typed),
                date=show_date(due, tr),
                id=mid,
                meeting=show_date(day, tr),
            )
        case no.NoAction(action_id=aid):
            return tr("There is no action A{id}.", id=aid)
        case no.NotActionOwner(action_id=aid):
            return tr(
                "Only its owner, the owner unit's staff or an admin can close A{id}.", id=aid
            )
        case no.ActionClosed(action_id=aid):
            return tr("Action A{id} is already closed.", id=aid)
    raise TypeError(f"no wording for {type(refused).__name__}")
