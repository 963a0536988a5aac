"""Drawing the /stats picture with Pillow, in a child process of its own.

`python -m bot.render.chart_draw` reads a JSON spec on stdin and writes a PNG to stdout.
The bot never imports Pillow: drawing with a CJK font costs ~20 MB of memory and tens of
milliseconds of CPU, which would raise the bot's peak RSS and stall every chat's event
loop; a child process costs neither. This module imports only Pillow and the standard
library, so the child starts quickly.

Chinese labels need a CJK font: Debian's fonts-noto-cjk is used where installed. Without one
the English spec is drawn (unit codes, not names) and a line is written to stderr, never
boxes.
"""

from __future__ import annotations

import io
import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")
FONT_NAMES = ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Regular.otf")
WIDTH, MARGIN, BAR_H, GAP, LABEL_W = 960, 40, 26, 10, 300
COLORS = ("#2f6fde", "#1fa187", "#e39b21", "#d1495b", "#7a5cc6", "#6c7a89")
INK, MUTED, RULE, TRACK, PAPER = "#1d2733", "#5f6b7a", "#dfe4ea", "#f1f3f6", "#ffffff"
NO_FONT = "no CJK font found (apt-get install fonts-noto-cjk); drew English labels and unit codes"


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
    return None


@lru_cache(maxsize=4)
def _font(size: int) -> Any:
    from PIL import ImageFont

    found = cjk_font()
    if found is None:
        return ImageFont.load_default(size)
    # Basic layout: Chinese and Latin need no shaping, and raqm costs memory.
    return ImageFont.truetype(found[0], size, index=found[1], layout_engine=ImageFont.Layout.BASIC)


def _fit(draw: Any, text: str, font: Any, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def draw_png(spec: dict[str, Any]) -> bytes:
    """A spec ({title, date, figures: [[label, value, alert]], sections: [{title, max,
    rows: [[label, value, shown]]}]}) as a PNG."""
    from PIL import Image, ImageDraw

    sections = spec["sections"]
    height = MARGIN * 2 + 136 + sum(44 + len(s["rows"]) * (BAR_H + GAP) + 16 for s in sections)
    image = Image.new("RGB", (WIDTH, height), PAPER)
    draw = ImageDraw.Draw(image)
    big, body, small = _font(34), _font(20), _font(17)
    y = MARGIN
    draw.text((MARGIN, y), spec["title"], font=big, fill=INK)
    draw.text((WIDTH - MARGIN, y + 12), spec["date"], font=small, fill=MUTED, anchor="ra")
    y += 56
    figures = spec["figures"]
    cell = (WIDTH - 2 * MARGIN) // max(1, len(figures))
    for i, (label, value, alert) in enumerate(figures):
        x = MARGIN + i * cell
        draw.text((x, y), str(value), font=big, fill=COLORS[3] if alert and value else INK)
        draw.text((x, y + 42), _fit(draw, label, small, cell - 10), font=small, fill=MUTED)
    y += 80
    span = WIDTH - 2 * MARGIN - LABEL_W - 80
    for n, section in enumerate(sections):
        draw.line((MARGIN, y, WIDTH - MARGIN, y), fill=RULE, width=2)
        y += 10
        draw.text((MARGIN, y), section["title"], font=body, fill=INK)
        y += 34
        top = section.get("max") or max([row[1] for row in section["rows"]] + [1])
        for label, value, shown in section["rows"]:
            middle = y + BAR_H // 2
            draw.text((MARGIN, middle), _fit(draw, label, small, LABEL_W - 12), font=small,
                      fill=INK, anchor="lm")  # fmt: skip
            x0 = MARGIN + LABEL_W
            draw.rectangle((x0, y, x0 + span, y + BAR_H), fill=TRACK)
            if value:
                x1 = x0 + max(3, round(span * min(value, top) / top))
                draw.rectangle((x0, y, x1, y + BAR_H), fill=COLORS[n % len(COLORS)])
            draw.text((x0 + span + 10, middle), str(shown), font=small, fill=INK, anchor="lm")
            y += BAR_H + GAP
        y += 16
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def main() -> int:
    """Read {"primary": spec, "english": spec} on stdin; write the PNG to stdout."""
    request = json.loads(sys.stdin.buffer.read())
    spec = request["primary"]
    if cjk_font() is None:
        spec = request["english"]
        print(NO_FONT, file=sys.stderr)
    sys.stdout.buffer.write(draw_png(spec))
    return 0


if __name__ == "__main__":
    sys.exit(main())
