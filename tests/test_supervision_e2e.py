"""The project record end to end: /project_edit with its history, /tier, /projects tier,
a round scoped by tier and the bulletin ordered by tier, in both languages."""

from __future__ import annotations

from typing import Any

import pytest

from storage import project_stages, projects
from tests.support.harness import ADMIN, MEMBER, OUTSIDER, STAFF, Harness, buttons_of, type_org
from tests.support.projects import snapshot


def _state(h: Harness) -> dict[str, Any]:
    out = snapshot(h)
    out["history"] = [dict(r) for r in h.svc.db.query("SELECT * FROM project_history")]
    return out


async def test_edit_keeps_the_old_value_in_the_history(porg: Harness) -> None:
    reply = await porg.text(ADMIN, "/project_edit bj-01 | lead institution | 示例证券股份有限公司")
    assert (
        "BJ-01: lead institution changed from Example Securities to 示例证券股份有限公司" in reply
    )
    reply = await porg.text(ADMIN, "/project_edit BJ-01｜类别｜科技赋能")
    assert "category changed from technology innovation to technology enablement" in reply
    card = await porg.text(MEMBER, "/project BJ-01")
    assert "Lead institution: 示例证券股份有限公司" in card and "technology enablement" in card
    shown = await porg.text(ADMIN, "/project_history BJ-01")
    assert "lead institution: Example Securities → 示例证券股份有限公司" in shown
    assert "category: technology innovation → technology enablement" in shown
    await porg.send(ADMIN, "/lang zh")
    shown = await porg.text(ADMIN, "/project_history BJ-01")
    assert "BJ-01项目信息变更记录" in shown and "类别：技术创新 → 科技赋能" in shown
    assert "暂无变更记录" in await porg.text(ADMIN, "/project_history BJ-02")
    reply = await porg.text(ADMIN, "/project_edit BJ-02 | 地区 | 北京市")
    assert "BJ-02项目地区已由“—”变更为“北京市”" in reply


@pytest.mark.parametrize(
    ("user", "command", "answer"),
    [
        (ADMIN, "/project_edit BJ-01 | colour | red", "Unknown field colour"),
        (ADMIN, "/project_edit BJ-01 | category | weather", "Unknown category weather"),
        (ADMIN, "/project_edit BJ-01 | name | Supply-chain finance", "already has that value"),
        (ADMIN, "/project_edit BJ-01 | name", "The project's name and lead institution"),
        (ADMIN, "/project_edit NOPE-1 | name | x", "Unknown project NOPE-1"),
        (ADMIN, "/project_edit BJ-01", "Usage:"),
        (ADMIN, "/tier BJ-01 focus", "Say why"),
        (ADMIN, "/tier BJ-01 purple | why", "Unknown tier purple"),
        (ADMIN, "/tier BJ-01", "Usage:"),
        (ADMIN, "/tier NOPE-1 focus | why", "Unknown project NOPE-1"),
        (STAFF, "/tier BJ-01 focus | why", "needs the admin role"),
        (STAFF, "/project_edit BJ-01 | name | x", "needs the admin role"),
        (MEMBER, "/project_history BJ-01", "needs the admin role"),
        (OUTSIDER, "/tier BJ-01 focus | why", "needs the admin role"),
    ],
)
async def test_refusals_change_nothing(
    porg: Harness, user: int, command: str, answer: str
) -> None:
    before = _state(porg)
    assert answer in await porg.text(user, command)
    assert _state(porg) == before


async def test_tiers_on_card_list_round_and_bulletin(porg: Harness) -> None:
    await porg.send(ADMIN, "/stage BJ-02 running")
    reply = await porg.text(ADMIN, "/tier BJ-02 重点 | 综合评估发现风险敞口较大")
    assert "BJ-02 is now in the focus tier (was —)" in reply
    assert "regular tier (was —)" in await porg.text(ADMIN, "/tier BJ-01 regular | 运行平稳")
    assert "Supervision tier: focus" in await porg.text(MEMBER, "/project BJ-02")
    listing = await porg.text(MEMBER, "/projects tier")
    assert listing.index("focus") < listing.index("BJ-02") < listing.index("regular")
    assert "BJ-01" not in await porg.text(MEMBER, "/projects 重点")
    assert "reason: 综合评估发现风险敞口较大" in await porg.text(ADMIN, "/project_history BJ-02")
    opened = await porg.text(ADMIN, "/round_new 2d | 重点")
    assert "Usage:" not in opened and "No running project" not in opened
    asked = [dict(r) for r in porg.svc.db.query("SELECT project_code FROM round_requests")]
    assert {r["project_code"] for r in asked} == {"BJ-02"}
    # A reporting frequency per tier: a schedule scoped to the focus tier is accepted.
    planned = await porg.text(ADMIN, "/round_schedule weekly fri 09:00 | 2d | 重点")
    assert "Usage:" not in planned and "No running project" not in planned
    rows = list(porg.svc.db.query("SELECT scope FROM round_schedules"))
    assert len(rows) == 1 and "key" in rows[0]["scope"]
    await porg.send(STAFF, "/progress BJ-01 #milestone first trade")
    await porg.send(ADMIN, "/follow BJ-02 TECH")
    await porg.send(STAFF, "/progress BJ-02 #milestone pension pilot live")
    await porg.send(ADMIN, "/project_edit BJ-02 | category | tech")
    bulletin = await porg.text(STAFF, "/bulletin")
    assert bulletin.index("BJ-02 Pension service") < bulletin.index("BJ-01 Supply-chain")
    assert "(focus)" in bulletin
    await porg.send(MEMBER, "/lang zh")
    assert "监管层级：重点" in await porg.text(MEMBER, "/project BJ-02")
    assert "未分级" not in await porg.text(MEMBER, "/projects 分级")


async def test_risk_severity_on_card_and_bulletin(porg: Harness) -> None:
    await porg.send(STAFF, "/progress BJ-01 #风险 接口偶有超时")
    await porg.send(STAFF, "/progress BJ-01 #risk #高 settlement outage")
    card = await porg.text(MEMBER, "/project BJ-01")
    assert card.index("#2, open 0 days: [high] #risk") < card.index("#1, open 0 days: [medium]")
    bulletin = await porg.text(STAFF, "/bulletin")
    assert bulletin.index("[high] #risk #高 settlement") < bulletin.index("[medium] #风险 接口")
    await porg.send(MEMBER, "/lang zh")
    assert "【高】#risk #高 settlement outage" in await porg.text(MEMBER, "/project BJ-01")


async def test_exit_asks_the_way_and_assessment_and_discloses_how(porg: Harness) -> None:
    before = _state(porg)
    assert "Say how BJ-01 leaves" in await porg.text(ADMIN, "/stage BJ-01 exited | 不明")
    assert "not withdrawn" in await porg.text(ADMIN, "/stage BJ-01 terminated | withdrawn | x")
    assert _state(porg) == before
    since = porg.emu.last_seq
    reply = await porg.text(ADMIN, "/stage BJ-01 主动退出 | 申报机构主动申请退出")
    assert "running under supervision → exited" in reply
    msgs = await porg.emu.wait_for(
        lambda c: "Way out: withdrawn" in str(c.params.get("text")), since_seq=since
    )
    assert "Exit assessment: 申报机构主动申请退出" in msgs[0].params["text"]
    rows = list(porg.svc.db.query("SELECT kind FROM schedule WHERE kind = 'exit_followup'"))
    assert len(rows) == 1


async def test_exit_without_the_way_is_a_guided_follow_up(porg: Harness) -> None:
    before = _state(porg)
    calls = await porg.send(ADMIN, "/stage BJ-01 exited")
    (asked,) = [c for c in calls if c.method == "sendMessage"]
    assert "How does BJ-01 leave the pilot?" in asked.params["text"]
    names = [b["text"] for row in asked.params["reply_markup"]["inline_keyboard"] for b in row]
    assert names == ["completed", "withdrawn", "terminated for cause"]
    _completed, _withdrawn, for_cause = buttons_of(asked)
    pressed = await porg.press(ADMIN, ADMIN, asked.result["message_id"], for_cause)
    (edited,) = [c for c in pressed if c.method == "editMessageText"]
    assert "BJ-01 leaves the pilot: terminated for cause" in edited.params["text"]
    # The edited question asks for the assessment: it is not posted a second time.
    assert [c for c in pressed if c.method == "sendMessage"] == []
    assert _state(porg) == before  # nothing moves before the assessment
    since = porg.emu.last_seq
    reply = await porg.text(ADMIN, "重大风险未整改，<终止>试点")
    assert "running under supervision → terminated" in reply
    msgs = await porg.emu.wait_for(
        lambda c: "Way out: terminated for cause" in str(c.params.get("text")), since_seq=since
    )
    assert "重大风险未整改，&lt;终止&gt;试点" in msgs[0].params["text"]
    rows = list(porg.svc.db.query("SELECT ref FROM schedule WHERE kind = 'exit_followup'"))
    assert len(rows) == 1
    assert "took no" not in await porg.text(ADMIN, "/project BJ-01")  # the form is closed


async def test_exit_follow_up_typed_in_chinese_and_cancelled(porg: Harness) -> None:
    await porg.send(ADMIN, "/lang zh")
    before = _state(porg)
    asked = await porg.text(ADMIN, "/stage BJ-02 终止")
    assert "BJ-02项目退出方式：终止" in asked and "退出评估" in asked
    assert "已取消" in await porg.text(ADMIN, "/cancel")
    assert _state(porg) == before
    asked = await porg.text(ADMIN, "/stage BJ-02 退出")
    assert "BJ-02项目以何种方式退出试点" in asked
    assert "退出评估" in await porg.text(ADMIN, "完成退出")
    reply = await porg.text(ADMIN, "试点目标均已达成，退出报告已报送")
    assert "BJ-02：征集 → 退出。" in reply
    project = projects.get_project(porg.svc.db, "BJ-02")
    assert project is not None and project.stage == "exited"
    change = project_stages.last_exit(porg.svc.db, "BJ-02")
    assert change is not None and change.exit_way == "completed"
    assert change.note == "试点目标均已达成，退出报告已报送"


async def test_project_exit_in_one_line_refuses_an_unknown_way(porg: Harness) -> None:
    before = _state(porg)
    assert "The way out is one of" in await porg.text(ADMIN, "/project_exit BJ-01 | gone | x")
    assert "needs the admin role" in await porg.text(STAFF, "/project_exit BJ-01 | 完成 | x")
    assert _state(porg) == before
    reply = await porg.text(ADMIN, "/project_exit BJ-01 | 完成退出 | targets met")
    assert "running under supervision → exited" in reply


async def test_integrity_record_for_admins(porg: Harness) -> None:
    reply = await porg.text(ADMIN, "/record_add BJ-01 | 退出报告迟报两个月")
    assert "Recorded on the integrity record of Example Securities (about BJ-01)" in reply
    shown = await porg.text(ADMIN, "/record example securities")
    assert "Integrity record: Example Securities" in shown and "退出报告迟报两个月" in shown
    assert "Risks open over 60 days" in shown
    assert "No project has the code or lead" in await porg.text(ADMIN, "/record Nobody Bank")
    assert "Write what is recorded" in await porg.text(ADMIN, "/record_add BJ-01 |  ")
    assert "needs the admin role" in await porg.text(STAFF, "/record BJ-01")
    await porg.send(ADMIN, "/lang zh")
    shown = await porg.text(ADMIN, "/record BJ-01")
    assert "诚信档案：Example Securities" in shown and "迟报、未报情况" in shown


async def test_record_in_a_window_paged_with_buttons(porg: Harness) -> None:
    for n in range(11):
        await porg.send(ADMIN, f"/record_add BJ-01 | entry {n}")
    calls = await porg.send(ADMIN, "/record Example Securities 30")
    (first,) = [c for c in calls if c.method == "sendMessage"]
    text = first.params["text"]
    assert "Window: Last 30 days" in text and "<b>Recorded entries</b>: 11" in text
    assert "Page 1 of 2, newest first:" in text and "Recorded about BJ-01: entry 10" in text
    assert "entry 0" not in text  # on page 2
    (forward,) = buttons_of(first)
    pressed = await porg.press(ADMIN, ADMIN, first.result["message_id"], forward)
    (edited,) = [c for c in pressed if c.method == "editMessageText"]
    assert "Page 2 of 2" in edited.params["text"] and "entry 0" in edited.params["text"]
    names = [b["text"] for row in edited.params["reply_markup"]["inline_keyboard"] for b in row]
    assert names == ["◀ Prev"]
    await porg.send(ADMIN, "/lang zh")
    shown = await porg.text(ADMIN, "/record 示例证券 近30天 第2页".replace("示例证券", "BJ-01"))
    assert "时间范围：近30天" in shown and "第2页，共2页" in shown
    assert "<b>记录事项</b>：11" in shown
    later = await porg.text(ADMIN, "/record BJ-01 自2030-01-01")
    assert "该时间范围内无记录" in later and "<b>记录事项</b>：0" in later
    assert "/record" in await porg.text(ADMIN, "/record BJ-01 自2026-13-45")  # usage


async def test_audit_pages_with_buttons(porg: Harness) -> None:
    await type_org(porg)  # the fixture's organisation was seeded, not typed: audit it typed
    calls = await porg.send(ADMIN, "/audit")
    (first,) = [c for c in calls if c.method == "sendMessage"]
    assert "page 1 of" in first.params["text"]
    (forward,) = buttons_of(first)
    pressed = await porg.press(ADMIN, ADMIN, first.result["message_id"], forward)
    (edited,) = [c for c in pressed if c.method == "editMessageText"]
    assert "(page 2 of" in edited.params["text"]
    back = buttons_of(edited)[0]
    pressed = await porg.press(ADMIN, ADMIN, first.result["message_id"], back)
    (edited,) = [c for c in pressed if c.method == "editMessageText"]
    assert "(page 1 of" in edited.params["text"]
