"""`coordbot console`: chat with the real bot in a terminal, offline, through the emulator."""

from __future__ import annotations

import asyncio
import sys
from contextlib import suppress
from dataclasses import dataclass, field, replace
from typing import Any

from bot.app import build_application, running
from bot.commands import parse_telegram_id
from bot.config import Config
from bot.emulator import Emulator
from bot.probe import CompletionProbe
from bot.render.text import plain_text

YOU, COLLEAGUE = 1, 2
GROUP = -1001
SHOWN = {"sendMessage", "editMessageText", "sendDocument", "sendPhoto", "answerCallbackQuery"}
CONSOLE_HELP = """Type a message or a /command as the current user, in the current chat.
  :group / :private   switch between the group chat and your private chat with the bot
  :user 1|2           act as user 1 (Ada, admin) or user 2 (Sam, no role yet)
  :press N            press button N of the last message that had buttons
  :quit               leave (Ctrl-D works too)
In a group that no admin has subscribed, the bot answers only admins: send /subscribe there
first (as Ada) before trying it as Sam."""


@dataclass
class Session:
    """The emulator, the real bot, and who is typing where."""

    emu: Emulator
    probe: CompletionProbe
    user: int = YOU
    chat: int = GROUP
    seen: int = 0
    buttons: list[tuple[int, int, str, str]] = field(default_factory=list)
    out: Any = sys.stdout

    def show_new(self) -> None:
        """Print what the bot did since last time; remember the latest buttons."""
        for call in self.emu.calls(since_seq=self.seen):
            self.seen = max(self.seen, call.seq)
            if call.method not in SHOWN or not call.ok:
                continue
            self._print(call)

    def _print(self, call: Any) -> None:
        where = "group" if call.chat_id == GROUP else f"chat {call.chat_id}"
        params = call.params
        if call.method == "answerCallbackQuery":
            if params.get("text"):
                print(f"  [toast] {params['text']}", file=self.out)
            return
        if call.method == "sendDocument":
            doc = params.get("document") or {}
            name = doc.get("filename") if isinstance(doc, dict) else "file"
            print(
                f"bot → {where}: [file {name}] {plain_text(params.get('caption') or '')}",
                file=self.out,
            )
            return
        verb = "edited" if call.method == "editMessageText" else "→"
        print(f"bot {verb} {where}:", file=self.out)
        for line in plain_text(str(params.get("text", ""))).splitlines():
            print(f"  {line}", file=self.out)
        markup = params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
        if rows and isinstance(call.result, dict):
            self.buttons = [
                (
                    int(call.chat_id or 0),
                    int(call.result["message_id"]),
                    b["text"],
                    b["callback_data"],
                )
                for row in rows
                for b in row
            ]
            labels = "  ".join(f"[{i}] {b[2]}" for i, b in enumerate(self.buttons, 1))
            print(f"  buttons: {labels}  (:press N)", file=self.out)

    async def say(self, text: str) -> None:
        """Send a message as the current user in the current chat and show the answers."""
        update = self.emu.send_message(user_id=self.user, chat_id=self.chat, text=text)
        await self.probe.wait(update["update_id"])
        self.show_new()

    async def press(self, number: int) -> None:
        """Press one of the last listed buttons."""
        if not 1 <= number <= len(self.buttons):
            print("no such button", file=self.out)
            return
        chat, message_id, _text, data = self.buttons[number - 1]
        update = self.emu.press_button(
            user_id=self.user, chat_id=chat, message_id=message_id, data=data
        )
        await self.probe.wait(update["update_id"])
        self.show_new()


def setup_emulator(emu: Emulator) -> None:
    """The cast of the offline chat: you (admin), a colleague, and one group."""
    emu.add_user(YOU, "Ada", username="ada")
    emu.add_user(COLLEAGUE, "Sam", username="sam")
    emu.add_group(GROUP, "Coordination group", members=[YOU, COLLEAGUE], admins=[YOU])


async def run_console(config: Config) -> int:
    """The interactive loop."""
    emu = Emulator()
    await emu.start()
    setup_emulator(emu)
    config = replace(
        config,
        token="1000:offline-console",
        api_url=emu.base_url,
        admins=(*config.admins, YOU),
        rate_limit=0,
    )
    app = build_application(config)
    probe = CompletionProbe(app)
    session = Session(emu, probe)
    print(
        f"coordbot console — offline, database {config.db_path}. You are Ada (admin) in the group."
    )
    print(CONSOLE_HELP)
    try:
        async with running(app):
            session.show_new()
            await _loop(session)
    finally:
        await emu.stop()
    return 0


async def _loop(session: Session) -> None:
    while True:
        where = "group" if session.chat == GROUP else "private"
        try:
            line = await asyncio.to_thread(input, f"[user {session.user} @ {where}] > ")
        except (EOFError, KeyboardInterrupt):
            print()
            return
        line = line.strip()
        if not line:
            session.show_new()
            continue
        if line in (":quit", ":q", ":exit"):
            return
        if line == ":help":
            print(CONSOLE_HELP)
        elif line == ":group":
            session.chat = GROUP
        elif line == ":private":
            session.chat = session.user
        elif line.startswith(":user"):
            words = line.split()
            user = parse_telegram_id(words[1]) if len(words) == 2 else None
            if user is None or user not in session.emu.state.users:
                print("no such user: :user 1 or :user 2", file=session.out)
                continue
            session.user = user
            if session.chat > 0:
                session.chat = session.user
        elif line.startswith(":press"):
            with suppress(ValueError, IndexError):
                await session.press(int(line.split()[1]))
        else:
            await session.say(line)
