"""Edited and forwarded messages never run commands.

An edit is not a new instruction: running it would act twice (or act on a message that was
plain text when people read it). A forwarded command was written by someone else, so it must
not run with the forwarder's rights.
"""

from __future__ import annotations

from typing import Any

from storage import people
from tests.support.harness import ADMIN, GROUP, MEMBER, OUTSIDER, SEND_METHODS, Harness

NOT_APPLIED = "Edits are not applied"


async def edit(h: Harness, user: int, chat: int, message_id: int, text: str) -> list[Any]:
    """Edit a message as its author and return what the bot sent while handling it."""
    before = h.emu.last_seq
    update = h.emu.edit_message(user, chat, message_id, text)
    await h.probe.wait(update["update_id"])
    return [c for c in h.emu.calls() if c.seq > before and c.method in SEND_METHODS]


async def forward(h: Harness, user: int, text: str, author: int, chat: int) -> list[Any]:
    """Forward another person's message into a chat and return what the bot sent."""
    before = h.emu.last_seq
    update = h.emu.forward_message(user, text, author, chat)
    await h.probe.wait(update["update_id"])
    return [c for c in h.emu.calls() if c.seq > before and c.method in SEND_METHODS]


def texts(calls: list[Any]) -> str:
    return "\n".join(str(c.params.get("text")) for c in calls)


async def test_plain_text_edited_into_a_command_does_not_run(org: Harness) -> None:
    (sent,) = [org.emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="note to self")]
    await org.probe.wait(sent["update_id"])
    answer = await edit(org, ADMIN, ADMIN, sent["message"]["message_id"], "/unit_add ED | Edited")
    assert NOT_APPLIED in texts(answer) and "send it again" in texts(answer)
    assert people.get_unit(org.svc.db, "ED") is None


async def test_an_edited_command_is_answered_not_rerun(org: Harness) -> None:
    (done,) = [org.emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="/unit_add ED1 | First")]
    await org.probe.wait(done["update_id"])
    mid = done["message"]["message_id"]
    answer = await edit(org, ADMIN, ADMIN, mid, "/unit_add ED1 | Second name")
    assert NOT_APPLIED in texts(answer)
    unit = people.get_unit(org.svc.db, "ED1")
    assert unit is not None and unit.name == "First"
    # A read command edited into another is not run either, in the chat's language.
    await org.send(MEMBER, "/lang zh")
    (units,) = [org.emu.send_message(user_id=MEMBER, chat_id=MEMBER, text="/units")]
    await org.probe.wait(units["update_id"])
    answer = await edit(org, MEMBER, MEMBER, units["message"]["message_id"], "/whoami")
    assert len(answer) == 1 and "编辑" in texts(answer) and "Id:" not in texts(answer)


async def test_edits_of_plain_text_and_form_answers_are_ignored(org: Harness) -> None:
    (chat,) = [org.emu.send_message(user_id=MEMBER, chat_id=GROUP, text="see you at 3")]
    await org.probe.wait(chat["update_id"])
    assert await edit(org, MEMBER, GROUP, chat["message"]["message_id"], "see you at 4") == []
    assert "Unit code" in await org.text(ADMIN, "/unit_add")
    (code,) = [org.emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="FORM1")]
    await org.probe.wait(code["update_id"])
    # Editing an answer already given neither answers the next question nor repeats it.
    assert await edit(org, ADMIN, ADMIN, code["message"]["message_id"], "FORM2") == []
    assert "Unit FORM1 (Made by form) added." in await org.text(ADMIN, "Made by form")
    assert people.get_unit(org.svc.db, "FORM2") is None


async def test_edited_command_in_an_unsubscribed_group_stays_silent(bot: Harness) -> None:
    (sent,) = [bot.emu.send_message(user_id=OUTSIDER, chat_id=GROUP, text="hi")]
    await bot.probe.wait(sent["update_id"])
    assert await edit(bot, OUTSIDER, GROUP, sent["message"]["message_id"], "/units") == []


async def test_forwarded_commands_do_not_run_with_the_forwarders_rights(org: Harness) -> None:
    # The admin forwards a member's message: in private, a short answer and nothing done.
    answer = await forward(org, ADMIN, "/unit_add FWD | Forwarded", MEMBER, ADMIN)
    assert "forwarded commands" in texts(answer)
    assert people.get_unit(org.svc.db, "FWD") is None
    # In a group, forwarding a message that quotes a command is ordinary: no answer.
    assert await forward(org, ADMIN, "/unit_add FWD2 | Forwarded", MEMBER, GROUP) == []
    assert people.get_unit(org.svc.db, "FWD2") is None
    # Forwarded plain text still works as an answer in a guided form (it is the sender's
    # own choice of words, like pasting).
    await org.text(ADMIN, "/unit_add")
    await org.text(ADMIN, "FWD3")
    answer = await forward(org, ADMIN, "Forwarded name", MEMBER, ADMIN)
    assert "Unit FWD3 (Forwarded name) added." in texts(answer)
