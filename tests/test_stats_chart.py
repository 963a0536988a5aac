"""/stats: the overview as a PNG drawn by a child process, decoded with Pillow; Chinese labels
with a CJK font, and English with a log line when none is installed (never boxes)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from bot.render import chart, chart_draw
from bot.services.overview import overview
from tests.support.harness import ADMIN, Harness
from tests.support.services import make_services
from tests.web_seed import seed


def colours(png: bytes) -> tuple[tuple[int, int], int]:
    """(size, number of distinct colours) of a PNG."""
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    return image.size, len(image.convert("RGB").getcolors(1 << 20) or [])


@pytest.fixture
def specs(tmp_path: Path) -> dict[str, dict[str, object]]:
    svc = make_services(tmp_path)
    seed(svc)
    data = overview(svc, svc.clock.now())
    return {
        "primary": chart.chart_spec(data, svc.translator.get("zh")),
        "english": chart.chart_spec(data, svc.translator.get("en"), names=False),
    }


def test_chart_is_a_real_picture(specs: dict[str, dict[str, object]]) -> None:
    png = chart_draw.draw_png(specs["primary"])
    (width, height), count = colours(png)
    assert width == chart_draw.WIDTH and height > 900
    assert count > 50  # bars in several colours and anti-aliased text, not a blank image
    image = Image.open(io.BytesIO(png)).convert("RGB")
    # The bars of "projects by stage" are drawn in the first colour.
    blue = (0x2F, 0x6F, 0xDE)
    assert sum(image.getpixel((x, 260)) == blue for x in range(340, 900)) > 100
    assert specs["primary"]["title"] == "试点工作概览"


def test_the_bot_process_never_imports_pillow() -> None:
    code = "import sys, bot.telegram.app, handlers.web; print('PIL' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_without_a_cjk_font_english_and_a_line(
    specs: dict[str, dict[str, object]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(chart_draw, "cjk_font", lambda: None)
    chart_draw._font.cache_clear()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(specs).encode())))
    out = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out))
    try:
        assert chart_draw.main() == 0
        sys.stdout.flush()
    finally:
        chart_draw._font.cache_clear()
    assert colours(out.getvalue())[1] > 20
    assert "fonts-noto-cjk" in capsys.readouterr().err
    english = json.dumps(specs["english"], ensure_ascii=False)
    assert "Projects by stage" in english and '"BJ"' in english
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english)


async def test_stats_sends_a_photo(org: Harness) -> None:
    calls = await org.send(ADMIN, "/stats")
    photo = [c for c in calls if c.method == "sendPhoto"]
    assert photo and photo[0].ok
    assert "Programme overview" in photo[0].params["caption"]
    file_id = photo[0].result["photo"][0]["file_id"]
    size, count = colours(org.emu.file_bytes(file_id))
    assert size[0] == chart_draw.WIDTH and count > 20
