"""The overview as a picture for /stats: labelled here, drawn by a child process.

`chart_spec` turns the Overview into labelled bars in one language (pure, no Pillow);
`render_png` hands the chat language's spec and an English one (drawn when no CJK font is
installed) to `python -m bot.render.chart_draw` and returns its PNG. See chart_draw for why
the drawing happens in a process of its own.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from typing import TYPE_CHECKING, Any

from bot.i18n import N_, Tr
from bot.render.project import CATEGORY_NAMES, STAGE_NAMES

log = logging.getLogger(__name__)
RISK_AGES = {
    "lt7": N_("under 7 days"),
    "7to30": N_("7 to 30 days"),
    "30to90": N_("30 to 90 days"),
    "gt90": N_("over 90 days"),
}
DRAW_TIMEOUT = 30.0

if TYPE_CHECKING:  # the read service's result, rendered here as plain data
    from bot.services.overview import Overview


class ChartError(Exception):
    """The drawing process failed; the message says how."""


def chart_spec(data: Overview, tr: Tr, names: bool = True) -> dict[str, Any]:
    """The picture's text and numbers in `tr`'s language; units by name (or by code)."""

    def unit(code: str) -> str:
        if not code:
            return tr("UNASSIGNED")
        return data.unit_names.get(code, code) if names else code

    sections: list[dict[str, Any]] = [
        {
            "title": tr("Projects by stage"),
            "rows": [[tr(STAGE_NAMES.get(k, k)), n, n] for k, n in data.by_stage],
        },
        {
            "title": tr("Projects by category"),
            "rows": [[tr(CATEGORY_NAMES.get(k, k)), n, n] for k, n in data.by_category],
        },
        {
            "title": tr("Open risks by age"),
            "rows": [[tr(RISK_AGES.get(k, k)), n, n] for k, n in data.risk_ages],
        },
    ]
    if data.overdue_by_unit:
        rows = [[unit(u), n, n] for u, n in data.overdue_by_unit[:8]]
        sections.append({"title": tr("Overdue actions by unit"), "rows": rows})
    if data.attendance:
        rows = [
            [unit(a.unit), round(100 * a.present / a.invited), f"{a.present}/{a.invited}"]
            for a in data.attendance[:10]
        ]
        sections.append(
            {"title": tr("Attendance by unit, last 180 days"), "rows": rows, "max": 100}
        )
    return {
        "title": tr("Programme overview"),
        "date": data.today.isoformat(),
        "figures": [
            [tr("Projects"), data.projects, False],
            [tr("Open risks"), data.open_risks, True],
            [tr("Open actions"), data.open_actions, False],
            [tr("Overdue"), data.overdue_actions, True],
        ],
        "sections": sections,
    }


async def render_png(data: Overview, tr: Tr, english: Tr) -> bytes:
    """The overview as a PNG in `tr`'s language (English when no CJK font is installed)."""
    request = {"primary": chart_spec(data, tr), "english": chart_spec(data, english, names=False)}
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.render.chart_draw",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(
            child.communicate(json.dumps(request).encode()), DRAW_TIMEOUT
        )
    except TimeoutError:
        child.kill()
        await child.wait()
        raise ChartError(f"drawing took longer than {DRAW_TIMEOUT:g} s") from None
    for text in err.decode(errors="replace").splitlines():
        log.warning("stats chart: %s", text)
    if child.returncode != 0 or not out.startswith(b"\x89PNG"):
        raise ChartError(f"drawing failed (exit {child.returncode})")
    return out
