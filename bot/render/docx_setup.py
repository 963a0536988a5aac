"""A new official .docx before any text: the page, styles with explicit East Asian fonts,
page numbers, and the font table naming each Chinese font's fallback.

Every font is named on the styles and on each run (w:eastAsia beside w:ascii), with the
theme-font references removed, because a theme reference wins over an explicit font and the
template's theme language (ja-JP, now zh-CN) would otherwise pick a Japanese font for Chinese.
"""

from __future__ import annotations

import io
import zipfile

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from bot.render.docx_xml import PPR_ORDER, W, put, rpr, set_ppr, spacing
from bot.render.official_doc import FALLBACKS, MARGINS_MM, PAGE_MM, Look, twips


def set_up(doc: DocxDocument, look: Look) -> None:
    """Give a new document the page, the styles and the page numbers of the look."""
    _page(doc, look)
    _styles(doc, look)
    _page_numbers(doc, look)


def _page(doc: DocxDocument, look: Look) -> None:
    sect_pr = doc.sections[0]._sectPr
    put(sect_pr, f'<w:pgSz {W} w:w="{twips(PAGE_MM[0])}" w:h="{twips(PAGE_MM[1])}"/>')
    m = {side: twips(mm) for side, mm in MARGINS_MM.items()}
    # The page number's dashes sit 7 mm under the type area (GB/T 9704 7.5).
    footer = twips(MARGINS_MM["bottom"] - 7) - _footer_line(look)
    put(
        sect_pr,
        f'<w:pgMar {W} w:top="{m["top"]}" w:right="{m["right"]}" w:bottom="{m["bottom"]}"'
        f' w:left="{m["left"]}" w:header="851" w:footer="{footer}" w:gutter="0"/>',
    )
    # Recorded for Word's page set-up dialog; the exact line spacing lays the lines out.
    put(sect_pr, f'<w:docGrid {W} w:linePitch="{look.line}"/>')
    put(doc.settings.element, f'<w:themeFontLang {W} w:val="en-US" w:eastAsia="zh-CN"/>')


def _footer_line(look: Look) -> int:
    return look.small_size * 10 + 80


def _styles(doc: DocxDocument, look: Look) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    put(defaults.find(qn("w:rPrDefault")), rpr(look, look.body, look.body_size))
    # No widow control: every page carries its full 22 lines.
    put(
        defaults.find(qn("w:pPrDefault")),
        f'<w:pPr {W}><w:widowControl w:val="0"/>{spacing(look.line).replace(W, "")}</w:pPr>',
    )
    # The styles not restyled below (Heading 3, Quote, ...) keep their sizes but name
    # fonts explicitly too, should someone apply them in Word.
    for rfonts in doc.styles.element.iter(qn("w:rFonts")):
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(theme), None)
        for attr, font in (
            ("ascii", look.latin),
            ("hAnsi", look.latin),
            ("eastAsia", look.body),
        ):
            rfonts.set(qn(f"w:{attr}"), font)
    title_line = look.title_size * 16  # 35 pt for 2号
    _style(doc, look, "Normal", look.body, look.body_size, jc=look.align)
    _style(
        doc, look, "Title", look.title, look.title_size, look.bold_headings, "center", title_line
    )
    _style(doc, look, "Heading 1", look.heading1, look.body_size, look.bold_headings, level=0)
    _style(doc, look, "Heading 2", look.heading2, look.body_size, look.bold_headings, level=1)
    _style(doc, look, "Footer", look.number, look.small_size, line=_footer_line(look))


def _style(
    doc: DocxDocument,
    look: Look,
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
    element = doc.styles[name].element
    for tag in ("w:pPr", "w:rPr"):
        old = element.find(qn(tag))
        if old is not None:
            element.remove(old)
    ppr = parse_xml(f"<w:pPr {W}/>")
    gap = look.gap if name in ("Normal", "Heading 1", "Heading 2") else 0
    put(ppr, spacing(line or look.line, gap if level is not None else 0, gap), PPR_ORDER)
    if level is not None:
        put(ppr, f"<w:keepNext {W}/>", PPR_ORDER)
        put(ppr, f'<w:outlineLvl {W} w:val="{level}"/>', PPR_ORDER)
    if jc:
        put(ppr, f'<w:jc {W} w:val="{jc}"/>', PPR_ORDER)
    element.append(ppr)
    element.append(parse_xml(rpr(look, font, size, bold)))


def _page_numbers(doc: DocxDocument, look: Look) -> None:
    section = doc.sections[0]
    if look.outer_numbers:
        doc.settings.odd_and_even_pages_header_footer = True
        _number(doc, look, section.footer.paragraphs[0], "right")
        _number(doc, look, section.even_page_footer.paragraphs[0], "left")
    else:
        _number(doc, look, section.footer.paragraphs[0], "center")


def _number(doc: DocxDocument, look: Look, para: Paragraph, side: str) -> None:
    """'— 1 —' with a PAGE field, one character in from the outer edge."""
    para.style = doc.styles["Footer"]
    set_ppr(para, f'<w:jc {W} w:val="{side}"/>')
    if side != "center":
        set_ppr(para, f'<w:ind {W} w:{side}="{look.small_size * 10}"/>')
    props = rpr(look, look.number, look.small_size)
    for xml in (
        f'<w:r {W}>{props}<w:t xml:space="preserve">— </w:t></w:r>',
        f'<w:fldSimple {W} w:instr="PAGE"><w:r>{props}<w:t>1</w:t></w:r></w:fldSimple>',
        f'<w:r {W}>{props}<w:t xml:space="preserve"> —</w:t></w:r>',
    ):
        para._p.append(parse_xml(xml))


def with_fallbacks(data: bytes) -> bytes:
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
