"""One running instance per database: an OS lock on `<db>.lock`, held for the process's life.

Two bots on one database fight over getUpdates (409 on every poll) and over the schedule
("database is locked"). flock() is released by the kernel when the process dies however it
dies, so a SIGKILLed instance never blocks its restart; the file's content (pid@host) only
names the holder in the refusal. The file is never deleted: a process that opened it just
before a deletion would lock an orphan inode while a third locks a new file.
"""

from __future__ import annotations

import fcntl
import os
import socket
from collections.abc import Callable
from pathlib import Path


class InstanceLocked(Exception):
    """Another process holds the database's instance lock."""

    def __init__(self, lock_path: Path, holder: str) -> None:
        super().__init__(f"{lock_path} is held by {holder}")
        self.lock_path = lock_path
        self.holder = holder


def lock_path_for(db_path: Path) -> Path:
    """The lock file beside a database file."""
    return db_path.with_name(db_path.name + ".lock")


def _describe(raw: str) -> str:
    pid, sep, host = raw.strip().partition("@")
    if not sep or not pid.isdigit():
        return "an unknown process"
    return f"pid {pid} on {host}"


class InstanceLock:
    """The exclusive lock of one database; acquire() once, release() (or exit) to free it."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path_for(db_path)
        self._fd: int | None = None

    def holder(self) -> str:
        """Who holds the lock, as 'pid N on HOST' (read from the file)."""
        try:
            return _describe(self.path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return "an unknown process"

    def acquire(self, wait: bool = False, on_wait: Callable[[str], None] | None = None) -> None:
        """Take the lock; if another process has it, raise InstanceLocked or (wait) block."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited by children
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    raise InstanceLocked(self.path, self.holder()) from None
                if on_wait is not None:
                    on_wait(self.holder())
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}@{socket.gethostname()}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        """Give the lock up (closing the descriptor releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
