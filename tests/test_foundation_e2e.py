"""End to end through the emulator: start, help, whoami, lang, units, roles, subscriptions."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.devtools.emulator import Emulator
from storage import audit, chats, people
from tests.support.harness import (
    ADMIN,
    GROUP,
    MEMBER,
    OUTSIDER,
    STAFF,
    Harness,
    clock_of,
    running_bot,
    setup_org,
    type_org,
)


async def test_start_in_both_languages(bot: Harness) -> None:
    assert "secretariat assistant" in await bot.text(OUTSIDER, "/start")
    await bot.send(OUTSIDER, "/lang zh")
    reply = await bot.text(OUTSIDER, "/start")
    assert "秘书处助手" in reply and "无角色" in reply


async def test_help_lists_only_commands_the_role_may_use(org: Harness) -> None:
    admin_help = await org.text(ADMIN, "/help")
    member_help = await org.text(MEMBER, "/help")
    assert "/unit_add" in admin_help and "/role" in admin_help
    assert "/unit_add" not in member_help and "/units" in member_help
    detail = await org.text(MEMBER, "/help unit_add")
    assert "Usage: /unit_add &lt;CODE&gt; | &lt;name&gt;" in detail or "Usage: /unit_add" in detail
    assert "Example:" in detail


async def test_whoami(org: Harness) -> None:
    reply = await org.text(STAFF, "/whoami")
    assert "Id: 2" in reply and "Role: staff" in reply and "TECH" in reply


async def test_unit_add_refused_for_member_and_changes_nothing(org: Harness) -> None:
    reply = await org.text(MEMBER, "/unit_add X | Something")
    assert "needs the admin role" in reply
    assert people.get_unit(org.svc.db, "X") is None
    entries = audit.recent(org.svc.db, action="unit_add")
    assert entries[0].outcome == "refused: role"


async def test_unit_add_and_list(org: Harness) -> None:
    assert "Unit CSRC (证监会) added." in await org.text(ADMIN, "/unit_add csrc | 证监会")
    listing = await org.text(MEMBER, "/units")
    assert (
        "CSRC — 证监会 (0 people)" in listing
        and "TECH — Technology Supervision Bureau (1 person)" in listing
    )
    assert "already exists" in await org.text(ADMIN, "/unit_add CSRC | again")


async def test_malformed_arguments_get_usage_and_example(org: Harness) -> None:
    reply = await org.text(ADMIN, "/unit_add only-a-code")
    assert "Usage:" in reply and "Example:" in reply
    await org.send(ADMIN, "/lang zh")
    reply = await org.text(ADMIN, "/unit_add only-a-code")
    assert "用法：" in reply and "示例：" in reply


async def test_guided_conversation_asks_each_field(org: Harness) -> None:
    assert "Unit code" in await org.text(ADMIN, "/unit_add")
    assert "Unit name" in await org.text(ADMIN, "NEWU")
    assert "Unit NEWU (New unit) added." in await org.text(ADMIN, "New unit")
    assert people.get_unit(org.svc.db, "NEWU") is not None


async def test_guided_conversation_cancel(org: Harness) -> None:
    await org.send(ADMIN, "/unit_add")
    assert "Cancelled" in await org.text(ADMIN, "/cancel")
    assert "Nothing to cancel" in await org.text(ADMIN, "/cancel")


async def test_role_by_username_and_as_reply(org: Harness) -> None:
    await org.send(OUTSIDER, "/start")
    assert "is now member" in await org.text(ADMIN, "/role @otto member BJ")
    assert people.get_person(org.svc.db, OUTSIDER).role == "member"  # type: ignore[union-attr]
    msg = org.emu.send_message(user_id=OUTSIDER, chat_id=GROUP, text="hello all")
    reply = await org.text(
        ADMIN, "/role staff TECH", chat=GROUP, reply_to_message_id=msg["message"]["message_id"]
    )
    assert "is now staff of Technology Supervision Bureau (TECH)" in reply
    person = people.get_person(org.svc.db, OUTSIDER)
    assert person is not None and person.role == "staff" and person.unit_code == "TECH"


async def test_role_refusals(org: Harness) -> None:
    assert "needs the admin role" in await org.text(STAFF, "/role 3 admin")
    assert "Unknown unit" in await org.text(ADMIN, "/role 3 staff NOPE")
    assert "don't know @ghost" in await org.text(ADMIN, "/role @ghost member")
    assert "Usage:" in await org.text(ADMIN, "/role 3 emperor")
    assert people.get_person(org.svc.db, MEMBER).role == "member"  # type: ignore[union-attr]


async def test_members_list(org: Harness) -> None:
    listing = await org.text(MEMBER, "/members")
    assert "Sam" in listing and "TECH" in listing and "staff" in listing


async def test_subscribe_in_group_only_by_admin(org: Harness) -> None:
    assert "group chat" in await org.text(ADMIN, "/subscribe")
    assert "needs the admin role" in await org.text(STAFF, "/unsubscribe meetings", chat=GROUP)
    assert "bulletins, disclosures" in await org.text(ADMIN, "/unsubscribe meetings", chat=GROUP)
    assert chats.topics_of(org.svc.db, GROUP) == ["bulletins", "disclosures"]
    assert "Usage:" in await org.text(ADMIN, "/subscribe weather", chat=GROUP)


async def test_lang_in_group_needs_admin(org: Harness) -> None:
    assert "needs the admin role" in await org.text(MEMBER, "/lang zh", chat=GROUP)
    assert "本聊天现在使用中文" in await org.text(ADMIN, "/lang zh", chat=GROUP)
    assert "抱歉" in await org.text(MEMBER, "/unit_add A | b", chat=GROUP)


async def test_unknown_command(org: Harness) -> None:
    assert "Unknown command /frobnicate" in await org.text(MEMBER, "/frobnicate")
    assert await org.send(MEMBER, "/frobnicate@some_other_bot", chat=GROUP) == []


async def test_redelivered_command_acts_once(org: Harness) -> None:
    update = org.emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="/unit_add DUP | Dup")
    await org.probe.wait(update["update_id"])
    # The same message delivered again (as after a crash before the offset was confirmed).
    again = org.emu.redeliver(update["update_id"])
    await org.probe.wait(again["update_id"])
    assert len(audit.recent(org.svc.db, action="unit_add")) == 1
    assert sum("Unit DUP" in str(c.params.get("text")) for c in org.emu.calls("sendMessage")) == 1


async def test_commands_published_in_both_languages(bot: Harness) -> None:
    calls = bot.emu.calls("setMyCommands")
    langs = {c.params.get("language_code") for c in calls}
    assert {None, "zh"} <= langs
    zh = next(c for c in calls if c.params.get("language_code") == "zh")
    assert any(cmd["description"] == "登记成员单位" for cmd in zh.params["commands"])


@pytest.mark.parametrize("text", ["<b>bold</b> & <script>", "x" * 5000])
async def test_hostile_unit_name_is_escaped_and_clipped(org: Harness, text: str) -> None:
    reply = await org.text(ADMIN, f"/unit_add EVIL | {text}")
    assert "<script>" not in reply


ORG_TABLES = ("people", "units", "chats", "subscriptions", "evaluators")
INSTANTS = {"first_seen", "last_seen", "created_at"}


def org_rows(h: Harness) -> dict[str, list[dict[str, object]]]:
    """The organisation's rows, every column but the instants they were written at."""
    return {
        table: [
            {k: v for k, v in row.items() if k not in INSTANTS}
            for row in h.svc.db.query(f"SELECT * FROM {table} ORDER BY 1, 2")  # noqa: S608 - constants
        ]
        for table in ORG_TABLES
    }


async def test_the_seeded_organisation_is_the_typed_one(emu: Emulator, tmp_path: Path) -> None:
    """The `org` fixture writes its rows directly; typing its commands leaves the same."""
    (tmp_path / "typed").mkdir()
    (tmp_path / "seeded").mkdir()
    async with running_bot(emu, tmp_path / "typed") as typed:
        await type_org(typed)
        by_commands = org_rows(typed)
    async with running_bot(emu, tmp_path / "seeded") as seeded:
        await setup_org(seeded)
        assert org_rows(seeded) == by_commands
    assert len(by_commands["people"]) == 5 and len(by_commands["subscriptions"]) == 3


async def test_plain_messages_to_the_bot_are_answered_never_dropped(porg: Harness) -> None:
    assert "Send /help" in await porg.text(STAFF, "hello bot")  # private: told what works
    assert await porg.send(STAFF, "hello all", chat=GROUP) == []  # a group: people's chat
    assert "answer each question" in await porg.text(ADMIN, "/unit_add")
    clock = clock_of(porg)
    clock.set(clock.now() + timedelta(minutes=16))
    late = await porg.text(ADMIN, "LATE")
    assert "/unit_add form closed after 15 minutes" in late and "nothing changed" in late
    assert people.get_unit(porg.svc.db, "LATE") is None
    assert "Send /help" in await porg.text(ADMIN, "LATE")  # the form is gone
    await porg.send(ADMIN, "/lang zh")
    assert "本助手只处理命令" in await porg.text(ADMIN, "你好")
