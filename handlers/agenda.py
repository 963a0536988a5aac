"""Agenda intake and triage: /agenda_add, /agenda, /agenda_move, /agenda_drop, /agenda_lock,
/agenda_publish. Timed publication, escalation and carry-over live in bot.agenda_service.

A command names a meeting; the sitting meant is `bot.agenda_rules.choose_sitting`: a
one-off meeting's only sitting, or for a series the occurrence in progress or upcoming,
which stays current for 24 h after it ends so its minutes can be taken.
"""

from __future__ import annotations

from bot import agenda_service
from bot.agenda_rules import Sitting, choose_sitting, cutoff, read_tags, running_totals
from bot.commands import Call, CommandSpec, Field, Refusal, Reply, UsageError, parse_number
from bot.fanout import tr_for_person
from bot.i18n import N_
from bot.normalize import token
from bot.render.agenda import dropped_notice, item_kind
from bot.render.dates import show_datetime
from bot.render.text import esc
from handlers.meetings import load_meeting
from handlers.units import UNIT_CODE
from storage import agenda, agenda_sittings, outbox, projects

MAX_TITLE, MAX_REASON, MAX_MINUTES = 300, 500, 600


def load_sitting(call: Call, text: str, ended_ok: bool = True) -> Sitting:
    """The sitting a meeting argument means now, refusing cancelled or finished ones."""
    meeting = load_meeting(call, text)
    if meeting.cancelled:
        raise Refusal(call.tr("Meeting #{id} was cancelled.", id=meeting.id))
    sitting = choose_sitting(meeting, call.now)
    if sitting is None:
        raise Refusal(call.tr("Meeting #{id} has no sitting left.", id=meeting.id))
    if not ended_ok and call.now >= sitting.end:
        raise Refusal(call.tr("Meeting #{id} has already taken place.", id=meeting.id))
    call.audit_detail.update(meeting=meeting.id, occ=sitting.key)
    return sitting


def item_number(call: Call, sitting: Sitting, text: str) -> agenda.Item:
    """The agenda item numbered `text` (e.g. 3 or #3), or a clear refusal."""
    number = parse_number(token(text).lstrip("#"))
    if number is None:
        raise UsageError(call.tr("An item is named by its number on the agenda, e.g. 2."))
    item = agenda.item_by_number(call.db, sitting.meeting.id, sitting.key, number)
    if item is None:
        raise Refusal(
            call.tr("The agenda of #{id} has no item {n}.", id=sitting.meeting.id, n=number)
        )
    return item


def agenda_add(call: Call) -> Reply:
    """Submit an item; after the cut-off or lock only an admin may, and it is marked late."""
    ident, title_text, project, minutes_text = call.fields(2, 4, free={1})
    tagged = read_tags(title_text)
    if not tagged.title or len(title_text) > MAX_TITLE:
        raise UsageError(call.tr("Give the item a title of up to 300 characters."))
    minutes = None
    if minutes_text:
        minutes = parse_number(minutes_text)
        if minutes is None or not 1 <= minutes <= MAX_MINUTES:
            raise UsageError(call.tr("Minutes needed is a whole number from 1 to 600."))
    if project:
        known = projects.get_project(call.db, project) if UNIT_CODE.match(project) else None
        if known is None:
            raise Refusal(call.tr("Unknown project {code}.", code=esc(project)))
        project = known.code
    sitting = load_sitting(call, ident, ended_ok=False)
    svc, tz = call.services, call.services.config.tz
    agenda_service.adopt(svc, sitting, call.now)
    state = agenda_sittings.state_of(call.db, sitting.meeting.id, sitting.key)
    cut = cutoff(sitting.start, svc.config.agenda_cutoff)
    closed = call.now >= cut or state.locked_at is not None
    if closed and call.user.role != "admin":
        if state.locked_at is not None:
            raise Refusal(
                call.tr(
                    "The agenda of #{id} is locked; ask the secretariat.", id=sitting.meeting.id
                )
            )
        raise Refusal(
            call.tr(
                "Submissions for #{id} closed at {when}.",
                id=sitting.meeting.id,
                when=show_datetime(cut, tz, call.tr),
            )
        )
    item_id = agenda.add_item(
        call.db,
        meeting_id=sitting.meeting.id,
        occ=sitting.key,
        meeting_kind=sitting.meeting.kind,
        sitting_start=sitting.start,
        title=tagged.title,
        kind=tagged.kind,
        major=tagged.major,
        project=project or None,
        minutes=minutes,
        submitter=call.user.user_id,
        unit_code=call.user.unit_code,
        late=closed,
        now=call.now,
    )
    agenda_service.arm(svc, sitting.meeting, call.now)
    agenda_service.amend(svc, sitting, call.now)
    call.audit_detail.update(item=item_id, late=closed)
    return Reply(text=_added(call, sitting, item_id, closed))


def _added(call: Call, sitting: Sitting, item_id: int, late: bool) -> str:
    _ = call.tr
    found = agenda.items(call.db, sitting.meeting.id, sitting.key)
    number = next(n for n, i in enumerate(found, start=1) if i.id == item_id)
    item = found[number - 1]
    total = running_totals([i.minutes for i in found])[-1]
    length = int(sitting.meeting.duration.total_seconds() // 60)
    lines = [
        _(
            "Item {n} added to the agenda of #{id}: [{kind}] {title}",
            n=number,
            id=sitting.meeting.id,
            kind=esc(item_kind(_, item.kind)),
            title=esc(item.title),
        )
    ]
    if item.major:
        lines.append(_("‼️ Marked as a major matter."))
    if late:
        lines.append(_("Added after the cut-off: marked late."))
    lines.append(_("Running total: {total} of {length} minutes.", total=total, length=length))
    return "\n".join(lines)


def show_agenda(call: Call) -> Reply:
    """The agenda of a meeting's current sitting as it stands."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    sitting = load_sitting(call, words[0])
    agenda_service.adopt(call.services, sitting, call.now)
    return Reply(text=agenda_service.render(call.services, sitting, call.tr, call.now))


def agenda_move(call: Call) -> Reply:
    """Move an item to a new position."""
    words = call.words()
    position = parse_number(words[2]) if len(words) == 3 else None
    if position is None:
        raise UsageError()
    sitting = load_sitting(call, words[0])
    item = item_number(call, sitting, words[1])
    found = [i.id for i in agenda.items(call.db, sitting.meeting.id, sitting.key)]
    if not 1 <= position <= len(found):
        raise Refusal(call.tr("Choose a position from 1 to {n}.", n=len(found)))
    found.remove(item.id)
    found.insert(position - 1, item.id)
    agenda.reorder(call.db, found)
    agenda_service.amend(call.services, sitting, call.now)
    call.audit_detail.update(item=item.id, position=position)
    return Reply(text=agenda_service.render(call.services, sitting, call.tr, call.now))


def agenda_drop(call: Call) -> Reply:
    """Take an item off the agenda and tell its submitter privately why."""
    head, _sep, reason = call.args.partition("|")
    words, reason = [token(w) for w in head.split()], reason.strip()
    if len(words) != 2 or len(reason) > MAX_REASON:
        raise UsageError()
    sitting = load_sitting(call, words[0])
    item = item_number(call, sitting, words[1])
    agenda.drop(call.db, item.id, reason)
    svc = call.services
    if item.submitter is not None:
        tr = tr_for_person(svc, item.submitter)
        outbox.enqueue(
            call.db,
            key=f"agdrop:{item.id}",
            kind="notice",
            chat_id=item.submitter,
            text=dropped_notice(sitting, item, reason, svc.config.tz, tr),
            now=call.now,
        )
    agenda_service.amend(svc, sitting, call.now)
    call.audit_detail.update(item=item.id, reason=reason)
    return Reply(
        text=call.tr(
            "Dropped from the agenda of #{id}: {title}",
            id=sitting.meeting.id,
            title=esc(item.title),
        )
    )


def agenda_lock(call: Call) -> Reply:
    """Close the agenda to staff submissions."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    sitting = load_sitting(call, words[0], ended_ok=False)
    if not agenda_sittings.lock(call.db, sitting.meeting.id, sitting.key, call.now):
        raise Refusal(call.tr("The agenda of #{id} is already locked.", id=sitting.meeting.id))
    return Reply(
        text=call.tr(
            "The agenda of #{id} is locked: only admins can add items now.", id=sitting.meeting.id
        )
    )


def agenda_publish(call: Call) -> Reply:
    """Lock and push the agenda to the group chats now."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    sitting = load_sitting(call, words[0], ended_ok=False)
    state = agenda_sittings.state_of(call.db, sitting.meeting.id, sitting.key)
    if state.published_at is not None:
        when = show_datetime(state.published_at, call.services.config.tz, call.tr)
        raise Refusal(
            call.tr(
                "The agenda of #{id} was already published {when}; changes go out as amendments.",
                id=sitting.meeting.id,
                when=when,
            )
        )
    agenda_service.publish(call.services, sitting, call.now)
    return Reply(
        text=call.tr("Agenda of #{id} published to the group chats.", id=sitting.meeting.id)
    )


COMMANDS = [
    CommandSpec(
        "agenda_add",
        agenda_add,
        N_("put an item on a meeting's agenda"),
        N_(
            "/agenda_add <meeting id> | <title #report|#deliberation|#study|#major> "
            "[| <project CODE>] [| <minutes needed>]"
        ),
        N_("/agenda_add 12 | Sandbox exit rules #deliberation #major | P-007 | 20"),
        role="staff",
        writes=True,
        fields=(
            Field(N_("Meeting number?")),
            Field(N_("Title, with tags like #deliberation?")),
            Field(N_("Project code?"), optional=True),
            Field(N_("Minutes needed?"), optional=True),
        ),
    ),
    CommandSpec(
        "agenda",
        show_agenda,
        N_("a meeting's agenda as it stands"),
        N_("/agenda <meeting id>"),
        N_("/agenda 12"),
        role="member",
        separator=" ",
    ),
    CommandSpec(
        "agenda_move",
        agenda_move,
        N_("move an agenda item to a new position"),
        N_("/agenda_move <meeting id> <item no> <new position>"),
        N_("/agenda_move 12 3 1"),
        role="admin",
        writes=True,
        separator=" ",
    ),
    CommandSpec(
        "agenda_drop",
        agenda_drop,
        N_("drop an agenda item, telling its submitter why"),
        N_("/agenda_drop <meeting id> <item no> [| reason]"),
        N_("/agenda_drop 12 2 | covered by the bulletin"),
        role="admin",
        writes=True,
    ),
    CommandSpec(
        "agenda_lock",
        agenda_lock,
        N_("close an agenda to staff submissions"),
        N_("/agenda_lock <meeting id>"),
        N_("/agenda_lock 12"),
        role="admin",
        writes=True,
        separator=" ",
    ),
    CommandSpec(
        "agenda_publish",
        agenda_publish,
        N_("lock and publish an agenda now"),
        N_("/agenda_publish <meeting id>"),
        N_("/agenda_publish 12"),
        role="admin",
        writes=True,
        separator=" ",
    ),
]
FIRERS = agenda_service.FIRERS
ON_START = [agenda_service.rearm_all]
