"""Plan-change review end to end: filing, the admins' buttons, the reason asked on reject,
the requester told, the disclosure, the card, /changes and the #change offer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.harness import ADMIN, GROUP, MEMBER, STAFF, STAFF2, Harness


def buttons_of(call: Any) -> list[str]:
    """The callback data of a message's buttons, in order."""
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row]


def _rows(h: Harness) -> list[dict[str, Any]]:
    return [dict(r) for r in h.svc.db.query("SELECT * FROM plan_changes")]


async def _request(h: Harness, text: str) -> Any:
    since = h.emu.last_seq
    reply = await h.text(STAFF, text)
    assert "filed; the secretariat will review it" in reply
    (ask,) = await h.emu.wait_for(
        lambda c: c.chat_id == ADMIN and c.ok and bool(c.params.get("reply_markup")),
        since_seq=since,
    )
    return ask


async def test_approve_discloses_and_records(porg: Harness) -> None:
    ask = await _request(porg, "/change BJ-01 | launch moved to March | interface retest")
    assert "Plan-change request #1: BJ-01" in ask.params["text"]
    assert "What changes: launch moved to March" in ask.params["text"]
    approve, _reject = buttons_of(ask)
    since = porg.emu.last_seq
    calls = await porg.press(ADMIN, ADMIN, ask.result["message_id"], approve)
    edit = next(c for c in calls if c.method == "editMessageText")
    assert "approved by" in edit.params["text"]
    await porg.emu.wait_for(
        lambda c: c.chat_id == STAFF and "was approved" in str(c.params.get("text")),
        since_seq=since,
    )
    await porg.emu.wait_for(
        lambda c: c.chat_id == GROUP and "plan change approved" in str(c.params.get("text")),
        since_seq=since,
    )
    card = await porg.text(MEMBER, "/project BJ-01")
    assert "Approved plan changes" in card and "launch moved to March" in card
    assert "already approved" in await porg.text(ADMIN, "/change_approve 1")
    assert "#1 BJ-01 · approved" in await porg.text(STAFF, "/changes BJ-01")


async def test_reject_asks_the_reason_and_tells_the_requester(porg: Harness) -> None:
    ask = await _request(porg, "/change BJ-01｜扩大试点范围｜业务需要")
    _approve, reject = buttons_of(ask)
    calls = await porg.press(ADMIN, ADMIN, ask.result["message_id"], reject)
    (prompt,) = [c for c in calls if c.method == "sendMessage"]
    assert "Why is plan-change request #1 on BJ-01 rejected?" in prompt.params["text"]
    since = porg.emu.last_seq
    reply = await porg.text(ADMIN, "缺少风险评估材料")
    assert "rejected by" in reply
    (told,) = await porg.emu.wait_for(
        lambda c: c.chat_id == STAFF and "was rejected" in str(c.params.get("text")),
        since_seq=since,
    )
    assert "Reason: 缺少风险评估材料" in told.params["text"]
    assert [r["state"] for r in _rows(porg)] == ["rejected"]
    await porg.send(STAFF, "/lang zh")
    assert "驳回" in await porg.text(STAFF, "/changes")


async def test_progress_change_tag_offers_a_request(porg: Harness) -> None:
    (reply,) = await porg.send(STAFF, "/progress BJ-01 #变更 上线时间拟调整")
    (offer,) = buttons_of(reply)
    calls = await porg.press(STAFF, STAFF, reply.result["message_id"], offer)
    (prompt,) = [c for c in calls if c.method == "sendMessage"]
    assert "What changes in the plan of BJ-01?" in prompt.params["text"]
    await porg.send(STAFF, "上线时间调整至3月")
    done = await porg.text(STAFF, "清算接口需重新测试")
    assert "Plan-change request #1 on BJ-01 filed" in done
    assert [(r["what"], r["why"]) for r in _rows(porg)] == [
        ("上线时间调整至3月", "清算接口需重新测试")
    ]


@pytest.mark.parametrize(
    ("user", "command", "answer"),
    [
        (STAFF2, "/change BJ-01 | x | y", "Only staff of a unit following BJ-01"),
        (STAFF, "/change NOPE-1 | x | y", "Unknown project NOPE-1"),
        (STAFF, "/change BJ-01 | x", "Usage:"),
        (MEMBER, "/change BJ-01 | x | y", "needs the staff role"),
        (STAFF, "/change_approve 1", "needs the admin role"),
        (ADMIN, "/change_approve 9", "no plan-change request #9"),
        (ADMIN, "/change_reject 9 why", "no plan-change request #9"),
        (ADMIN, "/change_reject x", "Usage:"),
    ],
)
async def test_refusals_change_nothing(
    porg: Harness, user: int, command: str, answer: str
) -> None:
    assert answer in await porg.text(user, command)
    assert _rows(porg) == []


async def test_reject_by_command_needs_a_reason(porg: Harness) -> None:
    await _request(porg, "/change BJ-01 | a | b")
    assert "Say why the request is rejected" in await porg.text(ADMIN, "/change_reject 1")
    assert "rejected by" in await porg.text(ADMIN, "/change_reject 1 材料不全")
    assert "already rejected" in await porg.text(ADMIN, "/change_approve 1")
