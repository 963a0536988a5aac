"""Scheduled bulletins: the schedule, its runs (publish, or ask the admins to approve), the
nudges to units that logged nothing, and the firers the scheduler calls.

Two job kinds share one reference, the run's due time (`run_ref` / `parse_run_ref`): the
run (`bulletin_run`) and the nudge before it (`bulletin_nudge`). Their notices go through the
notify service under readable keys: `bulletin-approval:<approval>`, `bulletin-nudge:<run>:<unit>`,
`bulletin-skipped:<run>`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, rrule

from bot.i18n import Tr
from bot.render.bulletin import issue_label, render_sections, to_parts
from bot.render.dates import show_datetime
from bot.render.text import esc
from bot.render.units import unit_label
from bot.services import notify
from bot.services.bulletins import draft, publish
from storage import bulletins, project_follows, schedule
from storage.bulletins import Schedule
from storage.db import transaction, utc_iso
from storage.schedule import Job, JobState

if TYPE_CHECKING:
    from bot.services import Services

RUN, NUDGE = "bulletin_run", "bulletin_nudge"


def run_ref(due: datetime) -> str:
    """The job reference of a run (and of the nudge before it): its due time in UTC."""
    return utc_iso(due)


def parse_run_ref(ref: str) -> datetime:
    """The due time of the run a reference names."""
    return datetime.fromisoformat(ref)


def set_schedule(
    svc: Services, rule: Schedule | None, by_user: int, now: datetime
) -> datetime | None:
    """Store when the bot publishes by itself (None: never) and arm the next run; return it."""
    bulletins.set_schedule(svc.db, rule, now, by_user)
    return arm(svc, rule, now)


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
    ref = run_ref(due)
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
            notify.notify(
                svc,
                notify.admins(svc),
                f"bulletin-skipped:{job.ref}",
                "notice",
                lambda tr: tr(
                    "The scheduled bulletin was skipped: nothing new since the last issue."
                ),
                now,
            )
    # Re-arm from now, so a run that fires late after downtime is followed by one future run.
    arm(svc, rule, max(now, job.due_at), firing=job.ref)
    return "done", note


def request_approval(svc: Services, ref: str, now: datetime) -> str:
    """Send the draft to every admin privately, the last part with Approve / Hold buttons."""
    approval = bulletins.create_approval(svc.db, ref, now)
    upcoming = draft(svc, now)

    def render(tr: Tr) -> list[str]:
        sections = render_sections(
            upcoming.data, tr, svc.config.tz, upcoming.year, upcoming.number, draft=True
        )
        label = issue_label(tr, upcoming.year, upcoming.number)
        ask = tr("The scheduled {label} is ready. Publish it?", label=label)
        return [*to_parts(sections, tr), ask]

    def buttons(tr: Tr) -> list[list[dict[str, str]]]:
        payload = str(approval.id)
        return [
            [
                {"text": tr("Approve"), "action": "bl_ok", "payload": payload},
                {"text": tr("Hold"), "action": "bl_hold", "payload": payload},
            ]
        ]

    key = f"bulletin-approval:{approval.id}"
    notify.notify(svc, notify.admins(svc), key, "approval", render, now, buttons=buttons)
    return f"approval {approval.id}"


def fire_nudge(svc: Services, job: Job, now: datetime) -> tuple[JobState, str | None]:
    """Remind staff of units that logged nothing on their projects since the last issue."""
    run_at = parse_run_ref(job.ref)
    if now >= run_at:
        return "missed", "the bulletin run already passed"
    data = draft(svc, now).data
    follows = project_follows.all_follows(svc.db)
    count = 0
    for unit in data.units_silent:
        codes = sorted({p for p, u in follows if u.upper() == unit})

        def render(tr: Tr, unit: str = unit, codes: list[str] = codes) -> str:
            return tr(
                "Reminder: the next bulletin goes out {when}. Your unit {unit} has logged "
                "nothing since the last issue on {projects}. Log with /progress CODE text.",
                when=show_datetime(run_at, svc.config.tz, tr),
                unit=unit_label(tr, unit, data.unit_names),
                projects=esc(tr.join(codes)),
            )

        key = f"bulletin-nudge:{job.ref}:{unit}"
        count += notify.notify(svc, notify.unit_staff(svc, unit), key, "nudge", render, now)
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
