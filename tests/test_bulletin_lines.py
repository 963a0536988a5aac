"""The bulletin's fast lines equal a plain rendering: entry_line() per entry, risk_text() per
risk, esc(one_line()) per text, and splitting line by line, on varied literal data."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest

from bot.i18n import Tr, Translator
from bot.render.bulletin import render_sections
from bot.render.bulletin_data import BulletinData, RiskItem
from bot.render.bulletin_lines import RISK_CLIP, line_html
from bot.render.dates import show_date
from bot.render.project import (
    ENTRY_CLIP,
    category_name,
    entry_line,
    one_line,
    risk_text,
    safe_texts,
    tier_name,
)
from bot.render.text import esc, split_message
from storage.db import utc_iso
from storage.progress import Entry
from storage.progress_reads import EntryRow, RiskRow, as_row
from storage.projects import CATEGORIES, TIERS
from tests.support.bulletins import TZ, data, entry

EN, ZH = Translator().get("en"), Translator().get("zh")
# Local midnight in Shanghai is 16:00 UTC: entries on both sides of it, and of a day.
MIDNIGHT = datetime(2027, 3, 3, 16, 0, tzinfo=UTC)
TEXTS = [
    "#milestone Launch <b>&</b>  done\nnext line",
    "#风险 对接延迟 #重大 ＃整改",
    "  leading and trailing  ",
    "tab\there、全角\u3000空格 and nbsp\xa0here",
    "controls \x01\x07 gone\x1f, NUL \x00 too \x7f",
    "#major braces {head} {text} {{x}} 😀 emoji",
    "#risk #高 " + "很长的文字" * 150,
    "#change " + "x" * 599,
    "#rectification 关闭 #3",
    "",
    "   ",
    "#milestone #risk #change #major all tags & more",
]

# Minutes from that midnight, in and out of order: a day's bounds are remembered.
MINUTES = [-30, 10, -10, 0, 1440, 1439.99999, 2000, -0.00002, 5, 1441, -2000, 3]


def _entries() -> list[Entry]:
    entries = []
    for n, text in enumerate(TEXTS, start=1):
        at = MIDNIGHT + timedelta(minutes=MINUTES[n - 1])
        code = ("BJ-01", "BJ-02", "bj-01")[n % 3]  # codes differ in case only, too
        e = replace(entry(n, code, text), created_at=at)
        entries.append(replace(e, author_unit=None) if n % 4 == 0 else e)
    return entries


def _data() -> BulletinData:
    d = data(_entries())
    d.projects["BJ-02"] = replace(d.projects["BJ-02"], tier="key")
    risks = [e for e in d.entries if isinstance(e, Entry) and "risk" in e.tags]
    d.open_risks.extend(RiskItem(e, age) for age, e in enumerate(risks))
    old: RiskRow = (
        99,
        "BJ-01",
        "older <risk>\n" + "风" * 300,
        "2026-12-01T00:00:00.000+00:00",
        "",
        1,
    )
    d.open_risks.extend([RiskItem(old, 94), RiskItem(replace(risks[0], severity="low"), 1)])
    return d


def _reference(d: BulletinData, tr: Tr) -> list[str]:
    """The major, progress and risk sections rendered one entry at a time, as they were."""

    def day(e: Entry) -> str:
        return show_date(e.created_at.astimezone(TZ).date(), tr)

    entries = [e for e in d.entries if isinstance(e, Entry)]
    majors = [e for e in entries if "major" in e.tags]
    sections = [
        "\n".join(
            [tr("<b>Major events</b>")]
            + [entry_line(e, tr, day(e), with_project=True) for e in majors]
        )
    ]
    by_project: dict[str, list[str]] = {}
    for e in entries:
        by_project.setdefault(e.project_code.upper(), []).append(entry_line(e, tr, day(e)))
    for category in CATEGORIES:
        codes = sorted(
            (c for c in by_project if d.projects[c].category == category),
            key=lambda c: (TIERS.index(t) if (t := d.projects[c].tier) in TIERS else 9, c),
        )
        if not codes:
            continue
        lines = [tr("<b>Progress: {category}</b>", category=category_name(tr, category))]
        for code in codes:
            p = d.projects[code]
            head = f"<u>{esc(p.code)} {esc(one_line(p.name, 80))}</u>"
            if p.tier:
                head += tr(" ({tier})", tier=tier_name(tr, p.tier))
            lines += [head, *by_project[code]]
        sections.append("\n".join(lines))
    lines = [tr("<b>Open risks and rectifications</b>")]
    for item in d.open_risks:
        risk = item.entry
        if not isinstance(risk, Entry):  # a row as gathered, its text as typed (raw 1)
            n, code, text, at, severity, _ = risk
            at_ = datetime.fromisoformat(at)
            risk = Entry(n, code, 0, None, text, (), at_, None, False, severity)
        lines.append(
            tr.ngettext(
                "#{risk} {code}, open {n} day: {text}",
                "#{risk} {code}, open {n} days: {text}",
                item.age_days,
                risk=risk.id,
                code=esc(risk.project_code),
                text=risk_text(tr, risk),
            )
        )
    sections.append("\n".join(lines))
    return sections


@pytest.mark.parametrize("tr", [EN, ZH], ids=["en", "zh"])
def test_fast_sections_equal_the_plain_rendering(tr: Tr) -> None:
    d = _data()
    sections = render_sections(d, tr, TZ, 2027, 1)
    expected = _reference(d, tr)
    assert len(expected) == 4  # major events, two categories, risks
    assert sections[1 : 1 + len(expected)] == expected
    assert "&lt;b&gt;&amp;&lt;/b&gt; done next line" in sections[2] + sections[3]


def _as_stored(d: BulletinData) -> BulletinData:
    """The same issue as storage reads it when the progress service stored line_html with
    every other entry (older entries have none); a risk's only when within the risk clip."""
    rows: list[EntryRow] = []
    for k, logged in enumerate(cast(list[Entry], d.entries)):
        row = as_row(logged)
        rows.append((*row[:3], line_html(logged.text), *row[4:6], 0) if k % 2 else row)
    risks = []
    for item in d.open_risks:
        risk = item.entry
        if isinstance(risk, Entry):
            within = len(risk.text) <= RISK_CLIP
            text = line_html(risk.text) if within else risk.text
            at = utc_iso(risk.created_at)
            risk = (risk.id, risk.project_code, text, at, risk.severity, int(not within))
        risks.append(RiskItem(risk, item.age_days))
    return replace(d, entries=rows, open_risks=risks)


@pytest.mark.parametrize("tr", [EN, ZH], ids=["en", "zh"])
def test_lines_from_stored_line_html_equal_the_plain_rendering(tr: Tr) -> None:
    plain = _data()
    stored = _as_stored(plain)
    assert {row[6] for row in stored.rows} == {0, 1}
    assert {item.entry[5] for item in stored.open_risks} == {0, 1}  # type: ignore[index]
    assert render_sections(stored, tr, TZ, 2027, 1) == render_sections(plain, tr, TZ, 2027, 1)


def test_a_risk_line_is_clipped_no_longer_than_the_stored_line() -> None:
    # storage.progress_reads.open_risk_rows reads line_html for a risk whose text is within
    # RISK_CLIP: right only while line_html (clipped at ENTRY_CLIP) is never shorter.
    assert RISK_CLIP <= ENTRY_CLIP


def test_both_languages_from_one_preparation_equal_fresh_ones() -> None:
    shared = _data()
    for tr in (EN, ZH, EN):  # the second English rendering reuses what the first prepared
        assert render_sections(shared, tr, TZ, 2027, 1) == render_sections(
            _data(), tr, TZ, 2027, 1
        )


@pytest.mark.parametrize("limit", [600, 200, 12, 1])
def test_safe_texts_equal_escaping_each_text(limit: int) -> None:
    texts = [*TEXTS, " a", "b ", "a \n b", "\x00", "&<>", "中 ", " 中"]
    assert safe_texts(texts, limit) == [esc(one_line(t, limit)) for t in texts]
    assert safe_texts([], limit) == []


def _greedy(text: str, limit: int) -> list[str]:
    """Lines packed one by one into parts of at most `limit` (every line fits alone)."""
    parts: list[str] = []
    current: str | None = None
    for line in text.split("\n"):
        if current is not None and len(current) + 1 + len(line) <= limit:
            current += "\n" + line
        else:
            if current is not None:
                parts.append(current)
            current = line
    parts.append(current or "")
    return [p for p in parts if p.strip()]


@pytest.mark.parametrize("limit", [10, 11, 17, 40])
def test_splitting_at_breaks_packs_lines_as_the_line_loop_did(limit: int) -> None:
    lines = ["a" * n for n in (3, 0, 10, 4, 4, 1, 9, 2, 2, 2, 0, 0, 7, 10)]
    text = "\n".join(lines)
    assert split_message(text, limit) == _greedy(text, limit)


def test_a_line_longer_than_the_limit_is_still_cut() -> None:
    parts = split_message("short\n" + "x" * 25 + "\nend", 10)
    assert parts == ["short", "x" * 10, "x" * 10, "xxxxx\nend"]
