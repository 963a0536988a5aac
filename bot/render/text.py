"""HTML escaping and splitting messages at Telegram's 4096-character limit."""

from __future__ import annotations

import html
import re

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def esc(text: object) -> str:
    """Escape user text for Telegram HTML, dropping control characters."""
    return html.escape(_CONTROL.sub("", str(text)), quote=False)


def clip(text: str, limit: int) -> str:
    """Shorten plain text to a limit, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def clip_html(text: str, limit: int) -> str:
    """Shorten Telegram HTML to a limit (UTF-16 units) without cutting an entity or a tag.

    A clipped text loses its tags, so none is left open; the cut is marked with an ellipsis.
    """
    if utf16_len(text) <= limit:
        return text
    return _strip_open_tags(text[: _safe_cut(text, max(1, limit - 1))]) + "…"


_TAG = re.compile(r"<[^>]+>")


def plain_text(text: str) -> str:
    """Telegram HTML as plain text (for toasts and alerts, which are not parsed)."""
    return html.unescape(_TAG.sub("", text))


def utf16_len(text: str) -> int:
    """Length as Telegram counts it, in UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def _safe_cut(line: str, limit: int) -> int:
    """The largest cut position <= limit that is not inside a tag or an entity."""
    cut = limit
    while utf16_len(line[:cut]) > limit:
        cut -= 1
    last_lt, last_gt = line.rfind("<", 0, cut), line.rfind(">", 0, cut)
    if last_lt > last_gt:
        cut = last_lt
    last_amp, last_semi = line.rfind("&", 0, cut), line.rfind(";", 0, cut)
    if last_amp > last_semi and cut - last_amp < 10:
        cut = last_amp
    return max(cut, 1)


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split HTML text into messages within the limit, on line boundaries where possible.

    Rendering keeps every tag on one line, so a cut between lines keeps each part valid.
    Lengths are counted incrementally: a bulletin has thousands of lines.
    """
    return _split(text, limit, utf16_len(text))


def _split(text: str, limit: int, total: int) -> list[str]:
    """split_message() of a text whose length in UTF-16 units is `total`."""
    if total <= limit:
        return [text]
    # Only characters beyond the BMP take two UTF-16 units; without any, a line's length is
    # its len(), and each part ends at the last line break that fits (measuring each of a
    # bulletin's ten thousand lines was a tenth of compiling).
    if total == len(text):
        found = _split_at_breaks(text, limit)
        if found is not None:
            return [p for p in found if p.strip()]
    measure = utf16_len if total != len(text) else len
    parts: list[str] = []
    lines: list[str] = []
    size = 0
    for line in text.split("\n"):
        length = measure(line)
        while length > limit:
            if lines:
                parts.append("\n".join(lines))
                lines, size = [], 0
            cut = _safe_cut(line, limit)
            parts.append(_strip_open_tags(line[:cut]))
            line = line[cut:]
            length = measure(line)
        if lines and size + 1 + length > limit:
            parts.append("\n".join(lines))
            lines, size = [], 0
        size += (1 if lines else 0) + length
        lines.append(line)
    if lines:
        parts.append("\n".join(lines))
    return [p for p in parts if p.strip()]


def _split_at_breaks(text: str, limit: int) -> list[str] | None:
    """The parts split_message() makes of a text without astral characters, found with
    rfind() rather than line by line; None when a line is longer than the limit."""
    parts: list[str] = []
    start, end = 0, len(text)
    while end - start > limit:
        cut = text.rfind("\n", start, start + limit + 1)
        if cut < 0:
            return None  # a line to cut inside: the line-by-line loop does that
        parts.append(text[start:cut])
        start = cut + 1
    parts.append(text[start:])
    return parts


def _strip_open_tags(fragment: str) -> str:
    """Drop tags from a hard-cut fragment so it cannot leave one unclosed."""
    return re.sub(r"</?[a-zA-Z][^>]*>", "", fragment)


def split_sections(sections: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Pack whole sections into as few messages as fit; split only a section too long alone."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for section in sections:
        length = utf16_len(section)
        if current and size + 2 + length <= limit:
            current.append(section)
            size += 2 + length
            continue
        if current:
            parts.append("\n\n".join(current))
            current, size = [], 0
        if length <= limit:
            current, size = [section], length
            continue
        pieces = _split(section, limit, length)
        parts.extend(pieces[:-1])
        current, size = [pieces[-1]], utf16_len(pieces[-1])
    if current:
        parts.append("\n\n".join(current))
    return parts
