"""Pure tests: tags, schedule times, bulletin sections and parts, and the exported documents."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from docx import Document as DocxDocument

from bot.devtools.emulator.html_check import parse_html, utf16_len
from bot.i18n import Translator
from bot.render.bulletin import _around, issue_label, render_sections, to_parts
from bot.render.bulletin_data import MeetingItem, silent_projects, units_reporting
from bot.render.bulletin_doc import BulletinHead, to_docx, to_markdown
from bot.render.dates import show_date
from bot.render.project import entry_line
from bot.services.bulletin_runs import next_run
from storage.bulletins import Schedule
from storage.progress_tags import parse_closes, parse_tags
from storage.projects import next_stages, parse_category, parse_stage
from tests.support.bulletins import NOW, TZ, data, entry, project

EN, ZH = Translator().get("en"), Translator().get("zh")


def test_tags_in_both_languages() -> None:
    assert parse_tags("#Milestone done, #风险 found #重大") == ("milestone", "risk", "major")
    assert parse_tags("#整改 关闭 #3 and closes #4") == ("rectification",)
    assert parse_tags("no tags #12 #unknown") == ()
    assert parse_closes("#整改 关闭 #3, closes #4 CLOSES #3") == [3, 4]


def test_stage_and_category_vocabulary() -> None:
    assert parse_stage("试点运行") == "running" and parse_stage("Exited") == "exited"
    assert parse_category("科技赋能") == "enablement" and parse_category("x") is None
    assert next_stages("selection") == ["evaluation", "running", "exited", "terminated"]
    assert next_stages("exited") == [] and next_stages("terminated") == []


def test_next_run_weekly_and_monthly_local_wall_clock() -> None:
    weekly = Schedule("weekly", 4, "16:00", False)  # Friday 16:00 Shanghai = 08:00 UTC
    assert next_run(weekly, NOW - timedelta(hours=1), TZ) == NOW
    assert next_run(weekly, NOW, TZ) == NOW + timedelta(days=7)  # strictly after
    monthly = Schedule("monthly", 1, "09:00", False)
    assert next_run(monthly, NOW, TZ) == datetime(2027, 4, 1, 1, 0, tzinfo=UTC)
    ny = Schedule("weekly", 0, "09:30", False)
    assert next_run(ny, NOW, ZoneInfo("America/New_York")) == datetime(
        2027, 3, 8, 14, 30, tzinfo=UTC
    )  # the Monday after DST begins (EDT, UTC-4)


def test_labels() -> None:
    assert issue_label(EN, 2026, 3) == "Bulletin 2026/3"
    assert issue_label(ZH, 2026, 3) == "2026年第3期"


def test_sections_have_every_part() -> None:
    meeting = MeetingItem(
        "Joint meeting",
        "joint",
        NOW + timedelta(days=2),
        NOW + timedelta(days=2, hours=2),
        "Room 1",
    )
    d = data(
        [entry(1, "BJ-01", "#major halt <x>"), entry(2, "BJ-02", "#milestone live")], [meeting]
    )
    sections = render_sections(d, EN, TZ, 2027, 4)
    text = "\n\n".join(sections)
    assert sections[0].startswith("<b>Bulletin 2027/4</b>")
    for heading in (
        "Major events",
        "Progress: technology innovation",
        "Progress: public service",
        "Open risks and rectifications",
        "Upcoming meetings (next 14 days)",
    ):
        assert heading in text
    assert "&lt;x&gt;" in text and "Joint meeting" in text
    assert "Units that reported: TECH" in text and "Units with no report: BJ" in text
    zh = "\n\n".join(render_sections(d, ZH, TZ, 2027, 4, draft=True))
    assert "2027年第4期" in zh and "协调小组秘书处" in zh and "草稿" in zh


def test_long_bulletin_splits_into_valid_numbered_parts() -> None:
    entries = [
        entry(i, "BJ-01" if i % 2 else "BJ-02", "#milestone " + "进展" * 150 + "<&>")
        for i in range(1, 400)
    ]
    for tr in (EN, ZH):
        parts = to_parts(render_sections(data(entries), tr, TZ, 2027, 4), tr)
        assert len(parts) > 5
        for i, part in enumerate(parts, start=1):
            assert utf16_len(part) <= 4096
            parse_html(part)  # raises on invalid HTML
            assert f"{i}" in part.split("\n")[0]


def test_silent_projects_and_reporting_units() -> None:
    projects = {"A": project("A"), "B": project("B"), "C": project("C", stage="exited")}
    last = {"A": NOW - timedelta(days=20), "B": NOW - timedelta(days=2)}
    silent = silent_projects(projects, last, NOW, 14)
    assert [(p.code, d) for p, d in silent] == [("A", 20)]
    follows = [("A", "TECH"), ("B", "BJ"), ("A", "CSRC")]
    entries = [entry(1, "A", "x")]
    assert units_reporting(follows, entries) == (["TECH"], ["BJ", "CSRC"])


def test_exports_are_titled_and_numbered() -> None:
    sections = render_sections(
        data([entry(1, "BJ-01", "#milestone <b>x</b> & y")]), ZH, TZ, 2027, 4
    )
    head = BulletinHead("2027年第4期", NOW.date(), name="工作简报")
    doc = DocxDocument(io.BytesIO(to_docx(head, sections, ZH)))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[:3] == ["工作简报", "2027年第4期", "协调小组秘书处\t2027年3月5日"]
    assert "一、项目进展：技术创新" in paragraphs and "（一）BJ-01 Project BJ-01" in paragraphs
    assert any("<b>x</b> & y" in p for p in paragraphs)
    md = to_markdown(head, sections, ZH).decode()
    assert md.startswith("# 工作简报\n\n**2027年第4期**\n\n") and r"\<b\>x\</b\> & y" in md


def test_progress_lines_are_entry_lines_in_both_languages() -> None:
    # _progress assembles entry_line's output itself (a large issue has thousands of lines).
    entries = [
        entry(1, "BJ-01", "#milestone Launch <b>&</b>  done\nnext line"),
        entry(2, "BJ-02", "#风险 对接延迟 #重大", days_ago=3),
        replace(entry(3, "BJ-01", "plain note"), author_unit=None),
    ]
    for tr in (EN, ZH):
        text = "\n".join(render_sections(data(entries), tr, TZ, 2027, 1))
        for e in entries:
            assert entry_line(e, tr, show_date(e.created_at.astimezone(TZ).date(), tr)) in text


def test_a_template_with_its_fields_reordered_is_filled_by_format() -> None:
    assert _around("{head}：{text}", "{head}", "{text}") == ("", "：", "")
    assert _around("{text} ← {head}", "{head}", "{text}") is None
    assert _around("{head} {{x}} {text}", "{head}", "{text}") is None
