"""The one place that lists every feature module and what each contributes."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from bot.telegram.commands import ButtonSpec, CommandSpec
from bot.telegram.scheduler import Firer
from handlers import (
    actions,
    agenda,
    bulletins,
    changes,
    chat_events,
    evaluation,
    followers,
    holidays,
    intake,
    integrity,
    meetings,
    minutes,
    panels,
    polls,
    progress,
    projects,
    records,
    reminders,
    roles,
    rounds,
    rsvp,
    stages,
    start,
    subscriptions,
    supervision,
    units,
    votes,
    web,
)

# Order is the order of /help and of the command menu.
FEATURES: list[ModuleType] = [
    start,
    units,
    roles,
    subscriptions,
    projects,
    stages,
    followers,
    supervision,
    progress,
    changes,
    integrity,
    evaluation,
    panels,
    bulletins,
    meetings,
    polls,
    rsvp,
    reminders,
    agenda,
    minutes,
    votes,
    actions,
    rounds,
    intake,
    records,
    holidays,
    web,
    chat_events,
]


def all_commands() -> list[CommandSpec]:
    """Every command of every feature, in menu order."""
    return [spec for module in FEATURES for spec in getattr(module, "COMMANDS", [])]


def all_buttons() -> dict[str, ButtonSpec]:
    """Every button action by name."""
    specs = [spec for module in FEATURES for spec in getattr(module, "BUTTONS", [])]
    return {spec.action: spec for spec in specs}


def all_firers() -> dict[str, Firer]:
    """The firing function of every scheduled job kind."""
    firers: dict[str, Firer] = {}
    for module in FEATURES:
        firers.update(getattr(module, "FIRERS", {}))
    return firers


def extra_handlers() -> list[Any]:
    """Plain python-telegram-bot handlers (chat events and the like)."""
    return [handler for module in FEATURES for handler in getattr(module, "HANDLERS", [])]


def startup_hooks() -> list[Any]:
    """Functions each feature runs once the services exist (e.g. re-arming schedules)."""
    return [hook for module in FEATURES for hook in getattr(module, "ON_START", [])]
