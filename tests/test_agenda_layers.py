"""The agenda, minutes and action layers hold by construction: the rules import no storage
and no service, handlers wire no side effects by hand and import no other handler, notices
go only through bot.services.notify, and each timed job lives with the service planning it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.telegram.registry import all_firers

ROOT = Path(__file__).resolve().parent.parent
RULES = ["bot/domain/agenda_rules.py", "bot/domain/agenda_refusals.py"]
HANDLERS = [
    "handlers/agenda.py",
    "handlers/minutes.py",
    "handlers/actions.py",
    "handlers/_args.py",
]
SERVICES = [
    "bot/services/agenda.py",
    "bot/services/agenda_timing.py",
    "bot/services/agenda_publication.py",
    "bot/services/agenda_jobs.py",
    "bot/services/minutes.py",
    "bot/services/actions.py",
    "bot/services/action_reminders.py",
]


def imports(path: str) -> set[str]:
    """Every module a file imports, anywhere in it (`from a import b` counts a and a.b)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse((ROOT / path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def below(found: set[str], *prefixes: str) -> set[str]:
    """The imports at or under any of the given modules."""
    return {m for m in found if any(m == p or m.startswith(p + ".") for p in prefixes)}


@pytest.mark.parametrize("path", RULES)
def test_rules_import_no_storage_and_no_service(path: str) -> None:
    assert below(imports(path), "storage", "bot.services", "bot.render", "telegram") == set()


@pytest.mark.parametrize("path", HANDLERS)
def test_handlers_wire_nothing_by_hand(path: str) -> None:
    found = imports(path)
    forbidden = below(
        found, "storage", "bot.fanout", "bot.telegram.scheduler", "bot.services.notify"
    )
    assert forbidden == set()
    assert below(found, "handlers") - below(found, "handlers._args") == set()


@pytest.mark.parametrize("path", SERVICES)
def test_services_notify_only_through_notify(path: str) -> None:
    assert below(imports(path), "bot.fanout", "storage.outbox", "handlers", "telegram") == set()


@pytest.mark.parametrize(
    ("kind", "module"),
    [
        ("agenda_publish", "bot.services.agenda_jobs"),
        ("agenda_close", "bot.services.agenda_jobs"),
        ("agenda_carry", "bot.services.agenda_jobs"),
        ("action_due", "bot.services.action_reminders"),
        ("action_digest", "bot.services.action_reminders"),
    ],
)
def test_timed_jobs_live_with_their_service(kind: str, module: str) -> None:
    assert all_firers()[kind].__module__ == module
