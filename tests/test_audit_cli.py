"""`coordbot db audit --since … --csv`: the trail for an inspection, Chinese intact in Excel."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from storage import audit, people
from storage.db import open_database
from storage.schema import migrate

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str, db: Path) -> subprocess.CompletedProcess[bytes]:
    env = {"PATH": "/usr/bin:/bin", "COORDBOT_DB": str(db), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "db", "audit", *args],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )


def _seed(path: Path) -> None:
    db = open_database(path)
    migrate(db)
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    people.touch_person(db, 7_000_000_001, "ada", "王", "小明", "zh", now)
    for day, action in ((1, "project_add"), (3, "stage"), (9, "follow")):
        audit.record(
            db,
            now=now.replace(day=day),
            action=action,
            outcome="ok",
            user_id=7_000_000_001,
            chat_id=7_000_000_001,
            message_id=day,
            detail={"project": "BJ-01", "name": "数字凭证"},
        )
    db.conn.commit()
    db.close()


def test_audit_csv_with_bom_and_chinese(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    _seed(path)
    result = cli("--since", "2026-12-02", "--until", "2026-12-08", "--csv", db=path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(result.stdout.decode("utf-8-sig"))))
    assert rows[0][:2] == ["id", "at_utc"]
    assert [r[6] for r in rows[1:]] == ["stage"]
    assert rows[1][3] == "王 小明" and "数字凭证" in rows[1][8]


def test_audit_csv_to_file_and_bad_day(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    _seed(path)
    out = tmp_path / "trail.csv"
    assert cli("--since", "2026-12-01", "--csv", "--out", str(out), db=path).returncode == 0
    assert len(out.read_bytes().decode("utf-8-sig").strip().splitlines()) == 4
    bad = cli("--since", "12/01", db=path)
    assert bad.returncode == 2 and b"YYYY-MM-DD" in bad.stderr
