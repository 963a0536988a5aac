"""Intake at the seam: calls, applications before the deadline, accept into selection, reject."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.clock import FixedClock
from bot.services import Services
from bot.services import attachments as attachment_service
from bot.services import intake as service
from bot.services.projects import ProjectExists
from storage import (
    attachments,
    intake,
    outbox,
    people,
    project_follows,
    schedule,
    schema,
)
from storage.attachments import Sent

ADMIN, STAFF = 7_000_000_001, 7_000_000_002


def _world(svc: Services) -> int:
    now = svc.clock.now()
    people.add_unit(svc.db, "EXS", "Example Securities", now)
    people.touch_person(svc.db, ADMIN, "ada", "Ada", None, "en", now)
    people.set_role(svc.db, ADMIN, "admin", None, now)
    people.touch_person(svc.db, STAFF, "mei", "Mei", None, "zh", now)
    people.set_role(svc.db, STAFF, "staff", "EXS", now)
    opened = service.open_call(svc, "Second batch", now + timedelta(days=3), ADMIN, now)
    return opened.call.id


FIELDS = ("Bond radar", "tech", "Example Securities", "Mei 138", "Real-time monitoring")


def _texts(svc: Services, prefix: str) -> dict[int, str]:
    return {row.chat_id: row.text for row in outbox.by_key_prefix(svc.db, prefix)}


def test_a_call_schedules_its_closing_and_counts_at_the_deadline(svc: Services) -> None:
    call_id = _world(svc)
    job = schedule.find(svc.db, service.CLOSE, str(call_id))
    assert job is not None and job.due_at == svc.clock.now() + timedelta(days=3)
    service.file_application(svc, call_id, FIELDS, "EXS", STAFF, svc.clock.now())
    assert service.fire_close(svc, job, job.due_at) == ("done", "1 applications")
    assert "closed with 1 application." in _texts(svc, f"call-closed:{call_id}")[ADMIN]


def test_a_past_deadline_is_refused(svc: Services) -> None:
    now = svc.clock.now()
    with pytest.raises(service.DeadlinePassed):
        service.open_call(svc, "Late", now - timedelta(hours=1), ADMIN, now)


def test_filing_tells_the_admins_and_materials_go_with_the_accepted_project(
    svc: Services,
) -> None:
    call_id = _world(svc)
    now = svc.clock.now()
    filed = service.file_application(svc, call_id, FIELDS, "EXS", STAFF, now)
    assert filed.audit == {"application": 1, "call": call_id}
    assert "Bond radar" in _texts(svc, "application:1")[ADMIN]
    pdf = Sent("document", "BQAC-1", "u1", "方案.pdf", 20_480, "application/pdf")
    attachment_service.keep(svc, service.MATERIALS, "1", pdf, STAFF, now)
    (material,) = service.show(svc, 1).materials
    assert (material.file_id, material.name, material.size, material.by_user) == (
        "BQAC-1",
        "方案.pdf",
        20_480,
        STAFF,
    )
    assert attachments.of_project(svc.db, "BJ-17") == []
    service.accept(svc, 1, "BJ-17", ADMIN, now)
    assert [f.name for f in attachments.of_project(svc.db, "BJ-17")] == ["方案.pdf"]


def test_after_the_deadline_applications_are_refused(svc: Services, clock: FixedClock) -> None:
    call_id = _world(svc)
    clock.advance(timedelta(days=3))
    with pytest.raises(service.CallClosed):
        service.file_application(svc, call_id, FIELDS, "EXS", STAFF, clock.now())
    with pytest.raises(service.CallNotFound):
        service.file_application(svc, 99, FIELDS, "EXS", STAFF, clock.now())


def test_accepting_registers_the_project_in_selection(svc: Services) -> None:
    call_id = _world(svc)
    now = svc.clock.now()
    filed = service.file_application(svc, call_id, FIELDS, "EXS", STAFF, now)
    done = service.accept(svc, filed.application.id, "bj-17", ADMIN, now)
    assert done.project is not None
    assert (done.project.code, done.project.stage, done.project.category) == (
        "BJ-17",
        "selection",
        "tech",
    )
    assert project_follows.followers(svc.db, "BJ-17") == ["EXS"]
    assert (done.application.state, done.application.project_code) == ("accepted", "BJ-17")
    assert "BJ-17" in _texts(svc, "application-accepted:1")[STAFF]
    with pytest.raises(service.AlreadyDecided):
        service.reject(svc, 1, "no", ADMIN, now)


def test_accepting_under_a_taken_code_changes_nothing(svc: Services) -> None:
    call_id = _world(svc)
    now = svc.clock.now()
    service.file_application(svc, call_id, FIELDS, "EXS", STAFF, now)
    service.accept(svc, 1, "BJ-17", ADMIN, now)
    service.file_application(svc, call_id, FIELDS, "EXS", STAFF, now)
    with pytest.raises(ProjectExists):
        service.accept(svc, 2, "BJ-17", ADMIN, now)
    application = intake.get_application(svc.db, 2)
    assert application is not None and application.state == "filed"


def test_a_rejection_carries_the_reason_to_the_applicant(svc: Services) -> None:
    call_id = _world(svc)
    now = svc.clock.now()
    service.file_application(svc, call_id, FIELDS, "EXS", STAFF, now)
    done = service.reject(svc, 1, "不属于试点范围", ADMIN, now)
    assert (done.application.state, done.application.reason) == ("rejected", "不属于试点范围")
    assert "不属于试点范围" in _texts(svc, "application-rejected:1")[STAFF]


def test_materials_only_from_the_applicants_unit_or_an_admin(svc: Services) -> None:
    call_id = _world(svc)
    now = svc.clock.now()
    service.file_application(svc, call_id, FIELDS, "EXS", STAFF, now)
    with pytest.raises(service.NotYourApplication):
        service.material_target(svc, 1, 7_000_000_009, "OTHER", False)
    assert service.material_target(svc, 1, ADMIN, None, True).id == 1
    assert service.material_target(svc, 1, 7_000_000_009, "EXS", False).id == 1


def test_existing_application_materials_move_into_attachments(tmp_path: Path) -> None:
    """A database from before the move keeps its materials listed, accepted ones under
    their project's code."""
    db = Database(tmp_path / "old.db")
    for migration_set in schema.all_migrations():
        if migration_set is attachments.migrations:
            migration_set.apply(db, stop_before="m002_application_materials")
        else:
            migration_set.apply(db)
    db.execute(
        "INSERT INTO calls (id, title, deadline, created_at) VALUES (1, 'c', '2027-01-01', 'x')"
    )
    for n, code in ((1, "BJ-17"), (2, None)):
        db.execute(
            """INSERT INTO applications (id, call_id, name, category, lead, contact, summary,
                   filed_by, filed_at, state, project_code)
               VALUES (?, 1, 'n', 'tech', 'l', 'c', 's', ?, '2026-12-01T02:00:00+00:00', ?, ?)""",
            [n, STAFF, "accepted" if code else "filed", code],
        )
    db.execute(
        """INSERT INTO application_materials (application_id, file_id, file_name, file_size,
               added_by, added_at) VALUES
           (1, 'F1', '方案.pdf', 2048, ?, '2026-12-01T02:00:00+00:00'),
           (2, 'F2', '附件.docx', NULL, ?, '2026-12-01T03:00:00+00:00')""",
        [STAFF, STAFF],
    )
    assert schema.migrate(db) == ["coordbot.attachments:m002_application_materials"]
    assert not db["application_materials"].exists()
    (first,) = attachments.of_record(db, "application", "1")
    assert (first.file_id, first.name, first.size, first.by_user, first.project_code) == (
        "F1",
        "方案.pdf",
        2048,
        STAFF,
        "BJ-17",
    )
    assert [f.name for f in attachments.of_project(db, "BJ-17")] == ["方案.pdf"]
    (second,) = attachments.of_record(db, "application", "2")
    assert (second.name, second.size, second.project_code) == ("附件.docx", 0, None)
