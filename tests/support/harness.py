"""The end-to-end harness: the real Application against the emulator over HTTP, the cast of
users it knows, and readers for what the bot sent and stored."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.clock import Clock, FixedClock
from bot.config import Config
from bot.devtools.emulator import Emulator
from bot.devtools.probe import CompletionProbe
from bot.services import Services, services_of
from bot.telegram.app import build_application, running
from storage import chats, people
from storage.chats import TOPICS
from storage.db import transaction
from tests.support.migrated import migrated_database

# The cast: an admin, staff of TECH (STAFF) and of BJ (STAFF2), a member, someone with no
# role, and one group they are all in (see setup_org and the `emu` fixture).
ADMIN, STAFF, MEMBER, OUTSIDER, STAFF2 = 1, 2, 3, 4, 5
GROUP = -1001
CAST = ((ADMIN, "Ada"), (STAFF, "Sam"), (MEMBER, "Mei"), (OUTSIDER, "Otto"), (STAFF2, "Li"))
SEND_METHODS = {
    "sendMessage",
    "sendDocument",
    "sendPhoto",
    "editMessageText",
    "editMessageReplyMarkup",
}


def add_cast(emu: Emulator) -> None:
    """The standard users and the group they share, on an emulator."""
    for user_id, name in CAST:
        emu.add_user(user_id, name, username=name.lower())
    emu.add_group(GROUP, "Pilot group", members=[uid for uid, _ in CAST], admins=[ADMIN])


@dataclass
class Harness:
    """Drives the bot as users in chats and reads back what it sent."""

    emu: Emulator
    app: Any
    probe: CompletionProbe
    config: Config
    lang: dict[int, str] = field(default_factory=dict)

    @property
    def svc(self) -> Services:
        """The running bot's services (database, scheduler, ...)."""
        return services_of(self.app.bot_data)

    async def send(self, user: int, text: str, chat: int | None = None, **kw: Any) -> list[Any]:
        """Send a message as a user and return the bot's sends made while handling it."""
        before = self.emu.last_seq
        update = self.emu.send_message(
            user_id=user, chat_id=chat if chat is not None else user, text=text, **kw
        )
        await self.probe.wait(update["update_id"])
        calls = [c for c in self.emu.calls() if c.seq > before and c.method in SEND_METHODS]
        refused = [c.error for c in calls if not c.ok and not (c.error or {}).get("fault")]
        # Whatever the bot answers, Telegram must accept it (valid HTML, within limits).
        assert not refused, f"the emulator refused the bot's answer to {text[:60]!r}: {refused}"
        return calls

    async def text(self, user: int, text: str, chat: int | None = None, **kw: Any) -> str:
        """Send a message and return the text of the bot's answers, joined."""
        calls = await self.send(user, text, chat, **kw)
        return "\n".join(str(c.params.get("text") or c.params.get("caption") or "") for c in calls)

    async def press(self, user: int, chat: int, message_id: int, data: str) -> list[Any]:
        """Press an inline button and return what the bot did."""
        before = self.emu.last_seq
        update = self.emu.press_button(
            user_id=user, chat_id=chat, message_id=message_id, data=data
        )
        await self.probe.wait(update["update_id"])
        return [c for c in self.emu.calls() if c.seq > before]


def make_config(emu: Emulator, tmp_path: Path, **overrides: Any) -> Config:
    """A test configuration pointing at the emulator and a temp database."""
    values: dict[str, Any] = {
        "token": "123456:TEST-TOKEN",
        "api_url": emu.base_url,
        "db_path": tmp_path / "coordbot.db",
        "admins": (ADMIN,),
        "rate_limit": 0,
    }
    values.update(overrides)
    return Config(**values)


async def start_bot(
    emu: Emulator, config: Config, clock: Clock | None = None
) -> tuple[Any, CompletionProbe]:
    """Build the application and its completion probe (caller runs it with `running`)."""
    app = build_application(config, clock=clock)
    return app, CompletionProbe(app)


@asynccontextmanager
async def running_bot(
    emu: Emulator, tmp_path: Path, clock: Clock | None = None, **overrides: Any
) -> AsyncIterator[Harness]:
    """The bot running against the emulator (optionally on a given clock), as a Harness."""
    config = make_config(emu, tmp_path, **overrides)
    migrated_database(config.db_path)
    app, probe = await start_bot(emu, config, clock=clock)
    async with running(app):
        yield Harness(emu, app, probe, config)


async def setup_org(h: Harness) -> None:
    """Two units, a staff member in each, a member, and a subscribed group: the rows the
    commands of `type_org` leave, written at the storage seam (a hundred and fifty tests
    start from it; typing it costs ten round trips each; tests/test_foundation_e2e.py
    checks that both leave the same rows)."""
    svc, now = h.svc, h.svc.clock.now()
    with transaction(svc.db):
        for user_id, _ in CAST:
            user = h.emu.state.users[user_id]
            people.touch_person(
                svc.db,
                user_id,
                user.username,
                user.first_name,
                user.last_name,
                user.language_code,
                now,
            )
            chats.touch_chat(svc.db, user_id, "private", "", now)
        people.add_unit(svc.db, "TECH", "Technology Supervision Bureau", now)
        people.add_unit(svc.db, "BJ", "Beijing Bureau", now)
        people.set_role(svc.db, STAFF, "staff", "TECH", now)
        people.set_role(svc.db, STAFF2, "staff", "BJ", now)
        people.set_role(svc.db, MEMBER, "member", "BJ", now)
        group = h.emu.state.chats[GROUP]
        chats.touch_chat(svc.db, GROUP, group.type, group.title or "", now)
        chats.subscribe(svc.db, GROUP, list(TOPICS), now)


async def type_org(h: Harness) -> None:
    """The organisation of `setup_org`, typed as commands."""
    for user, _ in CAST:
        await h.send(user, "/start")
    await h.send(ADMIN, "/unit_add TECH | Technology Supervision Bureau")
    await h.send(ADMIN, "/unit_add BJ | Beijing Bureau")
    await h.send(ADMIN, f"/role {STAFF} staff TECH")
    await h.send(ADMIN, f"/role {STAFF2} staff BJ")
    await h.send(ADMIN, f"/role {MEMBER} member BJ")
    await h.send(ADMIN, "/subscribe", chat=GROUP)


def clock_of(h: Harness) -> FixedClock:
    """The harness's fixed clock."""
    clock = h.svc.clock
    assert isinstance(clock, FixedClock)
    return clock


def table_rows(db: Any, *tables: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of the named tables, to show that refused input changed nothing."""
    known = {r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out = {}
    for table in tables:
        assert table in known, table  # a name, not a value: checked, then quoted
        out[table] = list(db.query(f'SELECT * FROM "{table}" ORDER BY rowid'))  # noqa: S608
    return out


def buttons_of(call: Any) -> list[str]:
    """The callback data of a sent message's buttons."""
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row]
