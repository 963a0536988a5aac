"""Chinese house style, checked mechanically: punctuation, spacing, leftovers, raw codes.

`style_problems(text)` lists what a Chinese secretariat would correct in a reply or a
catalog string:
* ASCII , : ; ( ) next to Chinese (write ，：；（）);
* a space between Chinese and full-width punctuation (……取消 （本次） is wrong);
* English words left in Chinese text — codes (TECH, BJ-01, A7), command names (/help),
  @usernames, URLs and the file formats docx/md are allowed;
* a raw recurrence rule (FREQ=…).
"""

from __future__ import annotations

import html
import re

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
FULLWIDTH = "（）：，；。、！？【】《》"
_ASCII_NEXT_TO_CJK = re.compile(rf"[{CJK}][ \t]*[,:;()]|[,:;()][ \t]*[{CJK}]")
_SPACE_AROUND_FULLWIDTH = re.compile(rf"[{CJK}][ \t]+[{FULLWIDTH}]|[{FULLWIDTH}][ \t]+[{CJK}]")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_ALLOWED = re.compile(
    r"https?://\S+"  # links
    r"|/[a-z_]+(?:@\w+)?"  # command names
    r"|@\w+"  # usernames
    r"|#\w+"  # tags and numbers
    r"|(?<![A-Za-z0-9])[A-Z0-9][A-Z0-9_-]*(?![A-Za-z0-9])"  # codes: TECH, BJ-01, A7, ID
    r"|(?<![A-Za-z])(?:docx|md|ics)(?![A-Za-z])"  # file formats typed in commands
    r"|(?<![A-Za-z])[a-z]+(?:_[a-z]+)+(?![A-Za-z])"  # command names as arguments: meeting_new
    r"|[\w.-]+\.(?:docx|md|ics)\b"  # file names
    # Proper nouns: the product, the holiday data packages named as sources, the console's
    # two demo people.
    r"|(?<![A-Za-z])(?:coordbot|chinesecalendar|python-holidays|Ada|Sam|Ctrl-D)(?![A-Za-z])"
)
# The offline console's own commands (:press 1, :user 2) are typed as shown, colon included.
_CONSOLE_COMMAND = re.compile(r"(?<!\S):[a-z]+(?:[ \t]+(?:\d(?:\|\d)?|N)(?![\w]))?")
_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
PLACEHOLDER = re.compile(r"\{\w+\}")


def visible(text: str) -> str:
    """The text a reader sees: tags removed, entities decoded."""
    return html.unescape(_TAG.sub("", text))


def style_problems(text: str, placeholders_as_cjk: bool = False) -> list[str]:
    """Every house-style problem in one Chinese text (a catalog string or a reply)."""
    seen = visible(text)
    if placeholders_as_cjk:
        # In a catalog string a placeholder stands for Chinese words (a name, a date).
        seen = PLACEHOLDER.sub("占", seen)
    seen = _CONSOLE_COMMAND.sub("X", seen)
    out = []
    for m in _ASCII_NEXT_TO_CJK.finditer(seen):
        out.append(f"ASCII punctuation next to Chinese: {_around(seen, m)!r}")
    for m in _SPACE_AROUND_FULLWIDTH.finditer(seen):
        out.append(f"space next to full-width punctuation: {_around(seen, m)!r}")
    rest = _ALLOWED.sub(" ", seen)
    for m in _ENGLISH_WORD.finditer(rest):
        out.append(f"English word in Chinese text: {m.group(0)!r} in {_around(rest, m)!r}")
    if "FREQ=" in text:
        out.append("raw recurrence rule (FREQ=)")
    return out


def _around(text: str, m: re.Match[str]) -> str:
    return text[max(0, m.start() - 12) : m.end() + 12]
