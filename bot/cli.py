"""The `coordbot` command line: run, console, demo, db."""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import gc
import logging
import signal
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.config import Config, ConfigError, load_config
from bot.telegram.instance_lock import InstanceLock, InstanceLocked
from storage.db import DatabaseFileError, check_database_file

log = logging.getLogger("coordbot")
EXIT_LOCKED = 3  # another instance holds the database


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coordbot", description="Coordination-group secretariat bot"
    )
    parser.add_argument("--config", type=Path, help="TOML file with the same keys as the env vars")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug output")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run against the Bot API (long polling or webhook)")
    run.add_argument("--webhook-url", help="public HTTPS URL Telegram posts updates to")
    run.add_argument("--listen", default="0.0.0.0", help="address the webhook server binds")
    run.add_argument("--port", type=int, default=8443, help="port the webhook server binds")
    run.add_argument("--secret-token", help="secret Telegram sends with each webhook request")
    run.add_argument(
        "--standby",
        action="store_true",
        help="if another instance runs on this database, wait and take over when it stops",
    )
    sub.add_parser("console", help="chat with the real bot offline, through the built-in emulator")
    sub.add_parser("demo", help="a scripted tour through the emulator; prints the transcript")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("migrate", help="apply pending schema migrations")
    backup = db_sub.add_parser("backup", help="online backup, safe while the bot runs")
    backup.add_argument("path", type=Path)
    db_sub.add_parser("stats", help="row counts and delivery states")
    trail = db_sub.add_parser("audit", help="export the audit trail (CSV, UTF-8 with BOM)")
    trail.add_argument("--since", required=True, type=_day, help="first day, YYYY-MM-DD")
    trail.add_argument("--until", type=_day, help="last day (included), YYYY-MM-DD")
    trail.add_argument("--csv", action="store_true", help="CSV output (the only format)")
    trail.add_argument("--out", type=Path, help="write to this file instead of stdout")
    return parser


def _day(text: str) -> date:
    """A YYYY-MM-DD day on the command line."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD day: {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    """Entry point: load config and dispatch the subcommand; config errors exit 2."""
    args = _parser().parse_args(argv)
    quiet = args.command in ("console", "demo") and not args.verbose
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        if args.command == "console":
            from bot.devtools.console import run_console

            config = _console_config(args.config)
            with _sole_instance(config.db_path):
                return asyncio.run(run_console(config))
        if args.command == "demo":
            from bot.devtools.demo import run_demo

            return asyncio.run(run_demo())
        config = load_config(config_file=args.config)
        if args.command == "run":
            return run(config, args)
        return db_command(config, args)
    except ConfigError as exc:
        print(f"coordbot: configuration error: {exc}", file=sys.stderr)
        return 2
    except DatabaseFileError as exc:
        print(f"coordbot: COORDBOT_DB: {exc}; nothing was changed", file=sys.stderr)
        return 2
    except InstanceLocked as exc:
        print(
            f"coordbot: another instance ({exc.holder}) is running on this database "
            f"(COORDBOT_DB, lock file {exc.lock_path}); stop it first, or start this one "
            "with `run --standby` to take over when it stops",
            file=sys.stderr,
        )
        return EXIT_LOCKED
    except KeyboardInterrupt:
        return 130


@contextmanager
def _sole_instance(db_path: Path, standby: bool = False) -> Iterator[None]:
    """Hold the database's instance lock (waiting for it in standby), then check the file."""
    lock = InstanceLock(db_path)

    def waiting(holder: str) -> None:
        log.warning(
            "standby: another instance (%s) holds %s; waiting to take over", holder, lock.path
        )

    lock.acquire(wait=standby, on_wait=waiting)
    try:
        if standby:
            log.info("standby: the lock is free; starting")
        check_database_file(db_path)
        yield
    finally:
        lock.release()


def _console_config(config_file: Path | None) -> Config:
    import os

    env = dict(os.environ)
    env.setdefault("COORDBOT_DB", "coordbot-console.db")
    return load_config(env, config_file)


def run(config: Config, args: Any) -> int:
    """Run the bot until SIGTERM or Ctrl-C; in-flight updates finish first."""
    config.require_token()
    # `kill -USR1 <pid>` writes every thread's stack to the log: how to see where a bot that
    # does not stop is waiting, without stopping it.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    if args.standby:
        import bot.telegram.app  # noqa: F401 - loaded while waiting: the takeover is quicker
    # A second instance is refused before the Telegram stack is loaded (a third of a second).
    with _sole_instance(config.db_path, standby=args.standby):
        from bot.telegram.app import build_application

        return _run_app(build_application(config), args)


def _run_app(app: Any, args: Any) -> int:
    from telegram import Update

    app.post_init = _then_freeze_heap(app.post_init)
    if args.webhook_url:
        app.run_webhook(
            listen=args.listen,
            port=args.port,
            # Serve on the path of the public URL (a reverse proxy usually keeps it).
            url_path=urlparse(args.webhook_url).path.lstrip("/"),
            webhook_url=args.webhook_url,
            secret_token=args.secret_token,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=25)
    return 0


def _then_freeze_heap(post_init: Any) -> Any:
    """post_init, then what start-up built moved out of the cyclic collector's reach.

    Everything loaded by then (modules, handlers, catalogs, armed jobs: ~70,000 objects)
    lives as long as the process, yet each full collection walked all of it again: about
    0.05 ms an update in the throughput benchmark. Frozen, a collection walks only what
    updates allocate. Only for the real process: a test process starts many bots, whose
    frozen objects would never be collected.
    """

    async def hook(app: Any) -> None:
        if post_init is not None:
            await post_init(app)
        # The collection before freezing (so no garbage is frozen) takes ~25 ms: it runs
        # once polling has begun, not in the way of the first update.
        asyncio.get_running_loop().call_later(FREEZE_AFTER, _freeze_heap)

    return hook


FREEZE_AFTER = 1.0  # seconds after start-up


def _freeze_heap() -> None:
    gc.collect()
    gc.freeze()


def _missing_database(config: Config) -> str:
    from bot.i18n import Translator

    return "coordbot: " + Translator().get(config.locale)(
        "No database at {path}; set COORDBOT_DB to the bot's database file.",
        path=config.db_path.resolve(),
    )


def _export_audit(db: Any, config: Config, args: Any) -> int:
    """Write the audit trail of the local days since..until as CSV, to stdout or --out."""
    from bot.services.audit import export_csv

    since = datetime.combine(args.since, time(), config.tz)
    until = None
    if args.until is not None:  # the last day is included
        until = datetime.combine(args.until + timedelta(days=1), time(), config.tz)
    data = export_csv(db, since, until)
    if args.out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    try:
        args.out.write_bytes(data)
    except OSError as exc:
        print(f"coordbot: cannot write {args.out}: {exc}", file=sys.stderr)
        return 1
    return 0


def db_command(config: Config, args: Any) -> int:
    """`coordbot db migrate | backup PATH | stats | audit --since DAY [--until DAY] --csv`."""
    from storage.db import open_database
    from storage.schema import migrate
    from storage.stats import table_counts

    if args.db_command in ("stats", "backup", "audit") and not config.db_path.exists():
        # Opening it would create an empty database and report on that instead.
        print(_missing_database(config), file=sys.stderr)
        return 1
    db = open_database(config.db_path)
    try:
        if args.db_command == "migrate":
            applied = migrate(db)
            print("\n".join(applied) if applied else "schema is up to date")
        elif args.db_command == "backup":
            try:
                target = sqlite3.connect(str(args.path))
                with target:
                    # The online backup API copies a consistent snapshot while others write.
                    db.conn.backup(target)
                target.close()
            except sqlite3.Error as exc:
                print(f"coordbot: cannot write the backup to {args.path}: {exc}", file=sys.stderr)
                return 1
            check = sqlite3.connect(str(args.path)).execute("PRAGMA integrity_check").fetchone()[0]
            print(f"backup written to {args.path} (integrity: {check})")
            return 0 if check == "ok" else 1
        elif args.db_command == "audit":
            return _export_audit(db, config, args)
        else:
            migrate(db)
            for name, count in table_counts(db).items():
                print(f"{name} {count}")
    finally:
        db.close()
    return 0
