"""Catalog maintenance: extract every translatable message from the source tree.

`python -m bot.devtools.i18n_catalog` lists messages that lack a Chinese translation; the test
suite uses the same extraction to fail on any missing one.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir

from bot.i18n import LOCALES_DIR, load_catalog, read_catalog

ROOT = Path(__file__).resolve().parents[2]  # the project: bot/devtools/i18n_catalog.py
MACHINERY = ("i18n.py", "i18n_catalog.py")
SOURCE_DIRS = ("bot", "handlers", "storage")
KEYWORDS = {"_": None, "N_": None, "tr": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# A one-line literal passed to a translation call. Babel's extractor skips some of these
# when they sit inside another call's arguments (`tr("{unit}", unit=tr("no unit"))`), so
# this second, plainer look catches strings that would otherwise stay English.
LITERAL_CALL = re.compile(r"""\b(?:_|tr|N_)\(\s*"((?:[^"\\\n]|\\.)*)"\s*[,)]""")


@functools.cache  # one extraction per source tree: problems() reads it three ways
def _extract(root: Path) -> tuple[tuple[str | tuple[str, ...], str], ...]:
    out: list[tuple[str | tuple[str, ...], str]] = []
    for directory in SOURCE_DIRS:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            root / directory,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
        ):
            if message:
                out.append((message, f"{directory}/{filename}:{lineno}"))
    return tuple(out)


def extract_messages(root: Path = ROOT) -> dict[str, list[str]]:
    """Every message id marked with _(), N_() or tr() in the source, with its locations."""
    found: dict[str, list[str]] = {}
    for message, where in _extract(root):
        if isinstance(message, str):
            found.setdefault(message, []).append(where)
    return found


def extract_plurals(root: Path = ROOT) -> dict[tuple[str, str], list[str]]:
    """Every (singular, plural) pair marked with ngettext() in the source, with locations."""
    found: dict[tuple[str, str], list[str]] = {}
    for message, where in _extract(root):
        if isinstance(message, tuple) and len(message) >= 2 and all(message[:2]):
            found.setdefault((str(message[0]), str(message[1])), []).append(where)
    return found


def unextracted(root: Path = ROOT) -> list[str]:
    """Literals in translation calls that Babel's extraction missed, with their file."""
    found = extract_messages(root)
    out = set()
    for directory in SOURCE_DIRS:
        for path in sorted((root / directory).rglob("*.py")):
            if path.name in MACHINERY:
                continue  # their docstrings show example calls
            for match in LITERAL_CALL.finditer(path.read_text(encoding="utf-8")):
                text = ast.literal_eval(f'"{match.group(1)}"')
                if text and text not in found:
                    out.add(f"not extracted: {text!r} ({path.relative_to(root)})")
    return sorted(out)


def placeholders(text: str) -> set[str]:
    """The named {placeholders} in a message."""
    return set(PLACEHOLDER.findall(text))


def problems(root: Path = ROOT, directory: Path = LOCALES_DIR) -> list[str]:
    """Missing translations and placeholder mismatches, one line each."""
    catalog = load_catalog("zh", directory)
    out = []
    for message, where in sorted(extract_messages(root).items()):
        translated = catalog.get(message)
        if translated is None:
            out.append(f"missing zh: {message!r} ({where[0]})")
        elif placeholders(translated) != placeholders(message):
            out.append(f"placeholders differ: {message!r} -> {translated!r}")
    plurals = read_catalog("zh", directory).plurals
    for (singular, plural), where in sorted(extract_plurals(root).items()):
        forms = plurals.get(singular)
        if forms is None:
            out.append(f"missing zh plural: {singular!r} ({where[0]})")
        elif any(placeholders(f) != placeholders(plural) for f in forms):
            out.append(f"placeholders differ: {plural!r} -> {forms!r}")
    return out + unextracted(root)


def main() -> int:
    """Print problems; write stubs for missing messages to a .po file if one is given."""
    found = problems()
    print("\n".join(found) or "catalog complete")
    if len(sys.argv) > 1:
        catalog = load_catalog("zh")
        with open(sys.argv[1], "a", encoding="utf-8") as handle:
            for message, where in sorted(extract_messages().items()):
                if message not in catalog:
                    handle.write(f'\n#: {where[0]}\nmsgid {_po(message)}\nmsgstr ""\n')
            plurals = read_catalog("zh").plurals
            for (singular, plural), where in sorted(extract_plurals().items()):
                if singular not in plurals:
                    handle.write(
                        f"\n#: {where[0]}\nmsgid {_po(singular)}\nmsgid_plural {_po(plural)}"
                        f'\nmsgstr[0] ""\n'
                    )
    return 1 if found else 0


def _po(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


if __name__ == "__main__":
    sys.exit(main())
