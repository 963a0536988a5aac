"""Bulletins at the seam: drafting, publishing through notify, the archive, the schedule,
the approval of a scheduled issue, and the nudge to units that logged nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.services import Services
from bot.services import bulletin_runs as runs
from bot.services import bulletins as service
from storage import chats, outbox, people, progress, project_follows, projects, schedule
from storage.bulletins import Schedule
from storage.people import Person

ADMIN, ADMIN_ZH, STAFF, STAFF_BJ = 7_000_000_001, 7_000_000_002, 7_000_000_003, 7_000_000_004
GROUP, GROUP_ZH = -1001, -1002
# The svc clock is Tuesday 1 December 2026, 10:00 in Shanghai: Friday 16:00 comes next.
FRIDAY_1600 = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)


def _world(svc: Services) -> None:
    now = svc.clock.now()
    people.add_unit(svc.db, "TECH", "Technology Supervision Bureau", now)
    people.add_unit(svc.db, "BJ", "Beijing Bureau", now)
    for user_id, lang, role, unit in (
        (ADMIN, "en", "admin", None),
        (ADMIN_ZH, "zh-hans", "admin", None),
        (STAFF, "en", "staff", "TECH"),
        (STAFF_BJ, "en", "staff", "BJ"),
    ):
        people.touch_person(svc.db, user_id, None, f"User {user_id}", None, lang, now)
        people.set_role(svc.db, user_id, role, unit, now)  # type: ignore[arg-type]
    for chat_id in (GROUP, GROUP_ZH):
        chats.touch_chat(svc.db, chat_id, "supergroup", f"Group {chat_id}", now)
        chats.subscribe(svc.db, chat_id, ["bulletins"], now)
    chats.set_language(svc.db, GROUP_ZH, "zh")
    for code, unit in (("BJ-01", "TECH"), ("BJ-02", "BJ")):
        projects.add_project(
            svc.db,
            code=code,
            name=f"Project {code}",
            category="tech",
            lead="Example Securities",
            batch="",
            region="",
            now=now,
            by_user=ADMIN,
        )
        project_follows.follow(svc.db, code, unit, now)


def _log(svc: Services, text: str = "#milestone go-live") -> None:
    progress.add_entry(
        svc.db,
        project_code="BJ-01",
        author_id=STAFF,
        author_unit="TECH",
        text=text,
        now=svc.clock.now(),
    )


def _admin(svc: Services) -> Person:
    person = people.get_person(svc.db, ADMIN)
    assert person is not None
    return person


def test_nothing_logged_nothing_published(svc: Services) -> None:
    _world(svc)
    with pytest.raises(service.NothingLogged):
        service.publish_next(svc, ADMIN, svc.clock.now())
    assert service.issues(svc) == []


def test_publishing_queues_each_chat_its_language_once(svc: Services) -> None:
    _world(svc)
    _log(svc)
    assert (
        service.draft(svc, svc.clock.now()).year,
        service.draft(svc, svc.clock.now()).number,
    ) == (
        2026,
        1,
    )
    issue = service.publish_next(svc, ADMIN, svc.clock.now())
    assert (issue.year, issue.number) == (2026, 1)
    rows = {row.key: row for row in outbox.by_key_prefix(svc.db, "bulletin:")}
    assert set(rows) == {f"bulletin:2026-1:{GROUP}", f"bulletin:2026-1:{GROUP_ZH}"}
    assert "Bulletin 2026/1" in rows[f"bulletin:2026-1:{GROUP}"].text
    assert "2026年第1期" in rows[f"bulletin:2026-1:{GROUP_ZH}"].text
    # What each chat received is what the archive keeps.
    assert service.issue_parts(svc, issue, "zh") == [rows[f"bulletin:2026-1:{GROUP_ZH}"].text]
    with pytest.raises(service.NothingNew) as refused:
        service.publish_next(svc, ADMIN, svc.clock.now())
    assert "2026年第1期" in refused.value.text(svc.translator.get("zh"))
    assert len(outbox.by_key_prefix(svc.db, "bulletin:")) == 2


def test_find_issue(svc: Services) -> None:
    _world(svc)
    _log(svc)
    issue = service.publish_next(svc, ADMIN, svc.clock.now())
    assert service.find_issue(svc, 2026, 1, "2026/1") == issue
    with pytest.raises(service.NoSuchIssue) as refused:
        service.find_issue(svc, 2026, 9, "2026年第9期")
    assert "2026年第9期" in refused.value.text(svc.translator.get("en"))
    assert service.issue_sections(svc, issue, "en")  # the frozen sections, for documents


@pytest.mark.parametrize(
    ("rule", "run_at"),
    [
        (Schedule("weekly", 4, "16:00", False), FRIDAY_1600),
        (Schedule("monthly", 1, "09:00", False), datetime(2027, 1, 1, 1, 0, tzinfo=UTC)),
        (
            Schedule("weekly", 1, "09:30", True),
            datetime(2026, 12, 1, 1, 30, tzinfo=UTC) + timedelta(days=7),
        ),
    ],
)
def test_a_schedule_arms_the_run_and_the_nudge(
    svc: Services, rule: Schedule, run_at: datetime
) -> None:
    _world(svc)
    assert runs.set_schedule(svc, rule, ADMIN, svc.clock.now()) == run_at
    pending = {(job.kind, job.ref, job.due_at) for job in schedule.pending(svc.db)}
    ref = runs.run_ref(run_at)
    assert pending == {
        (runs.RUN, ref, run_at),
        (runs.NUDGE, ref, run_at - svc.config.nudge_before),
    }
    assert runs.parse_run_ref(ref) == run_at
    runs.set_schedule(svc, None, ADMIN, svc.clock.now())
    assert schedule.pending(svc.db) == []


def test_a_run_publishes_and_arms_the_next(svc: Services, clock: FixedClock) -> None:
    _world(svc)
    _log(svc)
    runs.set_schedule(svc, Schedule("weekly", 4, "16:00", False), ADMIN, clock.now())
    clock.set(FRIDAY_1600)
    (job,) = [j for j in schedule.pending(svc.db) if j.kind == runs.RUN]
    assert svc.scheduler.fire(job.id) == "done"
    assert len(outbox.by_key_prefix(svc.db, "bulletin:2026-1:")) == 2
    (following,) = [j for j in schedule.pending(svc.db) if j.kind == runs.RUN]
    assert following.due_at == FRIDAY_1600 + timedelta(days=7)
    # Nothing new by the next run: no issue, the admins hear it was skipped.
    clock.set(following.due_at)
    assert svc.scheduler.fire(following.id) == "done"
    assert len(service.issues(svc)) == 1
    skipped = outbox.by_key_prefix(svc.db, f"bulletin-skipped:{following.ref}:")
    assert {row.chat_id for row in skipped} == {ADMIN, ADMIN_ZH}


def test_an_approval_run_asks_every_admin_in_their_language(
    svc: Services, clock: FixedClock
) -> None:
    _world(svc)
    _log(svc)
    runs.set_schedule(svc, Schedule("weekly", 4, "16:00", True), ADMIN, clock.now())
    clock.set(FRIDAY_1600)
    (job,) = [j for j in schedule.pending(svc.db) if j.kind == runs.RUN]
    svc.scheduler.fire(job.id)
    assert service.issues(svc) == []  # nothing goes out before an admin approves
    rows = outbox.by_key_prefix(svc.db, "bulletin-approval:1:")
    asks = {row.chat_id: row for row in rows if row.buttons}
    assert set(asks) == {ADMIN, ADMIN_ZH}
    assert "Publish it?" in asks[ADMIN].text and "是否发布" in asks[ADMIN_ZH].text
    assert [b["action"] for b in asks[ADMIN].buttons[0]] == ["bl_ok", "bl_hold"]  # type: ignore[index]
    drafts = {row.chat_id: row.text for row in rows if not row.buttons}
    assert "Draft, not yet published" in drafts[ADMIN] and "草稿，尚未发布" in drafts[ADMIN_ZH]


def test_deciding_an_approval(svc: Services, clock: FixedClock) -> None:
    _world(svc)
    _log(svc)
    runs.request_approval(svc, runs.run_ref(FRIDAY_1600), clock.now())
    with pytest.raises(service.ApprovalGone):
        service.decide(svc, 99, "approved", _admin(svc), clock.now())
    with pytest.raises(service.ApprovalGone):
        service.decide(svc, None, "approved", _admin(svc), clock.now())
    done = service.decide(svc, 1, "approved", _admin(svc), clock.now())
    assert done.issue is not None and done.audit["issue"] == "2026/1"
    assert len(outbox.by_key_prefix(svc.db, "bulletin:2026-1:")) == 2
    with pytest.raises(service.AlreadyDecided):
        service.decide(svc, 1, "held", _admin(svc), clock.now())


def test_holding_publishes_nothing(svc: Services, clock: FixedClock) -> None:
    _world(svc)
    _log(svc)
    runs.request_approval(svc, runs.run_ref(FRIDAY_1600), clock.now())
    done = service.decide(svc, 1, "held", _admin(svc), clock.now())
    assert done.issue is None and done.audit == {"approval": 1, "decision": "held"}
    assert service.issues(svc) == []


def test_the_nudge_reaches_staff_of_units_that_logged_nothing(
    svc: Services, clock: FixedClock
) -> None:
    _world(svc)
    _log(svc)  # TECH logged on BJ-01; BJ logged nothing on BJ-02
    runs.set_schedule(svc, Schedule("weekly", 4, "16:00", False), ADMIN, clock.now())
    (nudge,) = [j for j in schedule.pending(svc.db) if j.kind == runs.NUDGE]
    clock.set(nudge.due_at)
    assert svc.scheduler.fire(nudge.id) == "done"
    (row,) = outbox.by_key_prefix(svc.db, "bulletin-nudge:")
    assert row.key == f"bulletin-nudge:{nudge.ref}:BJ:{STAFF_BJ}"
    assert "BJ-02" in row.text and "Beijing Bureau (BJ)" in row.text


def test_a_nudge_after_its_run_is_missed(svc: Services, clock: FixedClock) -> None:
    _world(svc)
    runs.set_schedule(svc, Schedule("weekly", 4, "16:00", False), ADMIN, clock.now())
    (nudge,) = [j for j in schedule.pending(svc.db) if j.kind == runs.NUDGE]
    clock.set(FRIDAY_1600 + timedelta(minutes=1))
    assert svc.scheduler.fire(nudge.id) == "missed"
    assert outbox.by_key_prefix(svc.db, "bulletin-nudge:") == []
