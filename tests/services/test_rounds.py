"""Reporting rounds at the seam: the pure rules (deadline, scope, cadence, standing), opening
a round and who is asked, reminders to units that have not reported, reports on time and
late (progress entries, risks), the coordination offer and the agenda, compliance over
rounds, the bulletin's section, and scheduled rounds that re-arm."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.domain.rounds import (
    Answers,
    Cadence,
    Scope,
    next_opening,
    parse_cadence,
    parse_deadline,
    parse_scope,
    reminder_at,
    status_of,
    tally,
)
from bot.domain.timeparse import When, WhenError
from bot.render.bulletin import render_sections
from bot.services import (
    Services,
    bulletins,
    meetings,
    round_agenda,
    round_reads,
    round_schedules,
    rounds,
)
from bot.services.projects import ProjectNotFound
from storage import (
    agenda,
    outbox,
    people,
    progress,
    progress_reads,
    project_follows,
    project_stages,
    projects,
    round_reports,
    schedule,
)
from storage import rounds as stored
from storage.people import Person
from storage.projects import parse_category

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # the svc clock: Tue 1 Dec 2026, 10:00 Shanghai
ADMIN, STAFF_TECH, STAFF_BJ, STAFF_SZ = 7_000_000_001, 7_000_000_002, 7_000_000_003, 7_000_000_004
DEADLINE = T0 + timedelta(days=2)


def world(svc: Services) -> None:
    """Three units with a staff member each (BJ's reads Chinese), an admin with no unit,
    three running projects, one under evaluation and one exited."""
    now = svc.clock.now()
    for code, name in (("TECH", "Tech Bureau"), ("BJ", "北京监管局"), ("SZ", "Shenzhen Bureau")):
        people.add_unit(svc.db, code, name, now)
    for user_id, lang, role, unit in (
        (ADMIN, "en", "admin", None),
        (STAFF_TECH, "en", "staff", "TECH"),
        (STAFF_BJ, "zh-hans", "staff", "BJ"),
        (STAFF_SZ, "en", "staff", "SZ"),
    ):
        people.touch_person(svc.db, user_id, None, f"User {user_id}", "", lang, now)
        people.set_role(svc.db, user_id, role, unit, now)  # type: ignore[arg-type]
    for code, category, stage, unit in (
        ("BJ-01", "tech", "running", "TECH"),
        ("BJ-02", "public", "running", "BJ"),
        ("BJ-03", "tech", "running", "SZ"),
        ("BJ-04", "business", "evaluation", "TECH"),
        ("BJ-05", "tech", "exited", "BJ"),
    ):
        projects.add_project(
            svc.db,
            code=code,
            name=f"Project {code}",
            category=category,
            lead="Example Securities",
            batch="",
            region="",
            now=now,
            by_user=ADMIN,
        )
        project_stages.set_stage(svc.db, code, stage, "", now, ADMIN)
        project_follows.follow(svc.db, code, unit, now)


def who(svc: Services, user_id: int) -> Person:
    found = people.get_person(svc.db, user_id)
    assert found is not None
    return found


def keys(svc: Services, prefix: str) -> list[str]:
    return [row.key for row in outbox.by_key_prefix(svc.db, prefix)]


def texts(svc: Services, prefix: str) -> dict[int, str]:
    return {row.chat_id: row.text for row in outbox.by_key_prefix(svc.db, prefix)}


def open_all(svc: Services) -> rounds.Opened:
    return rounds.open_round(svc, Scope(), DEADLINE, ADMIN, svc.clock.now())


def set_clock(svc: Services, moment: datetime) -> None:
    assert isinstance(svc.clock, FixedClock)
    svc.clock.set(moment)


# --- pure rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("2d", T0 + timedelta(days=2)),
        ("36h", T0 + timedelta(hours=36)),
        ("3天", T0 + timedelta(days=3)),
        ("２ｄ", T0 + timedelta(days=2)),
        ("周五17:00", datetime(2026, 12, 4, 9, 0, tzinfo=UTC)),
        ("fri 5pm", datetime(2026, 12, 4, 9, 0, tzinfo=UTC)),
        ("周五", datetime(2026, 12, 4, 10, 0, tzinfo=UTC)),  # a day alone: 18:00 that day
        ("12月4日", datetime(2026, 12, 4, 10, 0, tzinfo=UTC)),
        ("3天后", T0 + timedelta(days=3)),
    ],
)
def test_deadline_as_typed(typed: str, due: datetime) -> None:
    assert parse_deadline(typed, T0, SHANGHAI) == due


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("乱写", "unparseable"),
        ("1d,1h", "unparseable"),
        ("昨天下午3点", "past"),
        ("", "unparseable"),
    ],
)
def test_deadline_refused(typed: str, code: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_deadline(typed, T0, SHANGHAI)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("typed", "scope", "stored_as"),
    [
        ("", Scope(), "all"),
        ("全部", Scope(), "all"),
        ("all", Scope(), "all"),
        ("技术创新 BJ-07", Scope(("tech",), (), ("BJ-07",)), "category=tech;code=BJ-07"),
        ("tech，public、tech", Scope(("tech", "public")), "category=tech,public"),
        ("重点、常规", Scope((), ("key", "regular")), "tier=key,regular"),
        ("ｂｊ－０１ bj-02", Scope(codes=("BJ-01", "BJ-02")), "code=BJ-01,BJ-02"),
    ],
)
def test_scope_as_typed_and_stored(typed: str, scope: Scope, stored_as: str) -> None:
    assert parse_scope(typed, parse_category) == scope
    assert scope.stored() == stored_as
    assert Scope.from_stored(stored_as) == scope


@pytest.mark.parametrize(
    ("words", "cadence"),
    [
        ("weekly fri 09:00", Cadence("weekly", 4, "09:00")),
        ("每周五 9点", Cadence("weekly", 4, "09:00")),
        ("每周 周一 9点半", Cadence("weekly", 0, "09:30")),
        ("每月1日 ９:００", Cadence("monthly", 1, "09:00")),
        ("monthly 28 17:45", Cadence("monthly", 28, "17:45")),
        ("monthly 29 09:00", None),
        ("weekly xyz 09:00", None),
        ("weekly fri", None),
        ("daily 1 09:00", None),
    ],
)
def test_cadence_as_typed(words: str, cadence: Cadence | None) -> None:
    assert parse_cadence(words.split()) == cadence


def test_next_opening_is_strictly_after_in_local_time() -> None:
    weekly = Cadence("weekly", 4, "09:00")
    first = next_opening(weekly, T0, SHANGHAI)
    assert first == datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
    assert next_opening(weekly, first, SHANGHAI) == first + timedelta(days=7)
    monthly = Cadence("monthly", 1, "09:00")
    assert next_opening(monthly, T0, SHANGHAI) == datetime(2027, 1, 1, 1, 0, tzinfo=UTC)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).astimezone(UTC)


@pytest.mark.parametrize(
    ("opened", "deadline", "reminded"),
    [
        ("2026-12-01 10:00", "2026-12-03 10:00", "2026-12-02 17:00"),  # 00:24 moves back
        ("2026-12-07 09:00", "2026-12-07 17:00", "2026-12-07 15:24"),  # office hours: 80%
        ("2026-12-07 10:00", "2026-12-11 17:00", "2026-12-10 17:00"),  # 20:24 moves back
        ("2026-12-07 16:00", "2026-12-07 20:00", "2026-12-07 17:00"),
        ("2026-12-07 17:30", "2026-12-08 02:00", "2026-12-08 00:18"),  # 17:00 is before it
    ],
)
def test_the_first_reminder_falls_at_80_percent_in_office_hours(
    opened: str, deadline: str, reminded: str
) -> None:
    assert reminder_at(local(opened), local(deadline), SHANGHAI) == local(reminded)


@pytest.mark.parametrize(
    ("asked", "on_time", "late", "closed", "status"),
    [
        (2, 2, 0, True, "on_time"),
        (2, 1, 1, True, "late"),
        (2, 1, 0, True, "missing"),
        (2, 1, 0, False, "open"),
        (1, 0, 0, False, "open"),
    ],
)
def test_status_of_a_unit(asked: int, on_time: int, late: int, closed: bool, status: str) -> None:
    assert status_of(asked, on_time, late, closed) == status


def test_tally_counts_per_unit() -> None:
    asked = [("BJ-01", "TECH"), ("BJ-04", "TECH"), ("BJ-02", "BJ"), ("BJ-03", "SZ")]
    reported = {("BJ-01", "TECH"): False, ("BJ-02", "BJ"): True}
    records = {r.unit: (r.asked, r.reported, r.status) for r in tally(asked, reported, True)}
    assert records == {"BJ": (1, 1, "late"), "SZ": (1, 0, "missing"), "TECH": (2, 1, "missing")}


@pytest.mark.parametrize("nothing", ["", "-", "无", "暂无", "None", "　无　"])
def test_an_optional_answer_of_nothing_is_empty(nothing: str) -> None:
    assert Answers.of("done", nothing, nothing, nothing) == Answers("done")


# --- opening and asking -------------------------------------------------------------------


def test_opening_asks_each_following_unit_privately_with_a_button_per_project(
    svc: Services,
) -> None:
    world(svc)
    done = open_all(svc)
    assert done.units == ["BJ", "SZ", "TECH"]
    assert done.projects == ["BJ-01", "BJ-02", "BJ-03"]  # not under evaluation, not exited
    assert stored.asked(svc.db, done.round.id) == [
        ("BJ-02", "BJ"),
        ("BJ-03", "SZ"),
        ("BJ-01", "TECH"),
    ]
    assert keys(svc, "round-ask:") == [
        f"round-ask:1:BJ:{STAFF_BJ}",
        f"round-ask:1:SZ:{STAFF_SZ}",
        f"round-ask:1:TECH:{STAFF_TECH}",
    ]
    (tech,) = outbox.by_key_prefix(svc.db, "round-ask:1:TECH")
    assert tech.buttons == [
        [{"text": "📝 Report on BJ-01", "action": "rd_rep", "payload": "BJ-01"}]
    ]
    assert "Tech Bureau (TECH) is asked to report on: BJ-01 Project BJ-01." in tech.text
    zh = texts(svc, "round-ask:1:BJ")[STAFF_BJ]
    assert "请北京监管局（BJ）报送以下项目情况：BJ-02 Project BJ-02。" in zh
    assert "截止时间：2026年12月3日 周四 10:00。" in zh
    early = schedule.find(svc.db, rounds.REMIND, "1:early")
    last = schedule.find(svc.db, rounds.REMIND, "1:deadline")
    assert early is not None and early.due_at == reminder_at(T0, DEADLINE, SHANGHAI)
    assert early.due_at == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # Wed 17:00, not 00:24 Thu
    assert last is not None and last.due_at == DEADLINE
    assert open_all(svc).round.id == 2  # a second round is another round


@pytest.mark.parametrize(
    ("scope", "asked"),
    [
        (Scope(("public",)), [("BJ-02", "BJ")]),
        (Scope(("tech",)), [("BJ-03", "SZ"), ("BJ-01", "TECH")]),
        (Scope(codes=("BJ-04",)), [("BJ-04", "TECH")]),  # named: asked in any live stage
        (Scope(("public",), (), ("bj-01",)), [("BJ-02", "BJ"), ("BJ-01", "TECH")]),
    ],
)
def test_scope_chooses_the_projects(
    svc: Services, scope: Scope, asked: list[tuple[str, str]]
) -> None:
    world(svc)
    done = rounds.open_round(svc, scope, DEADLINE, ADMIN, svc.clock.now())
    assert stored.asked(svc.db, done.round.id) == asked


@pytest.mark.parametrize(
    ("scope", "deadline", "refusal"),
    [
        (Scope(codes=("BJ-05",)), DEADLINE, rounds.ProjectEnded),
        (Scope(codes=("NOPE-1",)), DEADLINE, ProjectNotFound),
        (Scope(tiers=("key",)), DEADLINE, rounds.NothingInScope),
        (Scope(("enablement",)), DEADLINE, rounds.NothingInScope),
        (Scope(), T0 + timedelta(days=61), rounds.DeadlineTooFar),
    ],
)
def test_a_refused_round_changes_nothing(
    svc: Services, scope: Scope, deadline: datetime, refusal: type[Exception]
) -> None:
    world(svc)
    with pytest.raises(refusal):
        rounds.open_round(svc, scope, deadline, ADMIN, svc.clock.now())
    assert stored.latest_round(svc.db) is None
    assert keys(svc, "round-") == [] and schedule.pending(svc.db) == []


def test_nobody_following_is_refused_and_units_without_staff_are_named(svc: Services) -> None:
    world(svc)
    now = svc.clock.now()
    project_follows.unfollow(svc.db, "BJ-02", "BJ")
    with pytest.raises(rounds.NobodyFollows):
        rounds.open_round(svc, Scope(codes=("BJ-02",)), DEADLINE, ADMIN, now)
    people.add_unit(svc.db, "CSRC", "Regulator", now)
    project_follows.follow(svc.db, "BJ-01", "CSRC", now)
    done = open_all(svc)
    assert done.unfollowed == ["BJ-02"] and done.unstaffed == ["CSRC"]


# --- reminders ----------------------------------------------------------------------------


def test_reminders_go_only_to_units_that_have_not_reported(svc: Services) -> None:
    world(svc)
    open_all(svc)
    rounds.report(svc, "BJ-01", Answers("on track"), who(svc, STAFF_TECH), "en", T0)
    set_clock(svc, reminder_at(T0, DEADLINE, SHANGHAI))
    assert svc.scheduler.fire_due() == 1
    assert keys(svc, "round-remind:") == [
        f"round-remind:1:early:BJ:{STAFF_BJ}",
        f"round-remind:1:early:SZ:{STAFF_SZ}",
    ]
    assert "尚未报送：BJ-02 Project BJ-02。" in texts(svc, "round-remind:1:early:BJ")[STAFF_BJ]
    set_clock(svc, DEADLINE)
    assert svc.scheduler.fire_due() == 1
    late = texts(svc, "round-remind:1:deadline:SZ")[STAFF_SZ]
    assert "has not reported on: BJ-03" in late and "marked late" in late
    summary = texts(svc, "round-closed:1")[ADMIN]
    assert "3 units asked: 1 on time, 0 late, 2 not reported" in summary
    assert "❌ Not reported: 北京监管局 (BJ), Shenzhen Bureau (SZ)" in summary
    assert svc.scheduler.fire_due() == 0


def test_an_early_reminder_after_the_deadline_is_missed(svc: Services) -> None:
    world(svc)
    open_all(svc)
    set_clock(svc, DEADLINE + timedelta(hours=1))  # the bot was down across both
    assert svc.scheduler.fire_due() == 2
    assert schedule.find(svc.db, rounds.REMIND, "1:early").state == "missed"  # type: ignore[union-attr]
    assert keys(svc, "round-remind:1:early") == []
    assert len(keys(svc, "round-remind:1:deadline")) == 3


# --- reports ------------------------------------------------------------------------------


def test_a_report_on_time_is_one_entry_and_issues_open_a_risk(svc: Services) -> None:
    world(svc)
    open_all(svc)
    answers = Answers.of("First settlements.", "Interface timeouts", "无", "")
    done = rounds.report(svc, "bj-01", answers, who(svc, STAFF_TECH), "en", T0)
    assert done.report.late is False and done.asking.unit == "TECH"
    entry = progress.get_entry(svc.db, done.entry.id)
    assert entry is not None and entry.author_unit == "TECH" and entry.tags == ("risk",)
    assert entry.text == (
        "[Round 1 report] Progress: First settlements; #risk Issues and risks: Interface timeouts."
    )
    assert [r.id for r in progress_reads.open_risks(svc.db, "BJ-01")] == [entry.id]
    assert keys(svc, "round-coord:") == []  # nothing needing coordination


def test_a_report_after_the_deadline_is_taken_and_marked_late(svc: Services) -> None:
    world(svc)
    open_all(svc)
    set_clock(svc, DEADLINE + timedelta(hours=3))
    answers = Answers.of("完成系统对接。", "", "12月上线", "跨部门数据共享")
    done = rounds.report(svc, "BJ-02", answers, who(svc, STAFF_BJ), "zh", svc.clock.now())
    assert done.report.late is True
    assert done.entry.text == (
        "【第1轮定期报送（逾期）】本期进展：完成系统对接；下步计划：12月上线；需协调事项：跨部门数据共享。"
    )
    assert done.entry.tags == ()
    view = round_reads.current(svc, svc.clock.now())
    assert view is not None
    assert {u.unit: u.status for u in view.units} == {
        "BJ": "late",
        "SZ": "missing",
        "TECH": "missing",
    }


@pytest.mark.parametrize(
    ("user", "code", "refusal"),
    [
        (STAFF_BJ, "BJ-01", rounds.NotAsked),  # BJ does not follow BJ-01
        (ADMIN, "BJ-01", rounds.NoUnit),
        (STAFF_TECH, "BJ-04", rounds.NotAsked),  # not in the round's scope
        (STAFF_TECH, "NOPE-1", ProjectNotFound),
    ],
)
def test_reports_nobody_asked_for_are_refused(
    svc: Services, user: int, code: str, refusal: type[Exception]
) -> None:
    world(svc)
    open_all(svc)
    with pytest.raises(refusal):
        rounds.report(svc, code, Answers("x"), who(svc, user), "en", T0)
    assert progress.max_id(svc.db) == 0


def test_one_report_per_unit_and_project_until_its_entry_is_withdrawn(svc: Services) -> None:
    world(svc)
    open_all(svc)
    staff = who(svc, STAFF_TECH)
    first = rounds.report(svc, "BJ-01", Answers("first"), staff, "en", T0)
    with pytest.raises(rounds.AlreadyReported):
        rounds.report(svc, "BJ-01", Answers("again"), staff, "en", T0)
    progress.withdraw_entry(svc.db, first.entry, STAFF_TECH, T0)
    view = round_reads.current(svc, T0)
    assert view is not None and view.count("on_time") == 0
    again = rounds.report(svc, "BJ-01", Answers("again"), staff, "en", T0)
    assert again.entry.id != first.entry.id
    assert [r.entry_id for r in round_reports.reports(svc.db, 1)] == [again.entry.id]


def test_coordination_over_the_limit_is_refused(svc: Services) -> None:
    world(svc)
    open_all(svc)
    with pytest.raises(rounds.TooLong):
        rounds.report(
            svc, "BJ-01", Answers("x", coordination="长" * 301), who(svc, STAFF_TECH), "en", T0
        )
    assert progress.max_id(svc.db) == 0


# --- items needing coordination -----------------------------------------------------------


def joint_meeting(svc: Services, start: datetime) -> int:
    created = meetings.create(
        svc,
        kind="joint",
        title="Joint meeting Q4",
        place="",
        when=When(start, start + timedelta(hours=2)),
        rrule=None,
        by=ADMIN,
        now=svc.clock.now(),
    )
    return created.meeting.id


def test_coordination_goes_to_the_admins_and_onto_the_next_joint_meeting_once(
    svc: Services,
) -> None:
    world(svc)
    open_all(svc)
    done = rounds.report(
        svc, "BJ-02", Answers("ok", coordination="数据共享"), who(svc, STAFF_BJ), "zh", T0
    )
    (offer,) = outbox.by_key_prefix(svc.db, "round-coord:")
    assert offer.chat_id == ADMIN and "No joint meeting is scheduled yet." in offer.text
    assert offer.buttons == [
        [
            {
                "text": "Put on the next joint meeting's agenda",
                "action": "rd_agenda",
                "payload": str(done.report.id),
            }
        ]
    ]
    admin = who(svc, ADMIN)
    with pytest.raises(round_agenda.NoJointMeeting):
        round_agenda.to_agenda(svc, done.report.id, admin, T0)
    meeting_id = joint_meeting(svc, datetime(2026, 12, 10, 6, 0, tzinfo=UTC))
    placed = round_agenda.to_agenda(svc, done.report.id, admin, T0)
    assert placed.meeting_id == meeting_id and placed.number == 1
    (item,) = agenda.items(svc.db, meeting_id, placed.item.occ)
    assert (item.title, item.kind, item.project, item.unit_code) == (
        "数据共享",
        "study",
        "BJ-02",
        "BJ",
    )
    assert item.submitter == ADMIN
    with pytest.raises(round_agenda.AlreadyOnAgenda):
        round_agenda.to_agenda(svc, done.report.id, admin, T0)
    with pytest.raises(round_agenda.ReportGone):
        round_agenda.to_agenda(svc, 999, admin, T0)


# --- compliance and the bulletin ----------------------------------------------------------


def test_compliance_over_the_last_rounds(svc: Services) -> None:
    world(svc)
    open_all(svc)
    rounds.report(svc, "BJ-01", Answers("on time"), who(svc, STAFF_TECH), "en", T0)
    set_clock(svc, DEADLINE + timedelta(hours=1))
    rounds.report(svc, "BJ-02", Answers("late"), who(svc, STAFF_BJ), "en", svc.clock.now())
    now = svc.clock.now()
    rounds.open_round(svc, Scope(("public",)), now + timedelta(days=1), ADMIN, now)
    record = round_reads.compliance(svc, 6, now)
    assert [r.round_id for r in record.rounds] == [1, 2]
    assert {u.unit: u.cells for u in record.units} == {
        "BJ": ("late", "open"),
        "SZ": ("missing", None),
        "TECH": ("on_time", None),
    }
    last = round_reads.compliance(svc, 1, now)
    assert [r.round_id for r in last.rounds] == [2] and [u.unit for u in last.units] == ["BJ"]


def test_the_next_bulletin_lists_the_rounds_compliance(svc: Services) -> None:
    world(svc)
    open_all(svc)
    rounds.report(svc, "BJ-01", Answers("on time"), who(svc, STAFF_TECH), "en", T0)
    set_clock(svc, DEADLINE + timedelta(hours=1))
    rounds.report(svc, "BJ-02", Answers("late"), who(svc, STAFF_BJ), "en", svc.clock.now())
    upcoming = bulletins.draft(svc, svc.clock.now())
    assert [r.round_id for r in upcoming.data.rounds] == [1]
    en = "\n".join(render_sections(upcoming.data, svc.translator.get("en"), SHANGHAI, 2026, 1))
    assert "<b>Periodic reports</b>" in en
    assert "3 units asked: 1 on time, 1 late, 1 not reported" in en
    assert "⏰ Late: 北京监管局 (BJ)" in en and "❌ Not reported: Shenzhen Bureau (SZ)" in en
    zh = "\n".join(render_sections(upcoming.data, svc.translator.get("zh"), SHANGHAI, 2026, 1))
    assert "<b>定期报送情况</b>" in zh
    assert "应报送单位3家，其中按时报送1家、逾期报送1家、未报送1家" in zh
    bulletins.publish(svc, svc.clock.now(), ADMIN, "manual")
    assert bulletins.draft(svc, svc.clock.now()).data.rounds == []  # listed once it closed


# --- scheduled rounds ---------------------------------------------------------------------

FRIDAY_0900 = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)


def test_a_schedule_opens_a_round_and_arms_the_next(svc: Services) -> None:
    world(svc)
    planned = round_schedules.add(
        svc, Cadence("weekly", 4, "09:00"), "周五17:00", Scope(("tech",)), ADMIN, T0
    )
    assert planned.next_open == FRIDAY_0900
    ref = round_schedules.open_ref(planned.schedule.id, FRIDAY_0900)
    assert ref == "1@2026-12-04T01:00:00.000+00:00"
    assert round_schedules.parse_open_ref(ref) == (1, FRIDAY_0900)
    set_clock(svc, FRIDAY_0900)
    assert svc.scheduler.fire_due() == 1
    opened = stored.latest_round(svc.db)
    assert opened is not None and opened.schedule_id == 1 and opened.opened_by is None
    assert opened.deadline_at == datetime(2026, 12, 4, 9, 0, tzinfo=UTC)  # Friday 17:00
    assert stored.asked(svc.db, opened.id) == [("BJ-03", "SZ"), ("BJ-01", "TECH")]
    assert "Opened on schedule #1." in texts(svc, "round-opened:1")[ADMIN]
    (following,) = round_schedules.listing(svc)
    assert following.next_open == FRIDAY_0900 + timedelta(days=7)


def test_an_opening_missed_by_a_whole_period_is_recorded_and_the_next_armed(
    svc: Services,
) -> None:
    world(svc)
    round_schedules.add(svc, Cadence("weekly", 4, "09:00"), "2d", Scope(), ADMIN, T0)
    set_clock(svc, FRIDAY_0900 + timedelta(days=8))
    svc.scheduler.fire_due()
    first = schedule.find(svc.db, round_schedules.OPEN, round_schedules.open_ref(1, FRIDAY_0900))
    assert first is not None and first.state == "missed"
    assert stored.latest_round(svc.db) is None
    (following,) = round_schedules.listing(svc)
    assert following.next_open == FRIDAY_0900 + timedelta(days=14)


def test_a_scheduled_round_with_nothing_in_scope_tells_the_admins(svc: Services) -> None:
    world(svc)
    round_schedules.add(
        svc, Cadence("weekly", 4, "09:00"), "2d", Scope(("enablement",)), ADMIN, T0
    )
    set_clock(svc, FRIDAY_0900)
    svc.scheduler.fire_due()
    assert stored.latest_round(svc.db) is None
    skipped = texts(svc, "round-skipped:")[ADMIN]
    assert "was not opened: No running project is in that scope" in skipped


def test_stopping_a_schedule_disarms_it_and_start_up_rearms_the_rest(svc: Services) -> None:
    world(svc)
    first = round_schedules.add(svc, Cadence("weekly", 4, "09:00"), "2d", Scope(), ADMIN, T0)
    second = round_schedules.add(svc, Cadence("monthly", 1, "09:00"), "3天", Scope(), ADMIN, T0)
    round_schedules.stop(svc, first.schedule.id, T0)
    with pytest.raises(round_schedules.NoSuchSchedule):
        round_schedules.stop(svc, first.schedule.id, T0)
    assert schedule.pending_with_prefix(svc.db, round_schedules.OPEN, "1@") == []
    svc.db.execute("DELETE FROM schedule WHERE ref LIKE '2@%'")  # as if the row were lost
    round_schedules.on_start(svc)
    (armed,) = schedule.pending_with_prefix(svc.db, round_schedules.OPEN, "")
    assert armed.ref == round_schedules.open_ref(second.schedule.id, armed.due_at)
    assert armed.due_at == datetime(2027, 1, 1, 1, 0, tzinfo=UTC)
