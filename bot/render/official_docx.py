"""Official-document blocks as a Word file (python-docx plus the WordprocessingML python-docx
has no API for): page, styles with explicit East Asian fonts, masthead, imprint, page numbers.

Every font is named on the styles and on each run (w:eastAsia beside w:ascii), with the
theme-font references removed, because a theme reference wins over an explicit font and the
template's theme language (ja-JP, now zh-CN) would otherwise pick a Japanese font for Chinese.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from bot.render.official_doc import (
    FALLBACKS,
    MARGINS_MM,
    PAGE_MM,
    RED,
    TEXT_WIDTH,
    Block,
    Heading,
    Imprint,
    Labelled,
    Look,
    Masthead,
    Para,
    Title,
    clean,
    colon,
    look_for,
    twips,
)

W = nsdecls("w")
# CT_PPr's children must come in schema order, or Word calls the file corrupt.
_PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange"
).split()
THICK, THIN = 8, 4  # rule weights in eighths of a point: 0.35 mm and 0.25 mm (GB/T 9704 7.4.1)


def _put(parent: Any, xml: str, order: list[str] | None = None) -> None:
    """Set a child element (replacing one with the same tag), in schema order."""
    new = parse_xml(xml)
    old = parent.find(new.tag)
    if old is not None:
        old.addprevious(new)
        parent.remove(old)
        return
    if order is not None:
        rank = order.index(new.tag.split("}")[1])
        for child in parent:
            name = child.tag.split("}")[1]
            if name in order and order.index(name) > rank:
                child.addprevious(new)
                return
    parent.append(new)


def _rpr(look: Look, font: str, size: int, bold: bool = False, color: str = "") -> str:
    """Run properties, children in schema order (rFonts, b, color, spacing, sz, lang)."""
    parts = [
        f'<w:rFonts w:ascii="{look.latin}" w:hAnsi="{look.latin}" w:eastAsia="{font}"'
        f' w:cs="{look.latin}" w:hint="eastAsia"/>',
        "<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>',
    ]
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if look.tracking and size == look.body_size:
        parts.append(f'<w:spacing w:val="{look.tracking}"/>')
    parts.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    parts.append('<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>')
    return f"<w:rPr {W}>{''.join(parts)}</w:rPr>"


def _spacing(line: int, before: int = 0, after: int = 0) -> str:
    return (
        f'<w:spacing {W} w:before="{before}" w:after="{after}" w:line="{line}"'
        ' w:lineRule="exact"/>'
    )


class OfficialDocument:
    """A Word document written top to bottom in the official layout of one language."""

    def __init__(self, lang: str) -> None:
        self.look = look_for(lang)
        self.lang = self.look.lang
        self.doc: DocxDocument = Document()
        self._page()
        self._styles()
        self._page_numbers()

    # ---- set-up ------------------------------------------------------------------------
    def _page(self) -> None:
        sect_pr = self.doc.sections[0]._sectPr
        _put(sect_pr, f'<w:pgSz {W} w:w="{twips(PAGE_MM[0])}" w:h="{twips(PAGE_MM[1])}"/>')
        m = {side: twips(mm) for side, mm in MARGINS_MM.items()}
        # The page number's dashes sit 7 mm under the type area (GB/T 9704 7.5).
        footer = twips(MARGINS_MM["bottom"] - 7) - self._footer_line
        _put(
            sect_pr,
            f'<w:pgMar {W} w:top="{m["top"]}" w:right="{m["right"]}" w:bottom="{m["bottom"]}"'
            f' w:left="{m["left"]}" w:header="851" w:footer="{footer}" w:gutter="0"/>',
        )
        # Recorded for Word's page set-up dialog; the exact line spacing lays the lines out.
        _put(sect_pr, f'<w:docGrid {W} w:linePitch="{self.look.line}"/>')
        _put(self.doc.settings.element, f'<w:themeFontLang {W} w:val="en-US" w:eastAsia="zh-CN"/>')

    @property
    def _footer_line(self) -> int:
        return self.look.small_size * 10 + 80

    def _styles(self) -> None:
        look = self.look
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        _put(defaults.find(qn("w:rPrDefault")), _rpr(look, look.body, look.body_size))
        # No widow control: every page carries its full 22 lines.
        _put(
            defaults.find(qn("w:pPrDefault")),
            f'<w:pPr {W}><w:widowControl w:val="0"/>{_spacing(look.line).replace(W, "")}</w:pPr>',
        )
        # The styles not restyled below (Heading 3, Quote, ...) keep their sizes but name
        # fonts explicitly too, should someone apply them in Word.
        for rfonts in self.doc.styles.element.iter(qn("w:rFonts")):
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(theme), None)
            for attr, font in (
                ("ascii", look.latin),
                ("hAnsi", look.latin),
                ("eastAsia", look.body),
            ):
                rfonts.set(qn(f"w:{attr}"), font)
        title_line = look.title_size * 16  # 35 pt for 2号
        self._style("Normal", look.body, look.body_size, jc=look.align)
        self._style("Title", look.title, look.title_size, look.bold_headings, "center", title_line)
        self._style("Heading 1", look.heading1, look.body_size, look.bold_headings, level=0)
        self._style("Heading 2", look.heading2, look.body_size, look.bold_headings, level=1)
        self._style("Footer", look.number, look.small_size, line=self._footer_line)

    def _style(
        self,
        name: str,
        font: str,
        size: int,
        bold: bool = False,
        jc: str = "",
        line: int = 0,
        level: int | None = None,
    ) -> None:
        """Give a built-in style exactly these fonts and spacing, dropping the template's
        theme fonts, colours, borders and spacing."""
        element = self.doc.styles[name].element
        for tag in ("w:pPr", "w:rPr"):
            old = element.find(qn(tag))
            if old is not None:
                element.remove(old)
        ppr = parse_xml(f"<w:pPr {W}/>")
        gap = self.look.gap if name in ("Normal", "Heading 1", "Heading 2") else 0
        _put(
            ppr, _spacing(line or self.look.line, gap if level is not None else 0, gap), _PPR_ORDER
        )
        if level is not None:
            _put(ppr, f"<w:keepNext {W}/>", _PPR_ORDER)
            _put(ppr, f'<w:outlineLvl {W} w:val="{level}"/>', _PPR_ORDER)
        if jc:
            _put(ppr, f'<w:jc {W} w:val="{jc}"/>', _PPR_ORDER)
        element.append(ppr)
        element.append(parse_xml(_rpr(self.look, font, size, bold)))

    def _page_numbers(self) -> None:
        section = self.doc.sections[0]
        if self.look.outer_numbers:
            self.doc.settings.odd_and_even_pages_header_footer = True
            self._number(section.footer.paragraphs[0], "right")
            self._number(section.even_page_footer.paragraphs[0], "left")
        else:
            self._number(section.footer.paragraphs[0], "center")

    def _number(self, para: Paragraph, side: str) -> None:
        """'— 1 —' with a PAGE field, one character in from the outer edge."""
        para.style = self.doc.styles["Footer"]
        self._ppr(para, f'<w:jc {W} w:val="{side}"/>')
        if side != "center":
            self._ppr(para, f'<w:ind {W} w:{side}="{self.look.small_size * 10}"/>')
        rpr = _rpr(self.look, self.look.number, self.look.small_size)
        for xml in (
            f'<w:r {W}>{rpr}<w:t xml:space="preserve">— </w:t></w:r>',
            f'<w:fldSimple {W} w:instr="PAGE"><w:r>{rpr}<w:t>1</w:t></w:r></w:fldSimple>',
            f'<w:r {W}>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>',
        ):
            para._p.append(parse_xml(xml))

    # ---- writing -------------------------------------------------------------------------
    @staticmethod
    def _ppr(para: Paragraph, xml: str) -> None:
        _put(para._p.get_or_add_pPr(), xml, _PPR_ORDER)

    def _run(self, para: Paragraph, text: str, font: str = "", size: int = 0, **kw: Any) -> None:
        run = para.add_run(clean(text, self.lang))
        look = self.look
        run._r.insert(0, parse_xml(_rpr(look, font or look.body, size or look.body_size, **kw)))

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
        self._ppr(para, f"<w:ind {W} {attrs}/>")

    def _right_tab(self, para: Paragraph, inset: int = 0) -> None:
        self._ppr(
            para, f'<w:tabs {W}><w:tab w:val="right" w:pos="{TEXT_WIDTH - inset}"/></w:tabs>'
        )

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
        self._ppr(para, _spacing(size * 12, twips(head.top_mm)))
        self._run(para, head.name, look.title, size, bold=look.bold_headings, color=RED)
        para = self.doc.add_paragraph()
        self._ppr(para, f'<w:jc {W} w:val="center"/>')
        self._ppr(para, _spacing(look.line, look.line // 2))
        self._run(para, head.number)
        para = self.doc.add_paragraph()
        self._ppr(
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
            self._ppr(
                para,
                f'<w:ind {W} w:left="{round((1 + width) * ems)}"'
                f' w:right="{ems}" w:hanging="{round(width * ems)}"/>',
            )
            self._run(para, label + clean(text, lang), size=small)
        self._rule(THIN)
        para = self._imprint_line()
        self._ppr(para, f'<w:ind {W} w:left="{small * 10}" w:right="{small * 10}"/>')
        self._right_tab(para, small * 10)
        self._run(
            para, f"{clean(imprint.issuer, lang)}\t{clean(imprint.printed, lang)}", size=small
        )
        self._rule(THICK)

    def _imprint_line(self) -> Paragraph:
        para = self.doc.add_paragraph()
        self._ppr(para, f"<w:keepNext {W}/>")
        return para

    def _rule(self, weight: int) -> None:
        """A rule across the type area: an empty 1 pt paragraph with a bottom border."""
        para = self._imprint_line()
        self._ppr(
            para,
            f'<w:pBdr {W}><w:bottom w:val="single" w:sz="{weight}" w:space="0"'
            ' w:color="auto"/></w:pBdr>',
        )
        self._ppr(para, _spacing(20))
        para.add_run().font.size = Pt(1)

    def to_bytes(self) -> bytes:
        """The .docx file, its font table naming each Chinese font's fallback."""
        out = io.BytesIO()
        self.doc.save(out)
        return _with_fallbacks(out.getvalue())


def render_docx(blocks: list[Block], lang: str) -> bytes:
    """The blocks as a .docx in the official layout of the language."""
    doc = OfficialDocument(lang)
    for block in blocks:
        doc.add(block)
    return doc.to_bytes()


def _with_fallbacks(data: bytes) -> bytes:
    """Declare the Chinese fonts in word/fontTable.xml with their alternates (仿宋 for
    仿宋_GB2312, …) and the GB2312 charset, so Word substitutes a like font when one is missing."""
    entries = "".join(
        f'<w:font w:name="{name}">'
        + (f'<w:altName w:val="{alt}"/>' if alt else "")
        + '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        for name, alt in [*FALLBACKS.items(), ("黑体", ""), ("宋体", "")]
    ).encode("utf-8")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/fontTable.xml":
                content = content.replace(b"</w:fonts>", entries + b"</w:fonts>")
            target.writestr(item, content)
    return out.getvalue()
