"""A time window and a page at the end of a command's arguments, as typed in either language:
`BJ-01 30 page 2`, `示例证券 近30天 第2页`, `BJ-01 since 2026-01-01`, `BJ-01 自2026-01-01起`.

Pure: the words are read through NFKC (full-width digits, `－`), nothing is looked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.normalize import token

MAX_DAYS = 3660
MAX_PAGE = 100_000
_DAYS = re.compile(r"(?:最近|近)?([0-9]{1,5})(?:天|日|d|days?)?", re.IGNORECASE)
_PAGE = re.compile(r"第([0-9]{1,6})页")
_ISO = re.compile(r"[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}")
_SINCE = re.compile(r"(?:自|从)([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})(?:起|以来)?")


class WindowError(ValueError):
    """A window or page that does not read (zero days, 2026-13-40, page 0)."""


@dataclass(frozen=True)
class Window:
    """What is left of the arguments (the subject), and the window and page asked for."""

    rest: str
    days: int | None = None
    since: date | None = None
    page: int = 1


def _date(text: str) -> date:
    year, month, day = (int(p) for p in text.replace("/", "-").split("-"))
    try:
        return date(year, month, day)
    except ValueError:
        raise WindowError(text) from None


def parse_window(text: str) -> Window:
    """Split `<subject> [<days>|since YYYY-MM-DD] [page N]` (Chinese: 近30天, 自2026-01-01,
    第2页); the subject may hold spaces (an institution's name)."""
    words = text.split()
    normal = [token(w) for w in words]
    page, days, since = 1, None, None
    if len(normal) >= 2 and normal[-2].lower() == "page":
        page = _number(normal[-1], MAX_PAGE)
        del words[-2:], normal[-2:]
    elif normal and (match := _PAGE.fullmatch(normal[-1])):
        page = _number(match.group(1), MAX_PAGE)
        del words[-1:], normal[-1:]
    if len(normal) >= 2 and normal[-2].lower() == "since":
        if not _ISO.fullmatch(normal[-1]):
            raise WindowError(normal[-1])
        since = _date(normal[-1])
        del words[-2:], normal[-2:]
    elif len(normal) >= 2 and (match := _SINCE.fullmatch(normal[-1])):
        since = _date(match.group(1))
        del words[-1:], normal[-1:]
    elif len(normal) >= 2 and (match := _DAYS.fullmatch(normal[-1])):
        days = _number(match.group(1), MAX_DAYS)
        del words[-1:], normal[-1:]
    return Window(" ".join(words), days, since, page)


def _number(text: str, limit: int) -> int:
    if not (text.isascii() and text.isdigit()):
        raise WindowError(text)
    value = int(text)
    if not 1 <= value <= limit:
        raise WindowError(text)
    return value
