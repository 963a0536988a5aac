"""The RSVP service at the seam: answers per occurrence, refusals that change nothing, and
the delegate's name on the card and in the minutes.

The `svc` fixture stands at Tue 1 Dec 2026 10:00 in Shanghai (02:00 UTC).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.agenda_rules import sitting_at
from bot.domain.meeting_errors import (
    MeetingCancelled,
    MeetingError,
    MeetingNotFound,
    NoOccurrence,
    NotAnOccurrence,
    OccurrenceCancelled,
    OccurrenceStarted,
)
from bot.domain.timeparse import When
from bot.i18n import Tr, Translator
from bot.render.meeting import card
from bot.render.minutes import minutes_sections
from bot.services import Services, meetings, rsvp
from bot.services.minutes import compile_minutes
from storage import people

H, D = timedelta(hours=1), timedelta(days=1)
SAM, MEI = 7_000_000_001, 7_000_000_002
START = datetime(2026, 12, 4, 6, 0, tzinfo=UTC)  # Fri 4 Dec 2026 14:00 Shanghai
DEC8 = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)  # Tue 8 Dec 10:00, a weekly series
EN, ZH = Translator().get("en"), Translator().get("zh")


def new(svc: Services, start: datetime = START, rrule: str | None = None) -> int:
    """A two-hour joint meeting; its id."""
    made = meetings.create(
        svc,
        kind="joint",
        title="Joint",
        place="",
        when=When(start, start + 2 * H),
        rrule=rrule,
        by=SAM,
        now=svc.clock.now(),
    )
    return made.meeting.id


def staff(svc: Services) -> None:
    """Sam of TECH and Mei of BJ."""
    now = svc.clock.now()
    for code, name in (("TECH", "Technology"), ("BJ", "Beijing")):
        people.add_unit(svc.db, code, name, now)
    people.touch_person(svc.db, SAM, "sam", "Sam", None, "en", now)
    people.touch_person(svc.db, MEI, "mei", "Mei", None, "zh", now)
    people.set_role(svc.db, SAM, "staff", "TECH", now)
    people.set_role(svc.db, MEI, "member", "BJ", now)


def answers(svc: Services, mid: int) -> list[tuple[str, int, str, str | None]]:
    """(occurrence key, person, answer, delegate) of every stored answer."""
    rows = svc.db.query("SELECT * FROM rsvps WHERE meeting_id = ? ORDER BY occ, user_id", [mid])
    return [(r["occ"], r["user_id"], r["answer"], r["delegate"]) for r in rows]


def test_answers_change_until_the_start(svc: Services) -> None:
    staff(svc)
    mid = new(svc)
    now = svc.clock.now()
    done = rsvp.answer(svc, mid, "", MEI, "BJ", "attend", now)
    assert done.card.open and [a.answer for a in done.card.answers] == ["attend"]
    assert done.audit == {"meeting": mid, "occ": "", "answer": "attend"}
    rsvp.answer(svc, mid, "", MEI, "BJ", "decline", now)
    rsvp.answer(svc, mid, "", SAM, "TECH", "delegate", now)
    assert answers(svc, mid) == [("", SAM, "delegate", None), ("", MEI, "decline", None)]


def test_a_series_is_answered_per_occurrence(svc: Services) -> None:
    mid = new(svc, DEC8, rrule="FREQ=WEEKLY")
    now = svc.clock.now()
    rsvp.answer(svc, mid, "20261215T020000", MEI, None, "attend", now)
    done = rsvp.answer(svc, mid, "20261208T020000", MEI, None, "decline", now)
    assert done.card.meeting.start == DEC8
    assert answers(svc, mid) == [
        ("20261208T020000", MEI, "decline", None),
        ("20261215T020000", MEI, "attend", None),
    ]


@pytest.mark.parametrize(
    ("meeting", "occ", "error"),
    [
        ("missing", "", NotAnOccurrence),
        ("series", "", NotAnOccurrence),  # a series is answered per occurrence
        ("series", "20261209T020000", NotAnOccurrence),  # a Wednesday: not an occurrence
        ("series", "garbage", NotAnOccurrence),
        ("series", "20261222T020000", OccurrenceCancelled),
        ("series", "20261201T020000", OccurrenceStarted),  # this morning's
        ("cancelled", "", MeetingCancelled),
    ],
)
def test_refused_answers_change_nothing(
    svc: Services, meeting: str, occ: str, error: type[MeetingError]
) -> None:
    now = svc.clock.now()
    series = new(svc, datetime(2026, 12, 1, 2, 0, tzinfo=UTC), rrule="FREQ=WEEKLY")
    meetings.cancel(svc, series, date(2026, 12, 22), "", now)
    one_off = new(svc)
    meetings.cancel(svc, one_off, None, "", now)
    mid = {"missing": 99, "series": series, "cancelled": one_off}[meeting]
    with pytest.raises(error):
        rsvp.answer(svc, mid, occ, MEI, None, "attend", now)
    assert svc.db.execute("SELECT COUNT(*) FROM rsvps").fetchone()[0] == 0


def test_delegate_name_is_kept_then_dropped(svc: Services) -> None:
    staff(svc)
    mid = new(svc)
    now = svc.clock.now()
    done = rsvp.send_delegate(svc, mid, None, SAM, "TECH", "Wang Wei", now)
    assert done.audit == {"meeting": mid, "occ": "", "answer": "delegate", "delegate": "Wang Wei"}
    rsvp.answer(svc, mid, "", SAM, "TECH", "delegate", now)  # the button again: name kept
    assert answers(svc, mid) == [("", SAM, "delegate", "Wang Wei")]
    rsvp.answer(svc, mid, "", SAM, "TECH", "attend", now)  # going after all: name dropped
    assert answers(svc, mid) == [("", SAM, "attend", None)]


@pytest.mark.parametrize(
    ("day", "error"),
    [
        (date(2026, 12, 15), None),
        (date(2026, 12, 16), NoOccurrence),
        (date(2026, 12, 22), OccurrenceCancelled),
        (date(2026, 12, 1), OccurrenceStarted),
    ],
)
def test_delegate_for_one_occurrence_by_its_date(
    svc: Services, day: date, error: type[MeetingError] | None
) -> None:
    now = svc.clock.now()
    mid = new(svc, datetime(2026, 12, 1, 1, 0, tzinfo=UTC), rrule="FREQ=WEEKLY")
    meetings.cancel(svc, mid, date(2026, 12, 22), "", now)
    if error is not None:
        with pytest.raises(error):
            rsvp.send_delegate(svc, mid, day, MEI, None, "Zhang", now)
        assert answers(svc, mid) == []
        return
    rsvp.send_delegate(svc, mid, day, MEI, None, "Zhang", now)
    assert answers(svc, mid) == [("20261215T010000", MEI, "delegate", "Zhang")]


def test_delegate_of_an_unknown_meeting(svc: Services) -> None:
    with pytest.raises(MeetingNotFound):
        rsvp.send_delegate(svc, 99, None, MEI, None, "Zhang", svc.clock.now())


@pytest.mark.parametrize(
    ("tr", "line"),
    [(EN, "• Wang Wei &lt;2&gt; (for Sam, TECH)"), (ZH, "• Wang Wei &lt;2&gt;（代Sam，TECH）")],
)
def test_card_and_minutes_show_the_delegate(svc: Services, tr: Tr, line: str) -> None:
    staff(svc)
    mid = new(svc)
    now = svc.clock.now()
    rsvp.answer(svc, mid, "", MEI, "BJ", "attend", now)
    rsvp.send_delegate(svc, mid, None, SAM, "TECH", "Wang Wei <2>", now)
    view = rsvp.card(svc, mid, now)
    text = card(view.meeting, view.answers, view.offsets, svc.config.tz, tr, view.names)
    assert line in text.splitlines()
    data = compile_minutes(svc.db, sitting_at(view.meeting, ""))
    assert data.attendance == ["BJ", "TECH"]
    sections = minutes_sections(data, svc.config.tz, tr, now.date())
    assert line in "\n".join(sections).splitlines()


def test_coming_lists_the_next_sixty_days(svc: Services) -> None:
    new(svc)
    new(svc, datetime(2027, 3, 1, 2, 0, tzinfo=UTC))
    series = new(svc, DEC8, rrule="FREQ=WEEKLY")
    found = rsvp.coming(svc, svc.clock.now())
    assert [m.id for m in found][:3] == [1, series, series]
    assert 2 not in [m.id for m in found] and len(found) == 9
