"""Telling the admins about messages that may or may not have arrived (uncertain rows).

A row becomes uncertain when its request left but no answer came back: a read timeout, a
crash, a stop that outlasted its grace period. It is never sent again, so a person must
look. The admins hear about each such row once, one alert per notice (a bulletin to thirty
groups that lost three answers is one alert naming the three groups), through the outbox.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from bot.i18n import Tr
from bot.render.text import esc
from bot.services import notify
from storage import chats, outbox, people
from storage.outbox import OutMessage

if TYPE_CHECKING:
    from bot.services import Services

LISTED_CHATS = 40  # chats named in one alert; the rest are counted


def report_uncertain(svc: Services, now: datetime) -> int:
    """Queue one alert per notice for the uncertain rows not reported yet; return how many
    notices were reported (call inside a transaction)."""
    rows = outbox.unreported_uncertain(svc.db)
    notices: dict[tuple[str, str], list[OutMessage]] = {}
    for row in rows:
        if row.kind != "alert":  # an alert about an alert could loop; the log has it
            group = (row.kind, outbox.notice_of(row.key, row.chat_id))
            notices.setdefault(group, []).append(row)
    for (kind, notice), members in notices.items():
        render = partial(_render, svc, kind, notice, members)
        key = f"alert:uncertain:{members[0].id}"
        notify.notify(svc, notify.admins(svc), key, "alert", render, now)
    outbox.mark_reported(svc.db, [row.id for row in rows], now)
    return len(notices)


def _render(svc: Services, kind: str, notice: str, rows: list[OutMessage], tr: Tr) -> str:
    lines = [
        tr(
            "⚠️ Delivery uncertain: a {kind} message ({notice}) may or may not have reached "
            "the chats below. It was not sent again, so that nothing arrives twice; please "
            "check each chat and resend by hand where it is missing.",
            kind=esc(kind),
            notice=esc(notice),
        )
    ]
    lines += [
        tr("• {chat} ({id})", chat=esc(_chat_label(svc, row.chat_id)), id=row.chat_id)
        for row in rows[:LISTED_CHATS]
    ]
    if len(rows) > LISTED_CHATS:
        lines.append(tr("… and {count} more chats", count=len(rows) - LISTED_CHATS))
    reasons = sorted({row.last_error or "" for row in rows} - {""})
    if reasons:
        lines.append(tr("Reason: {reason}", reason=esc("; ".join(reasons)[:300])))
    return "\n".join(lines)


def _chat_label(svc: Services, chat_id: int) -> str:
    chat = chats.get_chat(svc.db, chat_id)
    if chat is not None and chat.title:
        return chat.title
    person = people.get_person(svc.db, chat_id)
    return person.first_name if person and person.first_name else "?"
