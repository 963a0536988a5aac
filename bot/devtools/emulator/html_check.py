"""Telegram-HTML validation, plain-text extraction and entity building (tdlib-like rules)."""

from __future__ import annotations

import re
from typing import Any

TAG_ENTITY: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}

_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_SPECIAL_RE = re.compile(r"[<&]")
_ATTR_RE = re.compile(r"""([a-zA-Z_][\w-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+))?""")


class HtmlError(ValueError):
    """Raised when text is not valid Telegram HTML; str() is Telegram's description tail."""


def utf16_len(text: str) -> int:
    """Length of text in UTF-16 code units (Telegram's offset unit)."""
    return len(text.encode("utf-16-le")) // 2


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode an HTML entity at pos; None when it is not a supported entity (kept literally)."""
    m = _ENTITY_RE.match(text, pos)
    if not m:
        return None
    body = m.group(1)
    if body.startswith("#"):
        try:
            code = int(body[2:], 16) if body[1:2] in ("x", "X") else int(body[1:])
            return chr(code), m.end()
        except (ValueError, OverflowError):
            return None
    if body in _NAMED:
        return _NAMED[body], m.end()
    return None


def _parse_attrs(raw: str) -> dict[str, str]:
    """Parse tag attributes into a dict (values unquoted, entities decoded)."""
    attrs: dict[str, str] = {}
    for m in _ATTR_RE.finditer(raw):
        value = m.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        attrs[m.group(1).lower()] = unescape(value)
    return attrs


def unescape(text: str) -> str:
    """Decode the HTML entities Telegram supports, leaving anything else literal."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "&":
            dec = _decode_entity(text, i)
            if dec:
                out.append(dec[0])
                i = dec[1]
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _byte_offset(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8"))


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into (plain_text, entities); raise HtmlError like Telegram would."""
    out: list[str] = []
    out_len16 = 0
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[dict[str, Any]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "&":
            dec = _decode_entity(text, i)
            piece, i = (dec[0], dec[1]) if dec else ("&", i + 1)
            out.append(piece)
            out_len16 += utf16_len(piece)
            continue
        if ch != "<":
            # A run of plain text up to the next tag or entity, taken whole: per character,
            # this loop was most of the emulator's CPU on long answers.
            special = _SPECIAL_RE.search(text, i + 1)
            stop = special.start() if special else n
            run = text[i:stop]
            out.append(run)
            out_len16 += utf16_len(run)
            i = stop
            continue
        begin = i
        end = text.find(">", i)
        if text[i + 1 : i + 2] != "/":
            j = i + 1
            while j < n and not text[j].isspace() and text[j] != ">":
                j += 1
            if end < 0:
                raise HtmlError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
            name = text[i + 1 : j].lower()
            if name not in TAG_ENTITY:
                raise HtmlError(
                    f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, begin)}'
                )
            attrs = _parse_attrs(text[j:end])
            if name == "span" and attrs.get("class") != "tg-spoiler":
                raise HtmlError('Tag "span" must have class "tg-spoiler"')
            if name == "tg-emoji" and not attrs.get("emoji-id"):
                raise HtmlError("Custom emoji entity must contain a valid custom emoji identifier")
            stack.append((name, out_len16, attrs))
            i = end + 1
            continue
        if not stack:
            raise HtmlError(f"Unexpected end tag at byte offset {_byte_offset(text, begin)}")
        if end < 0:
            raise HtmlError(f"Unclosed end tag at byte offset {_byte_offset(text, begin)}")
        end_name = text[i + 2 : end].strip().lower()
        name, start16, attrs = stack.pop()
        if end_name and end_name != name:
            raise HtmlError(
                f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                f'expected "</{name}>", found "</{end_name}>"'
            )
        i = end + 1
        length = out_len16 - start16
        if length > 0:
            ent: dict[str, Any] = {"type": TAG_ENTITY[name], "offset": start16, "length": length}
            if name == "a":
                ent["url"] = attrs.get("href", "")
            elif name == "pre" and attrs.get("language"):
                ent["language"] = attrs["language"]
            elif name == "code" and attrs.get("class", "").startswith("language-"):
                ent["type"] = "pre"
                ent["language"] = attrs["class"][len("language-") :]
            elif name == "tg-emoji":
                ent["custom_emoji_id"] = attrs["emoji-id"]
            elif name == "blockquote" and "expandable" in attrs:
                ent["type"] = "expandable_blockquote"
            entities.append(ent)
    if stack:
        raise HtmlError(f"Can't find end tag corresponding to start tag {stack[-1][0]}")
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def visible_length(text: str, parse_mode: str | None) -> int:
    """Number of characters Telegram would count for the text (HTML tags stripped)."""
    if parse_mode and parse_mode.upper() == "HTML":
        return len(parse_html(text)[0])
    return len(text)
