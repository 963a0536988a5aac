"""`coordbot demo`: a scripted tour through the emulator that prints the transcript."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bot.config import Config
from bot.devtools.console import COLLEAGUE, GROUP, YOU, Session, setup_emulator
from bot.devtools.emulator import Emulator
from bot.devtools.probe import CompletionProbe
from bot.telegram.app import build_application, running

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
    # Meetings: plain-language Chinese time, the card, an RSVP by button, the calendar file.
    (YOU, None, "/meeting_new 联席会议 | 下周五下午3点 | 第四季度联席会议 | 301会议室"),
    (YOU, GROUP, "/meeting 1"),
    (COLLEAGUE, GROUP, ":press 1"),
    (YOU, None, "/ics 1"),
    # Projects, progress with tags in both languages, a disclosure, and a numbered bulletin.
    (YOU, None, "/project_add BJ-01 | 供应链金融平台 | 技术创新 | 示例证券 | 第一批 | 北京"),
    (YOU, None, "/follow BJ-01 TECH"),
    (YOU, None, "/stage BJ-01 running"),
    (COLLEAGUE, None, "/progress BJ-01 #里程碑 首笔交易完成结算 #风险 对账延迟"),
    (COLLEAGUE, None, "/progress BJ-01 #整改 对账已修复 关闭 #1 #重大"),
    (YOU, GROUP, "/project BJ-01"),
    (YOU, None, "/bulletin_publish"),
    (YOU, GROUP, "/bulletins"),
    # Agenda to minutes: a tagged item, the agenda pushed to the group, a decision and an
    # action item in the draft minutes, and the action in its owner's list.
    (COLLEAGUE, None, "/agenda_add 1 | 供应链金融平台退出机制 #审议 #重大 | BJ-01 | 30"),
    (YOU, None, "/agenda_publish 1"),
    (YOU, None, "/decision 1 #1 原则同意，请TECH完善方案。"),
    (YOU, None, "/action 1 #1 TECH | 下下周五 | 报送修订后的退出机制"),
    (YOU, GROUP, "/minutes 1"),
    (COLLEAGUE, None, "/actions mine"),
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
                    if text.startswith(":press "):  # a button of the last message shown
                        await session.press(int(text.split()[1]))
                    else:
                        await session.say(text)
        finally:
            await emu.stop()
    print("\ndemo finished")
    return 0
