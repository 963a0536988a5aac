"""The services a running bot holds, kept in bot_data behind a typed accessor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database
from telegram.ext import CallbackContext

from bot.clock import Clock
from bot.config import Config
from bot.i18n import Translator
from bot.telegram.buttons import ButtonSigner

if TYPE_CHECKING:
    from bot.telegram.commands import CommandSpec
    from bot.telegram.delivery import Delivery
    from bot.telegram.errors import ErrorReporter
    from bot.telegram.scheduler import Scheduler

SERVICES_KEY = "services"


def _error_reporter() -> ErrorReporter:
    # Imported here: the error reporter notifies through bot.services.notify.
    from bot.telegram.errors import ErrorReporter

    return ErrorReporter()


@dataclass
class Services:
    """Config, database, clock, translations, scheduler and outbound delivery."""

    config: Config
    db: Database
    clock: Clock
    translator: Translator
    signer: ButtonSigner
    scheduler: Scheduler
    delivery: Delivery
    commands: list[CommandSpec]
    errors: ErrorReporter = field(default_factory=lambda: _error_reporter())
    # Set when the bot begins to stop: replies that cannot leave at once wait in the outbox.
    stopping: bool = False


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    """The Services of the running Application."""
    return services_of(context.bot_data)


def services_of(bot_data: dict[str, Any]) -> Services:
    """The Services from a bot_data mapping (for code holding the Application)."""
    svc = bot_data[SERVICES_KEY]
    # Checked rather than cast: a wrong object here fails at once, naming what it was.
    if not isinstance(svc, Services):
        raise TypeError(f"bot_data[{SERVICES_KEY!r}] holds {type(svc).__name__}, not Services")
    return svc
