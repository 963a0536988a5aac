"""Guided forms survive restarts: their state is in SQLite, each answer counted once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.devtools.emulator import Emulator
from storage import chats, forms, people, projects
from storage.db import open_database, transaction
from storage.schema import migrate
from tests.support.harness import ADMIN, GROUP, MEMBER, Harness
from tests.support.process import BotProcess

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = open_database(tmp_path / "f.db")
    migrate(database)
    chats.touch_chat(database, 7, "private", "", NOW)
    chats.touch_chat(database, -5, "group", "G", NOW)
    return database


def test_form_rows_per_chat_and_person(db: Database) -> None:
    forms.start(db, 7, 7, "unit_add", 10, NOW)
    forms.start(db, -5, 7, "progress", 3, NOW)
    form = forms.get(db, 7, 7)
    assert form is not None and form.command == "unit_add" and form.answers == ()
    form = forms.answer(db, form, "CODE 一", 11, NOW + timedelta(minutes=1))
    again = forms.get(db, 7, 7)
    assert again == form and again.answers == ("CODE 一",) and again.last_message_id == 11
    assert not again.expired(NOW + timedelta(minutes=16))
    assert again.expired(NOW + timedelta(minutes=17))
    forms.start(db, 7, 7, "meeting_new", 12, NOW)  # a new form replaces the open one
    assert (replaced := forms.get(db, 7, 7)) and replaced.answers == ()
    assert forms.close(db, 7, 7) and not forms.close(db, 7, 7)
    assert forms.get(db, -5, 7) is not None  # the group's form is separate


def test_forms_follow_a_group_to_its_supergroup_and_old_ones_are_purged(db: Database) -> None:
    forms.start(db, -5, 8, "progress", 3, NOW)
    with transaction(db):
        chats.migrate_chat(db, -5, -1005, NOW)
    assert forms.get(db, -1005, 8) is not None
    forms.start(db, 7, 7, "unit_add", 1, NOW + timedelta(hours=1))  # purges stale forms
    assert forms.get(db, -1005, 8) is None


async def test_a_redelivered_answer_is_taken_once(org: Harness) -> None:
    assert "Unit code" in await org.text(ADMIN, "/unit_add")
    update = org.emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="ONCE")
    await org.probe.wait(update["update_id"])
    again = org.emu.redeliver(update["update_id"])  # as after a crash before confirming
    await org.probe.wait(again["update_id"])
    assert "Unit ONCE (Only once) added." in await org.text(ADMIN, "Only once")
    assert "Cancelled." not in await org.text(ADMIN, "/cancel")
    # Another person's form in the group does not take this person's messages.
    assert "Project code" in await org.text(ADMIN, "/progress", chat=GROUP)
    await org.send(MEMBER, "chatting in the group", chat=GROUP)
    form = forms.get(org.svc.db, GROUP, ADMIN)
    assert form is not None and form.answers == ()
    assert "Cancelled." in await org.text(ADMIN, "/cancel", chat=GROUP)


async def test_a_crash_between_the_command_and_closing_the_form(
    org: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await org.text(ADMIN, "/unit_add")
    await org.text(ADMIN, "CRASH")
    real_close = forms.close

    def crash(*args: object) -> bool:
        raise RuntimeError("killed before the form was closed")

    monkeypatch.setattr(forms, "close", crash)
    final = org.emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="Crash unit")
    await org.probe.wait(final["update_id"])
    monkeypatch.setattr(forms, "close", real_close)
    # Redelivered (the crash came before it was confirmed): the command does not act twice.
    before = org.emu.last_seq
    again = org.emu.redeliver(final["update_id"])
    await org.probe.wait(again["update_id"])
    assert not [c for c in org.emu.calls("sendMessage", ADMIN, before) if "CRASH" in str(c.params)]
    assert forms.get(org.svc.db, ADMIN, ADMIN) is None
    # Not redelivered: the next message closes the finished form and is not an answer.
    await org.text(ADMIN, "/unit_add")
    await org.text(ADMIN, "LATE")
    monkeypatch.setattr(forms, "close", crash)
    await org.send(ADMIN, "Late unit")
    monkeypatch.setattr(forms, "close", real_close)
    answers = await org.send(ADMIN, "just chatting")
    # (The simulated crash is reported to the admins, who include this user: not an answer.)
    assert [c for c in answers if "Unexpected error" not in str(c.params.get("text"))] == []
    assert forms.get(org.svc.db, ADMIN, ADMIN) is None
    assert [u.code for u in people.list_units(org.svc.db)].count("LATE") == 1


async def _say(emu: Emulator, text: str, expect: str) -> str:
    before = emu.last_seq
    emu.send_message(user_id=ADMIN, chat_id=ADMIN, text=text)
    (reply,) = await emu.wait_for(
        lambda c: expect in str(c.params.get("text")), since_seq=before, timeout=15
    )
    return str(reply.params["text"])


@pytest.mark.slow(2)
async def test_a_form_continues_across_sigkill_and_sigterm(emu: Emulator, tmp_path: Path) -> None:
    bot = BotProcess(emu, tmp_path / "form.db", tmp_path / "bot.log", COORDBOT_ADMINS=str(ADMIN))
    await bot.start()
    try:
        await _say(emu, "/unit_add", "Unit code")
        await _say(emu, "RST", "Unit name")
        bot.kill()
        await bot.start()
        await _say(emu, "Restarted unit", "Unit RST (Restarted unit) added.")
        await _say(emu, "/project_add", "Project code")
        await _say(emu, "RST-01", "Project name")
        assert await bot.terminate() == 0
        await bot.start()
        await _say(emu, "Survives a deploy", "Category")
        await _say(emu, "tech", "Lead institution")
        await _say(emu, "Example Securities", "Batch")
        await _say(emu, "-", "Region")
        await _say(emu, "-", "RST-01")
    finally:
        bot.kill()
    db = open_database(tmp_path / "form.db")
    assert people.get_unit(db, "RST") is not None
    project = projects.get_project(db, "RST-01")
    assert project is not None and project.name == "Survives a deploy"
