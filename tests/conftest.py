"""The end-to-end harness: the real Application against the emulator over HTTP."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import settings

from bot.clock import Clock, FixedClock
from bot.config import Config
from bot.devtools.emulator import Emulator
from bot.devtools.probe import CompletionProbe
from bot.i18n import Translator
from bot.services import Services, services_of
from bot.telegram.app import build_application, running
from bot.telegram.buttons import ButtonSigner
from bot.telegram.delivery import Delivery
from bot.telegram.registry import all_commands, all_firers
from bot.telegram.scheduler import Scheduler
from storage import settings as stored_settings
from storage.db import open_database, transaction
from storage.schema import migrate

# CI runs a fixed, repeatable sample; `HYPOTHESIS_PROFILE=explore` searches afresh each run.
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ADMIN, STAFF, MEMBER, OUTSIDER, STAFF2 = 1, 2, 3, 4, 5
GROUP = -1001
SEND_METHODS = {
    "sendMessage",
    "sendDocument",
    "sendPhoto",
    "editMessageText",
    "editMessageReplyMarkup",
}


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


def table_rows(db: Any, *tables: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of the named tables, to show that refused input changed nothing."""
    known = {r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out = {}
    for table in tables:
        assert table in known, table  # a name, not a value: checked, then quoted
        out[table] = list(db.query(f'SELECT * FROM "{table}" ORDER BY rowid'))  # noqa: S608
    return out


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


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    """A running emulator with the standard cast of users and one group."""
    emulator = Emulator()
    await emulator.start()
    emulator.add_user(ADMIN, "Ada", username="ada")
    emulator.add_user(STAFF, "Sam", username="sam")
    emulator.add_user(MEMBER, "Mei", username="mei")
    emulator.add_user(OUTSIDER, "Otto", username="otto")
    emulator.add_user(STAFF2, "Li", username="li")
    emulator.add_group(
        GROUP, "Pilot group", members=[ADMIN, STAFF, MEMBER, OUTSIDER, STAFF2], admins=[ADMIN]
    )
    yield emulator
    await emulator.stop()


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
    app, probe = await start_bot(emu, config, clock=clock)
    async with running(app):
        yield Harness(emu, app, probe, config)


@pytest.fixture
async def bot(emu: Emulator, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot running against the emulator, with admin 1 configured."""
    async with running_bot(emu, tmp_path) as h:
        yield h


async def setup_org(h: Harness) -> None:
    """Two units, a staff member in each, a member, and a subscribed group."""
    for user in (ADMIN, STAFF, MEMBER, OUTSIDER, STAFF2):
        await h.send(user, "/start")
    await h.send(ADMIN, "/unit_add TECH | Technology Supervision Bureau")
    await h.send(ADMIN, "/unit_add BJ | Beijing Bureau")
    await h.send(ADMIN, f"/role {STAFF} staff TECH")
    await h.send(ADMIN, f"/role {STAFF2} staff BJ")
    await h.send(ADMIN, f"/role {MEMBER} member BJ")
    await h.send(ADMIN, "/subscribe", chat=GROUP)


@pytest.fixture
async def org(bot: Harness) -> Harness:
    """The bot with two units, a staff member in each, a member, and a subscribed group."""
    await setup_org(bot)
    return bot


# --- Services without Telegram: a temporary SQLite, a fixed clock, rows only ---------------

# Tuesday 1 December 2026, 10:00 in Shanghai.
SERVICE_T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


class _QueuedOnly:
    """Stands in for delivery in service tests: notices stay in the outbox to be read."""

    def kick(self) -> None:
        """Nothing to wake: no delivery runs."""


def make_services(tmp_path: Path, clock: FixedClock | None = None, **overrides: Any) -> Services:
    """Services on a fresh database with every migration, a fixed clock, no Telegram."""
    config = Config(token="1:SERVICES", db_path=tmp_path / "services.db", **overrides)
    db = open_database(config.db_path)
    migrate(db)
    clock = clock or FixedClock(SERVICE_T0)
    with transaction(db):
        signer = ButtonSigner(stored_settings.button_secret(db))
    scheduler = Scheduler(None)
    svc = Services(
        config,
        db,
        clock,
        Translator(),
        signer,
        scheduler,
        cast(Delivery, _QueuedOnly()),
        all_commands(),
    )
    scheduler.attach(svc, all_firers())
    return svc


@pytest.fixture
def clock() -> FixedClock:
    """A clock fixed at SERVICE_T0 (Tuesday 1 December 2026, 10:00 in Shanghai)."""
    return FixedClock(SERVICE_T0)


@pytest.fixture
def svc(tmp_path: Path, clock: FixedClock) -> Iterator[Services]:
    """Services on a temporary SQLite with the fixed clock: for testing services directly."""
    services = make_services(tmp_path, clock)
    yield services
    services.db.close()
