"""Every user-controlled string is escaped in every message, edit and caption.

The cast here has names and a group title full of HTML; the emulator refuses (400, as
Telegram does) any text that is not valid Telegram HTML, so each flow below fails loudly if
one name or title slips through unescaped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from bot.render.text import CAPTION_LIMIT, clip_html, plain_text
from tests.support.harness import (
    ADMIN,
    GROUP,
    MEMBER,
    OUTSIDER,
    STAFF,
    STAFF2,
    Harness,
    buttons_of,
    running_bot,
)
from tests.support.projects import T0, org_setup, scheduled_draft

HOSTILE = {
    ADMIN: ("Li <Sec>", "& Co"),
    STAFF: ("<b>Sam", "</i>"),
    MEMBER: ("Mei &amp;", None),
    OUTSIDER: ("Otto <a href='x'>", None),
    STAFF2: ("Li & <>", None),
}


@pytest.fixture
async def hostile(emu: Emulator, tmp_path: Path) -> AsyncIterator[Harness]:
    """The standard organisation, every person and the group named with HTML."""
    for user, (first, last) in HOSTILE.items():
        emu.state.users[user].first_name = first
        emu.state.users[user].last_name = last
    emu.state.chats[GROUP].title = '<Pilot & "group">'
    async with running_bot(emu, tmp_path, FixedClock(T0)) as h:
        await org_setup(h)
        yield h


def refused(emu: Emulator) -> list[Any]:
    """Every request the emulator refused as invalid HTML."""
    return [c for c in emu.calls() if not c.ok and "parse entities" in str(c.error)]


async def test_approve_edit_escapes_the_pressers_name(hostile: Harness) -> None:
    ask = await scheduled_draft(hostile)
    approve, _hold = buttons_of(ask)
    calls = await hostile.press(ADMIN, ADMIN, ask.result["message_id"], approve)
    edit = next(c for c in calls if c.method == "editMessageText")
    assert edit.ok, edit.error
    assert "Approved by Li &lt;Sec&gt; &amp; Co" in edit.params["text"]
    # The edit removed the buttons; the toast is plain text, so it shows the name as typed.
    assert "reply_markup" not in hostile.emu.chat_messages(ADMIN)[-1]
    toast = next(c for c in calls if c.method == "answerCallbackQuery")
    assert "Approved by Li <Sec> & Co" in toast.params["text"]
    assert refused(hostile.emu) == []


async def test_hold_edit_escapes_the_pressers_name(hostile: Harness) -> None:
    ask = await scheduled_draft(hostile)
    _approve, hold = buttons_of(ask)
    calls = await hostile.press(ADMIN, ADMIN, ask.result["message_id"], hold)
    edit = next(c for c in calls if c.method == "editMessageText")
    assert edit.ok and "Held by Li &lt;Sec&gt; &amp; Co" in edit.params["text"]
    assert refused(hostile.emu) == []


async def test_names_and_titles_everywhere_are_accepted(hostile: Harness) -> None:
    h = hostile
    await h.send(ADMIN, "/evaluator @mei on")
    await h.send(ADMIN, "/stage BJ-02 evaluation")
    await h.send(MEMBER, "/evaluate BJ-02 | 4 | 4 | 4 | 4 | <ok> & fine")
    await h.send(ADMIN, "/meeting_new joint | 2027-03-10 14:00 | <Q1> & joint | <room 3>")
    (card,) = await h.send(MEMBER, "/meeting 1", chat=GROUP)
    await h.press(MEMBER, GROUP, card.result["message_id"], buttons_of(card)[0])
    await h.send(STAFF, "/agenda_add 1 | <Rules> & more | BJ-01 | 20")
    await h.send(ADMIN, "/action 1 @sam | 2027-03-20 | <draft> & send")
    for user, text in [
        (ADMIN, "/whoami"),
        (ADMIN, "/members"),
        (ADMIN, "/evaluation BJ-02"),
        (MEMBER, "/agenda 1"),
        (MEMBER, "/minutes 1"),
        (MEMBER, "/actions all"),
        (STAFF, "/start"),
        (ADMIN, "/bulletin"),
        (ADMIN, "/ics 1"),
    ]:
        await h.send(user, text)  # Harness.send asserts the emulator accepted every answer
    # The bot removed from, then added by a non-admin to, the hostile-titled group.
    since = h.emu.last_seq
    h.emu.remove_bot_from_group(GROUP, OUTSIDER)
    await h.emu.wait_for(lambda c: c.chat_id == ADMIN, since_seq=since, timeout=10)
    update = h.emu.add_bot_to_group(GROUP, OUTSIDER)
    await h.probe.wait(update["update_id"])
    assert refused(h.emu) == []


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short &amp; sweet", 100, "short &amp; sweet"),
        ("ab &amp; cd", 5, "ab …"),
        ("<b>bold text</b> and more", 12, "bold tex…"),
        ("x" * 10, 10, "x" * 10),
        ("粗" * 10, 6, "粗" * 5 + "…"),
    ],
)
def test_clip_html_never_cuts_an_entity_or_leaves_a_tag_open(
    text: str, limit: int, expected: str
) -> None:
    assert clip_html(text, limit) == expected


def test_plain_text_for_toasts() -> None:
    assert plain_text("<b>Li &lt;Sec&gt; &amp; Co</b>") == "Li <Sec> & Co"
    assert CAPTION_LIMIT == 1024
