"""Files are never dropped in silence: a document sent while /apply's form is open is the
application's material, a bare /apply as a document's caption opens the form with it, a file
no record takes is answered in a private chat (silence in a group), and a file sent with a
command that keeps none is answered saying so."""

from __future__ import annotations

from typing import Any

from storage import forms
from tests.support.harness import ADMIN, GROUP, STAFF, Harness, table_rows

ANSWERS = ["1", "债券风险雷达", "技术创新", "示例证券", "梅 138", "实时监测债券交易"]


async def send_file(
    h: Harness, user: int, caption: str, name: str, chat: int | None = None
) -> str:
    """A user sends a document; the text of the bot's answers, joined."""
    before = h.emu.last_seq
    update = h.emu.send_file(
        user, "document", name.encode() * 4, caption, name, chat_id=user if chat is None else chat
    )
    await h.probe.wait(update["update_id"])
    calls = [c for c in h.emu.calls() if c.seq > before and c.method.startswith("send")]
    return "\n".join(str(c.params.get("text")) for c in calls)


def materials(h: Harness, app_id: int) -> list[tuple[Any, ...]]:
    rows = h.svc.db.execute(
        "SELECT name, by_user, project_code FROM attachments WHERE kind = 'application' "
        "AND ref = ? ORDER BY id",
        [str(app_id)],
    ).fetchall()
    return [tuple(r) for r in rows]


async def test_a_document_sent_while_apply_is_open_is_kept_with_the_application(
    porg: Harness,
) -> None:
    h = porg
    await h.send(ADMIN, "/call_new Second batch | 2027-03-05")
    assert "Call number" in await h.text(STAFF, "/apply")
    await h.send(STAFF, ANSWERS[0])
    await h.send(STAFF, ANSWERS[1])
    told = await send_file(h, STAFF, "", "申报书.pdf")
    assert "File kept: 申报书.pdf" in told and "last question" in told
    assert "Category" in told  # the question still open is asked again
    assert materials(h, 1) == []  # nothing filed before the form completes
    for answer in ANSWERS[2:]:
        reply = await h.text(STAFF, answer)
    assert "Application 1 to call 1 is filed" in reply and "File kept: 申报书.pdf" in reply
    assert materials(h, 1) == [("申报书.pdf", STAFF, None)]
    assert "申报书.pdf" in await h.text(ADMIN, "/application 1")


async def test_a_bare_apply_caption_opens_the_form_with_the_document(porg: Harness) -> None:
    h = porg
    await h.send(ADMIN, "/call_new Second batch | 2027-03-05")
    asked = await send_file(h, STAFF, "/apply", "方案.docx")
    assert "File kept: 方案.docx" in asked and "Call number" in asked
    for answer in ANSWERS:
        reply = await h.text(STAFF, answer)
    assert "File kept: 方案.docx" in reply
    assert materials(h, 1) == [("方案.docx", STAFF, None)]
    await h.send(ADMIN, "/application_accept 1 BJ-17")
    assert materials(h, 1) == [("方案.docx", STAFF, "BJ-17")]  # /files BJ-17 lists it
    assert "方案.docx" in await h.text(ADMIN, "/files BJ-17")


async def test_cancel_keeps_nothing(porg: Harness) -> None:
    h = porg
    await h.send(ADMIN, "/call_new Second batch | 2027-03-05")
    before = table_rows(h.svc.db, "applications", "attachments")
    await send_file(h, STAFF, "/apply", "方案.docx")
    await send_file(h, STAFF, "", "附件.pdf")
    await h.send(STAFF, "/cancel")
    assert table_rows(h.svc.db, "applications", "attachments") == before
    told = await send_file(h, STAFF, "", "附件.pdf")  # the form is gone: not kept, and said
    assert "This file was not kept" in told


async def test_files_nobody_takes(porg: Harness) -> None:
    h = porg
    await h.send(STAFF, "/lang zh")
    told = await send_file(h, STAFF, "", "照片.pdf")
    assert "此文件未保存" in told and "/apply_file" in told
    assert await send_file(h, STAFF, "", "共享.pdf", chat=GROUP) == ""  # people share files
    assert await send_file(h, STAFF, "同事发的材料", "共享.pdf", chat=GROUP) == ""
    answered = await send_file(h, ADMIN, "/projects", "名单.xlsx", chat=GROUP)
    assert "BJ-01" in answered
    assert "The file was not kept: /projects takes no attachment" in answered
    assert "/progress" in answered and "/apply_file" in answered
    assert table_rows(h.svc.db, "attachments") == {"attachments": []}


async def test_a_form_that_takes_no_files_says_so(porg: Harness) -> None:
    h = porg
    assert "Project code" in await h.text(ADMIN, "/project_add")
    told = await send_file(h, ADMIN, "", "x.pdf")
    assert "/project_add takes no attachment" in told and "Project code" in told
    assert "Project name" in await h.text(ADMIN, "BJ-09")


async def test_a_redelivered_file_is_kept_once(porg: Harness) -> None:
    h = porg
    await h.send(ADMIN, "/call_new Second batch | 2027-03-05")
    await h.send(STAFF, "/apply")
    sent = h.emu.send_file(STAFF, "document", b"%PDF", "", "一次.pdf", chat_id=STAFF)
    await h.probe.wait(sent["update_id"])
    again = h.emu.redeliver(sent["update_id"])  # as after a crash before confirmation
    await h.probe.wait(again["update_id"])
    form = forms.get(h.svc.db, STAFF, STAFF)
    assert form is not None and [f.name for f in form.files] == ["一次.pdf"]
    for answer in ANSWERS:
        await h.send(STAFF, answer)
    assert materials(h, 1) == [("一次.pdf", STAFF, None)]
