"""Minutes commands: /present, /decision, /minutes, /minutes_publish, /minutes_correct,
/minutes_export and /secretariat. Each parses its arguments, calls one function of
bot.services.minutes and renders the result with bot.render.minutes.

Who records minutes (/present, /decision, /action): admins, and staff of the secretariat
unit set with `/secretariat <UNIT-CODE>` (none set: admins only). Published minutes are
frozen; afterwards only `/minutes_correct` appends a dated, pushed correction.
"""

from __future__ import annotations

from bot.domain.keywords import NONE_WORDS, is_word
from bot.domain.normalize import split_head, split_list
from bot.i18n import N_
from bot.render.minutes import correction_notice, minutes_sections
from bot.render.text import esc
from bot.render.units import unit_label, unit_labels
from bot.services import minutes
from bot.telegram.commands import Call, CommandSpec, Document, Field, Reply, UsageError
from handlers._args import item_number, meeting_id, refusing

MAX_TEXT = 2000


def present(call: Call) -> Reply:
    """Record the units present (replacing any earlier list)."""
    ident, rest = split_head(call.args)
    codes = list(dict.fromkeys(c.upper() for c in split_list(rest)))
    if not ident or not codes:
        raise UsageError()
    with refusing(call):
        done = minutes.record_attendance(
            call.services, meeting_id(ident), codes, call.user, call.now, call.audit_detail
        )
    units = unit_labels(call.tr, done.codes, done.names)
    return Reply(
        text=call.tr("Present at #{id}: {units}.", id=done.sitting.meeting.id, units=units)
    )


def decision(call: Call) -> Reply:
    """Record a decision, on an item (#n) or on the meeting generally."""
    head, rest = split_head(call.args)
    if not head or not rest.strip():
        raise UsageError()
    number = None
    first, after = split_head(rest)
    if first.startswith("#") and first[1:].isdigit():
        if not after:
            raise UsageError()
        number, rest = first, after
    text = rest.strip()
    if len(text) > MAX_TEXT:
        raise UsageError(call.tr("That text is too long (up to 2000 characters)."))
    with refusing(call):
        done = minutes.record_decision(
            call.services,
            meeting_id(head),
            item_number(number) if number else None,
            text,
            call.user,
            call.now,
            call.audit_detail,
        )
    item = done.item
    where = call.tr("on “{title}”", title=esc(item.title)) if item else call.tr("(general)")
    return Reply(text=call.tr("Decision recorded {where}: {text}", where=where, text=esc(text)))


def show_minutes(call: Call) -> Reply:
    """The minutes (the draft until published)."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    with refusing(call):
        data = minutes.draft(call.services, meeting_id(words[0]), call.now)
    tz = call.services.config.tz
    return Reply(sections=minutes_sections(data, tz, call.tr, call.now.astimezone(tz).date()))


def minutes_publish(call: Call) -> Reply:
    """Freeze the minutes, carry unreached items over and push the minutes to the groups."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    with refusing(call):
        sitting, pub = minutes.publish(
            call.services, meeting_id(words[0]), call.user, call.now, call.audit_detail
        )
    return Reply(
        text=call.tr(
            "Minutes of #{id} published as No. {number} ({year}) and sent to the group chats.",
            id=sitting.meeting.id,
            number=pub.number,
            year=pub.year,
        )
    )


def minutes_correct(call: Call) -> Reply:
    """Append a dated correction to published minutes and push it."""
    head, text = split_head(call.args)
    if not head or not text or len(text) > MAX_TEXT:
        raise UsageError()
    with refusing(call):
        data, correction = minutes.correct(
            call.services, meeting_id(head), text, call.user, call.now, call.audit_detail
        )
    return Reply(text=correction_notice(data, correction, call.services.config.tz, call.tr))


def minutes_export(call: Call) -> Reply:
    """The minutes as a Word or Markdown document."""
    words = call.words()
    if not 1 <= len(words) <= 2 or (len(words) == 2 and words[1].lower() not in ("docx", "md")):
        raise UsageError()
    with refusing(call):
        data = minutes.draft(call.services, meeting_id(words[0]), call.now)
    tz = call.services.config.tz
    fmt = words[1].lower() if len(words) == 2 else "docx"
    # Imported here: python-docx costs every start-up ~35 ms and only exports need it.
    from bot.render.minutes_doc import minutes_docx, minutes_md

    render = minutes_md if fmt == "md" else minutes_docx
    sitting = data.sitting
    stamp = sitting.start.astimezone(tz).strftime("%Y%m%d")
    return Reply(
        document=Document(
            f"minutes-{sitting.meeting.id}-{stamp}.{fmt}",
            render(data, tz, call.tr, call.now.astimezone(tz).date()),
            call.tr("Minutes of #{id}", id=sitting.meeting.id),
        )
    )


def secretariat(call: Call) -> Reply:
    """Show or set the unit whose staff may record minutes."""
    words = call.words()
    if len(words) > 1:
        raise UsageError()
    with refusing(call):
        if not words:
            unit = minutes.secretariat(call.services)
        else:
            wanted = None if is_word(words[0], NONE_WORDS) else words[0]
            unit = minutes.set_secretariat(call.services, wanted, call.audit_detail)
    if unit is None:
        return Reply(text=call.tr("No secretariat unit: only admins record minutes."))
    return Reply(
        text=call.tr(
            "Secretariat unit: {code}. Its staff and the admins record minutes.",
            code=unit_label(call.tr, unit.code, {unit.code: unit.name}),
        )
    )


COMMANDS = [
    CommandSpec(
        "present",
        present,
        N_("record the units present at a meeting"),
        N_("/present <meeting id> <UNIT-CODE ...>"),
        N_("/present 12 TECH BJ"),
        role="staff",
        writes=True,
        separator=" ",
    ),
    CommandSpec(
        "decision",
        decision,
        N_("record a decision, on an agenda item or generally"),
        N_("/decision <meeting id> [#<item no>] <text>"),
        N_("/decision 12 #2 The exit rules are adopted."),
        role="staff",
        writes=True,
        separator=" ",
        fields=(Field(N_("Meeting number?")), Field(N_("Decision (start with #2 for item 2)?"))),
    ),
    CommandSpec(
        "minutes",
        show_minutes,
        N_("a meeting's minutes (draft until published)"),
        N_("/minutes <meeting id>"),
        N_("/minutes 12"),
        role="member",
        separator=" ",
    ),
    CommandSpec(
        "minutes_publish",
        minutes_publish,
        N_("publish a meeting's minutes"),
        N_("/minutes_publish <meeting id>"),
        N_("/minutes_publish 12"),
        role="admin",
        writes=True,
        separator=" ",
    ),
    CommandSpec(
        "minutes_correct",
        minutes_correct,
        N_("append a correction to published minutes"),
        N_("/minutes_correct <meeting id> <text>"),
        N_("/minutes_correct 12 Item 2: BJ, not TECH, leads."),
        role="staff",
        writes=True,
        separator=" ",
        fields=(Field(N_("Meeting number?")), Field(N_("Correction?"))),
    ),
    CommandSpec(
        "minutes_export",
        minutes_export,
        N_("a meeting's minutes as a document"),
        N_("/minutes_export <meeting id> [docx|md]"),
        N_("/minutes_export 12 docx"),
        role="member",
        separator=" ",
    ),
    CommandSpec(
        "secretariat",
        secretariat,
        N_("show or set the secretariat unit"),
        N_("/secretariat [<UNIT-CODE>|none]"),
        N_("/secretariat TECH"),
        role="admin",
        writes=True,
        separator=" ",
    ),
]
