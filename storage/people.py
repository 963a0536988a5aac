"""People, member units and roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, cast

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import one, select, utc_iso

Role = Literal["none", "member", "staff", "admin"]
ROLES: tuple[Role, ...] = ("none", "member", "staff", "admin")

migrations = Migrations("coordbot.people")
LAST_SEEN_GRANULARITY = timedelta(hours=1)


@migrations()
def m001_people(db: Database) -> None:
    """Units and people."""
    db.execute(
        """CREATE TABLE units (
            code TEXT PRIMARY KEY COLLATE NOCASE,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE people (
            user_id INTEGER PRIMARY KEY,
            username TEXT COLLATE NOCASE,
            first_name TEXT NOT NULL DEFAULT '',
            last_name TEXT NOT NULL DEFAULT '',
            language TEXT,
            role TEXT NOT NULL DEFAULT 'none'
                CHECK (role IN ('none', 'member', 'staff', 'admin')),
            unit_code TEXT COLLATE NOCASE REFERENCES units(code),
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX people_username ON people(username)")
    db.execute("CREATE INDEX people_unit ON people(unit_code)")


def role_rank(role: str) -> int:
    """Position of a role in the order none < member < staff < admin."""
    return ROLES.index(cast(Role, role)) if role in ROLES else 0


@dataclass(frozen=True)
class Unit:
    """A member unit of the coordination group."""

    code: str
    name: str


@dataclass(frozen=True)
class Person:
    """Someone who has talked to the bot."""

    user_id: int
    username: str | None
    first_name: str
    last_name: str
    language: str | None
    role: Role
    unit_code: str | None

    @property
    def display_name(self) -> str:
        """Full name, falling back to @username or the id."""
        name = f"{self.first_name} {self.last_name}".strip()
        if name:
            return name
        return f"@{self.username}" if self.username else str(self.user_id)


def _person(row: dict) -> Person:
    return Person(
        user_id=row["user_id"],
        username=row["username"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        language=row["language"],
        role=cast(Role, row["role"]),
        unit_code=row["unit_code"],
    )


def touch_person(
    db: Database,
    user_id: int,
    username: str | None,
    first_name: str,
    last_name: str | None,
    language: str | None,
    now: datetime,
) -> Person:
    """Record that a user spoke to the bot, refreshing their names; return them."""
    row = one(db, "SELECT * FROM people WHERE user_id = ?", [user_id])
    if (
        row is not None
        and (row["username"], row["first_name"], row["last_name"], row["language"])
        == (username, first_name or "", last_name or "", language)
        and row["last_seen"] >= utc_iso(now - LAST_SEEN_GRANULARITY)
    ):
        # Nothing changed: skip the write, which would otherwise cost every read command.
        return _person(row)
    stamp = utc_iso(now)
    db.execute(
        """INSERT INTO people (user_id, username, first_name, last_name, language,
                               first_seen, last_seen)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(user_id) DO UPDATE SET username = excluded.username,
               first_name = excluded.first_name, last_name = excluded.last_name,
               language = excluded.language, last_seen = excluded.last_seen""",
        [user_id, username, first_name or "", last_name or "", language, stamp, stamp],
    )
    person = get_person(db, user_id)
    assert person is not None
    return person


def get_person(db: Database, user_id: int) -> Person | None:
    """A person by Telegram user id."""
    row = one(db, "SELECT * FROM people WHERE user_id = ?", [user_id])
    return _person(row) if row else None


def find_by_username(db: Database, username: str) -> Person | None:
    """A person by @username (case-insensitive, '@' optional)."""
    row = one(db, "SELECT * FROM people WHERE username = ?", [username.lstrip("@")])
    return _person(row) if row else None


def set_role(db: Database, user_id: int, role: Role, unit_code: str | None, now: datetime) -> None:
    """Give a person a role and unit, creating a bare record if they never spoke."""
    stamp = utc_iso(now)
    db.execute(
        """INSERT INTO people (user_id, role, unit_code, first_seen, last_seen)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(user_id) DO UPDATE SET role = excluded.role,
               unit_code = excluded.unit_code""",
        [user_id, role, unit_code, stamp, stamp],
    )


def ensure_admins(db: Database, user_ids: list[int], now: datetime) -> None:
    """Make the configured admin ids admins, keeping their unit."""
    stamp = utc_iso(now)
    for user_id in user_ids:
        db.execute(
            """INSERT INTO people (user_id, role, first_seen, last_seen)
               VALUES (?, 'admin', ?, ?)
               ON CONFLICT(user_id) DO UPDATE SET role = 'admin'""",
            [user_id, stamp, stamp],
        )


def list_people(db: Database) -> list[Person]:
    """Everyone with a role, by unit then name."""
    rows = select(
        db,
        """SELECT * FROM people WHERE role != 'none'
           ORDER BY unit_code IS NULL, unit_code, first_name, user_id""",
    )
    return [_person(row) for row in rows]


def people_with_role(db: Database, role: Role) -> list[Person]:
    """Everyone holding exactly this role."""
    return [_person(r) for r in select(db, "SELECT * FROM people WHERE role = ?", [role])]


def staff_of_unit(db: Database, unit_code: str) -> list[Person]:
    """Staff and admins belonging to a unit."""
    rows = select(
        db, "SELECT * FROM people WHERE unit_code = ? AND role IN ('staff', 'admin')", [unit_code]
    )
    return [_person(row) for row in rows]


def add_unit(db: Database, code: str, name: str, now: datetime) -> bool:
    """Register a unit; False when the code is taken."""
    if get_unit(db, code) is not None:
        return False
    db.execute(
        "INSERT INTO units (code, name, created_at) VALUES (?, ?, ?)",
        [code.upper(), name, utc_iso(now)],
    )
    return True


def get_unit(db: Database, code: str) -> Unit | None:
    """A unit by code, case-insensitive."""
    row = one(db, "SELECT code, name FROM units WHERE code = ?", [code])
    return Unit(row["code"], row["name"]) if row else None


def list_units(db: Database) -> list[Unit]:
    """All units by code."""
    return [
        Unit(r["code"], r["name"])
        for r in select(db, "SELECT code, name FROM units ORDER BY code")
    ]
