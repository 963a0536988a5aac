"""/stats: the overview as a PNG, decoded with Pillow; Chinese labels with a CJK font, and
English with a log line when none is installed (never boxes)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from PIL import Image

from bot.render import chart
from bot.services.overview import overview
from tests.conftest import ADMIN, Harness, make_services
from tests.web_seed import seed


def colours(png: bytes) -> tuple[tuple[int, int], int]:
    """(size, number of distinct colours) of a PNG."""
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    return image.size, len(image.convert("RGB").getcolors(1 << 20) or [])


def test_chart_is_a_real_picture(tmp_path: Path) -> None:
    svc = make_services(tmp_path)
    seed(svc)
    data = overview(svc, svc.clock.now())
    png = chart.overview_png(data, svc.translator.get("zh"), svc.translator.get("en"))
    (width, height), count = colours(png)
    assert width == chart.WIDTH and height > 900
    assert count > 50  # bars in several colours and anti-aliased text, not a blank image
    image = Image.open(io.BytesIO(png)).convert("RGB")
    # The first bar of "projects by stage" is drawn in the first colour.
    assert any(
        image.getpixel((x, y)) == (0x2F, 0x6F, 0xDE)
        for x in range(340, 500)
        for y in range(250, 400)
    )


def test_without_a_cjk_font_english_and_a_log_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    svc = make_services(tmp_path)
    seed(svc)
    data = overview(svc, svc.clock.now())
    drawn: list[str] = []
    monkeypatch.setattr(chart, "FONT_DIRS", ("/nonexistent",))
    monkeypatch.setattr(chart.Path, "glob", lambda self, pattern: iter(()))
    chart.cjk_font.cache_clear()
    original = chart.sections

    def spy(*args: object, **kw: object) -> list[chart.Section]:
        found = original(*args, **kw)  # type: ignore[arg-type]
        drawn.extend(s.title for s in found)
        drawn.extend(label for s in found for label, _v, _s in s.rows)
        return found

    monkeypatch.setattr(chart, "sections", spy)
    try:
        with caplog.at_level(logging.WARNING):
            png = chart.overview_png(data, svc.translator.get("zh"), svc.translator.get("en"))
    finally:
        chart.cjk_font.cache_clear()
    assert colours(png)[1] > 20
    assert "fonts-noto-cjk" in caplog.text
    assert "Projects by stage" in drawn and "BJ" in drawn  # English, unit codes
    assert not any("\u4e00" <= ch <= "\u9fff" for text in drawn for ch in text)


async def test_stats_sends_a_photo(org: Harness) -> None:
    calls = await org.send(ADMIN, "/stats")
    photo = [c for c in calls if c.method == "sendPhoto"]
    assert photo and photo[0].ok
    assert "Programme overview" in photo[0].params["caption"]
    file_id = photo[0].result["photo"][0]["file_id"]
    size, count = colours(org.emu.file_bytes(file_id))
    assert size[0] == chart.WIDTH and count > 20
