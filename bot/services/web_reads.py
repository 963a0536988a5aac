"""Reads for the dashboard's pages: projects, meetings and actions as plain data.

Until the aggregate services (bot/services/<aggregate>.py) exist everywhere, the web pages
read through these functions; they hold the same visibility rules as the chat commands
(evaluation scores: the closed result for everyone, the open round's means for admins, an
evaluator's own scores for that evaluator). Values are JSON-ready: codes, numbers, user
text as typed (the page escapes it), local times as ISO strings in COORDBOT_TZ.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.domain.agenda_rules import choose_sitting, sitting_at
from bot.domain.meeting_times import Meeting
from bot.services import Services
from bot.services import meeting_reads as meetings
from bot.services.minutes import compile_minutes
from storage import actions, evaluations, people, progress_reads, project_follows, projects, rsvps
from storage import project_pages as pages
from storage.actions import Action
from storage.calendar_feed import feed_meeting_ids
from storage.people import Person

JSON = dict[str, Any]
MONTH_LIMIT = 2000  # occurrences shown for one month, or counted for attendance


def local(svc: Services, moment: datetime | None) -> str | None:
    """An instant as local ISO time (minutes), or None."""
    if moment is None:
        return None
    return moment.astimezone(svc.config.tz).strftime("%Y-%m-%dT%H:%M")


def today(svc: Services, now: datetime) -> date:
    """The local date at `now`."""
    return now.astimezone(svc.config.tz).date()


def unit_names(svc: Services) -> dict[str, str]:
    """Unit names by upper-case code."""
    return {u.code.upper(): u.name for u in people.list_units(svc.db)}


def project_board(svc: Services, now: datetime) -> JSON:
    """Every project with its stage, category, open risks and last activity."""
    risks = pages.open_risk_counts(svc.db)
    last = progress_reads.last_activity(svc.db)
    return {
        "stages": list(projects.STAGES),
        "projects": [
            {
                "code": p.code,
                "name": p.name,
                "category": p.category,
                "stage": p.stage,
                "lead": p.lead,
                "batch": p.batch,
                "region": p.region,
                "open_risks": risks.get(p.code.upper(), 0),
                "last_activity": local(svc, last.get(p.code.upper())),
            }
            for p in projects.list_projects(svc.db)
        ],
    }


def evaluation_for(svc: Services, viewer: Person, code: str) -> JSON | None:
    """What the viewer may see of a project's evaluation, as in /evaluation."""
    result = evaluations.get_result(svc.db, code)
    if result is not None:
        return {
            "kind": "result",
            "count": result.count,
            "means": [round(m, 2) for m in result.means],
            "closed": local(svc, result.closed_at),
        }
    if viewer.role == "admin":
        sets = evaluations.all_scores(svc.db, code)
        if not sets:
            return None
        means = [round(sum(s.scores[i] for s in sets) / len(sets), 2) for i in range(4)]
        return {"kind": "open", "count": len(sets), "means": means, "closed": None}
    if evaluations.is_evaluator(svc.db, viewer.user_id):
        own = evaluations.get_scores(svc.db, code, viewer.user_id)
        if own is not None:
            return {"kind": "own", "count": 1, "means": list(own.scores), "closed": None}
    return None


def project_page(svc: Services, viewer: Person, code: str, now: datetime) -> JSON | None:
    """A project's page: card, timeline, open risks, evaluation, decisions and actions."""
    project = projects.get_project(svc.db, code)
    if project is None:
        return None
    day = today(svc, now)
    names = unit_names(svc)
    timeline: list[JSON] = [
        {
            "type": "entry",
            "id": e.id,
            "at": local(svc, e.created_at),
            "unit": e.author_unit,
            "tags": list(e.tags),
            "text": e.text,
        }
        for e in pages.entries_of(svc.db, project.code)
    ]
    timeline += [
        {
            "type": "stage",
            "id": c.id,
            "at": local(svc, c.at),
            "from": c.from_stage,
            "to": c.to_stage,
            "text": c.note,
        }
        for c in pages.stage_history(svc.db, project.code)
    ]
    timeline.sort(key=lambda t: (t["at"] or "", t["type"] == "stage"), reverse=True)
    items = pages.items_about(svc.db, project.code)
    item_ids = [int(i["id"]) for i in items]
    about = [actions.get_action(svc.db, i) for i in pages.action_ids_on(svc.db, item_ids)]
    return {
        "code": project.code,
        "name": project.name,
        "category": project.category,
        "stage": project.stage,
        "lead": project.lead,
        "batch": project.batch,
        "region": project.region,
        "followers": [
            {"code": u, "name": names.get(u.upper(), u)}
            for u in project_follows.followers(svc.db, project.code)
        ],
        "risks": [
            {
                "id": r.id,
                "at": local(svc, r.created_at),
                "days": (day - r.created_at.astimezone(svc.config.tz).date()).days,
                "unit": r.author_unit,
                "text": r.text,
            }
            for r in progress_reads.open_risks(svc.db, project.code)
        ],
        "evaluation": evaluation_for(svc, viewer, project.code),
        "timeline": timeline,
        "items": [
            {
                "id": i["id"],
                "meeting": i["meeting_id"],
                "occ": i["occ"],
                "meeting_title": i["meeting_title"],
                "title": i["title"],
                "kind": i["kind"],
                "at": local(svc, datetime.fromisoformat(i["sitting_start"])),
            }
            for i in items
        ],
        "decisions": [
            {"id": d["id"], "item": d["item_id"], "text": d["text"]}
            for d in pages.decisions_on(svc.db, item_ids)
        ],
        "actions": [action_json(svc, a, day, names) for a in about if a is not None],
    }


def _occurrence(svc: Services, m: Meeting) -> JSON:
    return {
        "id": m.id,
        "occ": m.rsvp_key,
        "kind": m.kind,
        "title": m.title,
        "place": m.place,
        "start": local(svc, m.start),
        "end": local(svc, m.end),
        "series": m.is_series,
    }


def occurrences_between(svc: Services, start: datetime, end: datetime) -> list[Meeting]:
    """Every occurrence starting in [start, end), cancelled ones left out, earliest first.

    A series is expanded a few occurrences at a time, growing, until past `end`: asking for
    a fixed large number would expand every weekly series for years ahead.
    """
    found: list[Meeting] = []
    for meeting_id in feed_meeting_ids(svc.db, start):
        meeting = meetings.get_meeting(svc.db, meeting_id, start)
        if meeting is None:
            continue
        want = 8
        while True:
            starts = meeting.starts(start, want)
            if len(starts) < want or starts[-1] >= end or want >= MONTH_LIMIT:
                break
            want *= 4
        found += [meeting.at(when) for when in starts if when < end]
    found.sort(key=lambda m: (m.start, m.id))
    return found[:MONTH_LIMIT]


def month_meetings(svc: Services, year: int, month: int) -> JSON:
    """Every occurrence starting in a local calendar month."""
    tz = svc.config.tz
    first = datetime(year, month, 1, tzinfo=tz)
    nxt = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    found = occurrences_between(svc, first, nxt)
    return {"month": f"{year:04d}-{month:02d}", "meetings": [_occurrence(svc, m) for m in found]}


def meeting_page(svc: Services, meeting_id: int, occ: str | None, now: datetime) -> JSON | None:
    """One sitting: time, place, invited units, agenda, answers by unit and the minutes."""
    meeting = meetings.get_meeting(svc.db, meeting_id, now)
    if meeting is None:
        return None
    sitting = sitting_at(meeting, occ) if occ else choose_sitting(meeting, now)
    if sitting is None:
        sitting = sitting_at(meeting, "")
    names = unit_names(svc)
    data = compile_minutes(svc.db, sitting)
    answers = rsvps.counts_by_unit(rsvps.rsvps(svc.db, meeting.id, sitting.key))
    decided: dict[int | None, list[str]] = {}
    for decision in data.decisions:
        decided.setdefault(decision.item_id, []).append(decision.text)
    day = today(svc, now)
    return {
        **_occurrence(svc, sitting.meeting),
        "occ": sitting.key,
        "cancelled": meeting.cancelled,
        "invited": [{"code": c, "name": names.get(c.upper(), c)} for c in meeting.invited],
        "agenda": [
            {
                "n": n,
                "title": item.title,
                "kind": item.kind,
                "major": item.major,
                "project": item.project,
                "unit": item.unit_code,
                "minutes": item.minutes,
                "reached": item.reached,
                "decisions": decided.get(item.id, []),
            }
            for n, item in enumerate(data.items, start=1)
        ],
        "answers": [
            {"unit": unit, "name": names.get(unit.upper(), unit), **counts}
            for unit, counts in sorted(answers.items())
        ],
        "minutes": {
            "published": data.publication is not None,
            "number": data.publication.number if data.publication else None,
            "year": data.publication.year if data.publication else None,
            "attendance": [{"code": c, "name": names.get(c.upper(), c)} for c in data.attendance],
            "from_rsvps": data.from_rsvps,
            "general": decided.get(None, []),
            "actions": [action_json(svc, a, day, names) for a in data.actions],
            "corrections": [c.text for c in data.corrections],
        },
    }


def action_unit(action: Action, person_units: dict[int, str | None]) -> str:
    """The unit an action counts against: its owner unit, or its owner's unit ('' none)."""
    if action.owner_unit:
        return action.owner_unit.upper()
    if action.owner_user is not None:
        return (person_units.get(action.owner_user) or "").upper()
    return ""


def action_json(
    svc: Services,
    action: Action,
    day: date,
    names: dict[str, str],
    person_units: dict[int, str | None] | None = None,
) -> JSON:
    """One action item as the page shows it."""
    if person_units is None:
        owner = people.get_person(svc.db, action.owner_user) if action.owner_user else None
        person_units = {owner.user_id: owner.unit_code} if owner else {}
    unit = action_unit(action, person_units)
    return {
        "id": action.id,
        "text": action.text,
        "owner": action.owner_label,
        "owner_user": action.owner_user is not None,
        "unit": unit,
        "unit_name": names.get(unit, unit),
        "due": action.due.isoformat(),
        "overdue_days": (day - action.due).days if action.overdue(day) else 0,
        "state": action.state,
        "meeting": action.meeting_id,
    }


def action_list(svc: Services, viewer: Person, mine: bool, now: datetime) -> JSON:
    """Open actions (or only the viewer's and their unit's), overdue first, then by due date."""
    day = today(svc, now)
    found = (
        actions.owned_by(svc.db, viewer.user_id, viewer.unit_code)
        if mine
        else actions.open_actions(svc.db)
    )
    units = {p.user_id: p.unit_code for p in people.list_people(svc.db)}
    names = unit_names(svc)
    rows = [action_json(svc, a, day, names, units) for a in found]
    rows.sort(key=lambda r: (-r["overdue_days"], r["due"], r["id"]))
    return {"today": day.isoformat(), "mine": mine, "actions": rows}


def month_of(svc: Services, now: datetime, offset: int = 0) -> tuple[int, int]:
    """(year, month) of the local month `offset` months from now's."""
    d = today(svc, now)
    index = d.year * 12 + d.month - 1 + offset
    return index // 12, index % 12 + 1
