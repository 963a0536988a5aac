"""`coordbot console`: chat with the real bot in a terminal, offline, through the emulator.

Everything the bot sends into the console's chats is printed as it arrives (a reminder or a
bulletin pushed to the group shows up while you are at the prompt), files it sends are saved
into a folder beside the database, and the console's own lines follow COORDBOT_LOCALE.
"""

from __future__ import annotations

import asyncio
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.devtools.emulator import Emulator
from bot.devtools.probe import CompletionProbe
from bot.i18n import N_, Tr, Translator
from bot.render.text import plain_text
from bot.telegram.app import build_application, running
from bot.telegram.commands import parse_telegram_id

YOU, COLLEAGUE = 1, 2
GROUP = -1001
PEOPLE = {YOU: ("Ada", N_("admin")), COLLEAGUE: ("Sam", N_("no role yet"))}
SHOWN = {"sendMessage", "editMessageText", "sendDocument", "sendPhoto", "answerCallbackQuery"}
CONSOLE_HELP = N_(
    """Type a message or a /command as the current user, in the current chat.
  :group / :private   switch between the group chat and your private chat with the bot
  :user 1|2           act as user 1 (Ada, admin) or user 2 (Sam, no role yet)
  :press N            press button N of the last message that had buttons
  :quit               leave (Ctrl-D works too)
In a group that no admin has subscribed, the bot answers only admins: send /subscribe there
first (as Ada) before trying it as Sam."""
)


@dataclass
class Session:
    """The emulator, the real bot, and who is typing where."""

    emu: Emulator
    probe: CompletionProbe
    user: int = YOU
    chat: int = GROUP
    seen: int = 0
    buttons: list[tuple[int, int, str, str]] = field(default_factory=list)
    out: Any = field(default_factory=lambda: sys.stdout)
    tr: Tr = field(default_factory=lambda: Translator().get("en"))
    files: Path | None = None  # documents the bot sends are saved here (None: not saved)
    prompt: str = ""  # the prompt on screen while waiting for a line; "" when none is
    printed: asyncio.Event = field(default_factory=asyncio.Event)  # set after each output

    def show_new(self) -> None:
        """Print what the bot did since last time; remember the latest buttons. At the prompt,
        print above it and show it again, so a notice never hides what is being typed."""
        lines: list[str] = []
        for call in self.emu.calls(since_seq=self.seen):
            self.seen = max(self.seen, call.seq)
            if call.method in SHOWN and call.ok:
                lines += self._lines(call)
        if not lines:
            return
        if self.prompt:
            lines.insert(0, "")
        self.out.write("\n".join(lines) + "\n")
        if self.prompt:
            self.out.write(self.prompt + _typed_so_far())
        self.out.flush()
        self.printed.set()

    def where(self, chat_id: int | None) -> str:
        """A chat as the console names it: the group, or someone's private chat."""
        if chat_id == GROUP:
            return self.tr("the group")
        name = PEOPLE.get(chat_id or 0, (str(chat_id), ""))[0]
        return self.tr("{name}'s private chat", name=name)

    def _lines(self, call: Any) -> list[str]:
        _, params, where = self.tr, call.params, self.where(call.chat_id)
        if call.method == "answerCallbackQuery":
            return [_("  [notice] {text}", text=params["text"])] if params.get("text") else []
        if call.method in ("sendDocument", "sendPhoto"):
            lines = [_("bot → {where}:", where=where)]
            result = call.result or {}
            info = result.get("document") or (result.get("photo") or [{}])[-1]
            fallback = f"picture-{call.seq}.png" if call.method == "sendPhoto" else "file"
            name = Path(str(info.get("file_name") or fallback)).name
            caption = plain_text(str(params.get("caption") or ""))
            lines.append(_("  [file {name}] {caption}", name=name, caption=caption).rstrip())
            saved = self._save(name, info.get("file_id"))
            if saved is not None:
                lines.append(_("  saved to {path}", path=saved))
            return lines
        if call.method == "editMessageText":
            lines = [_("bot edited a message in {where}:", where=where)]
        else:
            lines = [_("bot → {where}:", where=where)]
        lines += [f"  {line}" for line in plain_text(str(params.get("text", ""))).splitlines()]
        markup = params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
        apps = [b for row in rows or [] for b in row if "web_app" in b]
        lines += [f"  [{b['text']}] {b['web_app'].get('url', '')}" for b in apps]
        rows = [[b for b in row if "callback_data" in b] for row in rows or []]
        if any(rows) and isinstance(call.result, dict):
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
            lines.append(_("  buttons: {labels}  (:press N)", labels=labels))
        return lines

    def _save(self, name: str, file_id: object) -> Path | None:
        """Write a file the bot sent into the files folder; its path, or None."""
        if self.files is None or not isinstance(file_id, str):
            return None
        self.files.mkdir(parents=True, exist_ok=True)
        target = self.files / name
        target.write_bytes(self.emu.file_bytes(file_id))
        return target.resolve()

    def say_line(self, text: str) -> None:
        """One line of the console's own (not the bot's)."""
        print(text, file=self.out, flush=True)
        self.printed.set()

    async def say(self, text: str) -> None:
        """Send a message as the current user in the current chat and show the answers."""
        try:
            update = self.emu.send_message(user_id=self.user, chat_id=self.chat, text=text)
            await self.probe.wait(update["update_id"])
        except ValueError as exc:  # the emulator refused: an unknown user or chat
            self.say_line(self.tr("Not sent: {reason}", reason=exc))
        except TimeoutError:
            self.say_line(self.tr("The bot did not finish within 10 seconds."))
        self.show_new()

    async def press(self, number: int) -> None:
        """Press one of the last listed buttons."""
        if not 1 <= number <= len(self.buttons):
            self.say_line(self.tr("There is no button {n}.", n=number))
            return
        chat, message_id, _text, data = self.buttons[number - 1]
        try:
            update = self.emu.press_button(
                user_id=self.user, chat_id=chat, message_id=message_id, data=data
            )
            await self.probe.wait(update["update_id"])
        except ValueError as exc:
            self.say_line(self.tr("Not sent: {reason}", reason=exc))
        except TimeoutError:
            self.say_line(self.tr("The bot did not finish within 10 seconds."))
        self.show_new()

    async def follow(self) -> None:
        """Print the bot's messages as they arrive, not only after the next command."""
        cond = self.emu.calls_cond
        while True:
            async with cond:
                await cond.wait_for(lambda: self.emu.last_seq > self.seen)
            self.show_new()

    def current_prompt(self) -> str:
        """'[Ada in the group] > ' or '[Ada in private] > '."""
        name = PEOPLE[self.user][0]
        if self.chat == GROUP:
            return self.tr("[{name} in the group] > ", name=name)
        return self.tr("[{name} in private] > ", name=name)

    async def handle(self, line: str) -> bool:
        """One line typed at the console; False when it asks to leave."""
        line = line.strip()
        words = line.split()
        if not line:
            self.show_new()
        elif line in (":quit", ":q", ":exit"):
            return False
        elif line == ":help":
            self.say_line(self.tr(CONSOLE_HELP))
        elif line in (":group", ":private"):
            self.chat = GROUP if line == ":group" else self.user
            self.say_line(self.tr("Now in {where}.", where=self.where(self.chat)))
        elif words[0] == ":user":
            self._switch_user(words[1:])
        elif words[0] == ":press":
            if len(words) == 2 and words[1].isdigit():
                await self.press(int(words[1]))
            else:
                self.say_line(self.tr("Type :press and a button number, e.g. :press 1."))
        elif line.startswith(":"):
            self.say_line(
                self.tr("Unknown console command {word}. :help lists them.", word=words[0])
            )
        else:
            await self.say(line)
        return True

    def _switch_user(self, args: list[str]) -> None:
        user = parse_telegram_id(args[0]) if len(args) == 1 else None
        if user not in PEOPLE:
            self.say_line(
                self.tr(
                    "There is no user {n} here. Type :user 1 to be Ada (admin) or :user 2 to be"
                    " Sam (no role yet).",
                    n=" ".join(args) or "?",
                )
            )
            return
        self.user = user
        if self.chat != GROUP:
            self.chat = user
        name, role = PEOPLE[user]
        self.say_line(
            self.tr(
                "You are now {name} ({role}), in {where}.",
                name=name,
                role=self.tr(role),
                where=self.where(self.chat),
            )
        )


def _typed_so_far() -> str:
    """What the user has typed at the prompt so far (readline's buffer, when in use)."""
    if "readline" not in sys.modules:
        return ""
    with suppress(Exception):
        return str(sys.modules["readline"].get_line_buffer())
    return ""


def setup_emulator(emu: Emulator) -> None:
    """The cast of the offline chat: you (admin), a colleague, and one group."""
    emu.add_user(YOU, "Ada", username="ada")
    emu.add_user(COLLEAGUE, "Sam", username="sam")
    emu.add_group(GROUP, "Coordination group", members=[YOU, COLLEAGUE], admins=[YOU])


def free_port(host: str) -> int:
    """A TCP port free on this machine now, for the console's web server."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def dashboard_line(app: Any, tr: Tr) -> str:
    """Where the dashboard is, with a link signed in as Ada (what Telegram would pass)."""
    from datetime import UTC, datetime
    from urllib.parse import quote

    from bot.telegram.app import WEB_KEY
    from bot.web.auth import sign_init_data

    server = app.bot_data.get(WEB_KEY)
    if server is None:
        return ""
    init = sign_init_data(app.bot.token, {"id": YOU, "first_name": "Ada"}, datetime.now(UTC))
    link = f"{server.public_url}/app/#tgWebAppData={quote(init, safe='')}"
    return tr(
        "Dashboard (as Ada, for 24 hours): {link}\nHealth check: {health}",
        link=link,
        health=f"{server.public_url}/healthz",
    )


def files_folder(config: Config) -> Path:
    """Where the console saves the files the bot sends: beside the database."""
    return config.db_path.with_name(config.db_path.stem + "-files")


@asynccontextmanager
async def open_console(config: Config, out: Any = None) -> AsyncIterator[Session]:
    """The emulator and the real bot running, the banner printed, arrivals followed."""
    emu = Emulator()
    await emu.start()
    setup_emulator(emu)
    config = replace(
        config,
        token="1000:offline-console",
        api_url=emu.base_url,
        admins=(*config.admins, YOU),
        rate_limit=0,
        # The dashboard is on in the console: COORDBOT_WEB_PORT, else a free port.
        web_port=config.web_port or free_port(config.web_host),
    )
    app = build_application(config)
    probe = CompletionProbe(app)
    tr = Translator().get(config.locale)
    files = files_folder(config).resolve()
    session = Session(emu, probe, out=out or sys.stdout, tr=tr, files=files)
    try:
        async with running(app):
            session.say_line(
                tr(
                    "coordbot console — offline, database {db}. You are Ada (admin) in the group.",
                    db=config.db_path,
                )
            )
            session.say_line(
                tr(
                    "The bot is @{username}. Files it sends are saved in {folder}.",
                    username=app.bot.username,
                    folder=session.files,
                )
            )
            session.say_line(dashboard_line(app, tr))
            session.say_line(tr(CONSOLE_HELP))
            session.show_new()
            follower = asyncio.create_task(session.follow())
            try:
                yield session
            finally:
                follower.cancel()
                with suppress(asyncio.CancelledError):
                    await follower
    finally:
        await emu.stop()


async def run_console(config: Config, read: Callable[[str], Awaitable[str]] | None = None) -> int:
    """The interactive loop: lines from `read` (the terminal by default) until :quit or EOF."""
    read = read or (lambda prompt: asyncio.to_thread(input, prompt))
    async with open_console(config) as session:
        while True:
            session.prompt = session.current_prompt()
            try:
                line = await read(session.prompt)
            except (EOFError, KeyboardInterrupt):
                session.prompt = ""
                session.say_line("")
                return 0
            session.prompt = ""
            if not await session.handle(line):
                return 0
