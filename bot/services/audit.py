"""Who changed what and when: the audit trail read back for /audit and `coordbot db audit`."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlite_utils import Database

from bot.i18n import N_
from bot.render.text import esc
from bot.services.refused import Refused
from storage import audit, people
from storage.audit import Trail
from storage.db import utc_iso

if TYPE_CHECKING:
    from bot.services import Services

PAGE = 10


class UnknownPerson(Refused):
    """An @username the bot has never seen."""

    message = N_("I do not know {who} yet: they have not written to the bot.")


@dataclass(frozen=True)
class Filter:
    """What /audit was asked for: a project code, a person, or the last N days."""

    code: str | None = None
    person: int | str | None = None
    days: int | None = None


def trail(svc: Services, wanted: Filter, now: datetime, page: int = 1) -> Trail:
    """A page of audit entries matching the filter."""
    user_id: int | None = None
    if isinstance(wanted.person, str):
        person = people.find_by_username(svc.db, wanted.person.lstrip("@"))
        if person is None:
            raise UnknownPerson(who=esc(wanted.person[:40]))
        user_id = person.user_id
    elif isinstance(wanted.person, int):
        user_id = wanted.person
    since = now - timedelta(days=wanted.days) if wanted.days else None
    page = max(1, page)
    entries, total = audit.query(
        svc.db,
        since=since,
        user_id=user_id,
        mentions=wanted.code.upper() if wanted.code else None,
        limit=PAGE,
        offset=(page - 1) * PAGE,
    )
    names: dict[int, str] = {}
    for entry in entries:
        if entry.user_id is not None and entry.user_id not in names:
            known = people.get_person(svc.db, entry.user_id)
            names[entry.user_id] = known.display_name if known else str(entry.user_id)
    return Trail(entries, names, total, page, max(1, -(-total // PAGE)))


CSV_HEADER = [
    "id",
    "at_utc",
    "user_id",
    "user",
    "chat_id",
    "message_id",
    "action",
    "outcome",
    "detail",
]


def export_csv(db: Database, since: datetime, until: datetime | None) -> bytes:
    """The trail between two moments as CSV (UTF-8 with BOM, so Excel reads Chinese), oldest
    first."""
    entries, _ = audit.query(db, since=since, until=until, limit=10**9)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    names: dict[int, str] = {}
    for entry in reversed(entries):
        if entry.user_id is not None and entry.user_id not in names:
            known = people.get_person(db, entry.user_id)
            names[entry.user_id] = known.display_name if known else ""
        writer.writerow(
            [
                entry.id,
                utc_iso(entry.at),
                entry.user_id or "",
                names.get(entry.user_id or 0, ""),
                entry.chat_id or "",
                entry.message_id or "",
                entry.action,
                entry.outcome,
                json.dumps(entry.detail, ensure_ascii=False, sort_keys=True),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
