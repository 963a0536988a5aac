"""Reading reporting rounds (no writes): a round's standing by unit, the current round,
each unit's compliance over the last rounds, and the rounds a bulletin reports on.

`compliance(svc, last_n)` is the read the web dashboard's grid uses: plain data
(bot.domain.rounds.Compliance), no rendering.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlite_utils import Database

from bot.domain.rounds import Compliance, Scope, Standing, history, tally
from storage import round_reports
from storage import rounds as stored
from storage.rounds import Round

if TYPE_CHECKING:
    from bot.services import Services

DEFAULT_LAST = 6
MAX_LAST = 24


def standing(db: Database, opened: Round, now: datetime) -> Standing:
    """How every unit a round asked stands at `now` (missing only once the deadline passed)."""
    reported = {
        (r.project_code.upper(), r.unit_code.upper()): r.late
        for r in round_reports.reports(db, opened.id)
    }
    closed = now >= opened.deadline_at
    units = tally(stored.asked(db, opened.id), reported, closed)
    return Standing(
        opened.id,
        Scope.from_stored(opened.scope),
        opened.opened_at,
        opened.deadline_at,
        closed,
        tuple(units),
    )


def current(svc: Services, now: datetime) -> Standing | None:
    """The round opened last, as it stands now; None before the first round."""
    opened = stored.latest_round(svc.db)
    return standing(svc.db, opened, now) if opened else None


def of_round(svc: Services, round_id: int, now: datetime) -> Standing | None:
    """One round by number, as it stands now."""
    opened = stored.get_round(svc.db, round_id)
    return standing(svc.db, opened, now) if opened else None


def compliance(
    svc: Services, last_n: int = DEFAULT_LAST, now: datetime | None = None
) -> Compliance:
    """Each unit's record over the last `last_n` rounds (1 to MAX_LAST), oldest round
    first: a cell per round, on_time / late / missing / open, or None where not asked."""
    moment = now or svc.clock.now()
    count = max(1, min(last_n, MAX_LAST))
    return history(standing(svc.db, r, moment) for r in stored.last_rounds(svc.db, count))


def for_bulletin(db: Database, after: datetime | None, end: datetime) -> list[Standing]:
    """The rounds an issue covering (after, end] reports on: opened by its end, with a
    deadline after its start (a round still open shows who has not reported yet)."""
    return [standing(db, r, end) for r in stored.rounds_between(db, after, end)]
