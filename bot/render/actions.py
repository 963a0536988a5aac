"""Action-item texts: one line, lists, reminders, the weekly digest and the bulletin section."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain.timeparse import HolidayCalendar
from bot.i18n import Tr
from bot.render.dates import show_date
from bot.render.holidays import not_loaded
from bot.render.text import clip, esc
from storage.actions import Action
from storage.people import Unit


def owner_text(action: Action, tr: Tr) -> str:
    """The owner as shown (escaped): a person, a unit, or UNASSIGNED."""
    return esc(action.owner_label) if action.owner_label else tr("UNASSIGNED")


def action_line(action: Action, tr: Tr, today: date, owner: bool = True) -> str:
    """'A7 · Sam · Draft the rules — due Fri 4 Dec 2026 ⚠️ overdue' (one line of HTML)."""
    parts = [f"A{action.id}"]
    if owner:
        parts.append(owner_text(action, tr))
    text = " · ".join(parts) + f" · {esc(action.text)}"
    text += " — " + tr("due {date}", date=show_date(action.due, tr))
    if action.state == "done":
        text += " ✅ " + tr("done")
    elif action.overdue(today):
        text += " ⚠️ " + tr("overdue")
    return text


def heading(which: str, unit: Unit | None, tr: Tr) -> str:
    """The title of an /actions list (plain text: actions_list escapes it)."""
    if which == "mine":
        return tr("My action items")
    if which == "overdue":
        return tr("Overdue action items")
    if which == "all":
        return tr("All action items")
    if unit is not None:
        label = tr("{name} ({code})", name=unit.name, code=unit.code)
        return tr("Action items of {unit}", unit=label)
    return tr("Open action items")


def due_early_text(why: str, again: str, tr: Tr) -> str:
    """Asking back about a relative due date that falls on or before the meeting: why,
    then the command to send with the date written out, which is taken as meant."""
    return "\n".join(
        [
            why,
            tr("If that is the date you mean, send it written out:"),
            f"<code>{esc(clip(again, 3000))}</code>",
        ]
    )


def actions_list(heading: str, found: Sequence[Action], tr: Tr, today: date) -> str:
    """A titled list of actions, or a line saying there are none."""
    if not found:
        return tr("No action items here.")
    return "\n".join([f"<b>{esc(heading)}</b>"] + [action_line(a, tr, today) for a in found])


def actions_section(actions: Sequence[Action], tr: Tr, tz: ZoneInfo, now: datetime) -> str:
    """The bulletin's section on open action items: overdue first, then the rest."""
    today = now.astimezone(tz).date()
    open_ = [a for a in actions if a.state == "open"]
    if not open_:
        return "\n".join([tr("<b>Action items</b>"), tr("No open action items.")])
    late = [a for a in open_ if a.overdue(today)]
    rest = [a for a in open_ if not a.overdue(today)]
    lines = [tr("<b>Action items</b>")]
    lines.append(tr("{open} open, {overdue} overdue.", open=len(open_), overdue=len(late)))
    lines += [action_line(a, tr, today) for a in late + rest]
    return "\n".join(lines)


def created_text(action: Action, tr: Tr, today: date) -> str:
    """The confirmation after /action."""
    return "\n".join([tr("Action recorded:"), action_line(action, tr, today)])


def recorded_text(
    action: Action, early: date | None, cal: HolidayCalendar, tr: Tr, today: date
) -> str:
    """The answer to /action: the action, a warning when it is due on or before the meeting
    it comes from (`early`: that meeting's date) and when its year's holidays are assumed."""
    lines = [created_text(action, tr, today)]
    if early is not None:
        lines.append(
            "⚠️ "
            + tr("Due on or before the meeting it comes from ({date}).", date=show_date(early, tr))
        )
    unknown = not_loaded(cal, action.due.year, tr)
    if unknown:
        lines.append(f"⚠️ {unknown}")
    return "\n".join(lines)


def reminder_text(action: Action, stage: str, tr: Tr, today: date) -> str:
    """A private reminder: due soon ('pre') or now overdue ('over')."""
    head = tr("⏰ Action item due soon") if stage == "pre" else tr("⚠️ Action item overdue")
    return "\n".join(
        [head, action_line(action, tr, today), tr("Close it with /done {id}.", id=action.id)]
    )


def digest_text(found: Sequence[Action], tr: Tr, today: date) -> str:
    """The weekly overdue digest for the admins."""
    lines = [tr("<b>Overdue action items: {n}</b>", n=len(found))]
    lines += [action_line(a, tr, today) for a in found]
    return "\n".join(lines)


def closed_text(action: Action, note: str, tr: Tr) -> str:
    """The confirmation after /done."""
    text = tr("Action A{id} closed: {text}", id=action.id, text=esc(action.text))
    if note:
        text += "\n" + tr("Note: {note}", note=esc(note))
    return text
