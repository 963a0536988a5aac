"""What an entry's text says of itself: its tags, a risk's severity, the risks it closes.

Pure text reading, no SQL: storage/progress.py stores what these find when an entry is
written, and the progress service reads the closes it must check.
"""

from __future__ import annotations

import re
import unicodedata

TAGS = ("milestone", "risk", "rectification", "change", "major")
TAG_ALIASES = {
    "里程碑": "milestone",
    "风险": "risk",
    "整改": "rectification",
    "纠偏整改": "rectification",
    "变更": "change",
    "方案变更": "change",
    "重大": "major",
}
# Risk severity (高/中/低): a tag of its own (#高, #high) or the word right after #risk/#风险.
SEVERITIES = ("high", "medium", "low")
SEVERITY_ALIASES = {"高": "high", "中": "medium", "低": "low", "med": "medium"}
_AFTER_RISK = re.compile(r"#(?:risk|风险)\s*:?\s*([^\s#,.;:!?，。；：！？、]+)", re.IGNORECASE)
_TAG = re.compile(r"#([^\s#,.;:!?，。；：！？、]+)")
# "关闭 #3" / "closes #3, #5" / "关闭 #3、#5和#7": every number listed after the keyword.
_CLOSES = re.compile(
    r"(?:closes?|closed|关闭)\s*(#\d+(?:\s*(?:,|、|;|and|和|及|与)?\s*#\d+)*)", re.IGNORECASE
)


def _typed(text: str) -> str:
    # Tags and references are read on an NFKC copy, so ＃整改 and ＃１ count; the stored
    # text keeps the user's full-width forms.
    return unicodedata.normalize("NFKC", text)


def parse_tags(text: str) -> tuple[str, ...]:
    """The known tags in a text, English or Chinese, in canonical order."""
    found = set()
    for word in _TAG.findall(_typed(text)):
        key = word.lower()
        tag = key if key in TAGS else TAG_ALIASES.get(word)
        if tag:
            found.add(tag)
    return tuple(t for t in TAGS if t in found)


def _severity_word(word: str) -> str | None:
    key = word.lower()
    return key if key in SEVERITIES else SEVERITY_ALIASES.get(key)


def parse_severity(text: str) -> str:
    """A risk entry's severity (`#risk #高`, `#风险 高`, `#high`); medium when none is named,
    '' for an entry that is not a risk."""
    typed = _typed(text)
    if "risk" not in parse_tags(text):
        return ""
    for word in _TAG.findall(typed) + _AFTER_RISK.findall(typed):
        severity = _severity_word(word)
        if severity:
            return severity
    return "medium"


def parse_closes(text: str) -> list[int]:
    """Entry numbers a rectification says it closes (`closes #12`, `关闭 #12`)."""
    found: set[int] = set()
    for group in _CLOSES.findall(_typed(text)):
        found.update(int(n) for n in re.findall(r"#(\d+)", group) if len(n) <= 9)
    return sorted(found)
