"""Member units as people read them: the name, with the code beside it where it is typed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlite_utils import Database

from bot.i18n import Tr
from bot.render.text import esc
from storage import people


def unit_names(db: Database) -> dict[str, str]:
    """{CODE: name} of every registered unit (codes upper-case)."""
    return {u.code.upper(): u.name for u in people.list_units(db)}


def unit_label(tr: Tr, code: str, names: Mapping[str, str]) -> str:
    """'Beijing Bureau (BJ)' / '北京局（BJ）' as escaped HTML; the bare code if unknown."""
    name = names.get(code.upper())
    if not name:
        return esc(code)
    return tr("{name} ({code})", name=esc(name), code=esc(code.upper()))


def unit_labels(tr: Tr, codes: Iterable[str], names: Mapping[str, str]) -> str:
    """Several units as one list in running text (、 between them in Chinese)."""
    return tr.join(unit_label(tr, code, names) for code in codes)


def unknown_units(tr: Tr, codes: list[str]) -> str:
    """The refusal naming unit codes nobody registered, pointing to /units."""
    listed = esc(tr.join(codes))  # not inside the call: Babel misreads a nested tr.join(
    return tr.ngettext(
        "Unknown unit: {codes}. See /units.",
        "Unknown units: {codes}. See /units.",
        len(codes),
        codes=listed,
    )
