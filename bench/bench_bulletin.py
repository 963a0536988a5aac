"""Benchmark (not a test): compile one bulletin over 10,000 progress entries and 200 projects.

Compiling is gathering the data from SQLite and rendering every section and message part in
both languages, i.e. what /bulletin_publish does before it writes. Run:
`python bench/bench_bulletin.py`; prints `bulletin_compile_ms <median> ms`.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlite_utils import Database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.i18n import Translator  # noqa: E402
from bot.render.bulletin import render_sections, to_parts  # noqa: E402
from bot.render.bulletin_lines import line_html  # noqa: E402
from bot.render.project import safe_text  # noqa: E402
from bot.services.bulletins import gather  # noqa: E402
from storage import people, progress, project_follows, project_stages, projects  # noqa: E402
from storage.db import open_database, transaction  # noqa: E402
from storage.projects import CATEGORIES, STAGES  # noqa: E402
from storage.schema import migrate  # noqa: E402

PROJECTS, ENTRIES, RUNS = 200, 10_000, 7
NOW = datetime(2027, 3, 5, 8, 0, tzinfo=UTC)
TAGS = ["#milestone", "#risk", "#change", "#major", "", "", "#里程碑", "#风险"]


def populate(path: Path) -> None:
    """A database with units, projects, follows, entries, risks and closures."""
    db = open_database(path)
    migrate(db)
    rng = random.Random(7)
    start = NOW - timedelta(days=90)
    with transaction(db):
        for unit in ("TECH", "BJ", "SH", "SZ", "CSRC"):
            people.add_unit(db, unit, unit, start)
        for i in range(PROJECTS):
            code = f"P-{i:03d}"
            projects.add_project(
                db,
                code=code,
                name=f"试点项目 {i}",
                category=CATEGORIES[i % 4],
                lead="机构",
                batch="第一批",
                region="北京",
                now=start,
                by_user=1,
            )
            project_stages.set_stage(db, code, STAGES[1 + i % 4], "", start, 1)
            project_follows.follow(db, code, ("TECH", "BJ", "SH", "SZ", "CSRC")[i % 5], start)
        risks: list[int] = []
        for n in range(ENTRIES):
            code = f"P-{rng.randrange(PROJECTS):03d}"
            text = f"{rng.choice(TAGS)} 第{n}条进展：系统对接完成，交易运行平稳 <ok> & 继续观察"
            when = start + timedelta(minutes=n * 12)
            # line_html as the progress service stores it (this writes below the service).
            entry = progress.add_entry(
                db,
                project_code=code,
                author_id=2,
                author_unit="TECH",
                text=text,
                now=when,
                line_html=line_html(text),
            )
            if "risk" in entry.tags:
                risks.append(entry.id)
            if n % 50 == 0 and risks:
                progress.close_risks(db, entry.id, [risks.pop(0)])
    db.close()


def compile_once(
    db: Database, translator: Translator, tz: ZoneInfo, langs: tuple[str, ...] = ("en", "zh")
) -> tuple[float, int]:
    """Milliseconds to gather and render the given languages; and the number of parts."""
    safe_text.cache_clear()  # measure a cold compile, as the first publication is
    began = time.perf_counter()
    data = gather(db, (0, 0, 0), None, NOW, 14)
    parts = 0
    for lang in langs:
        tr = translator.get(lang)
        parts += len(to_parts(render_sections(data, tr, tz, 2027, 1), tr))
    elapsed = (time.perf_counter() - began) * 1000
    return elapsed, parts


def main() -> int:
    """Populate once, compile several times, print the median."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        populate(path)
        translator, tz = Translator(), ZoneInfo("Asia/Shanghai")
        one, both, parts = [], [], 0
        db = open_database(path)  # one long-lived connection, as the bot holds
        for _ in range(RUNS):
            one.append(compile_once(db, translator, tz, ("zh",))[0])
            elapsed, parts = compile_once(db, translator, tz)
            both.append(elapsed)
        db.close()
    print(f"entries {ENTRIES}, projects {PROJECTS}, parts (en+zh) {parts}")
    # One issue in one language is what /bulletin drafts and each chat receives; publishing
    # freezes both languages, i.e. two renderings over one gathering.
    print(f"bulletin_compile_ms {statistics.median(one):.1f} ms")
    print(f"bulletin_publish_compile_ms {statistics.median(both):.1f} ms (en+zh)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
