"""Minutes: /present, /decision, /minutes, /minutes_publish, /minutes_correct,
/minutes_export and /secretariat.

Who records minutes (/present, /decision, /action): admins, and staff of the secretariat
unit set with `/secretariat <UNIT-CODE>` (none set: admins only). Published minutes are
frozen; afterwards only `/minutes_correct` appends a dated, pushed correction.
"""

from __future__ import annotations

from bot import agenda_service
from bot.agenda_rules import Sitting
from bot.commands import Call, CommandSpec, Document, Field, Refusal, Reply, UsageError
from bot.i18n import N_
from bot.keywords import NONE_WORDS, is_word
from bot.minutes_data import compile_minutes
from bot.normalize import split_head, split_list
from bot.render.minutes import correction_notice, minutes_sections, minutes_text
from bot.render.minutes_doc import minutes_docx, minutes_md
from bot.render.text import esc
from bot.render.units import unit_label, unit_labels, unit_names, unknown_units
from handlers.agenda import item_number, load_sitting
from storage import agenda, minutes, people

MAX_TEXT = 2000


def can_record(call: Call) -> None:
    """Refuse unless the caller is an admin or staff of the secretariat unit."""
    if call.user.role == "admin":
        return
    unit = minutes.secretariat_unit(call.db)
    if unit is None or call.user.role != "staff" or (call.user.unit_code or "").upper() != unit:
        raise Refusal(call.tr("Only admins or staff of the secretariat unit record minutes."))


def open_for_recording(call: Call, sitting: Sitting) -> None:
    """Refuse when the sitting's minutes are already published."""
    if minutes.publication(call.db, sitting.meeting.id, sitting.key) is not None:
        raise Refusal(
            call.tr(
                "The minutes of #{id} are published; use /minutes_correct.", id=sitting.meeting.id
            )
        )


def present(call: Call) -> Reply:
    """Record the units present (replacing any earlier list)."""
    ident, rest = split_head(call.args)
    codes = list(dict.fromkeys(c.upper() for c in split_list(rest)))
    if not ident or not codes:
        raise UsageError()
    can_record(call)
    sitting = load_sitting(call, ident)
    open_for_recording(call, sitting)
    unknown = [c for c in codes if people.get_unit(call.db, c) is None]
    if unknown:
        raise Refusal(unknown_units(call.tr, unknown))
    minutes.set_attendance(
        call.db, sitting.meeting.id, sitting.key, codes, call.user.user_id, call.now
    )
    call.audit_detail["units"] = codes
    units = unit_labels(call.tr, codes, unit_names(call.db))
    return Reply(text=call.tr("Present at #{id}: {units}.", id=sitting.meeting.id, units=units))


def decision(call: Call) -> Reply:
    """Record a decision, on an item (#n) or on the meeting generally."""
    head, rest = split_head(call.args)
    if not head or not rest.strip():
        raise UsageError()
    can_record(call)
    sitting = load_sitting(call, head)
    open_for_recording(call, sitting)
    item = None
    first, after = split_head(rest)
    if first.startswith("#") and first[1:].isdigit():
        if not after:
            raise UsageError()
        item = item_number(call, sitting, first)
        rest = after
    text = rest.strip()
    if len(text) > MAX_TEXT:
        raise UsageError(call.tr("That text is too long (up to 2000 characters)."))
    decision_id = minutes.add_decision(
        call.db,
        sitting.meeting.id,
        sitting.key,
        item.id if item else None,
        text,
        call.user.user_id,
        call.now,
    )
    if item is not None:
        agenda.mark_reached(call.db, item.id)
    call.audit_detail.update(decision=decision_id, item=item.id if item else None)
    where = call.tr("on “{title}”", title=esc(item.title)) if item else call.tr("(general)")
    return Reply(text=call.tr("Decision recorded {where}: {text}", where=where, text=esc(text)))


def show_minutes(call: Call) -> Reply:
    """The minutes (the draft until published)."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    sitting = load_sitting(call, words[0])
    tz = call.services.config.tz
    data = compile_minutes(call.db, sitting)
    return Reply(sections=minutes_sections(data, tz, call.tr, call.now.astimezone(tz).date()))


def minutes_publish(call: Call) -> Reply:
    """Freeze the minutes, carry unreached items over and push the minutes to the groups."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    sitting = load_sitting(call, words[0])
    svc, tz = call.services, call.services.config.tz
    done = minutes.publication(call.db, sitting.meeting.id, sitting.key)
    if done is not None:
        raise Refusal(
            call.tr(
                "The minutes of #{id} were already published as No. {number}; "
                "use /minutes_correct.",
                id=sitting.meeting.id,
                number=done.number,
            )
        )
    if call.now < sitting.start:
        raise Refusal(call.tr("Meeting #{id} has not started yet.", id=sitting.meeting.id))
    year = sitting.start.astimezone(tz).year
    pub = minutes.publish(
        call.db, sitting.meeting.id, sitting.key, year, call.user.user_id, call.now
    )
    agenda_service.carry(svc, sitting, call.now)
    today = call.now.astimezone(tz).date()
    agenda_service.push(
        svc,
        f"minpub:{sitting.ref}",
        "minutes",
        lambda tr: minutes_text(compile_minutes(svc.db, sitting), tz, tr, today),
        call.now,
    )
    call.audit_detail.update(year=pub.year, number=pub.number)
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
    can_record(call)
    sitting = load_sitting(call, head)
    svc, tz = call.services, call.services.config.tz
    if minutes.publication(call.db, sitting.meeting.id, sitting.key) is None:
        raise Refusal(
            call.tr(
                "The minutes of #{id} are not published yet: edit the draft.",
                id=sitting.meeting.id,
            )
        )
    cid = minutes.add_correction(
        call.db, sitting.meeting.id, sitting.key, text, call.user.user_id, call.now
    )
    data = compile_minutes(call.db, sitting)
    correction = next(c for c in data.corrections if c.id == cid)
    agenda_service.push(
        svc,
        f"mincorr:{cid}",
        "minutes",
        lambda tr: correction_notice(data, correction, tz, tr),
        call.now,
    )
    call.audit_detail["correction"] = cid
    return Reply(text=correction_notice(data, correction, tz, call.tr))


def minutes_export(call: Call) -> Reply:
    """The minutes as a Word or Markdown document."""
    words = call.words()
    if not 1 <= len(words) <= 2 or (len(words) == 2 and words[1].lower() not in ("docx", "md")):
        raise UsageError()
    sitting = load_sitting(call, words[0])
    tz = call.services.config.tz
    data = compile_minutes(call.db, sitting)
    today = call.now.astimezone(tz).date()
    fmt = words[1].lower() if len(words) == 2 else "docx"
    render = minutes_md if fmt == "md" else minutes_docx
    stamp = sitting.start.astimezone(tz).strftime("%Y%m%d")
    name = f"minutes-{sitting.meeting.id}-{stamp}.{fmt}"
    return Reply(
        document=Document(
            name,
            render(data, tz, call.tr, today),
            call.tr("Minutes of #{id}", id=sitting.meeting.id),
        )
    )


def secretariat(call: Call) -> Reply:
    """Show or set the unit whose staff may record minutes."""
    words = call.words()
    if len(words) > 1:
        raise UsageError()
    if words and is_word(words[0], NONE_WORDS):
        minutes.set_secretariat_unit(call.db, None)
    elif words:
        unit = people.get_unit(call.db, words[0])
        if unit is None:
            raise Refusal(unknown_units(call.tr, [words[0][:40]]))
        minutes.set_secretariat_unit(call.db, unit.code.upper())
    code = minutes.secretariat_unit(call.db)
    call.audit_detail["secretariat"] = code
    if code is None:
        return Reply(text=call.tr("No secretariat unit: only admins record minutes."))
    return Reply(
        text=call.tr(
            "Secretariat unit: {code}. Its staff and the admins record minutes.",
            code=unit_label(call.tr, code, unit_names(call.db)),
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
