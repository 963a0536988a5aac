"""Publishing an agenda, amending it after, and adopting the items waiting for it.

Publication locks a sitting's agenda and pushes it to the chats subscribed to `meetings`
once; any later change goes out as a numbered amendment listing what was added, removed or
renumbered. Items waiting to move on (carried over, or #major items sent up to the
coordination group) join the first sitting of the right kind whose agenda is looked at,
added to or published; that re-plans its rows and amends a published agenda. Pushes go
through bot.services.notify under keys naming the sitting, so nothing is pushed twice.

Part of the agenda service (map in bot/services/agenda.py): used by its commands and by the
timed jobs (agenda_jobs.py); imports only agenda_timing.py of the other parts.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.agenda_rules import ESCALATE_FROM, ESCALATE_TO, Line, Sitting
from bot.domain.agenda_rules import diff as diff_lines
from bot.domain.meeting_times import Meeting
from bot.i18n import Tr
from bot.render.agenda import AgendaView, amendment_text, published_text, view_text
from bot.services import Services, notify
from bot.services.agenda_timing import deadlines_of, replan
from storage import actions, agenda, agenda_sittings
from storage.agenda import Item


def gather(svc: Services, sitting: Sitting[Meeting], now: datetime) -> AgendaView:
    """Everything the agenda of a sitting shows, as it stands."""
    db, mid = svc.db, sitting.meeting.id
    return AgendaView(
        sitting=sitting,
        items=agenda.items(db, mid, sitting.key),
        arising=actions.arising(db, sitting.meeting.kind, sitting.start),
        state=agenda_sittings.state_of(db, mid, sitting.key),
        cutoff=deadlines_of(svc, sitting, now).cutoff,
    )


def text_for(svc: Services, sitting: Sitting[Meeting], tr: Tr, now: datetime) -> str:
    """The agenda of a sitting as it stands, in one language (for notices)."""
    return view_text(gather(svc, sitting, now), svc.config.tz, tr, now)


def lines_of(found: list[Item]) -> list[Line]:
    """The published form of an agenda: (item id, number, title) per item."""
    return [Line(i.id, n, i.title) for n, i in enumerate(found, start=1)]


def publish(svc: Services, sitting: Sitting[Meeting], now: datetime) -> bool:
    """Lock the agenda and push it to the chats subscribed to `meetings`; False if it was
    published before."""
    db, mid, key = svc.db, sitting.meeting.id, sitting.key
    adopt(svc, sitting, now)
    snapshot = [[x.item_id, x.number, x.title] for x in lines_of(agenda.items(db, mid, key))]
    if not agenda_sittings.mark_published(db, mid, key, snapshot, now):
        return False
    notify.notify(
        svc,
        notify.subscribers(svc, "meetings"),
        f"agenda-published:{sitting.ref}",
        "agenda",
        lambda tr: published_text(text_for(svc, sitting, tr, now), tr),
        now,
    )
    return True


def amend(svc: Services, sitting: Sitting[Meeting], now: datetime) -> int | None:
    """After a change to a published agenda, push an amendment listing it; its number."""
    db, mid, key = svc.db, sitting.meeting.id, sitting.key
    state = agenda_sittings.state_of(db, mid, key)
    if state.published_at is None:
        return None
    before = [Line(int(r[0]), int(r[1]), str(r[2])) for r in state.snapshot]
    after = lines_of(agenda.items(db, mid, key))
    change = diff_lines(before, after)
    if not change:
        return None
    number = agenda_sittings.mark_amended(
        db, mid, key, [[x.item_id, x.number, x.title] for x in after]
    )
    tz = svc.config.tz
    notify.notify(
        svc,
        notify.subscribers(svc, "meetings"),
        f"agenda-amended:{sitting.ref}:{number}",
        "agenda",
        lambda tr: amendment_text(sitting, change, number, tz, tr),
        now,
    )
    return number


def adopt(svc: Services, sitting: Sitting[Meeting], now: datetime) -> int:
    """Bring waiting items into this sitting: carried ones of its kind, escalated ones for
    a coordination-group meeting; only from sittings that started before this one."""
    meeting = sitting.meeting
    found = agenda.waiting(svc.db, "carry", (meeting.kind,), sitting.start)
    if meeting.kind == ESCALATE_TO:
        found += agenda.waiting(svc.db, "escalate", ESCALATE_FROM, sitting.start)
    for item in found:
        escalated = item.forward == "escalate"
        new_id = agenda.add_item(
            svc.db,
            meeting_id=meeting.id,
            occ=sitting.key,
            meeting_kind=meeting.kind,
            sitting_start=sitting.start,
            title=item.title,
            kind="deliberation" if escalated else item.kind,
            major=item.major,
            project=item.project,
            minutes=item.minutes,
            submitter=item.submitter,
            unit_code=item.unit_code,
            late=False,
            now=now,
            origin="escalated" if escalated else "carried",
            origin_id=item.id,
        )
        agenda.set_forwarded(svc.db, item.id, item.forward or "carry", new_id)
    if found:
        amend(svc, sitting, now)
        replan(svc, meeting, now)
    return len(found)
