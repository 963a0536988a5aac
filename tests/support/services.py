"""Services without Telegram: a temporary SQLite with every migration, a fixed clock, rows
only (notices stay in the outbox, to be read)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from bot.clock import FixedClock
from bot.config import Config
from bot.i18n import Translator
from bot.services import Services
from bot.telegram.buttons import ButtonSigner
from bot.telegram.delivery import Delivery
from bot.telegram.registry import all_commands, all_firers
from bot.telegram.scheduler import Scheduler
from storage import settings as stored_settings
from storage.db import open_database, transaction
from storage.schema import migrate
from tests.support.migrated import migrated_database

# Tuesday 1 December 2026, 10:00 in Shanghai.
SERVICE_T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


class _QueuedOnly:
    """Stands in for delivery in service tests: notices stay in the outbox to be read."""

    def kick(self) -> None:
        """Nothing to wake: no delivery runs."""


def make_services(tmp_path: Path, clock: FixedClock | None = None, **overrides: Any) -> Services:
    """Services on a fresh database with every migration, a fixed clock, no Telegram."""
    config = Config(token="1:SERVICES", db_path=tmp_path / "services.db", **overrides)
    db = open_database(migrated_database(config.db_path))
    migrate(db)  # nothing left to apply: as at every restart
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
