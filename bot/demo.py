"""`coordbot demo`: a scripted tour through the emulator that prints the transcript."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bot.app import build_application, running
from bot.config import Config
from bot.console import COLLEAGUE, GROUP, YOU, Session, setup_emulator
from bot.emulator import Emulator
from bot.probe import CompletionProbe

# (user, chat, text): chat None means the user's private chat. Grows as features land.
SCRIPT: list[tuple[int, int | None, str]] = [
    (YOU, GROUP, "/start"),
    (YOU, GROUP, "/subscribe"),
    (YOU, None, "/unit_add TECH | Technology Supervision Bureau"),
    (YOU, None, "/unit_add BJ | Beijing Local Financial Bureau"),
    (COLLEAGUE, None, "/whoami"),
    (YOU, None, "/role @sam staff TECH"),
    (COLLEAGUE, None, "/lang zh"),
    (COLLEAGUE, None, "/whoami"),
    (COLLEAGUE, None, "/unit_add X | 越权"),
    (YOU, GROUP, "/units"),
    (YOU, GROUP, "/members"),
]


async def run_demo() -> int:
    """Run the script against a fresh database and print every exchange."""
    with tempfile.TemporaryDirectory() as tmp:
        emu = Emulator()
        await emu.start()
        setup_emulator(emu)
        config = Config(
            token="1000:demo",
            api_url=emu.base_url,
            db_path=Path(tmp) / "demo.db",
            admins=(YOU,),
            rate_limit=0,
        )
        app = build_application(config)
        probe = CompletionProbe(app)
        session = Session(emu, probe)
        try:
            async with running(app):
                session.show_new()
                for user, chat, text in SCRIPT:
                    session.user, session.chat = user, chat if chat is not None else user
                    where = "group" if session.chat == GROUP else "private"
                    name = "Ada" if user == YOU else "Sam"
                    print(f"\n{name} ({where}) > {text}")
                    await session.say(text)
        finally:
            await emu.stop()
    print("\ndemo finished")
    return 0
