"""A database file that is not SQLite, damaged, or a directory: one line, nothing changed."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import DatabaseFileError, check_database_file, open_database
from storage.schema import migrate
from tests.support.process import ROOT


def _damaged(tmp_path: Path) -> Path:
    """A real coordbot database cut short, as after a bad copy."""
    good = tmp_path / "good.db"
    db = open_database(good)
    migrate(db)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(good.read_bytes()[:5000])
    return damaged


def _not_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "notes.db"
    path.write_text("minutes of the joint meeting\n" * 50, encoding="utf-8")
    return path


def test_check_names_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(DatabaseFileError, match="is not an SQLite database"):
        check_database_file(_not_sqlite(tmp_path))
    with pytest.raises(DatabaseFileError, match="is damaged .*restore it from a backup"):
        check_database_file(_damaged(tmp_path))
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(DatabaseFileError, match="is a directory"):
        open_database(tmp_path / "dir.db")
    check_database_file(tmp_path / "new.db")  # not there yet: created on open
    held = open_database(tmp_path / "good.db")
    with held.conn:
        held.execute("CREATE TABLE busy (x)")  # a writer in another connection: fine
        check_database_file(tmp_path / "good.db")
    held.close()


async def _coordbot(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "COORDBOT_DB": str(db),
        "COORDBOT_TOKEN": "1:unused",
        "COORDBOT_API_URL": "http://127.0.0.1:9/bot",
        "PYTHONPATH": str(ROOT),
    }
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.slow(3)
async def test_every_command_refuses_a_bad_file_in_one_line_leaving_it_unchanged(
    tmp_path: Path,
) -> None:
    not_sqlite, damaged = _not_sqlite(tmp_path), _damaged(tmp_path)
    directory = tmp_path / "folder.db"
    directory.mkdir()
    before = {p: p.read_bytes() for p in (not_sqlite, damaged)}
    backup = tmp_path / "backup.db"
    runs = [
        (not_sqlite, ("run",), "is not an SQLite database"),
        (not_sqlite, ("console",), "is not an SQLite database"),
        (not_sqlite, ("db", "migrate"), "is not an SQLite database"),
        (not_sqlite, ("db", "stats"), "is not an SQLite database"),
        (not_sqlite, ("db", "backup", str(backup)), "is not an SQLite database"),
        (damaged, ("run",), "is damaged"),
        (directory, ("db", "stats"), "is a directory"),
    ]
    results = await asyncio.gather(*(_coordbot(db, *args) for db, args, _ in runs))
    for (db, args, reason), result in zip(runs, results, strict=True):
        assert result.returncode == 2, (args, result.stderr)
        (line,) = result.stderr.strip().splitlines()  # one line, no traceback
        assert line.startswith("coordbot: COORDBOT_DB: ") and str(db) in line, line
        assert reason in line and "nothing was changed" in line, line
    for path, data in before.items():
        assert path.read_bytes() == data
        assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    assert not backup.exists()
