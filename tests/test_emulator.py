"""Tests for the local Bot API emulator, exercised through the real python-telegram-bot stack."""

from __future__ import annotations

import asyncio
import datetime as dtm
import html
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from bot.devtools.emulator import Emulator, EmulatorClient
from bot.devtools.emulator.html_check import HtmlError, parse_html

ALICE, BOB, GROUP = 101, 102, -100123
ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    e = Emulator()
    await e.start()
    e.add_user(ALICE, "Alice", username="alice", language_code="zh")
    e.add_user(BOB, "Bob")
    e.add_group(GROUP, "Pilot group", type="group", members=[ALICE, BOB], admins=[ALICE])
    yield e
    await e.stop()


@pytest.fixture
async def bot(emu: Emulator) -> AsyncIterator[Bot]:
    b = Bot(token="123:ABC", base_url=emu.base_url)
    await b.initialize()
    yield b
    await b.shutdown()


def keyboard(*datas: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in datas]])


def secs(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def test_get_me_and_unknown_method(emu: Emulator, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (1000, "coordbot_test_bot", True)
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    assert emu.calls("noSuchMethod")[0].error == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(424242, "hi")


async def test_send_and_edit_html_with_keyboard(emu: Emulator, bot: Bot) -> None:
    msg = await bot.send_message(
        GROUP,
        "<b>Hi</b> &lt;all&gt; 你好",
        parse_mode="HTML",
        reply_markup=keyboard("m:1:a", "m:1:b"),
    )
    assert msg.text == "Hi <all> 你好"
    assert [(e.type, e.offset, e.length) for e in msg.entities] == [("bold", 0, 2)]
    assert msg.reply_markup is not None
    assert msg.reply_markup.inline_keyboard[0][1].callback_data == "m:1:b"
    assert msg.from_user is not None and msg.from_user.id == 1000
    call = emu.calls("sendMessage")[0]
    assert call.params["text"] == "<b>Hi</b> &lt;all&gt; 你好"
    assert call.params["chat_id"] == GROUP and call.chat_id == GROUP
    assert call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "m:1:a"

    edited = await bot.edit_message_text("<i>Done</i>", GROUP, msg.message_id, parse_mode="HTML")
    assert isinstance(edited, type(msg)) and edited.text == "Done"
    assert edited.edit_date is not None and edited.reply_markup is None
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("<i>Done</i>", GROUP, msg.message_id, parse_mode="HTML")
    await bot.edit_message_reply_markup(GROUP, msg.message_id, reply_markup=keyboard("x"))
    [stored] = emu.chat_messages(GROUP)
    assert (
        stored["text"] == "Done"
        and stored["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "x"
    )
    assert len(emu.state.edits) == 2
    assert [m["text"] for m in emu.sent(GROUP)] == ["Hi <all> 你好"]
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", GROUP, 999)


@pytest.mark.parametrize(
    "bad",
    [
        "<b>unclosed",
        "<foo>x</foo>",
        "a < b",
        "<b><i>x</b></i>",
        "<span>x</span>",
        "x</b>",
        "<br>",
        "<b",
    ],
)
async def test_bad_html_refused(bot: Bot, bad: str) -> None:
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.send_message(ALICE, bad, parse_mode="HTML")


@pytest.mark.parametrize(
    "good",
    [
        "a &lt; b &amp; c",
        "x & y",
        '<a href="https://e.x/?a=1&amp;b=2">link</a>',
        '<span class="tg-spoiler">s</span>',
        "<tg-spoiler>s</tg-spoiler>",
        '<pre><code class="language-python">x = 1</code></pre>',
        "<blockquote expandable>q</blockquote>",
        "<B>upper</B>",
        "&#128512; &#x1F600;",
    ],
)
async def test_good_html_accepted(bot: Bot, good: str) -> None:
    msg = await bot.send_message(ALICE, good, parse_mode="HTML")
    assert "<" not in (msg.text or "").replace("a < b", "")


async def test_plain_text_not_json_decoded(emu: Emulator, bot: Bot) -> None:
    for text in ("123", "true", '{"a": 1}', "null"):
        msg = await bot.send_message(ALICE, text)
        assert msg.text == text
    assert [c.params["text"] for c in emu.calls("sendMessage")] == [
        "123",
        "true",
        '{"a": 1}',
        "null",
    ]


async def test_too_long_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(ALICE, "x" * 4097)
    msg = await bot.send_message(ALICE, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    assert len(msg.text or "") == 4096
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(ALICE, "<b>" + "&lt;" * 4097 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)text is empty"):
        await bot.send_message(ALICE, "<b></b>", parse_mode="HTML")


async def test_callback_data_limit(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(ALICE, "x", reply_markup=keyboard("é" * 33))  # 66 bytes
    await bot.send_message(ALICE, "x", reply_markup=keyboard("é" * 32))


async def test_callback_press_round_trip(emu: Emulator, bot: Bot) -> None:
    msg = await bot.send_message(GROUP, "Vote?", reply_markup=keyboard("m:1:a", "m:1:b"))
    with pytest.raises(ValueError, match="(?i)no button"):
        emu.press_button(ALICE, msg.message_id, "nope", chat_id=GROUP)
    emu.press_button(user_id=BOB, chat_id=GROUP, message_id=msg.message_id, data="m:1:b")
    [update] = await bot.get_updates(timeout=0)
    query = update.callback_query
    assert query is not None and query.data == "m:1:b" and query.from_user.id == BOB
    assert query.message is not None and query.message.message_id == msg.message_id
    assert await query.answer("ok")
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query(query.id)


async def test_user_message_entities_and_reply(emu: Emulator, bot: Bot) -> None:
    first = emu.send_message(user_id=ALICE, chat_id=GROUP, text="/start@coordbot_test_bot hi")
    emu.send_message(ALICE, "/agenda tomorrow @coordbot_test_bot", reply_to_message_id=None)
    emu.send_message(BOB, "re", chat_id=GROUP, reply_to_message_id=first["message"]["message_id"])
    u1, u2, u3 = await bot.get_updates()
    assert u1.message is not None and u1.message.chat.type == "group"
    assert u1.message.entities[0].type == "bot_command" and u1.message.entities[0].length == 24
    assert u2.message is not None and u2.message.chat.id == ALICE
    assert [e.type for e in u2.message.entities] == ["bot_command", "mention"]
    assert u2.message.from_user is not None and u2.message.from_user.language_code == "zh"
    assert u3.message is not None and u3.message.reply_to_message is not None
    assert u3.message.reply_to_message.message_id == first["message"]["message_id"]


async def test_send_document_multipart(emu: Emulator, bot: Bot) -> None:
    payload = bytes(range(256)) * 40
    msg = await bot.send_document(
        GROUP, payload, filename="minutes.docx", caption="<b>Minutes</b>", parse_mode="HTML"
    )
    assert msg.document is not None and msg.document.file_name == "minutes.docx"
    assert msg.document.file_size == len(payload) and msg.caption == "Minutes"
    doc = emu.calls("sendDocument")[0].params["document"]
    assert doc["filename"] == "minutes.docx" and doc["data"] == payload
    assert "wordprocessingml" in doc["mime_type"]
    assert emu.file_bytes(msg.document.file_id) == payload
    again = await bot.send_document(ALICE, msg.document.file_id)
    assert again.document is not None and again.document.file_id == msg.document.file_id
    photo = await bot.send_photo(ALICE, b"\x89PNG fake", filename="p.png")
    assert photo.photo and photo.photo[0].width > 0
    assert len(emu.sent()) == 3


async def test_get_updates_offset_and_long_poll(emu: Emulator, bot: Bot) -> None:
    emu.send_message(ALICE, "one")
    emu.send_message(ALICE, "two")
    ups = await bot.get_updates()
    assert [u.update_id for u in ups] == [1, 2]
    assert [u.update_id for u in await bot.get_updates(offset=2)] == [2]
    assert await bot.get_updates(offset=3, timeout=0) == ()
    poll = asyncio.create_task(bot.get_updates(offset=3, timeout=10))
    await emu.wait_until(lambda: emu.polling > 0)
    started = time.monotonic()
    emu.send_message(BOB, "three")
    [upd] = await asyncio.wait_for(poll, 3)
    assert upd.update_id == 3 and time.monotonic() - started < 2
    assert upd.message is not None and upd.message.text == "three"


async def test_faults_as_ptb_sees_them(emu: Emulator, bot: Bot) -> None:
    emu.add_fault(method="sendMessage", kind="429", retry_after=3)
    with pytest.raises(RetryAfter) as exc:
        await bot.send_message(ALICE, "a")
    assert secs(exc.value.retry_after) == 3
    emu.add_fault("sendMessage", "500")
    with pytest.raises(NetworkError) as net:
        await bot.send_message(ALICE, "b")
    assert not isinstance(net.value, BadRequest)
    emu.add_fault("sendMessage", "403", chat_id=GROUP)
    await bot.send_message(ALICE, "not faulted: other chat")
    with pytest.raises(Forbidden, match="(?i)kicked"):
        await bot.send_message(GROUP, "c")
    emu.add_fault("sendMessage", "disconnect")
    with pytest.raises(NetworkError):
        await bot.send_message(ALICE, "d")
    assert [m["text"] for m in emu.sent()] == ["not faulted: other chat"]
    assert [c.ok for c in emu.calls("sendMessage")] == [False, False, True, False, False]
    assert emu.stats["faults"] == 4


async def test_timeout_fault_is_delivered(emu: Emulator) -> None:
    slow = Bot(token="123:ABC", base_url=emu.base_url, request=HTTPXRequest(read_timeout=0.5))
    emu.add_fault("sendMessage", "timeout", delay=2)
    async with slow:
        with pytest.raises(TimedOut):
            await slow.send_message(ALICE, "did it arrive?")
    assert [m["text"] for m in emu.sent(ALICE)] == ["did it arrive?"]
    assert emu.calls("sendMessage")[0].ok is True


async def test_blocked_kicked_migrated(emu: Emulator, bot: Bot) -> None:
    emu.block_bot(ALICE)
    with pytest.raises(Forbidden, match="(?i)blocked by the user"):
        await bot.send_message(ALICE, "x")
    emu.send_message(ALICE, "/start")  # writing again unblocks
    await bot.send_message(ALICE, "welcome back")
    emu.remove_bot_from_group(GROUP, ALICE)
    with pytest.raises(Forbidden, match="(?i)bot was kicked from the group chat"):
        await bot.send_message(GROUP, "x")
    emu.add_bot_to_group(GROUP, BOB, "Pilot group")
    await bot.send_message(GROUP, "back")
    emu.migrate_group(GROUP, -1001234)
    with pytest.raises(ChatMigrated) as exc:
        await bot.send_message(GROUP, "x")
    assert exc.value.new_chat_id == -1001234
    moved = await bot.send_message(-1001234, "moved")
    assert moved.chat.type == "supergroup"
    kinds = [
        (
            u.my_chat_member.new_chat_member.status if u.my_chat_member else None,
            u.message.migrate_to_chat_id if u.message else None,
        )
        for u in await bot.get_updates()
    ]
    assert ("kicked", None) in kinds and ("member", None) in kinds
    assert (None, -1001234) in kinds


async def test_enforce_limits(emu: Emulator, bot: Bot) -> None:
    emu.enforce_limits = True
    await bot.send_message(ALICE, "1")
    with pytest.raises(RetryAfter) as exc:
        await bot.send_message(ALICE, "2")
    assert secs(exc.value.retry_after) == 1
    for i in range(20):
        await bot.send_message(GROUP, str(i))
    with pytest.raises(RetryAfter) as exc:
        await bot.send_message(GROUP, "21st")
    assert 50 <= secs(exc.value.retry_after) <= 60
    assert emu.stats["429"] == 2
    emu.add_group(-5, "G5", members=[ALICE])
    emu.add_group(-6, "G6", members=[ALICE])
    emu.add_group(-7, "G7", members=[ALICE])
    with pytest.raises(RetryAfter):  # 30 per second overall (21 already in this second)
        for i in range(12):
            await bot.send_message(-5 - i % 3, "burst")
    assert emu.stats["429"] == 3


async def test_commands_chat_and_members(emu: Emulator, bot: Bot) -> None:
    from telegram import BotCommand, BotCommandScopeAllGroupChats

    await bot.set_my_commands([BotCommand("start", "Start")], language_code="zh")
    await bot.set_my_commands(
        [BotCommand("agenda", "Agenda")], scope=BotCommandScopeAllGroupChats()
    )
    assert [c.command for c in await bot.get_my_commands(language_code="zh")] == ["start"]
    assert await bot.get_my_commands() == ()
    assert emu.commands({"type": "all_group_chats"})[0]["command"] == "agenda"
    with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])
    await bot.delete_my_commands(language_code="zh")
    assert await bot.get_my_commands(language_code="zh") == ()
    chat = await bot.get_chat(GROUP)
    assert chat.title == "Pilot group" and chat.type == "group"
    assert (await bot.get_chat(ALICE)).first_name == "Alice"
    assert (await bot.get_chat_member(GROUP, ALICE)).status == "administrator"
    assert (await bot.get_chat_member(GROUP, BOB)).status == "member"
    assert [m.user.id for m in await bot.get_chat_administrators(GROUP)] == [ALICE]
    await bot.set_webhook("https://example.org/hook")
    assert emu.state.webhook is not None and (await bot.get_webhook_info()).url
    await bot.delete_webhook()
    assert await bot.leave_chat(GROUP)
    with pytest.raises(Forbidden, match="(?i)not a member"):
        await bot.send_message(GROUP, "x")


async def test_real_application_polling(emu: Emulator) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(
            f"<b>Hello</b> {html.escape('<you>')}", do_quote=True
        )

    app = ApplicationBuilder().token("123:ABC").base_url(emu.base_url).build()
    app.add_handler(CommandHandler("start", start))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        upd = emu.send_message(user_id=ALICE, text="/start")
        [call] = await emu.wait_for(lambda c: c.method == "sendMessage" and c.ok, timeout=5)
        assert call.result["text"] == "Hello <you>"
        assert call.result["reply_to_message"]["message_id"] == upd["message"]["message_id"]
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert emu.state.updates == []  # confirmed by the final getUpdates on stop
    with pytest.raises(asyncio.TimeoutError, match="(?i)recent non-getUpdates calls"):
        await emu.wait_for(method="editMessageText", timeout=0.05)


async def test_http_control_via_client_and_standalone_server(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.devtools.emulator", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/bot")
        with EmulatorClient(base_url) as client:
            client.add_user(ALICE, "Alice", username="alice")
            client.add_group(GROUP, "Pilot group", members=[ALICE], admins=[ALICE])
            async with Bot(token="1:X", base_url=base_url) as bot:
                sent = await bot.send_document(
                    GROUP, b"hello", filename="a.txt", reply_markup=keyboard("k")
                )
                client.send_message(ALICE, "/start", chat_id=GROUP)
                client.press_button(ALICE, sent.message_id, "k", chat_id=GROUP)
                ups = await bot.get_updates()
                assert ups[0].message is not None and ups[0].message.text == "/start"
                assert ups[1].callback_query is not None
                client.add_fault("sendMessage", "429", retry_after=2)
                with pytest.raises(RetryAfter):
                    await bot.send_message(GROUP, "x")
                client.migrate_group(GROUP, -100999)
                with pytest.raises(ChatMigrated):
                    await bot.send_message(GROUP, "x")
                client.remove_bot_from_group(-100999, ALICE)
                with pytest.raises(Forbidden):
                    await bot.send_message(-100999, "x")
                assert client.enforce_limits(True) is True
                seq = client.stats()["last_seq"]
                waiter = asyncio.create_task(
                    asyncio.to_thread(client.wait_for, "sendMessage", 1, seq, 5.0, True)
                )
                await bot.send_message(ALICE, "ok")
                [done] = await waiter
                assert done["result"]["text"] == "ok"
            calls = client.calls(method="sendDocument")
            assert calls[0]["params"]["document"]["size"] == 5
            assert len(calls[0]["params"]["document"]["sha256"]) == 64
            assert [m.get("text") for m in client.sent()] == [None, "ok"]
            assert client.chat_messages(GROUP)[0]["document"]["file_name"] == "a.txt"
            stats = client.stats()
            assert stats["calls"] >= 6 and stats["429"] == 0
    finally:
        proc.terminate()
        assert proc.wait(timeout=5) == 0


@given(st.text(max_size=200))
def test_escaped_text_round_trips(text: str) -> None:
    plain, ents = parse_html(html.escape(text, quote=False))
    assert plain == text and ents == []


def test_html_error_messages() -> None:
    with pytest.raises(HtmlError, match='(?i)Unsupported start tag "foo" at byte offset 3'):
        parse_html("ab <foo>")
    with pytest.raises(HtmlError, match='expected "</i>", found "</b>"'):
        parse_html("<b><i>x</b></i>")
    with pytest.raises(HtmlError, match="(?i)Can't find end tag corresponding to start tag b"):
        parse_html("<b>x")
    _, ents = parse_html("😀<b>x</b>")
    assert ents == [{"type": "bold", "offset": 2, "length": 1}]
