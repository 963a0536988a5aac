"""A published issue as a document (docx or Markdown), from its frozen sections.

The body is the issue's frozen HTML sections converted line by line, so the document says
what was published; around it the layout is a Chinese 工作简报's: the red masthead (the
bulletin's name, 2026年第3期, the compiling unit and date, a red rule), section headings
numbered 一、二、 with projects as （一）（二）, and at the end the imprint (报送, 抄送, 印发).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date

from bot.i18n import N_, Tr
from bot.render.doc_markdown import render_markdown
from bot.render.official_doc import (
    Block,
    Heading,
    Imprint,
    Masthead,
    Para,
    heading_number,
    official_date,
)
from bot.render.official_docx import render_docx

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_BOLD_LINE = re.compile(r"^<b>(.*?)</b>$")
# A project's line: its underlined code and name, then its tier if it has one (" (focus)",
# "（重点）"); the whole line is the sub-heading, tier included, as the chat shows it.
_SUBHEAD = re.compile(r"^<u>(.*?)</u>[^<]*$")
DEFAULT_NAME = N_("Fintech Innovation Pilot Work Bulletin")


@dataclass(frozen=True)
class BulletinHead:
    """Who issued which issue when; `name` empty means the default bulletin name."""

    number: str
    day: date
    name: str = ""


def plain(line: str) -> str:
    """An HTML line as plain text."""
    return html.unescape(_TAG.sub("", line))


def _body(sections: list[str], lang: str) -> list[Block]:
    """Summary paragraphs, then per section a numbered heading and its lines."""
    blocks: list[Block] = []
    if sections:
        # The chat header's first two lines (title, issuer) are the masthead's; skip them.
        blocks += [Para(plain(ln)) for ln in sections[0].split("\n")[2:] if ln.strip()]
    level1 = 0
    for section in sections[1:]:
        lines = [ln for ln in section.split("\n") if ln.strip()]
        if not lines:
            continue
        head = _BOLD_LINE.match(lines[0])
        if head:
            level1 += 1
            blocks.append(Heading(1, heading_number(1, level1, lang), plain(lines[0])))
            lines = lines[1:]
        level2 = 0
        for line in lines:
            sub = _SUBHEAD.match(line)
            if sub:
                level2 += 1
                blocks.append(Heading(2, heading_number(2, level2, lang), plain(line)))
            else:
                blocks.append(Para(plain(line)))
    return blocks


def blocks(head: BulletinHead, sections: list[str], tr: Tr) -> list[Block]:
    """The issue as document blocks: masthead, body, imprint."""
    when = official_date(head.day, tr.lang)
    issuer = tr("Coordination Group Secretariat")
    out: list[Block] = [Masthead(head.name or tr(DEFAULT_NAME), head.number, issuer, when)]
    out += _body(sections, tr.lang)
    out.append(
        Imprint(
            [
                (tr("Submitted to"), tr("the leaders of the Coordination Group.")),
                (tr("Copied to"), tr("the member units of the Coordination Group.")),
            ],
            issuer,
            tr("Issued {date}", date=when),
        )
    )
    return out


def to_docx(head: BulletinHead, sections: list[str], tr: Tr) -> bytes:
    """The issue as a .docx file in the official layout."""
    return render_docx(blocks(head, sections, tr), tr.lang)


def to_markdown(head: BulletinHead, sections: list[str], tr: Tr) -> bytes:
    """The issue as Markdown."""
    return render_markdown(blocks(head, sections, tr), tr.lang)
