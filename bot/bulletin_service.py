"""Compiling, publishing and scheduling bulletins; the scheduled runs and nudges.

Every function here runs inside the caller's transaction (a handler's or a firer's), so
an issue, its frozen parts and the messages pushing it commit together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, rrule

from bot.bulletin_data import BulletinData, current_marks, gather
from bot.fanout import to_admins, tr_for_chat, tr_for_person
from bot.render.bulletin import issue_label, render_sections, to_parts
from bot.render.dates import show_datetime
from bot.render.text import esc
from bot.render.units import unit_label
from storage import bulletins, chats, outbox, people, projects, schedule
from storage.bulletins import Issue, Schedule
from storage.db import transaction, utc_iso
from storage.schedule import Job, JobState

if TYPE_CHECKING:
    from bot.services import Services

RUN, NUDGE = "bulletin_run", "bulletin_nudge"
LANGS = ("en", "zh")


@dataclass(frozen=True)
class Outcome:
    """What a publication attempt did."""

    issue: Issue | None
    created: bool
    nothing_new: bool = False


def next_run(rule: Schedule, after: datetime, tz: ZoneInfo) -> datetime:
    """The first scheduled time strictly after `after`, from the local wall-clock rule, in UTC."""
    hour, minute = (int(x) for x in rule.at.split(":"))
    local = after.astimezone(tz).replace(tzinfo=None)
    start = local.replace(second=0, microsecond=0)
    if rule.freq == "weekly":
        rules = rrule(
            WEEKLY, byweekday=rule.day, byhour=hour, byminute=minute, bysecond=0, dtstart=start
        )
    else:
        rules = rrule(
            MONTHLY, bymonthday=rule.day, byhour=hour, byminute=minute, bysecond=0, dtstart=start
        )
    nxt = rules.after(local, inc=False)
    assert nxt is not None
    return nxt.replace(tzinfo=tz).astimezone(UTC)


def compile_next(svc: Services, now: datetime) -> tuple[BulletinData, int, int]:
    """The content of the next issue as of now, with the year and number it would get."""
    prev = bulletins.latest_issue(svc.db)
    data = gather(
        svc.db,
        prev.marks if prev else (0, 0, 0),
        prev.period_end if prev else None,
        now,
        svc.config.silent_days,
    )
    year = now.astimezone(svc.config.tz).year
    return data, year, bulletins.next_number(svc.db, year)


def publish(svc: Services, now: datetime, by_user: int | None, via: str) -> Outcome:
    """Freeze the next issue and queue it to every subscribed chat, at most once."""
    prev = bulletins.latest_issue(svc.db)
    data, year, number = compile_next(svc, now)
    if data.nothing_new:
        return Outcome(prev, created=False, nothing_new=True)
    parts: dict[str, list[str]] = {}
    for lang in LANGS:
        sections = render_sections(data, svc.translator.get(lang), svc.config.tz, year, number)
        parts[lang] = to_parts(sections, svc.translator.get(lang))
        parts[f"{lang}:sections"] = sections
    issue = bulletins.create_issue(
        svc.db,
        year=year,
        after=prev,
        period_end=now,
        now=now,
        by_user=by_user,
        via=via,
        marks=current_marks(svc.db),
        parts=parts,
    )
    if issue is None:
        return Outcome(bulletins.latest_issue(svc.db), created=False)
    for chat in chats.subscribers(svc.db, "bulletins"):
        lang = tr_for_chat(svc, chat).lang
        for n, text in enumerate(parts[lang], start=1):
            outbox.enqueue(
                svc.db,
                key=f"bulletin:{issue.id}:{chat.chat_id}:{n}",
                kind="bulletin",
                chat_id=chat.chat_id,
                text=text,
                now=now,
            )
    return Outcome(issue, created=True)


def arm(
    svc: Services, rule: Schedule | None, now: datetime, firing: str | None = None
) -> datetime | None:
    """Replace the pending run and nudge with the next ones for a rule; return the run time.

    `firing` is the ref of the run being fired now: it is left for the scheduler to close.
    """
    for kind in (RUN, NUDGE):
        for job in schedule.pending_with_prefix(svc.db, kind, ""):
            if not (kind == RUN and job.ref == firing):
                svc.scheduler.cancel(kind, job.ref)
    if rule is None:
        return None
    due = next_run(rule, now, svc.config.tz)
    ref = utc_iso(due)
    svc.scheduler.put(RUN, ref, due)
    nudge_at = due - svc.config.nudge_before
    if nudge_at > now:
        svc.scheduler.put(NUDGE, ref, nudge_at)
    return due


def fire_run(svc: Services, job: Job, now: datetime) -> tuple[JobState, str | None]:
    """A scheduled run: publish (or ask the admins to approve), then arm the next one."""
    rule = bulletins.get_schedule(svc.db)
    if rule is None:
        return "cancelled", "no schedule"
    if rule.approve:
        note = request_approval(svc, job.ref, now)
    else:
        outcome = publish(svc, now, None, "schedule")
        note = (
            "nothing new" if outcome.nothing_new else f"issue {outcome.issue and outcome.issue.id}"
        )
        if outcome.nothing_new:
            _tell_admins(svc, f"skip:{job.ref}", now)
    # Re-arm from now, so a run that fires late after downtime is followed by one future run.
    arm(svc, rule, max(now, job.due_at), firing=job.ref)
    return "done", note


def _tell_admins(svc: Services, key: str, now: datetime) -> None:
    to_admins(
        svc,
        key,
        "notice",
        lambda tr: tr("The scheduled bulletin was skipped: nothing new since the last issue."),
        now,
    )


def request_approval(svc: Services, ref: str, now: datetime) -> str:
    """Send the draft to every admin privately with Approve / Hold buttons."""
    approval = bulletins.create_approval(svc.db, ref, now)
    data, year, number = compile_next(svc, now)
    for admin in people.people_with_role(svc.db, "admin"):
        tr = tr_for_person(svc, admin.user_id)
        sections = render_sections(data, tr, svc.config.tz, year, number, draft=True)
        parts = to_parts(sections, tr)
        for n, text in enumerate(parts, start=1):
            outbox.enqueue(
                svc.db,
                key=f"approval:{approval.id}:{admin.user_id}:{n}",
                kind="approval",
                chat_id=admin.user_id,
                text=text,
                now=now,
            )
        outbox.enqueue(
            svc.db,
            key=f"approval:{approval.id}:{admin.user_id}:ask",
            kind="approval",
            chat_id=admin.user_id,
            text=tr(
                "The scheduled {label} is ready. Publish it?", label=issue_label(tr, year, number)
            ),
            now=now,
            buttons=[
                [
                    {"text": tr("Approve"), "action": "bl_ok", "payload": str(approval.id)},
                    {"text": tr("Hold"), "action": "bl_hold", "payload": str(approval.id)},
                ]
            ],
        )
    return f"approval {approval.id}"


def fire_nudge(svc: Services, job: Job, now: datetime) -> tuple[JobState, str | None]:
    """Remind staff of units that logged nothing on their projects since the last issue."""
    run_at = datetime.fromisoformat(job.ref)
    if now >= run_at:
        return "missed", "the bulletin run already passed"
    data, _year, _number = compile_next(svc, now)
    follows = projects.all_follows(svc.db)
    count = 0
    for unit in data.units_silent:
        codes = sorted({p for p, u in follows if u.upper() == unit})
        for person in people.staff_of_unit(svc.db, unit):
            tr = tr_for_person(svc, person.user_id)
            text = tr(
                "Reminder: the next bulletin goes out {when}. Your unit {unit} has logged "
                "nothing since the last issue on {projects}. Log with /progress CODE text.",
                when=show_datetime(run_at, svc.config.tz, tr),
                unit=unit_label(tr, unit, data.unit_names),
                projects=esc(tr.join(codes)),
            )
            if outbox.enqueue(
                svc.db,
                key=f"nudge:{job.ref}:{person.user_id}",
                kind="nudge",
                chat_id=person.user_id,
                text=text,
                now=now,
            ):
                count += 1
    return "done", f"{count} nudged"


def on_start(svc: Services) -> None:
    """Fire runs that fell due while the bot was down, once; make sure the next is armed."""
    for job in schedule.due_by(svc.db, svc.clock.now()):
        if job.kind in (RUN, NUDGE):
            # Nudges come first (due earlier) and record themselves missed once the run passed.
            svc.scheduler.fire(job.id)
    rule = bulletins.get_schedule(svc.db)
    if rule is None or schedule.pending_with_prefix(svc.db, RUN, ""):
        return
    with transaction(svc.db):
        arm(svc, rule, svc.clock.now())


FIRERS = {RUN: fire_run, NUDGE: fire_nudge}
