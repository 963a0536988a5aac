"""The scheduler: APScheduler jobs derived from the `schedule` table, rebuilt at start-up.

Every job id is `<kind>:<ref>`, so re-arming replaces rather than duplicates. Firing runs
the kind's function inside one transaction that also marks the row done, so a job fires
at most once whatever crashes; the kind's function decides "send late" or "missed".
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from telegram.ext import CallbackContext, JobQueue

from bot.telegram.errors import Handling
from storage import schedule
from storage.db import DatabaseBusy, run_transaction, transaction
from storage.schedule import Job, JobState

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

FireResult = tuple[JobState, str | None]
Firer = Callable[["Services", Job, datetime], FireResult]
SWEEP_SECONDS = 30
# Only rows due within this horizon are armed as in-memory jobs; each sweep arms the rows
# entering it. Arming every pending row at start-up cost a second per 10,000 reminders, and
# rows weeks ahead gain nothing from being armed early (the row, not the job, is the truth).
ARM_HORIZON = timedelta(minutes=10)
# A firing waits this long for a database another process holds, then retries later.
BUSY_WAIT_SECONDS = 5.0
BUSY_RETRY_SECONDS = 5


class Scheduler:
    """Arms APScheduler jobs for pending rows and fires them exactly once."""

    def __init__(self, job_queue: JobQueue[Any] | None) -> None:
        # None: rows only, nothing armed in memory (services tested without Telegram).
        self._queue = job_queue
        self._firers: dict[str, Firer] = {}
        self._services: Services | None = None
        self._armed_until: datetime | None = None  # None: before rebuild(), arm every row

    def attach(self, services: Services, firers: dict[str, Firer]) -> None:
        """Bind to the running services and the firing function of each job kind."""
        self._services = services
        self._firers.update(firers)

    @property
    def _svc(self) -> Services:
        if self._services is None:
            raise RuntimeError("scheduler used before attach()")
        return self._services

    def put(self, kind: str, ref: str, due_at: datetime) -> Job:
        """Create or move a pending job and arm it; call inside the caller's transaction."""
        job = schedule.put(self._svc.db, kind, ref, due_at, self._svc.clock.now())
        if job.state == "pending" and (self._armed_until is None or due_at <= self._armed_until):
            self.arm(job)
        return job

    def cancel(self, kind: str, ref: str) -> bool:
        """Cancel a pending job."""
        job = schedule.find(self._svc.db, kind, ref)
        if job is None or job.state != "pending":
            return False
        schedule.finish(self._svc.db, job.id, "cancelled", self._svc.clock.now())
        self._remove(job)
        return True

    def cancel_prefix(self, kind: str, ref_prefix: str) -> int:
        """Cancel every pending job of a kind whose ref starts with a prefix."""
        jobs = schedule.pending_with_prefix(self._svc.db, kind, ref_prefix)
        for job in jobs:
            schedule.finish(self._svc.db, job.id, "cancelled", self._svc.clock.now())
            self._remove(job)
        return len(jobs)

    def arm(self, job: Job, later: float = 0.0) -> None:
        """Schedule the in-memory job for a row (replacing any with the same id)."""
        if self._queue is None:
            return
        job_id = f"{job.kind}:{job.ref}"
        soonest = datetime.now(UTC) + timedelta(seconds=later, milliseconds=10)
        when = max(job.due_at, soonest)
        self._queue.run_once(
            self._callback,
            when=when,
            data=job.id,
            name=job_id,
            job_kwargs={
                "id": job_id,
                "replace_existing": True,
                # APScheduler's default grace of 1 s silently drops a job after any stall;
                # lateness is judged by each kind's rules instead (send or record missed).
                "misfire_grace_time": None,
                "coalesce": True,
            },
        )

    def _remove(self, job: Job) -> None:
        if self._queue is None:
            return
        for queued in self._queue.get_jobs_by_name(f"{job.kind}:{job.ref}"):
            queued.schedule_removal()

    def rebuild(self) -> int:
        """Arm the rows due within ARM_HORIZON (and overdue ones) at start-up; return how many."""
        self._armed_until = self._svc.clock.now() + ARM_HORIZON
        jobs = schedule.due_by(self._svc.db, self._armed_until)
        for job in jobs:
            self.arm(job)
        if self._queue is None:
            return len(jobs)
        self._queue.run_repeating(
            self._sweep,
            interval=SWEEP_SECONDS,
            first=SWEEP_SECONDS,
            name="schedule-sweep",
            job_kwargs={"id": "schedule-sweep", "replace_existing": True, "coalesce": True},
        )
        return len(jobs)

    def arm_horizon(self) -> int:
        """Arm the rows that have come within ARM_HORIZON since the last sweep."""
        if self._armed_until is None:
            return 0
        until = self._svc.clock.now() + ARM_HORIZON
        jobs = schedule.due_between(self._svc.db, self._armed_until, until)
        for job in jobs:
            self.arm(job)
        self._armed_until = max(self._armed_until, until)
        return len(jobs)

    async def _callback(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        job = context.job
        if job is not None and isinstance(job.data, int):
            with contextlib.suppress(DatabaseBusy):
                await self.fire_when_free(job.data)

    async def _sweep(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        self.arm_horizon()
        # A safety net: anything overdue that an in-memory job did not fire.
        moment = self._svc.clock.now() - timedelta(seconds=SWEEP_SECONDS)
        for job in schedule.due_by(self._svc.db, moment):
            try:
                await self.fire_when_free(job.id)
            except DatabaseBusy:
                return  # the next sweep tries the rest

    def fire(self, job_id: int) -> JobState | None:
        """Fire one pending row: run its kind's function and close it in one transaction."""
        svc = self._svc
        try:
            with transaction(svc.db):
                state = self._fire_now(job_id)
        except Exception as exc:
            log.exception("scheduled job %s failed; it stays pending for the next sweep", job_id)
            svc.errors.report(svc, exc, Handling("job", text=f"schedule row {job_id}"))
            return None
        if state is not None:
            svc.delivery.kick()
        return state

    async def fire_when_free(self, job_id: int) -> JobState | None:
        """fire(), waiting (without blocking the loop) while another process holds the
        database; if it stays locked, the row stays pending, is re-armed to try again
        shortly, and DatabaseBusy is raised."""
        svc = self._svc
        try:
            state = await run_transaction(
                svc.db, lambda: self._fire_now(job_id), wait=BUSY_WAIT_SECONDS
            )
        except DatabaseBusy:
            job = schedule.get(svc.db, job_id)
            if job is not None and job.state == "pending":
                log.warning(
                    "database busy: job %s:%s stays pending, retried in %d s",
                    job.kind,
                    job.ref,
                    BUSY_RETRY_SECONDS,
                )
                self.arm(job, later=BUSY_RETRY_SECONDS)
            raise
        except Exception as exc:
            log.exception("scheduled job %s failed; it stays pending for the next sweep", job_id)
            svc.errors.report(svc, exc, Handling("job", text=f"schedule row {job_id}"))
            return None
        if state is not None:
            svc.delivery.kick()
        return state

    def _fire_now(self, job_id: int) -> JobState | None:
        """Inside a transaction: run a due pending row's function and mark the row."""
        svc = self._svc
        now = svc.clock.now()
        job = schedule.get(svc.db, job_id)
        if job is None or job.state != "pending":
            return None
        if job.due_at > now:
            # Armed early (the clock is behind real time, as in tests); the sweep
            # or a later arming fires it when it is due.
            return None
        firer = self._firers.get(job.kind)
        if firer is None:
            log.error("no firer for job kind %s", job.kind)
            return None
        state, note = firer(svc, job, now)
        schedule.finish(svc.db, job.id, state, now, note)
        return state

    def fire_due(self, now: datetime | None = None) -> int:
        """Fire every pending row due at or before `now` (the clock's now by default)."""
        moment = now or self._svc.clock.now()
        fired = 0
        for job in schedule.due_by(self._svc.db, moment):
            if self.fire(job.id) is not None:
                fired += 1
        return fired
