"""The overview as a picture for /stats: simple horizontal bars drawn with Pillow.

Pillow is imported inside the functions, so the bot starts without it. Chinese labels need
a CJK font: Debian's fonts-noto-cjk (`apt-get install fonts-noto-cjk`) is used where it is
installed; without one, a line is logged and the picture is drawn in English with unit
codes, never as boxes.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.i18n import N_, Tr
from bot.render.project import CATEGORY_NAMES, STAGE_NAMES
from bot.services.overview import Overview

log = logging.getLogger(__name__)
FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts",
)
FONT_NAMES = ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Regular.otf")
WIDTH, MARGIN, BAR_H, GAP = 960, 40, 26, 10
LABEL_W = 300
COLORS = ("#2f6fde", "#1fa187", "#e39b21", "#d1495b", "#7a5cc6", "#6c7a89")
INK, MUTED, RULE, PAPER = "#1d2733", "#5f6b7a", "#dfe4ea", "#ffffff"
RISK_AGES = {
    "lt7": N_("under 7 days"),
    "7to30": N_("7 to 30 days"),
    "30to90": N_("30 to 90 days"),
    "gt90": N_("over 90 days"),
}


@dataclass(frozen=True)
class Section:
    """One block of bars: a heading and (label, value, shown value) rows."""

    title: str
    rows: list[tuple[str, int, str]]


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, int] | None:
    """(path, face index) of a Simplified-Chinese Noto Sans CJK face, or None."""
    from PIL import ImageFont

    candidates = [Path(d) / n for d in FONT_DIRS for n in FONT_NAMES]
    candidates += sorted(Path("/usr/share/fonts").glob("**/NotoSansCJK*.tt[cf]"))
    for path in candidates:
        if not path.is_file():
            continue
        for index in range(10):
            try:
                face = ImageFont.truetype(str(path), 12, index=index)
            except OSError:
                break
            if (face.getname()[0] or "").endswith("CJK SC"):
                return str(path), index
        return str(path), 0
    log.warning(
        "stats chart: no CJK font found (apt-get install fonts-noto-cjk); "
        "drawing English labels and unit codes"
    )
    return None


@lru_cache(maxsize=8)
def _font(size: int) -> Any:
    from PIL import ImageFont

    found = cjk_font()
    if found is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(found[0], size, index=found[1])


def sections(data: Overview, tr: Tr, names: bool) -> list[Section]:
    """The blocks of the picture, labelled in `tr`'s language (unit names if `names`)."""

    def unit(code: str) -> str:
        if not code:
            return tr("UNASSIGNED")
        return data.unit_names.get(code, code) if names else code

    out = [
        Section(
            tr("Projects by stage"),
            [(tr(STAGE_NAMES.get(k, k)), n, str(n)) for k, n in data.by_stage],
        ),
        Section(
            tr("Projects by category"),
            [(tr(CATEGORY_NAMES.get(k, k)), n, str(n)) for k, n in data.by_category],
        ),
        Section(
            tr("Open risks by age"),
            [(tr(RISK_AGES.get(k, k)), n, str(n)) for k, n in data.risk_ages],
        ),
    ]
    if data.overdue_by_unit:
        out.append(
            Section(
                tr("Overdue actions by unit"),
                [(unit(u), n, str(n)) for u, n in data.overdue_by_unit[:8]],
            )
        )
    if data.attendance:
        rows = [
            (unit(a.unit), round(100 * a.present / a.invited), f"{a.present}/{a.invited}")
            for a in data.attendance[:10]
        ]
        out.append(Section(tr("Attendance by unit, last 180 days"), rows))
    return out


def _fit(draw: Any, text: str, font: Any, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def overview_png(data: Overview, tr: Tr, english: Tr) -> bytes:
    """The overview as a PNG, in `tr`'s language (in `english` when no CJK font exists)."""
    from PIL import Image, ImageDraw

    if cjk_font() is None:
        tr = english
    blocks = sections(data, tr, names=cjk_font() is not None)
    height = MARGIN * 2 + 120 + sum(44 + len(b.rows) * (BAR_H + GAP) + 16 for b in blocks)
    image = Image.new("RGB", (WIDTH, height), PAPER)
    draw = ImageDraw.Draw(image)
    title, body, small = _font(34), _font(20), _font(17)
    y = MARGIN
    draw.text((MARGIN, y), tr("Programme overview"), font=title, fill=INK)
    draw.text(
        (WIDTH - MARGIN, y + 12), data.today.isoformat(), font=small, fill=MUTED, anchor="ra"
    )
    y += 56
    figures = [
        (tr("Projects"), data.projects),
        (tr("Open risks"), data.open_risks),
        (tr("Open actions"), data.open_actions),
        (tr("Overdue"), data.overdue_actions),
    ]
    cell = (WIDTH - 2 * MARGIN) // len(figures)
    for i, (label, value) in enumerate(figures):
        x = MARGIN + i * cell
        color = COLORS[3] if i == 3 and value else INK
        draw.text((x, y), str(value), font=title, fill=color)
        draw.text((x, y + 42), _fit(draw, label, small, cell - 10), font=small, fill=MUTED)
    y += 80
    for n, block in enumerate(blocks):
        draw.line((MARGIN, y, WIDTH - MARGIN, y), fill=RULE, width=2)
        y += 10
        draw.text((MARGIN, y), block.title, font=body, fill=INK)
        y += 34
        top = max([v for _l, v, _s in block.rows] + [1])
        if block.title == tr("Attendance by unit, last 180 days"):
            top = 100
        span = WIDTH - 2 * MARGIN - LABEL_W - 80
        for label, value, shown in block.rows:
            draw.text(
                (MARGIN, y + BAR_H // 2),
                _fit(draw, label, small, LABEL_W - 12),
                font=small,
                fill=INK,
                anchor="lm",
            )
            x0 = MARGIN + LABEL_W
            draw.rectangle((x0, y, x0 + span, y + BAR_H), fill="#f1f3f6")
            if value:
                x1 = x0 + max(3, round(span * value / top))
                draw.rectangle((x0, y, x1, y + BAR_H), fill=COLORS[n % len(COLORS)])
            draw.text((x0 + span + 10, y + BAR_H // 2), shown, font=small, fill=INK, anchor="lm")
            y += BAR_H + GAP
        y += 16
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()
