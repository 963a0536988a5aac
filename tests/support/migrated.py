"""A database with every migration applied, copied from one migrated once per test process.

Migrating a fresh file costs ~10 ms of CPU more than opening a migrated copy, and the suite
starts a bot or services on a new database a few hundred times. The copy is the file a
fresh migration writes (a bot restarting on its database sees the same); tests of migration
itself and of the real process start from an empty file.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from storage.db import open_database
from storage.schema import migrate


@functools.cache
def _template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="coordbot-migrated-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "migrated.db"
    db = open_database(path)
    migrate(db)
    db.close()  # the last connection: checkpoints the WAL into the file and removes it
    assert not path.with_name("migrated.db-wal").exists()
    return path


def migrated_database(path: Path) -> Path:
    """`path`, created as a copy of the migrated database unless it already exists."""
    if not path.exists():
        shutil.copyfile(_template(), path)
    return path
