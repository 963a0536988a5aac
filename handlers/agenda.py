"""Agenda commands: /agenda_add, /agenda, /agenda_move, /agenda_drop, /agenda_lock,
/agenda_publish. Each parses its arguments, calls one function of bot.services.agenda and
renders the result with bot.render.agenda; the agenda's map (rules, storage, services,
rendering, handlers) is in bot/services/agenda.py.

A command names a meeting; the sitting meant is `bot.domain.agenda_rules.choose_sitting`: a
one-off meeting's only sitting, or for a series the occurrence in progress or upcoming,
which stays current for 24 h after it ends so its minutes can be taken.
"""

from __future__ import annotations

from bot.domain.agenda_rules import read_tags
from bot.domain.normalize import token
from bot.i18n import N_
from bot.render.agenda import added_text, view_text
from bot.render.text import esc
from bot.services import agenda, agenda_jobs
from bot.telegram.commands import Call, CommandSpec, Field, Reply, UsageError, parse_number
from handlers._args import item_number, keep_attachments, meeting_id, refusing

MAX_TITLE, MAX_REASON, MAX_MINUTES = 300, 500, 600


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
    with refusing(call):
        added = agenda.submit(
            call.services,
            meeting_id(ident),
            tagged,
            project or None,
            minutes,
            call.user,
            call.now,
            call.audit_detail,
        )
    text = added_text(added.sitting, added.number, added.item, added.total, added.late, call.tr)
    text += keep_attachments(call, "agenda", str(added.item.id), added.item.project)
    return Reply(text=text)


def show_agenda(call: Call) -> Reply:
    """The agenda of a meeting's current sitting as it stands."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    with refusing(call):
        view = agenda.view(call.services, meeting_id(words[0]), call.now)
    return Reply(text=view_text(view, call.services.config.tz, call.tr, call.now))


def agenda_move(call: Call) -> Reply:
    """Move an item to a new position."""
    words = call.words()
    position = parse_number(words[2]) if len(words) == 3 else None
    if position is None:
        raise UsageError()
    with refusing(call):
        view = agenda.move_item(
            call.services,
            meeting_id(words[0]),
            item_number(words[1]),
            position,
            call.now,
            call.audit_detail,
        )
    return Reply(text=view_text(view, call.services.config.tz, call.tr, call.now))


def agenda_drop(call: Call) -> Reply:
    """Take an item off the agenda and tell its submitter privately why."""
    head, _sep, reason = call.args.partition("|")
    words, reason = [token(w) for w in head.split()], reason.strip()
    if len(words) != 2 or len(reason) > MAX_REASON:
        raise UsageError()
    with refusing(call):
        sitting, item = agenda.drop_item(
            call.services,
            meeting_id(words[0]),
            item_number(words[1]),
            reason,
            call.now,
            call.audit_detail,
        )
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
    with refusing(call):
        sitting = agenda.lock(call.services, meeting_id(words[0]), call.now, call.audit_detail)
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
    with refusing(call):
        sitting = agenda.publish_now(
            call.services, meeting_id(words[0]), call.now, call.audit_detail
        )
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
        files=True,
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
# The agenda's timed rows live with the service that plans them; the registry reads them here.
FIRERS = agenda_jobs.FIRERS
ON_START = [agenda_jobs.rearm_all]
