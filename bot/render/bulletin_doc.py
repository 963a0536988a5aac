"""A published issue as an official-style document (docx or Markdown), from its frozen sections.

The body is the issue's frozen HTML sections converted line by line, so the document says
exactly what was published; the masthead (title, issue number, issuing body, date) is
laid out the way official bulletins are: centred title, number, then a rule.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_BOLD_LINE = re.compile(r"^<b>(.*?)</b>(.*)$")


@dataclass(frozen=True)
class Masthead:
    """The head of an official bulletin, already in the document's language."""

    title: str
    number: str
    issuer: str
    date: str


def plain(line: str) -> str:
    """An HTML line as plain text."""
    return html.unescape(_TAG.sub("", line))


def _blocks(sections: list[str]) -> list[tuple[str, list[str]]]:
    """(heading, lines) per section; the first section (the chat header) is dropped."""
    blocks = []
    for section in sections[1:]:
        lines = [ln for ln in section.split("\n") if ln.strip()]
        if not lines:
            continue
        head = _BOLD_LINE.match(lines[0])
        if head:
            blocks.append((plain(lines[0]), lines[1:]))
        else:
            blocks.append(("", lines))
    return blocks


def _summary(sections: list[str]) -> list[str]:
    # The header's lines after the title, issuer and date are the summary of the issue.
    return [plain(ln) for ln in sections[0].split("\n")[2:] if ln.strip()] if sections else []


def to_docx(head: Masthead, sections: list[str]) -> bytes:
    """The issue as a .docx file."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(11)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(head.title)
    run.bold = True
    run.font.size = Pt(26)
    run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    number = doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.add_run(head.number).font.size = Pt(14)
    issuer = doc.add_paragraph()
    issuer.add_run(head.issuer)
    issuer.add_run("\t\t\t\t" + head.date)
    rule = doc.add_paragraph()
    rule_run = rule.add_run("━" * 30)
    rule_run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    for line in _summary(sections):
        doc.add_paragraph(line)
    for heading, lines in _blocks(sections):
        if heading:
            doc.add_heading(heading, level=2)
        for line in lines:
            doc.add_paragraph(plain(line))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _md_line(line: str) -> str:
    text = re.sub(r"</?(b|strong)>", "**", line)
    text = re.sub(r"</?(i|em)>", "_", text)
    return html.unescape(_TAG.sub("", text))


def to_markdown(head: Masthead, sections: list[str]) -> bytes:
    """The issue as Markdown."""
    out = [
        f"# {head.title}",
        "",
        f"**{head.number}**",
        "",
        f"{head.issuer} · {head.date}",
        "",
        "---",
    ]
    out += ["", *[f"{line}  " for line in _summary(sections)]]
    for heading, lines in _blocks(sections):
        out += ["", f"## {heading}" if heading else ""]
        out += [f"- {_md_line(line)}" for line in lines]
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")
