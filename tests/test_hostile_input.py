"""Hostile and broken input at every command and every guided form (hypothesis).

The bot must never crash, must answer every command with a message Telegram accepts
(the emulator refuses invalid HTML and over-long text), and a refused command must change
nothing.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.telegram.registry import all_commands
from tests.support.examples import examples
from tests.support.harness import ADMIN, GROUP, MEMBER, OUTSIDER
from tests.support.threaded import ThreadedBot

COMMANDS = sorted(spec.name for spec in all_commands())
# The longest message Telegram delivers: nobody can send the bot more than this.
LONGEST = 4096
GENERIC_ERROR = "Something went wrong"
# Tables whose rows record the attempt itself rather than programme data.
BOOKKEEPING = {"audit", "people", "chats", "outbox", "_sqlite_migrations", "settings"}

nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        [
            "<b>unclosed",
            "</i>",
            "<script>alert(1)</script>",
            "&amp;&lt;&#0;&bogus;",
            "| | | | |",
            "|",
            "\x00\x01\x02\x1b[31m",
            "\u202e\u200b\ufeff",
            "@ghost staff NOPE",
            "-1 | -1 | -1",
            "99999999999999999999999",
            "🎉" * 500,
            "2026-13-45 25:99",
            "#major #risk closes #999999",
        ]
    ),
)


class ProgrammeState:
    """A digest of every programme table (not the bookkeeping ones), read over one connection
    kept open: a new connection and schema read per example cost a fifth of the test's time."""

    def __init__(self, db_path: Path) -> None:
        self.conn = sqlite3.connect(db_path, check_same_thread=False)
        self.tables = [
            name
            for (name,) in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
            )
            if name not in BOOKKEEPING and not name.startswith("sqlite_")
        ]
        assert "projects" in self.tables and "meetings" in self.tables

    def __call__(self) -> str:
        """The digest now (each SELECT sees the latest commit: WAL, autocommit)."""
        digest = hashlib.sha256()
        for name in self.tables:
            for row in self.conn.execute(f'SELECT * FROM "{name}" ORDER BY 1'):  # noqa: S608 - names from sqlite_master
                digest.update(repr(row).encode())
        return digest.hexdigest()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadedBot]:
    bot = ThreadedBot(tmp_path_factory.mktemp("hostile"))
    bot.start()
    bot.send(ADMIN, "/unit_add TECH | Tech")
    bot.send(ADMIN, "/role 3 member TECH")
    bot.send(ADMIN, "/subscribe", chat=GROUP)
    yield bot
    bot.stop()


@pytest.fixture(scope="module")
def programme_state(live: ThreadedBot) -> Iterator[ProgrammeState]:
    state = ProgrammeState(live.db_path)
    yield state
    state.conn.close()


def check_answers(calls: list, limit: int = 4096) -> None:
    assert calls, "no answer"
    for call in calls:
        assert call.ok, f"Telegram would refuse: {call.error}"
        text = str(call.params.get("text") or call.params.get("caption") or "")
        assert GENERIC_ERROR not in text, "a handler crashed"
        assert len(text) <= limit


def test_the_programme_digest_sees_a_change(
    live: ThreadedBot, programme_state: ProgrammeState
) -> None:
    """The check below can fail: a command that does change programme data changes it."""
    before = programme_state()
    check_answers(live.send(ADMIN, "/unit_add HX | Hostile check"))
    assert programme_state() != before


@pytest.mark.slow(7)
@settings(max_examples=examples(300), deadline=None, suppress_health_check=list(HealthCheck))
@given(
    command=st.sampled_from(COMMANDS),
    args=nasty_text,
    user=st.sampled_from([ADMIN, MEMBER, OUTSIDER]),
)
@example(command="unit_add", args="x" * (LONGEST - len("/unit_add ")), user=ADMIN)
@example(command="help", args="<b>" * ((LONGEST - len("/help ")) // 3), user=MEMBER)
def test_any_command_with_any_arguments(
    live: ThreadedBot, programme_state: ProgrammeState, command: str, args: str, user: int
) -> None:
    before = programme_state()
    calls = live.send(user, f"/{command} {args}")
    check_answers(calls)
    replies = " ".join(str(c.params.get("text")) for c in calls)
    if "Usage:" in replies or "needs the" in replies or "Sorry" in replies:
        assert programme_state() == before, "a refused command changed programme data"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_survives_hostile_arguments(
    live: ThreadedBot, programme_state: ProgrammeState, command: str
) -> None:
    longest = "x" * (LONGEST - len(command) - 2)
    for args in ("<i>&</i>\x00 | \u202e | " + "9" * 40, "| |", longest):
        before = programme_state()
        calls = live.send(ADMIN, f"/{command} {args}")
        check_answers(calls)  # every command answers, and Telegram accepts the answer
        text = " ".join(str(c.params.get("text")) for c in calls)
        if "Usage:" in text:
            assert programme_state() == before


@pytest.mark.slow(4)
@settings(max_examples=examples(60), deadline=None, suppress_health_check=list(HealthCheck))
@given(
    command=st.sampled_from([s.name for s in all_commands() if s.fields]),
    answers=st.lists(nasty_text, min_size=1, max_size=6),
)
def test_guided_forms_survive_any_answers(
    live: ThreadedBot, command: str, answers: list[str]
) -> None:
    check_answers(live.send(ADMIN, f"/{command}"))
    for answer in answers:
        calls = live.send(ADMIN, answer if answer.strip() and not answer.startswith("/") else "-")
        for call in calls:
            assert call.ok and GENERIC_ERROR not in str(call.params.get("text"))
    live.send(ADMIN, "/cancel")


@pytest.mark.parametrize(
    "text",
    [
        "/progress_undo 99999999999999999999999",
        "/progress_edit ² fixed",
        "/done A99999999999999999999",
        "/meeting ١٢",
        "/agenda_move 1 1 ³",
        "/role 99999999999999999999999 member",
        "/evaluate BJ-01 | ² | 3 | 3 | 3",
    ],
)
def test_numbers_users_type_never_overflow(live: ThreadedBot, text: str) -> None:
    check_answers(live.send(ADMIN, text))
