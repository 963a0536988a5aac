"""Unexpected errors reach the admins in chat: what was being handled and what went wrong.

Like python-telegram-bot's own rules-bot, every unexpected exception is logged with its
traceback and summarised to the admins privately (escaped, in each admin's language), through
the outbox as other alerts are. At most one alert per kind of error (exception type and the
line of our code it came from) goes out per window; the next one says how many were held
back, so a failure repeating on every update cannot flood the admins.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from telegram import Update

from bot.i18n import N_, Tr
from bot.render.text import clip, esc
from bot.services import notify
from storage.db import transaction, utc_iso

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]  # the project: bot/telegram/errors.py
OURS = tuple(ROOT / name for name in ("bot", "handlers", "storage"))
WINDOW = timedelta(minutes=5)

KINDS = {
    "command": N_("a command"),
    "button": N_("a button press"),
    "message": N_("a message"),
    "update": N_("an update"),
    "job": N_("a scheduled job"),
    "polling": N_("fetching updates"),
}


@dataclass(frozen=True)
class Handling:
    """What was being handled: a kind (KINDS), who, where, and a short text."""

    kind: str
    user_id: int | None = None
    chat_id: int | None = None
    text: str = ""


def handling_of(update: object) -> Handling:
    """A summary of a python-telegram-bot update (or None: no update, e.g. polling)."""
    if not isinstance(update, Update):
        return Handling("polling" if update is None else "update")
    user, chat = update.effective_user, update.effective_chat
    user_id, chat_id = (user.id if user else None), (chat.id if chat else None)
    if update.callback_query is not None:
        return Handling("button", user_id, chat_id)
    message = update.effective_message
    if message is not None:
        return Handling("message", user_id, chat_id, message.text or message.caption or "")
    return Handling("update", user_id, chat_id)


def signature(error: BaseException) -> str:
    """The kind of an error: its type and the innermost line of our own code it passed."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if any(Path(f.filename).resolve().is_relative_to(d) for d in OURS)]
    chosen = ours or frames
    if not chosen:
        return f"{type(error).__name__}@?"
    path = Path(chosen[-1].filename).resolve()
    name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    return f"{type(error).__name__}@{name}:{chosen[-1].lineno}"


def render(tr: Tr, error: BaseException, handling: Handling, where: str, held: int) -> str:
    """The alert in one admin's language (HTML, every variable part escaped)."""
    lines = [
        tr("⚠️ Unexpected error while handling {what}.", what=tr(KINDS[handling.kind])),
        tr("Error: {error}", error=esc(clip(f"{type(error).__name__}: {error}", 300))),
    ]
    if handling.user_id is not None or handling.chat_id is not None:
        lines.append(
            tr("User {user} in chat {chat}", user=handling.user_id, chat=handling.chat_id)
        )
    if handling.text:
        lines.append(tr("Text: {text}", text=esc(clip(" ".join(handling.text.split()), 200))))
    lines.append(tr("Where: {where}. The traceback is in the bot's log.", where=esc(where)))
    if held:
        lines.append(tr("Same error since the last alert, not sent: {n}", n=held))
    return "\n".join(lines)


@dataclass
class ErrorReporter:
    """Rate-limits the admins' error alerts: one per kind of error per window."""

    window: timedelta = WINDOW
    _last: dict[str, datetime] = field(default_factory=dict)
    _held: dict[str, int] = field(default_factory=dict)

    def report(self, svc: Services, error: BaseException, handling: Handling) -> bool:
        """Queue an alert to the admins, unless one of this kind went out within the window."""
        kind = signature(error)
        now = svc.clock.now()
        last = self._last.get(kind)
        if last is not None and now - last < self.window:
            self._held[kind] = self._held.get(kind, 0) + 1
            return False
        held = self._held.pop(kind, 0)
        where = kind.partition("@")[2]
        try:
            with transaction(svc.db):
                notify.notify(
                    svc,
                    notify.admins(svc),
                    f"error:{kind}:{utc_iso(now)}",
                    "alert",
                    lambda tr: render(tr, error, handling, where, held),
                    now,
                )
        except Exception:  # the database may be what failed: the log still has it
            log.exception("could not queue the admins' alert about %s", kind)
            return False
        self._last[kind] = now
        svc.delivery.kick()
        return True
