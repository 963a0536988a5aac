"""The official-document model shared by the bulletin and minutes exports: the page and
fonts of GB/T 9704-2012 (党政机关公文格式) and of its clean A4 English twin, the blocks a
document is made of, and the text rules of paper (numbers 一、（一）, dates without weekday).

Chinese: A4, margins top 37, bottom 35, left 28, right 26 mm (a 156 × 225 mm type area);
body 3号 (16 pt) 仿宋_GB2312, titles 2号 (22 pt) 方正小标宋简体, headings 一、 in 黑体 and
（一） in 楷体_GB2312; 22 lines of 28 characters: lines exactly 28.95 pt apart and characters
tracked −0.25 pt so that 28 of 3号 fill the 156 mm line (Word's character grid would do the
same in Word, but LibreOffice lets each 16 pt glyph take two 15.8 pt cells of that grid, so
the tracking is what works in both); page numbers "— 1 —" in 4号 宋体, odd pages right and
even pages left, one character in (GB/T 9704 7.5). English: the same page in Times New Roman,
12 pt on 18 pt, headings in bold, page numbers centred.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.render.dates import formatted_day

TWIPS_PER_MM = 1440 / 25.4
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES, CHARS = 22, 28
RED = "FF0000"
# XML 1.0 (and so .docx) cannot hold most control characters; users may send them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Chat decorations have no place on paper (and no glyph in the official fonts).
_EMOJI = re.compile("[\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U0001f000-\U0001faff]+ ?")
_ZH_WEEKDAY = re.compile(r"(\d日)\s*(?:周|星期)[一二三四五六日天]")
_EN_WEEKDAY = re.compile(
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+"
    r"(?=\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b)"
)
_NUMERALS = "零一二三四五六七八九"


def twips(mm: float) -> int:
    """Millimetres as twentieths of a point, the unit of page geometry in WordprocessingML."""
    return round(mm * TWIPS_PER_MM)


TEXT_WIDTH = twips(PAGE_MM[0]) - twips(MARGINS_MM["left"]) - twips(MARGINS_MM["right"])
TEXT_HEIGHT = twips(PAGE_MM[1]) - twips(MARGINS_MM["top"]) - twips(MARGINS_MM["bottom"])
# 225 mm / 22 lines = 28.99 pt; a page holds floor(height / pitch) lines, so 579 (28.95 pt).
LINE_PITCH = TEXT_HEIGHT // LINES


@dataclass(frozen=True)
class Look:
    """One language's fonts (Latin, then East Asian per role) and sizes (half-points)."""

    lang: str
    latin: str
    body: str
    title: str
    heading1: str
    heading2: str
    number: str  # page numbers
    body_size: int
    title_size: int
    small_size: int  # page numbers and the imprint: 4号
    line: int  # exact line spacing of the body, twips
    bold_headings: bool
    tracking: int  # character spacing of body-size runs, twentieths of a point
    outer_numbers: bool  # page numbers on the outer side (else centred)
    indent: float  # first-line indent of paragraphs and headings, characters
    gap: int  # space after a paragraph, twips (Chinese documents keep to the line grid)
    align: str  # body paragraphs: justified in Chinese, ragged right in English

    @property
    def char(self) -> int:
        """The advance of one body character, twips."""
        return self.body_size * 10 + self.tracking


# -5: 28 × 15.75 pt = 441 pt fits the 442 pt line; a 29th character does not.
ZH = Look(
    "zh",
    "Times New Roman",
    "仿宋_GB2312",
    "方正小标宋简体",
    "黑体",
    "楷体_GB2312",
    "宋体",
    32,
    44,
    28,
    LINE_PITCH,
    False,
    -5,
    True,
    2,
    0,
    "both",
)
_TNR = "Times New Roman"
EN = Look(
    "en", _TNR, _TNR, _TNR, _TNR, _TNR, _TNR, 24, 32, 22, 320, True, 0, False, 0, 120, "left"
)
# Word substitutes the alternate when a font is not installed (fontTable w:altName).
FALLBACKS = {"仿宋_GB2312": "仿宋", "方正小标宋简体": "宋体", "楷体_GB2312": "楷体"}


def look_for(lang: str) -> Look:
    """The look of a document in this language."""
    return ZH if lang == "zh" else EN


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (heading numbers)."""
    if n < 10:
        return _NUMERALS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _NUMERALS[tens]) + "十" + (_NUMERALS[ones] if ones else "")


def heading_number(level: int, n: int, lang: str) -> str:
    """一、 / （一） in Chinese; '1. ' / '(a) ' in English."""
    if lang == "zh":
        return f"{chinese_number(n)}、" if level == 1 else f"（{chinese_number(n)}）"
    return f"{n}. " if level == 1 else f"({chr(ord('a') + (n - 1) % 26)}) "


def official_date(day: date, lang: str) -> str:
    """A date in Arabic numerals with no weekday: 2026年12月4日 / 4 December 2026."""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return formatted_day(day, "d MMMM y", "en_GB")


def colon(lang: str) -> str:
    """What follows a label: the full-width colon in Chinese."""
    return "：" if lang == "zh" else ": "


def clean(text: str, lang: str) -> str:
    """Text for paper: one line, no control characters or emoji, dates without weekday."""
    text = _EMOJI.sub("", _CONTROL.sub("", text.replace("\r", "").replace("\n", " "))).strip()
    if lang == "zh":
        return _ZH_WEEKDAY.sub(r"\1", text)
    return _EN_WEEKDAY.sub("", text)


@dataclass(frozen=True)
class Masthead:
    """The red masthead: the document's name, its number, who compiled it and when."""

    name: str
    number: str
    issuer: str
    when: str
    top_mm: float = 0  # GB/T 9704 10.3: a 纪要's mark sits 35 mm under the type area's top


@dataclass(frozen=True)
class Title:
    """The title, 2号 小标宋, centred."""

    text: str


@dataclass(frozen=True)
class Heading:
    """A numbered heading: level 1 (一、, 黑体) or level 2 (（一）, 楷体)."""

    level: int
    number: str
    text: str


@dataclass(frozen=True)
class Para:
    """A body paragraph, first line two characters in unless `indent` is false; empty text
    is an empty line."""

    text: str
    indent: bool = True


@dataclass(frozen=True)
class Labelled:
    """'出席：units': a 黑体 label (given without its colon), the text aligned after it."""

    label: str
    text: str


@dataclass(frozen=True)
class Imprint:
    """The imprint (版记) at the end: (label, text) lines such as 报送/抄送 (labels without
    their colon), then who printed the document and when."""

    lines: list[tuple[str, str]]
    issuer: str
    printed: str


Block = Masthead | Title | Heading | Para | Labelled | Imprint
