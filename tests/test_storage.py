"""Storage: migrations, people, chats, audit dedup, outbox and schedule state machines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from storage import audit, chats, outbox, people, schedule
from storage.db import open_database, transaction
from storage.schema import migrate, up_to_date

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = open_database(tmp_path / "t.db")
    migrate(database)
    return database


def test_migrate_is_idempotent_and_wal(db: Database) -> None:
    assert migrate(db) == []
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {"people", "units", "chats", "audit", "outbox", "schedule"} <= set(db.table_names())


def test_up_to_date_sees_a_missing_migration(tmp_path: Path, db: Database) -> None:
    assert not up_to_date(open_database(tmp_path / "fresh.db"))
    assert up_to_date(db)
    columns = "migration_set, name, applied_at"
    newest = f"SELECT rowid, {columns} FROM _sqlite_migrations ORDER BY rowid DESC"
    last = db.execute(newest).fetchone()
    db.execute("DELETE FROM _sqlite_migrations WHERE rowid = ?", [last[0]])
    assert not up_to_date(db)
    db.execute(f"INSERT INTO _sqlite_migrations ({columns}) VALUES (?, ?, ?)", last[1:])
    assert up_to_date(db)


def test_people_and_roles(db: Database) -> None:
    assert people.add_unit(db, "tech", "Tech", NOW)
    assert not people.add_unit(db, "TECH", "Again", NOW)
    people.touch_person(db, 9, "Wang", "Wang", "Wei", "zh", NOW)
    people.set_role(db, 9, "staff", "TECH", NOW)
    person = people.find_by_username(db, "@wang")
    assert person is not None and person.role == "staff" and person.unit_code == "TECH"
    assert [p.user_id for p in people.staff_of_unit(db, "tech")] == [9]


def test_transaction_rolls_back_everything(db: Database) -> None:
    with pytest.raises(RuntimeError), transaction(db):
        people.add_unit(db, "A", "a", NOW)
        audit.record(db, now=NOW, action="unit_add", outcome="ok", chat_id=1, message_id=1)
        raise RuntimeError
    assert people.get_unit(db, "A") is None
    assert not audit.already_handled(db, 1, 1)


def test_audit_deduplicates_by_message(db: Database) -> None:
    audit.record(db, now=NOW, action="x", outcome="ok", chat_id=5, message_id=7)
    assert audit.already_handled(db, 5, 7)
    with pytest.raises(Exception, match="UNIQUE"):
        audit.record(db, now=NOW, action="x", outcome="ok", chat_id=5, message_id=7)


def test_chat_migration_keeps_subscriptions(db: Database) -> None:
    chats.touch_chat(db, -5, "group", "G", NOW)
    chats.subscribe(db, -5, ["meetings", "bulletins"], NOW)
    outbox.enqueue(db, key="k", kind="notice", chat_id=-5, text="hi", now=NOW)
    assert chats.migrate_chat(db, -5, -1005, NOW)
    assert outbox.redirect(db, -5, -1005) == 1
    assert chats.topics_of(db, -1005) == ["bulletins", "meetings"]
    assert [c.chat_id for c in chats.subscribers(db, "meetings")] == [-1005]


def test_outbox_lifecycle(db: Database) -> None:
    assert outbox.enqueue(db, key="r:1", kind="reminder", chat_id=3, text="t", now=NOW)
    assert not outbox.enqueue(db, key="r:1", kind="reminder", chat_id=3, text="t", now=NOW)
    assert outbox.chats_with_due(db, NOW) == [3]
    (row,) = outbox.due_for_chat(db, 3, NOW)
    assert outbox.mark_sending(db, row.id)
    assert not outbox.mark_sending(db, row.id)
    assert outbox.recover_after_crash(db) == 1
    assert outbox.get(db, row.id).state == "uncertain"  # type: ignore[union-attr]
    assert outbox.chats_with_due(db, NOW + timedelta(days=1)) == []


def test_an_edit_caught_by_a_crash_goes_again(db: Database) -> None:
    outbox.enqueue(db, key="e:1", kind="edit", chat_id=3, text="t", now=NOW, edits=41)
    (row,) = outbox.due_for_chat(db, 3, NOW)
    assert row.edits == 41 and outbox.mark_sending(db, row.id)
    assert outbox.recover_after_crash(db) == 0  # nothing uncertain to report
    assert outbox.get(db, row.id).state == "pending"  # type: ignore[union-attr]


def test_schedule_batched_lookups_match_one_at_a_time(db: Database) -> None:
    """agenda_timing.replan reads a meeting's rows in one statement each way."""
    schedule.put(db, "agenda_close", "4.1.-", NOW, NOW)
    schedule.put(db, "agenda_carry", "4.1.-", NOW, NOW)
    schedule.put(db, "agenda_publish", "40.1.-", NOW, NOW)  # another meeting: 40, not 4
    fired = schedule.put(db, "agenda_publish", "4.1.-", NOW, NOW)
    schedule.finish(db, fired.id, "done", NOW)
    kinds = ("agenda_publish", "agenda_close", "agenda_carry")
    pending = schedule.pending_with_prefix_of_kinds(db, kinds, "4.")
    assert sorted(pending, key=lambda j: j.id) == sorted(
        (job for kind in kinds for job in schedule.pending_with_prefix(db, kind, "4.")),
        key=lambda j: j.id,
    )
    assert {(j.kind, j.ref) for j in pending} == {
        ("agenda_close", "4.1.-"),
        ("agenda_carry", "4.1.-"),
    }
    pairs = [("agenda_publish", "4.1.-"), ("agenda_close", "4.1.-"), ("agenda_close", "9.1.-")]
    found = schedule.find_many(db, pairs)
    assert found == {p: schedule.find(db, *p) for p in pairs[:2]}  # the absent pair left out
    assert found[("agenda_publish", "4.1.-")].state == "done"
    assert schedule.find_many(db, []) == {}


def test_schedule_put_moves_only_pending(db: Database) -> None:
    job = schedule.put(db, "reminder", "m1", NOW, NOW)
    moved = schedule.put(db, "reminder", "m1", NOW + timedelta(hours=1), NOW)
    assert moved.id == job.id and moved.due_at == NOW + timedelta(hours=1)
    assert schedule.finish(db, job.id, "done", NOW)
    assert not schedule.finish(db, job.id, "done", NOW)
    again = schedule.put(db, "reminder", "m1", NOW + timedelta(hours=5), NOW)
    assert again.state == "done" and again.due_at == NOW + timedelta(hours=1)
    assert schedule.due_by(db, NOW + timedelta(days=1)) == []
