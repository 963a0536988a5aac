"""Reading what people type on a Chinese phone keyboard: full-width forms and separators.

Where normalisation applies (and where it does not):

* The whole argument string gets *structural* normalisation only (`structural`): the
  full-width bar ｜ is the field separator |. Nothing else changes, so free text — titles,
  places, progress notes, decisions, reasons — is stored exactly as typed: a Chinese title
  keeps its （）and ，, its full-width digits and its ideographic spaces.
* Whitespace is any Unicode whitespace (the ideographic space U+3000 included) wherever
  arguments are split into words (`str.split()` already treats it so; `split_head` too).
* Every token that is *parsed* — keywords, numbers, ids, codes, dates, times, offsets,
  recurrences — is read through NFKC (`token`): １２ is 12, ＃３ is #3, ＢＥＥＸ is BEEX,
  １６：００ is 16:00. Only the parsed copy is normalised; free text never is.
* Lists (unit codes, topics) split on whitespace, ',' '，' '、' ';' '；' (`split_list`).
* Tags and references inside free text (#整改, 关闭 #1) are found on an NFKC copy, and the
  text itself is kept.
"""

from __future__ import annotations

import re
import unicodedata

FULLWIDTH_BAR = "｜"
_LIST_SEP = re.compile(r"[\s,，、;；]+")
_SKIP = "-"


def structural(text: str) -> str:
    """The argument string with the full-width bar read as the field separator |."""
    return text.replace(FULLWIDTH_BAR, "|")


def token(text: str) -> str:
    """A parsed token: NFKC (full-width letters, digits, #, @, ：…) and stripped."""
    return unicodedata.normalize("NFKC", text).strip()


def keyword(text: str) -> str:
    """A keyword for matching: NFKC, stripped and lower-case."""
    return token(text).lower()


def split_list(text: str) -> list[str]:
    """Items of a typed list: 'BEEX，CGS、TECH' or 'BEEX, CGS TECH' -> ['BEEX', 'CGS', 'TECH']."""
    return [item for item in (token(p) for p in _LIST_SEP.split(token(text))) if item]


def split_head(text: str) -> tuple[str, str]:
    """The first word (NFKC) and the rest as typed, split at any whitespace (U+3000 too)."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return token(parts[0]), parts[1].strip() if len(parts) > 1 else ""


def form_answer(text: str | None) -> str:
    """A guided-form answer: the full-width bar as |, and a full-width '－' as the skip '-'."""
    answer = structural(text or "").strip()
    return _SKIP if token(answer) == _SKIP else answer
