"""The console, driven line by line: a bad :user is refused with a hint, files are saved and
their path printed, the bot's @username is shown, and what the bot sends arrives on screen
without another command; `coordbot db stats` on a missing file says so."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot

from bot.cli import main
from bot.config import Config
from bot.devtools.console import GROUP, Session, open_console, run_console


@pytest.fixture
async def console(tmp_path: Path) -> AsyncIterator[Session]:
    """A console on a fresh database, printing into a buffer."""
    async with open_console(Config(db_path=tmp_path / "console.db"), io.StringIO()) as session:
        yield session


def output(session: Session) -> str:
    """Everything the console printed so far."""
    return str(session.out.getvalue())


async def printed(session: Session, text: str, after: int = 0) -> str:
    """Wait until the console has printed `text` (after character `after`); the new output."""
    async with asyncio.timeout(5):
        while text not in output(session)[after:]:
            session.printed.clear()
            await session.printed.wait()
    return output(session)[after:]


async def test_banner_names_the_bot_and_the_files_folder(console: Session) -> None:
    assert "The bot is @coordbot_test_bot." in output(console)
    assert f"Files it sends are saved in {console.files}." in output(console)


async def test_unknown_user_is_refused_with_a_hint(console: Session) -> None:
    for line in (":user 3", ":user", ":user x"):
        start = len(output(console))
        assert await console.handle(line)
        assert "Type :user 1 to be Ada (admin) or :user 2 to be Sam" in output(console)[start:]
        assert console.user == 1
    await console.handle(":user 2")
    assert console.user == 2 and "You are now Sam (no role yet), in the group." in output(console)
    start = len(output(console))
    await console.handle(":private")
    await console.handle("/whoami")
    assert "bot → Sam's private chat:" in await printed(console, "bot →", start)
    assert "Unknown console command :nope" in (await console.handle(":nope"), output(console))[1]
    assert not await console.handle(":quit")


async def test_files_are_saved_and_their_path_printed(console: Session) -> None:
    await console.handle(":private")
    await console.handle("/meeting_new joint | 2030-01-08 15:00 | Q1 joint | Room 1")
    start = len(output(console))
    await console.handle("/ics 1")
    assert console.files is not None
    saved = console.files / "meeting-1.ics"
    shown = await printed(console, "saved to", start)
    assert "[file meeting-1.ics]" in shown and f"saved to {saved}" in shown
    (call,) = console.emu.calls(method="sendDocument")
    assert saved.read_bytes() == console.emu.file_bytes(call.result["document"]["file_id"])


async def test_what_the_bot_sends_arrives_without_another_command(console: Session) -> None:
    console.prompt = console.current_prompt()  # someone is at the prompt, typing nothing
    start = len(output(console))
    async with Bot("1000:offline-console", base_url=console.emu.base_url) as bot:
        await bot.send_message(GROUP, "Reminder: the joint meeting starts in 1 hour.")
    shown = await printed(console, "starts in 1 hour", start)
    assert shown.startswith("\nbot → the group:\n  Reminder:")
    assert shown.endswith("[Ada in the group] > ")  # the prompt is shown again
    # A notice queued by a command (the agenda pushed to the subscribed group) also shows.
    console.prompt = ""
    await console.handle("/subscribe")
    await console.handle(":private")
    await console.handle("/meeting_new joint | 2030-01-08 15:00 | Q1 joint | Room 1")
    await console.handle("/agenda_add 1 | Exit rules")
    start = len(output(console))
    await console.handle("/agenda_publish 1")
    assert "Exit rules" in (await printed(console, "bot → the group:", start)).split("group:")[1]


async def test_console_reads_until_quit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = iter([":user 7", ":quit"])

    async def read(prompt: str) -> str:
        return next(lines)

    assert await run_console(Config(db_path=tmp_path / "c.db"), read) == 0
    assert "There is no user 7 here." in capsys.readouterr().out


def test_db_stats_on_a_missing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.db"
    monkeypatch.setenv("COORDBOT_DB", str(missing))
    assert main(["db", "stats"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"No database at {missing}" in err
    assert main(["db", "backup", str(tmp_path / "copy.db")]) == 1
    assert not missing.exists() and not (tmp_path / "copy.db").exists()
    assert main(["db", "migrate"]) == 0 and main(["db", "stats"]) == 0
    assert "outbox" in capsys.readouterr().out
