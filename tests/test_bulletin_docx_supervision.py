"""The Word export of a bulletin says each project's tier and each risk's severity exactly as
the chat text does, in both languages: the .docx read back with python-docx."""

from __future__ import annotations

import dataclasses
import io

import pytest
from docx import Document as DocxDocument

from bot.i18n import Translator
from bot.render.bulletin import render_sections
from bot.render.bulletin_data import RiskItem
from bot.render.bulletin_doc import BulletinHead, plain, to_docx
from tests.support.bulletins import NOW, TZ, data, entry
from tests.support.harness import ADMIN, MEMBER, STAFF, Harness

EN, ZH = Translator().get("en"), Translator().get("zh")
NUMBERS = {"（一）", "（二）", "(a) ", "(b) "}  # a project's sub-heading number


def _sections(tr: object) -> list[str]:
    """BJ-01 (focus tier) with a high and a low risk open, BJ-02 (watch tier), BJ-03 none."""
    high = dataclasses.replace(entry(1, "BJ-01", "#risk 清算接口中断"), severity="high")
    low = dataclasses.replace(entry(2, "BJ-01", "#risk 文档待补充"), severity="low")
    entries = [high, low, entry(3, "BJ-02", "#milestone 平台上线"), entry(4, "BJ-03", "接入")]
    d = data(entries)
    d.projects["BJ-03"] = dataclasses.replace(d.projects["BJ-01"], code="BJ-03", name="Third")
    d.projects["BJ-01"] = dataclasses.replace(d.projects["BJ-01"], tier="key")
    d.projects["BJ-02"] = dataclasses.replace(d.projects["BJ-02"], tier="watch")
    d.open_risks.extend([RiskItem(high, 1), RiskItem(low, 1)])
    return render_sections(d, tr, TZ, 2027, 4)  # type: ignore[arg-type]


def _paragraphs(sections: list[str], tr: object) -> list[str]:
    head = BulletinHead("2027年第4期", NOW.date())
    doc = DocxDocument(io.BytesIO(to_docx(head, sections, tr)))  # type: ignore[arg-type]
    return [p.text for p in doc.paragraphs]


@pytest.mark.parametrize(
    ("tr", "tiers", "severities"),
    [
        (
            EN,
            ["BJ-01 Project BJ-01 (focus)", "BJ-02 Project BJ-02 (watch)", "BJ-03 Third"],
            ["[high] #risk 清算接口中断", "[low] #risk 文档待补充"],
        ),
        (
            ZH,
            ["BJ-01 Project BJ-01（重点）", "BJ-02 Project BJ-02（关注）", "BJ-03 Third"],
            ["【高】#risk 清算接口中断", "【低】#risk 文档待补充"],
        ),
    ],
)
def test_tiers_and_severities_read_the_same_in_chat_and_in_word(
    tr: object, tiers: list[str], severities: list[str]
) -> None:
    sections = _sections(tr)
    chat = [plain(line) for section in sections for line in section.split("\n")]
    word = _paragraphs(sections, tr)
    for shown in tiers:
        (in_chat,) = [line for line in chat if line == shown]
        # In Word each project is a numbered sub-heading, its tier included: （一）, (1).
        (heading,) = [p for p in word if p.endswith(in_chat)]
        assert heading[: -len(in_chat)] in NUMBERS
    for shown in severities:
        # The open risks' lines lead with the severity, in chat and in Word alike.
        (in_chat,) = [line for line in chat if line.endswith(shown)]
        assert [p for p in word if p.endswith(shown)] == [in_chat]


@pytest.mark.parametrize(
    ("lang", "tier", "severity"),
    [
        ("en", " (focus)", "[high] #risk #高 清算中断"),
        ("zh", "（重点）", "【高】#risk #高 清算中断"),
    ],
)
async def test_exported_issue_through_the_bot(
    porg: Harness, lang: str, tier: str, severity: str
) -> None:
    await porg.send(ADMIN, "/tier BJ-01 重点 | 综合评估")
    await porg.send(STAFF, "/progress BJ-01 #risk #高 清算中断")
    await porg.send(ADMIN, "/bulletin_publish")
    await porg.send(MEMBER, f"/lang {lang}")
    text = await porg.text(MEMBER, "/bulletin_show 2027/1")
    shown = [plain(line) for line in text.split("\n")]
    calls = await porg.send(MEMBER, "/bulletin_export 2027/1 docx")
    (doc,) = [c for c in calls if c.method == "sendDocument"]
    data = porg.emu.file_bytes(doc.result["document"]["file_id"])
    word = [p.text for p in DocxDocument(io.BytesIO(data)).paragraphs]
    (project,) = [line for line in shown if line.startswith("BJ-01 ")]
    assert tier in project and [p for p in word if p.endswith(project)] != []
    (risk,) = [line for line in shown if line.endswith(severity)]  # the open risk's line
    assert risk in word
