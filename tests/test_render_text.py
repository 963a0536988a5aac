"""Splitting and escaping: pure functions, tested without Telegram."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.render.text import MESSAGE_LIMIT, esc, split_message, split_sections, utf16_len

TAG = re.compile(r"<(/?)(\w+)[^>]*>")


def balanced(text: str) -> bool:
    stack: list[str] = []
    for closing, name in TAG.findall(text):
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


def test_escape_removes_control_and_escapes_html() -> None:
    assert esc("<b>&\x00x") == "&lt;b&gt;&amp;x"


def test_short_text_is_one_part() -> None:
    assert split_message("hello") == ["hello"]


def test_split_on_line_boundaries() -> None:
    lines = [f"<b>line {i}</b> " + "x" * 90 for i in range(200)]
    parts = split_message("\n".join(lines))
    assert len(parts) > 1
    assert all(utf16_len(p) <= MESSAGE_LIMIT and balanced(p) for p in parts)
    assert "\n".join(parts).count("<b>line") == 200


def test_sections_stay_whole() -> None:
    sections = [
        f"<b>Section {i}</b>\n" + "\n".join("y" * 80 for _ in range(10)) for i in range(20)
    ]
    parts = split_sections(sections)
    assert len(parts) > 1
    for part in parts:
        assert utf16_len(part) <= MESSAGE_LIMIT and balanced(part)
        assert part.count("<b>Section") == part.count("</b>")


@given(st.text(min_size=0, max_size=20000))
def test_any_escaped_text_splits_within_limit(text: str) -> None:
    parts = split_message(esc(text))
    assert all(utf16_len(p) <= MESSAGE_LIMIT for p in parts)
    assert all(balanced(p) for p in parts)
