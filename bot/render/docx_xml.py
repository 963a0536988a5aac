"""The WordprocessingML python-docx has no API for, as the official .docx writer sets it:
elements put in schema order, run properties naming every font, exact line spacing."""

from __future__ import annotations

from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph

from bot.render.official_doc import Look

W = nsdecls("w")
# CT_PPr's children must come in schema order, or Word calls the file corrupt.
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange"
).split()


def put(parent: Any, xml: str, order: list[str] | None = None) -> None:
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


def set_ppr(para: Paragraph, xml: str) -> None:
    """Set one of a paragraph's properties (replacing one with the same tag), in schema order."""
    put(para._p.get_or_add_pPr(), xml, PPR_ORDER)


def rpr(look: Look, font: str, size: int, bold: bool = False, color: str = "") -> str:
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


def spacing(line: int, before: int = 0, after: int = 0) -> str:
    """Paragraph spacing: lines exactly `line` twips apart, gaps before and after in twips."""
    return (
        f'<w:spacing {W} w:before="{before}" w:after="{after}" w:line="{line}"'
        ' w:lineRule="exact"/>'
    )
