"""Literal minutes data for the renderers and document exports: meeting #7 (joint, Tue 8 Sep
2026 10:00 in Shanghai) written up on 10 September."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.agenda_rules import Sitting
from bot.render.minutes import MinutesData
from storage.actions import Action
from storage.agenda import Item
from storage.minutes import Correction, Decision, Publication
from tests.support.meetings import at, meeting

NOW = at("2026-09-10 17:00")
TODAY = date(2026, 9, 10)


def item(n: int, title: str = "Item", reached: bool = False, **kw: object) -> Item:
    """An agenda item with defaults."""
    values: dict[str, object] = dict(
        id=n,
        meeting_id=7,
        occ="",
        meeting_kind="joint",
        sitting_start=at("2026-09-08 10:00"),
        position=n,
        title=title,
        kind="report",
        major=False,
        project=None,
        minutes=None,
        submitter=2,
        submitter_name="Sam",
        unit_code="TECH",
        late=False,
        state="open",
        drop_reason=None,
        forward=None,
        carried_to=None,
        origin=None,
        origin_id=None,
        reached=reached,
    )
    values.update(kw)
    return Item(**values)  # type: ignore[arg-type]


def action(
    n: int, owner_user: int | None, owner_unit: str | None, due: date, **kw: object
) -> Action:
    """An action item with defaults."""
    values: dict[str, object] = dict(
        id=n,
        meeting_id=7,
        occ="",
        meeting_kind="joint",
        sitting_start=at("2026-09-08 10:00"),
        item_id=None,
        owner_user=owner_user,
        owner_name="Sam" if owner_user else "",
        owner_unit=owner_unit,
        due=due,
        text=f"Task {n}",
        state="open",
        done_at=None,
        done_note=None,
    )
    values.update(kw)
    return Action(**values)  # type: ignore[arg-type]


def data(published: bool = False) -> MinutesData:
    """Minutes with one discussed item, one not reached, three owners incl. unassigned."""
    return MinutesData(
        sitting=Sitting(meeting(), ""),
        attendance=["BJ", "TECH"],
        from_rsvps=False,
        unit_names={"BJ": "Beijing Bureau", "TECH": "Tech <Bureau>"},
        items=[item(1, "Exit <rules>", reached=True, kind="deliberation"), item(2, "Data pilot")],
        decisions=[Decision(1, 1, "Adopted & noted", NOW), Decision(2, None, "Next in Oct", NOW)],
        actions=[
            action(1, None, None, date(2026, 9, 20)),
            action(2, 2, None, date(2026, 9, 1)),
            action(3, None, "BJ", date(2026, 10, 8)),
        ],
        publication=Publication(2026, 3, NOW, 1) if published else None,
        corrections=[Correction(1, "Fix \x07 typo", NOW + timedelta(days=1))] if published else [],
    )
