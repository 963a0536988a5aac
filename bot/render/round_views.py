"""Reporting rounds as people read their state: a round's standing by unit, the admins'
summary at the deadline, the compliance record, the bulletin's section, the schedules.
Counts carry measure words in Chinese (应报送单位3家，其中按时报送1家…).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.rounds import Cadence, Compliance, Scope, Standing, Status, UnitRecord
from bot.domain.timeparse import OffsetError, parse_offsets
from bot.i18n import N_, Tr
from bot.render.dates import show_datetime, show_day
from bot.render.project import category_name
from bot.render.recurrence import WEEKDAY_NAMES, duration_words
from bot.render.text import esc
from bot.render.units import unit_label

TIER_NAMES = {"key": N_("key"), "regular": N_("regular"), "watch": N_("watch-list")}
CELLS: dict[Status | None, str] = {
    "on_time": "✅",
    "late": "⏰",
    "missing": "❌",
    "open": "⏳",
    None: "·",
}


def scope_text(tr: Tr, scope: Scope) -> str:
    """'all running projects', or the categories, tiers and codes named."""
    if scope.everything:
        return tr("all running projects")
    names = [category_name(tr, c) for c in scope.categories]
    names += [tr(TIER_NAMES.get(t, t)) for t in scope.tiers]
    names += [esc(c) for c in scope.codes]
    return tr.join(names)


def _counted(tr: Tr, standing: Standing) -> str:
    """'3 units asked: 1 on time, 1 late, 1 not reported' / '应报送3家单位：…'."""
    n = len(standing.units)
    missing = standing.count("missing") + standing.count("open")
    if standing.closed:
        return tr.ngettext(
            "{n} unit asked: {on_time} on time, {late} late, {missing} not reported",
            "{n} units asked: {on_time} on time, {late} late, {missing} not reported",
            n,
            on_time=standing.count("on_time"),
            late=standing.count("late"),
            missing=missing,
        )
    return tr.ngettext(
        "{n} unit asked: {on_time} on time, {late} late, {missing} not yet reported",
        "{n} units asked: {on_time} on time, {late} late, {missing} not yet reported",
        n,
        on_time=standing.count("on_time"),
        late=standing.count("late"),
        missing=missing,
    )


def _unit(tr: Tr, record: UnitRecord, names: Mapping[str, str]) -> str:
    label = unit_label(tr, record.unit, names)
    if record.asked > 1 and record.reported < record.asked:
        return tr("{unit} ({done}/{asked})", unit=label, done=record.reported, asked=record.asked)
    return label


_STATUS_LINES = {
    "on_time": N_("✅ On time: {units}"),
    "late": N_("⏰ Late: {units}"),
    "missing": N_("❌ Not reported: {units}"),
    "open": N_("⏳ Not yet reported: {units}"),
}


def _by_status(tr: Tr, standing: Standing, names: Mapping[str, str]) -> list[str]:
    lines = []
    for status, message in _STATUS_LINES.items():
        units = [_unit(tr, u, names) for u in standing.units if u.status == status]
        if units:
            lines.append(tr(message, units=tr.join(units)))
    return lines


def standing_text(tr: Tr, tz: ZoneInfo, standing: Standing, names: Mapping[str, str]) -> str:
    """/round: the round, its window, and every unit asked by how it stands."""
    lines = [
        tr("<b>Reporting round #{n}</b>", n=standing.round_id),
        tr("Scope: {scope}", scope=scope_text(tr, standing.scope)),
        tr(
            "Opened {opened}; deadline {deadline}",
            opened=show_datetime(standing.opened_at, tz, tr),
            deadline=show_datetime(standing.deadline_at, tz, tr),
        ),
    ]
    if standing.closed:
        lines.append(tr("The deadline has passed; late reports are still taken."))
    lines.append(_counted(tr, standing))
    return "\n".join(lines + _by_status(tr, standing, names))


def closed_notice(tr: Tr, tz: ZoneInfo, standing: Standing, names: Mapping[str, str]) -> str:
    """The admins' summary when a round's deadline passes."""
    lines = [
        tr("<b>Round #{n}: the deadline has passed</b>", n=standing.round_id),
        _counted(tr, standing),
    ]
    return "\n".join(lines + _by_status(tr, standing, names) + [tr("See /round.")])


def compliance_text(tr: Tr, tz: ZoneInfo, record: Compliance, names: Mapping[str, str]) -> str:
    """/compliance: each unit's cells over the last rounds, with its counts."""
    rounds = record.rounds
    if not rounds:
        return tr("No reporting round has been opened yet.")
    lines = [
        tr.ngettext(
            "<b>Report compliance: the last round</b>",
            "<b>Report compliance: the last {n} rounds</b>",
            len(rounds),
        ),
        tr(
            "Rounds: {rounds}",
            rounds=tr.join(
                tr(
                    "#{n} {date}",
                    n=r.round_id,
                    date=show_day(r.opened_at.astimezone(tz).date(), tr),
                )
                for r in rounds
            ),
        ),
        tr("✅ on time ⏰ late ❌ not reported ⏳ still open · not asked"),
    ]
    for history in record.units:
        lines.append(
            tr(
                "{unit}: {cells} (on time {on_time}, late {late}, not reported {missing})",
                unit=unit_label(tr, history.unit, names),
                cells="".join(CELLS[c] for c in history.cells),
                on_time=history.count("on_time"),
                late=history.count("late"),
                missing=history.count("missing"),
            )
        )
    return "\n".join(lines)


def bulletin_section(
    tr: Tr, tz: ZoneInfo, standings: Sequence[Standing], names: Mapping[str, str]
) -> str:
    """The bulletin's section on the rounds of its period and who reported."""
    lines = [tr("<b>Periodic reports</b>")]
    for standing in standings:
        head = tr(
            "Round #{n} (deadline {when})",
            n=standing.round_id,
            when=show_datetime(standing.deadline_at, tz, tr),
        )
        lines.append(tr("{head}: {text}", head=head, text=_counted(tr, standing)))
        lines += _by_status(tr, standing, names)
    return "\n".join(lines)


def cadence_text(tr: Tr, cadence: Cadence) -> str:
    """'every week on Friday at 09:00' / '每周五 09:00'."""
    if cadence.freq == "weekly":
        rule = tr("every week on {days}", days=tr(WEEKDAY_NAMES[cadence.day]))
    else:
        rule = tr("every month on day {day}", day=cadence.day)
    return tr("{rule} at {time}", rule=rule, time=cadence.at)


def deadline_rule_text(tr: Tr, rule: str) -> str:
    """A schedule's deadline rule: '2 days after opening', or the time as typed."""
    try:
        lengths = parse_offsets(rule)
    except OffsetError:
        lengths = []
    if len(lengths) == 1:
        return tr("{length} after opening", length=duration_words(lengths[0], tr))
    return esc(rule)


def schedule_line(
    tr: Tr,
    tz: ZoneInfo,
    schedule_id: int,
    cadence: Cadence,
    deadline: str,
    scope: Scope,
    next_open: datetime | None,
) -> str:
    """One schedule: its number, cadence, deadline rule, scope and next opening."""
    return tr(
        "#{id} {cadence}; deadline: {deadline}; scope: {scope}; next: {when}",
        id=schedule_id,
        cadence=cadence_text(tr, cadence),
        deadline=deadline_rule_text(tr, deadline),
        scope=scope_text(tr, scope),
        when=show_datetime(next_open, tz, tr) if next_open else "—",
    )
