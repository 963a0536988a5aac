"""The registry of every aggregate's migrations, applied at start-up."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage import (
    actions,
    agenda,
    attachments,
    audit,
    bulletins,
    calendar_tokens,
    changes,
    chats,
    evaluations,
    forms,
    holidays,
    intake,
    integrity,
    meetings,
    minutes,
    outbox,
    panels,
    people,
    polls,
    progress,
    projects,
    rounds,
    schedule,
    search_index,
    settings,
    votes,
)


def all_migrations() -> list[Migrations]:
    """Every aggregate's migration set, in the order they must apply."""
    # Order matters only for readability: SQLite accepts foreign keys to tables
    # created later. New aggregates append here.
    return [
        settings.migrations,
        people.migrations,
        chats.migrations,
        audit.migrations,
        outbox.migrations,
        schedule.migrations,
        projects.migrations,
        progress.migrations,
        evaluations.migrations,
        bulletins.migrations,
        meetings.migrations,
        agenda.migrations,
        minutes.migrations,
        actions.migrations,
        holidays.migrations,
        forms.migrations,
        calendar_tokens.migrations,
        rounds.migrations,
        votes.migrations,
        polls.migrations,
        panels.migrations,
        intake.migrations,
        attachments.migrations,
        search_index.migrations,
        changes.migrations,
        integrity.migrations,
    ]


def up_to_date(db: Database) -> bool:
    """Whether every registered migration is recorded as applied (one query)."""
    if not db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
        [Migrations.migrations_table],
    ).fetchone():
        return False
    done = set(
        db.execute(
            f"SELECT migration_set, name FROM {Migrations.migrations_table}"  # noqa: S608 - a constant
        ).fetchall()
    )
    # sqlite-utils keeps the registered list private; asking each set for pending() costs
    # two schema reads per set, ~20 ms at every start and test database for nothing.
    return all(
        (migration_set.name, migration.name) in done
        for migration_set in all_migrations()
        for migration in migration_set._migrations
    )


def migrate(db: Database) -> list[str]:
    """Apply pending migrations of every aggregate; return the names applied."""
    if up_to_date(db):
        return []
    applied: list[str] = []
    for migration_set in all_migrations():
        pending = [m.name for m in migration_set.pending(db)]
        migration_set.apply(db)
        applied.extend(f"{migration_set.name}:{name}" for name in pending)
    return applied
