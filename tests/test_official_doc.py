"""Exported documents in the GB/T 9704-2012 layout: the page, margins and fonts read back from
the .docx XML; the masthead, numbering and imprint; Markdown that renders as typed; and, where
LibreOffice is installed, page 1 rendered to PDF/PNG (22 lines of 28 characters measured)."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest

from bot.config import load_config
from bot.i18n import Translator
from bot.render.bulletin import render_sections
from bot.render.bulletin_data import MeetingItem, RiskItem
from bot.render.bulletin_doc import BulletinHead, to_docx, to_markdown
from bot.render.doc_markdown import md_escape
from bot.render.minutes import MinutesData
from bot.render.minutes_doc import minutes_docx, minutes_md
from bot.render.official_doc import Para, chinese_number, clean, heading_number, official_date
from bot.render.official_docx import render_docx
from storage.minutes import Decision, Publication
from tests.support.bulletins import NOW, TZ, entry
from tests.support.bulletins import data as bulletin_data
from tests.support.meetings import SHANGHAI
from tests.support.minutes import NOW as MINUTES_NOW
from tests.support.minutes import TODAY, action, item
from tests.support.minutes import data as minutes_data

EN, ZH = Translator().get("en"), Translator().get("zh")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEAD = BulletinHead("2027年第4期", date(2027, 3, 5))


def bulletin_sections(tr: object) -> list[str]:
    """An issue with a major event, two categories, an open risk and a meeting."""
    entries = [
        entry(1, "BJ-01", "#milestone 完成首批100家机构接入测试，系统运行平稳"),
        entry(2, "BJ-01", "#risk 数据跨境传输合规评估尚未完成"),
        entry(3, "BJ-02", "#major 客户服务平台正式上线 ✅"),
    ]
    start = NOW + timedelta(days=3)
    meeting = MeetingItem("第四次联席会议", "joint", start, start + timedelta(hours=2), "301室")
    d = bulletin_data(entries, [meeting])
    d.open_risks.append(RiskItem(entries[1], 12))
    return render_sections(d, tr, TZ, 2027, 4)  # type: ignore[arg-type]


def chinese_minutes() -> MinutesData:
    """Published minutes: two units invited, a third present (列席), a unit-owned action."""
    base = minutes_data(published=True)
    meeting = dataclasses.replace(base.sitting.meeting, title="第三次联席会议", invited=("BJ",))
    return dataclasses.replace(
        base,
        sitting=dataclasses.replace(base.sitting, meeting=meeting),
        unit_names={"BJ": "北京证监局", "TECH": "科技监管司"},
        items=[item(1, "试点项目退出规则", reached=True, kind="deliberation")],
        decisions=[Decision(1, 1, "会议原则同意。", MINUTES_NOW)],
        actions=[action(3, None, "BJ", date(2026, 10, 8), text="组织现场检查")],
        publication=Publication(2026, 3, MINUTES_NOW, 1),
        corrections=[],
    )


def parts(data: bytes) -> dict[str, ElementTree.Element]:
    """The parsed XML parts of a .docx, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: ElementTree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml")}


def style(styles: ElementTree.Element, style_id: str) -> ElementTree.Element:
    """One style element by id."""
    found = styles.find(f"{W}style[@{W}styleId='{style_id}']")
    assert found is not None, style_id
    return found


def fonts(element: ElementTree.Element) -> dict[str, str]:
    """The rFonts attributes (without namespace) under an element."""
    rfonts = element.find(f".//{W}rFonts")
    assert rfonts is not None
    return {k.removeprefix(W): v for k, v in rfonts.attrib.items()}


def paragraph_texts(document: ElementTree.Element) -> list[str]:
    """The text of every body paragraph."""
    return [
        "".join(
            " " if e.tag == f"{W}tab" else e.text or ""
            for r in p.iter(f"{W}r")
            for e in r
            if e.tag in (f"{W}t", f"{W}tab")
        )
        for p in document.iter(f"{W}p")
    ]


def test_chinese_bulletin_page_fonts_and_lines() -> None:
    xml = parts(to_docx(HEAD, bulletin_sections(ZH), ZH))
    document, styles = xml["word/document.xml"], xml["word/styles.xml"]
    settings = xml["word/settings.xml"]
    sect = document.find(f".//{W}sectPr")
    assert sect is not None
    size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    assert size is not None and margins is not None
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")  # A4 in twips
    mm = {
        side: round(int(margins.get(f"{W}{side}") or 0) * 25.4 / 1440)
        for side in ("top", "bottom", "left", "right")
    }
    assert mm == {"top": 37, "bottom": 35, "left": 28, "right": 26}
    # Fonts named explicitly (no theme fonts, which would follow a Japanese theme language).
    assert "Theme" not in ElementTree.tostring(styles, encoding="unicode")
    defaults = styles.find(f"{W}docDefaults")
    assert defaults is not None
    assert fonts(defaults)["eastAsia"] == "仿宋_GB2312"
    size_default = defaults.find(f".//{W}sz")
    assert size_default is not None and size_default.get(f"{W}val") == "32"  # 3号 = 16 pt
    spacing = defaults.find(f".//{W}pPrDefault//{W}spacing")
    assert spacing is not None
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("579", "exact")
    assert fonts(style(styles, "Title"))["eastAsia"] == "方正小标宋简体"
    assert fonts(style(styles, "Heading1"))["eastAsia"] == "黑体"
    assert fonts(style(styles, "Heading2"))["eastAsia"] == "楷体_GB2312"
    lang = settings.find(f"{W}themeFontLang")
    assert lang is not None and lang.get(f"{W}eastAsia") == "zh-CN"
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    for run in document.iter(f"{W}r"):  # every run names its East Asian font
        if run.find(f"{W}t") is not None:
            assert fonts(run)["eastAsia"] in {
                "仿宋_GB2312",
                "方正小标宋简体",
                "黑体",
                "楷体_GB2312",
            }
    table = ElementTree.tostring(xml["word/fontTable.xml"], encoding="unicode")
    assert 'w:name="仿宋_GB2312"' in table.replace("ns0:", "w:") and "仿宋" in table
    texts = paragraph_texts(document)
    assert texts[:3] == ["金融科技创新试点工作简报", "2027年第4期", "协调小组秘书处 2027年3月5日"]
    assert "一、重大事项" in texts and "（一）BJ-02 Project BJ-02" in texts
    assert not any("周" in t for t in texts) and not any("✅" in t for t in texts)
    assert "报送：协调小组组长、副组长。" in texts and "协调小组秘书处 2027年3月5日印发" in texts
    red = [r for r in document.iter(f"{W}r") if r.find(f".//{W}color") is not None]
    assert (
        "".join(t.text or "" for r in red for t in r.iter(f"{W}t")) == "金融科技创新试点工作简报"
    )


def test_page_numbers_outside_in_chinese_centred_in_english() -> None:
    for tr, sides in ((ZH, {"right", "left"}), (EN, {"center"})):
        xml = parts(to_docx(HEAD, bulletin_sections(tr), tr))
        footers = [e for n, e in xml.items() if n.startswith("word/footer")]
        found = set()
        for footer in footers:
            text = "".join(t.text or "" for t in footer.iter(f"{W}t"))
            field = footer.find(f".//{W}fldSimple")
            if field is None:
                continue
            assert field.get(f"{W}instr") == "PAGE" and text == "— 1 —"
            jc = footer.find(f".//{W}jc")
            assert jc is not None
            found.add(jc.get(f"{W}val"))
            assert fonts(footer)["eastAsia"] == ("宋体" if tr is ZH else "Times New Roman")
        assert found == sides


def test_english_document_is_a_clean_a4_in_times() -> None:
    xml = parts(
        to_docx(BulletinHead("Bulletin 2027/4", date(2027, 3, 5)), bulletin_sections(EN), EN)
    )
    size = xml["word/document.xml"].find(f".//{W}pgSz")
    assert size is not None and size.get(f"{W}w") == "11906"
    styles = xml["word/styles.xml"]
    for style_id in ("Normal", "Title", "Heading1", "Heading2"):
        assert set(fonts(style(styles, style_id)).values()) >= {"Times New Roman"}
        assert fonts(style(styles, style_id))["eastAsia"] == "Times New Roman"
    texts = paragraph_texts(xml["word/document.xml"])
    assert texts[:3] == [
        "Fintech Innovation Pilot Work Bulletin",
        "Bulletin 2027/4",
        "Coordination Group Secretariat 5 March 2027",
    ]
    assert "1. Major events" in texts and "(a) BJ-02 Project BJ-02" in texts
    assert not any("Thu 4 Mar" in t for t in texts) and any("4 Mar 2027" in t for t in texts)
    assert "Submitted to: the leaders of the Coordination Group." in texts


def test_chinese_minutes_in_the_jiyao_layout() -> None:
    data = minutes_docx(chinese_minutes(), SHANGHAI, ZH, TODAY)
    texts = paragraph_texts(parts(data)["word/document.xml"])
    assert texts[:3] == ["联席会议纪要", "（2026）第3号", "协调小组秘书处 2026年9月10日"]
    assert "第三次联席会议" in texts
    assert "2026年9月8日，召开联席会议。现将会议议定事项纪要如下：" in texts
    assert "一、试点项目退出规则（审议）" in texts and "会议原则同意。" in texts
    assert "二、督办事项" in texts and "（一）北京证监局" in texts
    assert "1. 组织现场检查（A3，完成时限：2026年10月8日）" in texts
    assert "出席：北京证监局" in texts and "列席：科技监管司" in texts
    assert (
        "抄送：协调小组各成员单位。" in texts and texts[-2] == "协调小组秘书处 2026年9月10日印发"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_sets_every_block_apart(lang: str) -> None:
    tr = ZH if lang == "zh" else EN
    for md in (
        to_markdown(HEAD, bulletin_sections(tr), tr).decode(),
        minutes_md(chinese_minutes(), SHANGHAI, tr, TODAY).decode(),
    ):
        lines = md.split("\n")
        assert lines[-1] == "" and lines[-2] != ""  # ends with one newline
        for i, line in enumerate(lines[:-1]):
            if line:  # every block is one line with a blank line on each side
                assert i == 0 or lines[i - 1] == "", (i, line)
                assert lines[i + 1] == "", (i, line)
        assert any(line.startswith("## ") for line in lines)


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("# not a heading", r"\# not a heading"),
        ("- not a list", r"\- not a list"),
        ("12. not a list", r"12\. not a list"),
        ("<b>x</b> & y", r"\<b\>x\</b\> & y"),
        ("a *b* _c_ [d](e) `f` &amp;", r"a \*b\* \_c\_ \[d\](e) \`f\` \&amp;"),
        ("普通中文，（全角）", "普通中文，（全角）"),
    ],
)
def test_markdown_escapes_user_text(typed: str, escaped: str) -> None:
    assert md_escape(typed) == escaped


def test_paper_text_rules() -> None:
    assert [chinese_number(n) for n in (1, 10, 12, 20, 99)] == [
        "一",
        "十",
        "十二",
        "二十",
        "九十九",
    ]
    assert heading_number(1, 3, "zh") == "三、" and heading_number(2, 11, "zh") == "（十一）"
    assert heading_number(1, 3, "en") == "3. " and heading_number(2, 2, "en") == "(b) "
    assert official_date(date(2026, 12, 4), "zh") == "2026年12月4日"
    assert official_date(date(2026, 12, 4), "en") == "4 December 2026"
    assert clean("2026年12月4日 周五 14:00 ⚠️ 已逾期\x07", "zh") == "2026年12月4日 14:00 已逾期"
    assert clean("Fri 4 Dec 2026 a\nb", "en") == "4 Dec 2026 a b"


def test_bulletin_name_is_configurable() -> None:
    config = load_config({"COORDBOT_BULLETIN_NAME": " 金融科技  创新试点简报 "})
    assert config.bulletin_name == "金融科技 创新试点简报" and config.bulletin_name_en == ""
    head = BulletinHead("2027年第4期", date(2027, 3, 5), name=config.bulletin_name)
    assert to_markdown(head, bulletin_sections(ZH), ZH).startswith(
        "# 金融科技 创新试点简报\n".encode()
    )


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow(3)
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_page_one(tmp_path: Path) -> None:
    """Convert both documents and a long paragraph to PDF; measure the grid; keep page 1 of
    each as PNG for a person to look at (in COORDBOT_PREVIEW_DIR when set)."""
    assert SOFFICE is not None
    out = Path(os.environ.get("COORDBOT_PREVIEW_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "bulletin.docx": to_docx(HEAD, bulletin_sections(ZH), ZH),
        "minutes.docx": minutes_docx(chinese_minutes(), SHANGHAI, ZH, TODAY),
        "grid.docx": render_docx([Para("一二三四五六七八九十" * 80, indent=False)], "zh"),
    }
    for name, data in files.items():
        (out / name).write_bytes(data)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *(str(out / n) for n in files),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    for name in files:
        assert (out / name.replace(".docx", ".pdf")).stat().st_size > 1000
    if shutil.which("pdftotext") and cjk_fonts():
        text = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(out / "grid.pdf"), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        lines = [ln for ln in text.splitlines() if ln.strip() and "—" not in ln]
        assert len(lines) == 22 and {len(ln) for ln in lines} == {28}
    if shutil.which("pdftoppm"):
        for name in ("bulletin", "minutes"):
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "60",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-png",
                    str(out / f"{name}.pdf"),
                    str(out / name),
                ],
                check=True,
                timeout=60,
            )
        pngs = sorted(out.glob("*.png"))
        assert len(pngs) == 2
        print("page 1 previews:", *pngs)


def cjk_fonts() -> bool:
    """Whether fontconfig knows a Chinese font (measuring needs real CJK glyphs)."""
    if not shutil.which("fc-list"):
        return False
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    return bool(found.strip())
