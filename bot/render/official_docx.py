"""Official-document blocks as a Word file (python-docx plus the WordprocessingML python-docx
has no API for): title, headings, paragraphs, labelled lines, masthead, imprint.

The page, the styles with their explicit East Asian fonts and the page numbers are set up by
bot/render/docx_setup.py; the XML helpers are bot/render/docx_xml.py. Each run names its
fonts too (docx_xml.rpr), for the reason docx_setup gives.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from bot.render.docx_setup import set_up, with_fallbacks
from bot.render.docx_xml import W, rpr, set_ppr, spacing
from bot.render.official_doc import (
    RED,
    TEXT_WIDTH,
    Block,
    Heading,
    Imprint,
    Labelled,
    Masthead,
    Para,
    Title,
    clean,
    colon,
    look_for,
    twips,
)

THICK, THIN = 8, 4  # rule weights in eighths of a point: 0.35 mm and 0.25 mm (GB/T 9704 7.4.1)


class OfficialDocument:
    """A Word document written top to bottom in the official layout of one language."""

    def __init__(self, lang: str) -> None:
        self.look = look_for(lang)
        self.lang = self.look.lang
        self.doc: DocxDocument = Document()
        set_up(self.doc, self.look)

    # ---- writing -------------------------------------------------------------------------
    def _run(self, para: Paragraph, text: str, font: str = "", size: int = 0, **kw: Any) -> None:
        run = para.add_run(clean(text, self.lang))
        look = self.look
        run._r.insert(0, parse_xml(rpr(look, font or look.body, size or look.body_size, **kw)))

    def _indent(
        self, para: Paragraph, first: float = 0, left: float = 0, hanging: float = 0
    ) -> None:
        """Indents in characters: Word's *Chars attributes, with twips for other readers."""
        char = self.look.char
        attrs = f'w:left="{round(left * char)}" w:leftChars="{round(left * 100)}"'
        if hanging:
            attrs += (
                f' w:hanging="{round(hanging * char)}" w:hangingChars="{round(hanging * 100)}"'
            )
        elif first:
            attrs += (
                f' w:firstLine="{round(first * char)}" w:firstLineChars="{round(first * 100)}"'
            )
        set_ppr(para, f"<w:ind {W} {attrs}/>")

    def _right_tab(self, para: Paragraph, inset: int = 0) -> None:
        set_ppr(para, f'<w:tabs {W}><w:tab w:val="right" w:pos="{TEXT_WIDTH - inset}"/></w:tabs>')

    def add(self, block: Block) -> None:
        """Write one block."""
        if isinstance(block, Masthead):
            self.masthead(block)
        elif isinstance(block, Title):
            self.doc.add_paragraph()  # the title sits two lines under the red rule
            self._run(
                self.doc.add_paragraph(style="Title"),
                block.text,
                self.look.title,
                self.look.title_size,
                bold=self.look.bold_headings,
            )
            self.doc.add_paragraph()
        elif isinstance(block, Heading):
            para = self.doc.add_paragraph(style="Heading 1" if block.level == 1 else "Heading 2")
            self._indent(para, first=self.look.indent)
            font = self.look.heading1 if block.level == 1 else self.look.heading2
            self._run(para, block.number + block.text, font, bold=self.look.bold_headings)
        elif isinstance(block, Para):
            para = self.doc.add_paragraph()
            if block.indent:
                self._indent(para, first=self.look.indent)
            self._run(para, block.text)
        elif isinstance(block, Labelled):
            self.labelled(block)
        else:
            self.imprint(block)

    def masthead(self, head: Masthead) -> None:
        """The red masthead: the name as large as fits one line (16 to 36 pt), the number,
        then the issuer left and the date right over a red rule."""
        look = self.look
        # Chinese characters are one em wide, Latin letters about half.
        ems = sum(1 if ord(ch) > 0x2E80 else 0.55 for ch in head.name) or 1
        size = max(look.body_size, min(72, int(TEXT_WIDTH / 10 / ems) - 2))
        para = self.doc.add_paragraph(style="Title")
        set_ppr(para, spacing(size * 12, twips(head.top_mm)))
        self._run(para, head.name, look.title, size, bold=look.bold_headings, color=RED)
        para = self.doc.add_paragraph()
        set_ppr(para, f'<w:jc {W} w:val="center"/>')
        set_ppr(para, spacing(look.line, look.line // 2))
        self._run(para, head.number)
        para = self.doc.add_paragraph()
        set_ppr(
            para,
            f'<w:pBdr {W}><w:bottom w:val="single" w:sz="12" w:space="6" w:color="{RED}"/>'
            "</w:pBdr>",
        )
        self._right_tab(para)
        self._run(para, f"{clean(head.issuer, self.lang)}\t{clean(head.when, self.lang)}")
        self.doc.add_paragraph()

    def labelled(self, block: Labelled) -> None:
        """'出席：units', the label in 黑体, continuation lines aligned after the colon
        (GB/T 9704 10.3), two characters in."""
        label = clean(block.label, self.lang) + colon(self.lang).strip()
        para = self.doc.add_paragraph()
        width = len(label) if self.lang == "zh" else len(label) * 0.55 + 0.3
        self._indent(para, left=self.look.indent + width, hanging=width)
        self._run(
            para,
            label + ("" if self.lang == "zh" else " "),
            self.look.heading1,
            bold=self.look.bold_headings,
        )
        self._run(para, block.text)

    def imprint(self, imprint: Imprint) -> None:
        """The imprint (版记) after an empty line (GB/T 9704 7.4): a thick rule, the
        lines in 4号 one character in on either side (continuation lines aligned after the
        colon), a thin rule, printer and date, a thick rule; rules as wide as the type area."""
        small, lang = self.look.small_size, self.lang
        self.doc.add_paragraph()
        self._rule(THICK)
        for label, text in imprint.lines:
            para = self._imprint_line()
            label = clean(label, lang) + colon(lang)
            width = len(label) if lang == "zh" else len(label) * 0.55
            ems = small * 10
            set_ppr(
                para,
                f'<w:ind {W} w:left="{round((1 + width) * ems)}"'
                f' w:right="{ems}" w:hanging="{round(width * ems)}"/>',
            )
            self._run(para, label + clean(text, lang), size=small)
        self._rule(THIN)
        para = self._imprint_line()
        set_ppr(para, f'<w:ind {W} w:left="{small * 10}" w:right="{small * 10}"/>')
        self._right_tab(para, small * 10)
        self._run(
            para, f"{clean(imprint.issuer, lang)}\t{clean(imprint.printed, lang)}", size=small
        )
        self._rule(THICK)

    def _imprint_line(self) -> Paragraph:
        para = self.doc.add_paragraph()
        set_ppr(para, f"<w:keepNext {W}/>")
        return para

    def _rule(self, weight: int) -> None:
        """A rule across the type area: an empty 1 pt paragraph with a bottom border."""
        para = self._imprint_line()
        set_ppr(
            para,
            f'<w:pBdr {W}><w:bottom w:val="single" w:sz="{weight}" w:space="0"'
            ' w:color="auto"/></w:pBdr>',
        )
        set_ppr(para, spacing(20))
        para.add_run().font.size = Pt(1)

    def to_bytes(self) -> bytes:
        """The .docx file, its font table naming each Chinese font's fallback."""
        out = io.BytesIO()
        self.doc.save(out)
        return with_fallbacks(out.getvalue())


def render_docx(blocks: list[Block], lang: str) -> bytes:
    """The blocks as a .docx in the official layout of the language."""
    doc = OfficialDocument(lang)
    for block in blocks:
        doc.add(block)
    return doc.to_bytes()
