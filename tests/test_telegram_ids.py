"""Telegram ids as people type them: ten-digit (and up to 52-bit) user ids, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.devtools.emulator import Emulator
from bot.telegram.commands import parse_number, parse_telegram_id
from storage import evaluations, people
from tests.support.harness import ADMIN, GROUP, running_bot

BIG = 6_123_456_789  # most accounts made since 2021 have ten-digit ids
HUGE = 2**52 - 1  # Telegram: ids have at most 52 significant bits


@pytest.mark.parametrize(
    ("text", "chat", "expected"),
    [
        ("6123456789", False, BIG),
        (str(HUGE), False, HUGE),
        ("1", False, 1),
        ("0", False, None),
        ("-5", False, None),
        ("9" * 17, False, None),
        (str(2**53), False, None),
        ("²", False, None),
        ("٦١٢٣", False, None),
        ("-1001234567890", True, -1001234567890),
        ("6123456789", True, BIG),
        ("-", True, None),
        ("-0", True, None),
    ],
)
def test_parse_telegram_id(text: str, chat: bool, expected: int | None) -> None:
    assert parse_telegram_id(text, chat=chat) == expected


def test_row_numbers_keep_their_overflow_guard() -> None:
    assert parse_number("123456789") == 123456789
    assert parse_number("6123456789") is None


def test_admins_from_config_accept_ten_digit_ids_and_refuse_odd_digits(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    config = load_config({"COORDBOT_ADMINS": f"{BIG}, {HUGE}", "COORDBOT_DB": db})
    assert config.admins == (BIG, HUGE)
    for bad in ("12,²", "-7", str(2**60)):
        with pytest.raises(ConfigError, match="COORDBOT_ADMINS"):
            load_config({"COORDBOT_ADMINS": bad, "COORDBOT_DB": db})


async def test_ten_digit_ids_get_roles_and_evaluator_end_to_end(
    emu: Emulator, tmp_path: Path
) -> None:
    boss, newcomer, other = 5_987_654_321, BIG, 7_000_000_001
    emu.add_user(boss, "Bo", username="bo")
    emu.add_user(newcomer, "Nia")
    emu.add_user(other, "Ola")
    emu.add_group(GROUP, "Pilot group", members=[ADMIN, boss, newcomer, other], admins=[ADMIN])
    async with running_bot(emu, tmp_path, admins=(ADMIN, boss)) as h:
        await h.send(boss, "/start")
        await h.send(boss, "/unit_add BJ | Beijing Bureau")
        await h.send(boss, "/subscribe", chat=GROUP)
        reply = await h.text(boss, f"/role {newcomer} member BJ")
        assert "is now member of Beijing Bureau (BJ)" in reply
        who = await h.text(newcomer, "/whoami")
        assert f"Id: {newcomer}" in who and "Role: member" in who
        # As a reply to the person's message in the group, for both commands.
        (hello,) = [emu.send_message(user_id=other, chat_id=GROUP, text="hello all")]
        await h.probe.wait(hello["update_id"])
        mid = hello["message"]["message_id"]
        reply = await h.text(boss, "/role staff BJ", chat=GROUP, reply_to_message_id=mid)
        assert f"{other} is now staff of Beijing Bureau (BJ)" in reply
        assert (p := people.get_person(h.svc.db, other)) and p.role == "staff"
        reply = await h.text(boss, "/evaluator on", chat=GROUP, reply_to_message_id=mid)
        assert f"{other} is an evaluator" in reply
        assert "Nia is an evaluator" in await h.text(boss, f"/evaluator {newcomer} on")
        assert evaluations.is_evaluator(h.svc.db, newcomer)
        assert evaluations.is_evaluator(h.svc.db, other)
        # Too large for a Telegram id: the usage line, nothing stored.
        assert "Usage:" in await h.text(boss, f"/role {2**60} member BJ")
        assert people.get_person(h.svc.db, 2**60) is None
        # A guided form takes the ten-digit id too.
        await h.send(boss, "/role")
        await h.send(boss, str(newcomer))
        await h.send(boss, "admin")
        assert "Nia is now admin" in await h.text(boss, "-")
        # Replying to the bot's own message does not give the bot a role.
        (sent,) = await h.send(boss, "/units", chat=GROUP)
        reply = await h.text(
            boss, "/role member", chat=GROUP, reply_to_message_id=sent.result["message_id"]
        )
        assert "Usage:" in reply
        assert people.get_person(h.svc.db, emu.state.bot.id) is None
