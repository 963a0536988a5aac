"""The time window and page typed at the end of /record, in either language."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.windows import Window, WindowError, parse_window


@pytest.mark.parametrize(
    ("typed", "window"),
    [
        ("BJ-01", Window("BJ-01")),
        ("BJ-01 30", Window("BJ-01", days=30)),
        ("Example Securities 30 page 2", Window("Example Securities", days=30, page=2)),
        ("示例证券 近30天 第2页", Window("示例证券", days=30, page=2)),
        ("示例证券 最近７天", Window("示例证券", days=7)),
        ("BJ-01 since 2026-01-01", Window("BJ-01", since=date(2026, 1, 1))),
        ("BJ-01 自2026-01-01起 第３页", Window("BJ-01", since=date(2026, 1, 1), page=3)),
        ("BJ-01 自２０２６－０１－０１", Window("BJ-01", since=date(2026, 1, 1))),
        ("BJ-01 page 4", Window("BJ-01", page=4)),
        ("30", Window("30")),  # the subject is never taken for a window
    ],
)
def test_windows_as_typed(typed: str, window: Window) -> None:
    assert parse_window(typed) == window


@pytest.mark.parametrize(
    "typed", ["BJ-01 0", "BJ-01 page 0", "BJ-01 page x", "BJ-01 since 2026-13-40", "BJ-01 since x"]
)
def test_windows_that_do_not_read(typed: str) -> None:
    with pytest.raises(WindowError):
        parse_window(typed)
