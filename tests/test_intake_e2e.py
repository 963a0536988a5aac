"""Intake end to end: a call, applications with materials in the caption, accept, reject."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from storage import attachments, project_follows, projects
from tests.support.harness import (
    ADMIN,
    MEMBER,
    SEND_METHODS,
    STAFF,
    STAFF2,
    Harness,
    clock_of,
    table_rows,
)
from tests.support.projects import snapshot, texts_to

APPLY = "/apply 1 | Bond radar | tech | Example Securities | Sam 138 | Real-time monitoring"


async def send_document(h: Harness, user: int, name: str, caption: str) -> str:
    """A user sends a document with a caption; the bot's answers, joined."""
    before = h.emu.last_seq
    update = h.emu.send_document(user, name, 20_480, caption)
    await h.probe.wait(update["update_id"])
    calls = [c for c in h.emu.calls() if c.seq > before and c.method in SEND_METHODS]
    return "\n".join(str(c.params.get("text") or "") for c in calls)


def rows(h: Harness) -> dict[str, Any]:
    return {
        **snapshot(h),
        **table_rows(h.svc.db, "calls", "applications", "attachments"),
    }


def buttons_of(call: Any) -> list[str]:
    keyboard = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in keyboard for b in row]


async def test_apply_with_materials_accept_and_reject(porg: Harness) -> None:
    h = porg
    opened = await h.text(ADMIN, "/call_new Second batch | 2027-03-05")
    assert "Call 1 opened: Second batch." in opened and "/apply" in opened
    assert "Second batch" in await h.text(STAFF, "/calls")

    filed = await send_document(h, STAFF, "方案.pdf", APPLY)
    assert "Application 1 to call 1 is filed" in filed and "File kept: 方案.pdf" in filed
    (material,) = attachments.of_record(h.svc.db, "application", "1")
    assert (material.name, material.size, material.by_user) == (
        "方案.pdf",
        20_480,
        STAFF,
    )
    assert material.file_id.startswith("document-")
    await h.emu.wait_until(lambda: any("Bond radar" in t for t in texts_to(h, ADMIN)))

    plain = await h.text(STAFF2, APPLY.replace("Bond radar", "Pension link"))
    assert "Application 2" in plain and "/apply_file 2" in plain
    assert "not your unit's" in await send_document(h, STAFF, "x.pdf", "/apply_file 2")
    assert "kept with application 2" in await send_document(
        h, STAFF2, "附件.docx", "/apply_file 2"
    )

    listed = await h.text(ADMIN, "/applications 1")
    assert "#1 Bond radar" in listed and "#2 Pension link" in listed
    shown_calls = await h.send(ADMIN, "/application 1")
    (shown,) = [c for c in shown_calls if c.method == "sendMessage"]
    assert "方案.pdf (20 KB)" in shown.params["text"]
    accept, _reject = buttons_of(shown)
    await h.press(ADMIN, ADMIN, shown.result["message_id"], accept)
    accepted = await h.text(ADMIN, "bj-17")
    assert "project BJ-17 registered in selection" in accepted
    project = projects.get_project(h.svc.db, "BJ-17")
    assert project is not None and project.stage == "selection"
    assert project_follows.followers(h.svc.db, "BJ-17") == ["TECH"]
    await h.emu.wait_until(lambda: any("BJ-17" in t for t in texts_to(h, STAFF)))

    rejected = await h.text(ADMIN, "/application_reject 2 | 不属于本次试点范围")
    assert "the applicant is told the reason" in rejected
    await h.emu.wait_until(lambda: any("不属于本次试点范围" in t for t in texts_to(h, STAFF2)))


async def test_intake_refusals_change_nothing(porg: Harness) -> None:
    h = porg
    await h.send(ADMIN, "/call_new Second batch | 2027-03-05")
    await h.send(STAFF, APPLY)
    await h.send(ADMIN, "/application_accept 1 BJ-17")
    await h.send(STAFF, APPLY)
    before = rows(h)
    assert "needs the admin role" in await h.text(STAFF, "/call_new X | 2027-03-05")
    assert "needs the staff role" in await h.text(MEMBER, APPLY)
    assert "in the past" in await h.text(ADMIN, "/call_new Late | 2027-02-01")
    assert "could not read that deadline" in await h.text(ADMIN, "/call_new Late | someday")
    assert "no call 9" in await h.text(STAFF, APPLY.replace("/apply 1", "/apply 9"))
    assert "Category:" in await h.text(STAFF, APPLY.replace("| tech |", "| cooking |"))
    assert "already decided" in await h.text(ADMIN, "/application_reject 1 | late")
    assert "no application 7" in await h.text(ADMIN, "/application 7")
    assert "already exists" in await h.text(ADMIN, "/application_accept 2 BJ-01")
    assert "Usage:" in await h.text(ADMIN, "/application_accept 1")
    clock_of(h).advance(timedelta(days=5))
    assert "no longer accepted" in await h.text(STAFF, APPLY)
    assert rows(h) == before


async def test_call_closing_tells_the_admins(porg: Harness) -> None:
    h = porg
    await h.send(ADMIN, "/lang zh")
    await h.send(ADMIN, "/call_new 第二批试点项目征集 | 2027-03-05")
    await h.send(STAFF, APPLY)
    clock_of(h).advance(timedelta(days=5))
    assert h.svc.scheduler.fire_due() == 1
    await h.emu.wait_until(lambda: any("共收到1份申报" in t for t in texts_to(h, ADMIN)))
