"""Benchmark (not a test): compile the minutes of a sitting with a 30-item agenda.

Compiling is gathering the sitting's attendance, items, decisions and actions from SQLite and
rendering the minutes text in both languages, i.e. what /minutes and /minutes_publish do;
the Word export is timed separately. Run: `python bench/bench_minutes.py`; prints
`minutes_compile_ms <median> ms` (goal: under 100 ms) and `minutes_docx_ms <median> ms`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.domain.agenda_rules import choose_sitting  # noqa: E402
from bot.i18n import Translator  # noqa: E402
from bot.render.minutes import minutes_text  # noqa: E402
from bot.render.minutes_doc import minutes_docx  # noqa: E402
from bot.services.meeting_reads import get_meeting  # noqa: E402
from bot.services.minutes import compile_minutes  # noqa: E402
from storage import actions, agenda, meetings, minutes, people  # noqa: E402
from storage.db import open_database, transaction  # noqa: E402
from storage.schema import migrate  # noqa: E402

ITEMS, RUNS = 30, 15
TZ = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 9, 10, 6, 0, tzinfo=UTC)
NOW = START + timedelta(hours=3)


def populate(path: Path) -> None:
    """One joint meeting with 30 items, 2 decisions and 2 actions on each of 20 of them."""
    db = open_database(path)
    migrate(db)
    with transaction(db):
        for n in range(12):
            people.add_unit(db, f"U{n}", f"Member unit {n}", NOW)
            people.set_role(db, 100 + n, "staff", f"U{n}", NOW)
        mid = meetings.create(
            db,
            kind="joint",
            title="Joint meeting",
            place="Room 301",
            start=START,
            end=START + timedelta(hours=3),
            tz=TZ.key,
            rrule=None,
            created_by=1,
            now=NOW,
        )
        for n in range(ITEMS):
            item_id = agenda.add_item(
                db,
                meeting_id=mid,
                occ="",
                meeting_kind="joint",
                sitting_start=START,
                title=f"试点项目 {n} 的进展与风险处置 #审议",
                kind="deliberation",
                major=n % 7 == 0,
                project=f"P-{n:03d}",
                minutes=10,
                submitter=100 + n % 12,
                unit_code=f"U{n % 12}",
                late=False,
                now=NOW,
            )
            if n < 20:
                agenda.mark_reached(db, item_id)
                for k in range(2):
                    minutes.add_decision(
                        db, mid, "", item_id, f"议定事项 {n}.{k}：原则同意。", 1, NOW
                    )
                    actions.add_action(
                        db,
                        meeting_id=mid,
                        occ="",
                        meeting_kind="joint",
                        sitting_start=START,
                        item_id=item_id,
                        owner_user=100 + (n + k) % 12 if k else None,
                        owner_unit=None if k else f"U{n % 12}",
                        due=date(2026, 10, 8 + k),
                        text=f"督办事项 {n}.{k}",
                        by=1,
                        now=NOW,
                    )
        minutes.set_attendance(db, mid, "", [f"U{n}" for n in range(12)], 1, NOW)


def main() -> None:
    """Run the benchmark and print the medians."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        populate(path)
        db = open_database(path)
        meeting = get_meeting(db, 1, NOW)
        assert meeting is not None
        sitting = choose_sitting(meeting, NOW)
        assert sitting is not None
        translator = Translator()
        trs = [translator.get("en"), translator.get("zh")]
        today = NOW.astimezone(TZ).date()
        compile_times, docx_times = [], []
        for _run in range(RUNS):
            began = time.perf_counter()
            data = compile_minutes(db, sitting)
            texts = [minutes_text(data, TZ, tr, today) for tr in trs]
            compile_times.append((time.perf_counter() - began) * 1000)
            assert all("试点项目 29" in t for t in texts)
            began = time.perf_counter()
            minutes_docx(data, TZ, trs[1], today)
            docx_times.append((time.perf_counter() - began) * 1000)
    print(f"minutes_compile_ms {statistics.median(compile_times):.1f} ms")
    print(f"minutes_docx_ms {statistics.median(docx_times):.1f} ms")


if __name__ == "__main__":
    main()
