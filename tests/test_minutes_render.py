"""Pure rendering of agendas, minutes, documents and action lists, without Telegram."""

from __future__ import annotations

import io
from datetime import date

from docx import Document as DocxDocument

from bot.devtools.emulator.html_check import parse_html as check_html
from bot.domain.agenda_rules import Diff, Line, Sitting
from bot.i18n import Translator
from bot.render.actions import actions_section
from bot.render.agenda import agenda_text, amendment_text
from bot.render.minutes import minutes_sections, minutes_text
from bot.render.minutes_doc import minutes_docx, minutes_md
from bot.render.text import split_sections
from storage.agenda_sittings import SittingState
from tests.support.meetings import SHANGHAI, at, meeting
from tests.support.minutes import NOW, TODAY, action, data, item

EN, ZH = Translator().get("en"), Translator().get("zh")


def test_minutes_sections_group_actions_and_escape() -> None:
    text = minutes_text(data(), SHANGHAI, EN, TODAY)
    assert "DRAFT minutes" in text and "Tech &lt;Bureau&gt;" in text
    assert "1. [deliberation] Exit &lt;rules&gt;" in text and "Adopted &amp; noted" in text
    assert "<b>Items not reached</b>" in text and "2. Data pilot (TECH)" in text
    assert text.index("<u>Beijing Bureau (BJ)</u>") < text.index("<u>Sam</u>")
    assert text.index("<u>Sam</u>") < text.index("<u>UNASSIGNED</u>")
    assert "A2 · Task 2" in text and "overdue" in text
    for part in split_sections(minutes_sections(data(), SHANGHAI, EN, TODAY), limit=300):
        check_html(part)


def test_published_minutes_in_chinese_carry_the_number() -> None:
    text = minutes_text(data(published=True), SHANGHAI, ZH, TODAY)
    assert "会议纪要（2026）第3号" in text and "待定责任方" in text and "更正" in text
    assert "Fix  typo" in text


def test_documents_are_titled_and_numbered() -> None:
    doc = DocxDocument(io.BytesIO(minutes_docx(data(published=True), SHANGHAI, ZH, TODAY)))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[:3] == ["联席会议纪要", "（2026）第3号", "协调小组秘书处\t2026年9月10日"]
    assert "一、Exit <rules>（审议）" in paragraphs and "Adopted & noted" in paragraphs
    assert "出席：Beijing Bureau、Tech <Bureau>" in paragraphs
    assert any("Fix  typo" in p for p in paragraphs)
    md = minutes_md(data(), SHANGHAI, EN, TODAY).decode()
    assert md.startswith("# Joint working meeting minutes\n\n**(draft)**\n\n")
    assert "## 1. Exit \\<rules\\> (deliberation)\n\nAdopted & noted\n\n" in md
    assert "## 3. Items not reached\n\n1\\. Data pilot\n\n## 4. Action items" in md


def test_agenda_text_totals_and_amendments() -> None:
    items = [
        item(1, "A", minutes=90, major=True, project="P-1"),
        item(2, "B", minutes=60, origin="carried"),
    ]
    text = agenda_text(
        Sitting(meeting(), ""),
        items,
        [action(1, 2, None, date(2026, 9, 1))],
        SittingState(None, None, 0, [], None),
        at("2026-09-06 10:00"),
        SHANGHAI,
        EN,
        at("2026-09-01 10:00"),
    )
    assert "Matters arising" in text and "A1 · Sam · Task 1" in text
    assert "running total 150 of 120" in text and "⚠️ The items need 150 minutes" in text
    assert "project P-1" in text and "carried over" in text and "major matter" in text
    check_html(text)
    change = Diff((Line(3, 3, "<new>"),), (Line(2, 2, "B"),), ((Line(1, 1, "A"), 2),))
    amended = amendment_text(Sitting(meeting(), ""), change, 2, SHANGHAI, ZH)
    assert "议程调整第2号" in amended and "&lt;new&gt;" in amended and "原第2项" in amended


def test_bulletin_section_lists_overdue_first() -> None:
    found = [
        action(1, None, "BJ", date(2026, 9, 20)),
        action(2, 2, None, date(2026, 9, 1)),
        action(3, 2, None, date(2026, 9, 1), state="done"),
    ]
    section = actions_section(found, EN, SHANGHAI, NOW)
    assert "2 open, 1 overdue." in section
    assert section.index("A2") < section.index("A1") and "A3" not in section
    assert "暂无未办结的督办事项" in actions_section([], ZH, SHANGHAI, NOW)
