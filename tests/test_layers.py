"""The layering holds by construction: each layer imports only the layers below it.

storage/ (SQL) imports nothing of ours above it; the pure domain (bot/domain/) imports no
storage, no services, no Telegram; handlers parse, call a service and render: no handler
imports another, and none touches the schedule or the outbox itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The glue that turns an update into a call and a reply: services and renderers sit below it.
UPDATE_GLUE = tuple(
    f"bot.telegram.{name}"
    for name in ("app", "dispatch", "presses", "calls", "checks", "bookkeeping", "replies")
)


def imports_of(path: Path) -> set[str]:
    """Every module a file imports at run time (relative names resolved in its package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue  # names for type hints only: no import at run time
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def modules(folder: str) -> list[Path]:
    """The Python files of one folder of the tree."""
    return sorted((ROOT / folder).rglob("*.py"))


def offending(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    """`file: import` for every import of a forbidden prefix under a folder."""
    bad = []
    for path in modules(folder):
        for name in sorted(imports_of(path)):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(ROOT)}: {name}")
    return bad


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("storage", ("bot", "handlers", "telegram")),
        (
            "bot/domain",
            ("storage", "bot.services", "bot.telegram", "bot.render", "handlers", "telegram"),
        ),
        ("bot/services", ("handlers", *UPDATE_GLUE)),
        # Rendering reads storage's dataclasses (below it), never the services above it.
        ("bot/render", ("bot.services", "handlers", *UPDATE_GLUE)),
        ("handlers", ("storage.schedule", "storage.outbox", "bot.fanout")),
    ],
)
def test_layer_imports_only_what_lies_below(folder: str, forbidden: tuple[str, ...]) -> None:
    assert offending(folder, forbidden) == []


def test_no_handler_imports_another() -> None:
    # handlers/_args.py holds argument parsing shared by handlers and no handler itself.
    names = {p.stem for p in modules("handlers") if not p.stem.startswith("_")}
    bad = [
        f"{path.name}: {name}"
        for path in modules("handlers")
        for name in imports_of(path)
        if name.startswith("handlers.") and name.split(".")[1] in names
    ]
    assert bad == []


def test_storage_never_reads_the_wall_clock() -> None:
    bad = [
        str(path.relative_to(ROOT))
        for path in modules("storage")
        if "datetime.now(" in path.read_text(encoding="utf-8")
    ]
    assert bad == []
