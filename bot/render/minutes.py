"""Minutes texts (pure): attendance, items with decisions, items not reached, actions by
owner with an UNASSIGNED bucket, corrections; and the official number （2026）第3号."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from bot.domain.agenda_rules import Sitting
from bot.i18n import Tr
from bot.render.actions import action_line
from bot.render.agenda import item_kind
from bot.render.dates import show_date, show_datetime
from bot.render.meeting import delegate_lines, heading
from bot.render.text import esc
from bot.render.units import unit_label, unit_labels
from bot.render.votes import result_line
from storage.actions import Action
from storage.agenda import Item
from storage.minutes import Correction, Decision, Publication
from storage.rsvps import Rsvp
from storage.votes import Result


@dataclass(frozen=True)
class MinutesData:
    """Everything the minutes of one sitting show."""

    sitting: Sitting
    attendance: list[str]
    from_rsvps: bool
    unit_names: dict[str, str]
    items: list[Item]
    decisions: list[Decision]
    actions: list[Action]
    publication: Publication | None = None
    corrections: list[Correction] = field(default_factory=list)
    delegates: list[Rsvp] = field(default_factory=list)  # "send a delegate", named
    votes: list[Result] = field(default_factory=list)  # closed votes, each on an item


def vote_results(data: MinutesData, item: Item, tr: Tr) -> list[str]:
    """The result lines (plain text) of the votes closed on an item."""
    return [result_line(tr, r.vote, r.ballots) for r in data.votes if r.vote.item_id == item.id]


def number_text(pub: Publication, tr: Tr) -> str:
    """The official number: '（2026）第3号' in Chinese, 'No. 3 (2026)' in English."""
    return tr("No. {number} ({year})", number=pub.number, year=pub.year)


def title_text(data: MinutesData, tr: Tr) -> str:
    """'Minutes No. 3 (2026)' or 'DRAFT minutes' (plain text, no HTML)."""
    if data.publication is None:
        return tr("DRAFT minutes")
    return tr("Minutes {number}", number=number_text(data.publication, tr))


def discussed(data: MinutesData) -> list[tuple[int, Item]]:
    """(agenda number, item) of the items the meeting dealt with."""
    return [(n, i) for n, i in enumerate(data.items, start=1) if i.reached]


def not_reached(data: MinutesData) -> list[tuple[int, Item]]:
    """(agenda number, item) of the items left undiscussed."""
    return [(n, i) for n, i in enumerate(data.items, start=1) if not i.reached]


def by_owner(found: list[Action], tr: Tr) -> list[tuple[str, list[Action]]]:
    """Actions grouped by owner label, named owners first, the UNASSIGNED bucket last."""
    groups: dict[str, list[Action]] = {}
    for action in found:
        groups.setdefault(action.owner_label, []).append(action)
    named = sorted((k, v) for k, v in groups.items() if k)
    if "" in groups:
        named.append((tr("UNASSIGNED"), groups[""]))
    return named


def _attendance(data: MinutesData, tr: Tr) -> str:
    units = unit_labels(tr, data.attendance, data.unit_names)
    lines = [tr("<b>Present</b>")]
    lines.append(units if units else tr("No attendance recorded."))
    if data.from_rsvps and units:
        lines.append(tr("(from RSVPs; record with /present)"))
    sent = delegate_lines(data.delegates, tr)
    if sent:
        lines += [tr("<b>Delegates</b>"), *sent]
    return "\n".join(lines)


def _items(data: MinutesData, tr: Tr) -> str:
    lines = [tr("<b>Items discussed</b>")]
    by_item: dict[int | None, list[Decision]] = {}
    for decision in data.decisions:
        by_item.setdefault(decision.item_id, []).append(decision)
    done = discussed(data)
    if not done:
        lines.append(tr("None recorded."))
    for number, item in done:
        kind = esc(item_kind(tr, item.kind))
        lines.append(f"{number}. " + tr("[{label}] {title}", label=kind, title=esc(item.title)))
        for decision in by_item.get(item.id, []):
            lines.append("   " + tr("▸ Decided: {text}", text=esc(decision.text)))
        lines += ["   🗳 " + esc(line) for line in vote_results(data, item, tr)]
        if item.state == "forwarded" and item.forward == "escalate":
            lines.append("   " + tr("⬆️ sent up to the coordination group"))
    general = by_item.get(None, [])
    if general:
        lines.append(tr("<b>Other decisions</b>"))
        lines += ["▸ " + esc(d.text) for d in general]
    return "\n".join(lines)


def _not_reached(data: MinutesData, tr: Tr) -> str | None:
    left = not_reached(data)
    if not left:
        return None
    lines = [tr("<b>Items not reached</b> (carried over to the next meeting of this kind)")]
    lines += [
        f"{n}. " + tr("{text} ({note})", text=esc(i.title), note=esc(i.unit_code or "—"))
        for n, i in left
    ]
    return "\n".join(lines)


def _actions(data: MinutesData, tr: Tr, today: date) -> str:
    lines = [tr("<b>Action items</b>")]
    if not data.actions:
        lines.append(tr("None recorded."))
    for owner, found in by_owner(data.actions, tr):
        unit = found[0].owner_unit if found[0].owner_user is None else None
        label = unit_label(tr, unit, data.unit_names) if unit else esc(owner)
        lines.append(f"<u>{label}</u>")
        lines += ["   " + action_line(a, tr, today, owner=False) for a in found]
    return "\n".join(lines)


def minutes_sections(data: MinutesData, tz: ZoneInfo, tr: Tr, today: date) -> list[str]:
    """The minutes as sections (each splits cleanly into messages)."""
    head = [f"<b>{esc(title_text(data, tr))}</b>", heading(data.sitting.meeting, tz, tr)]
    if data.publication is not None:
        head.append(
            tr("Published {when}.", when=show_datetime(data.publication.published_at, tz, tr))
        )
    sections = ["\n".join(head), _attendance(data, tr), _items(data, tr)]
    left = _not_reached(data, tr)
    if left:
        sections.append(left)
    sections.append(_actions(data, tr, today))
    if data.corrections:
        lines = [tr("<b>Corrections</b>")]
        lines += [
            tr(
                "{date}: {text}",
                date=show_date(c.recorded_at.astimezone(tz).date(), tr),
                text=esc(c.text),
            )
            for c in data.corrections
        ]
        sections.append("\n".join(lines))
    return sections


def minutes_text(data: MinutesData, tz: ZoneInfo, tr: Tr, today: date) -> str:
    """The minutes as one HTML text."""
    return "\n\n".join(minutes_sections(data, tz, tr, today))


def correction_notice(data: MinutesData, correction: Correction, tz: ZoneInfo, tr: Tr) -> str:
    """Pushed when published minutes are corrected."""
    number = number_text(data.publication, tr) if data.publication else ""
    return "\n".join(
        [
            tr("✏️ Correction to minutes {number}", number=number),
            heading(data.sitting.meeting, tz, tr),
            tr(
                "{date}: {text}",
                date=show_date(correction.recorded_at.astimezone(tz).date(), tr),
                text=esc(correction.text),
            ),
        ]
    )
