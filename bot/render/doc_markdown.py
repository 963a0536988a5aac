"""The same document blocks as Markdown (CommonMark): every heading, paragraph and list set
off by blank lines, and user text escaped so it shows as typed."""

from __future__ import annotations

import re

from bot.render.official_doc import (
    Block,
    Heading,
    Imprint,
    Labelled,
    Masthead,
    Para,
    Title,
    clean,
    colon,
)

_INLINE = re.compile(r"([\\`*_\[\]<>~|])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# What would start a heading, list, quote, table or rule at the beginning of a line.
_LEADING = re.compile(r"^(#{1,6}(?=\s|$)|[-+=](?=\s|$|[-=]*$))")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def md_escape(text: str) -> str:
    """Plain text as Markdown that renders exactly as this text."""
    text = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text))
    text = _LEADING.sub(r"\\\1", text)
    return _ORDERED.sub(r"\1\\\2", text)


def render_markdown(blocks: list[Block], lang: str) -> bytes:
    """The blocks as a Markdown file (UTF-8)."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Masthead):
            out += [
                f"# {md_escape(clean(block.name, lang))}",
                f"**{md_escape(clean(block.number, lang))}**",
                md_escape(f"{clean(block.issuer, lang)} · {clean(block.when, lang)}"),
                "---",
            ]
        elif isinstance(block, Title):
            out.append(f"## {md_escape(clean(block.text, lang))}")
        elif isinstance(block, Heading):
            marks = "##" if block.level == 1 else "###"
            out.append(f"{marks} {block.number}{md_escape(clean(block.text, lang))}")
        elif isinstance(block, Para):
            out.append(md_escape(clean(block.text, lang)))
        elif isinstance(block, Labelled):
            label = md_escape(clean(block.label, lang))
            out.append(f"**{label}**{colon(lang)}{md_escape(clean(block.text, lang))}")
        elif isinstance(block, Imprint):
            out.append("---")
            out += [
                md_escape(clean(label + colon(lang) + text, lang)) for label, text in block.lines
            ]
            out.append(md_escape(f"{clean(block.issuer, lang)} · {clean(block.printed, lang)}"))
    # One block per paragraph: a blank line between every two is what Markdown needs.
    return ("\n\n".join(line for line in out if line).rstrip() + "\n").encode("utf-8")
