"""Files, search, dossier and audit through the real stack: a captioned document with
/progress is kept, /files sends it back by file_id, /search finds Chinese substrings,
/dossier is a valid A4 Word document, /audit is for admins."""

from __future__ import annotations

import io

from docx import Document as DocxDocument

from tests.support.harness import ADMIN, MEMBER, OUTSIDER, STAFF, Harness


async def _send_file(h: Harness, user: int, media: str, caption: str, name: str = "") -> list:
    before = h.emu.last_seq
    update = h.emu.send_file(user, media, b"%PDF-1.4 plan", caption, name, chat_id=user)
    await h.probe.wait(update["update_id"])
    return [c for c in h.emu.calls() if c.seq > before and c.method.startswith("send")]


async def test_captioned_document_is_kept_and_sent_back(porg: Harness) -> None:
    calls = await _send_file(
        porg, STAFF, "document", "/progress BJ-01 #milestone 数字凭证上线方案", "方案.pdf"
    )
    reply = "\n".join(str(c.params.get("text")) for c in calls)
    assert "Logged #1 on BJ-01" in reply and "File kept: 方案.pdf" in reply
    stored = porg.svc.db.execute("SELECT file_id, name, by_user FROM attachments").fetchall()
    assert len(stored) == 1 and stored[0][1] == "方案.pdf" and stored[0][2] == STAFF
    card = await porg.text(MEMBER, "/project BJ-01")
    assert "Files (1): 方案.pdf" in card
    sent = await porg.send(MEMBER, "/files BJ-01")
    assert [c.method for c in sent] == ["sendMessage", "sendDocument"]  # the list, then files
    assert "1 file, sent below" in str(sent[0].params["text"])
    assert sent[1].ok and sent[1].params["document"] == stored[0][0]
    assert "BJ-01" in str(sent[1].params["caption"])


async def test_captioned_photo_kept_and_a_file_without_command_is_answered(
    porg: Harness,
) -> None:
    calls = await _send_file(porg, STAFF, "photo", "/progress BJ-01 现场照片")
    assert any("File kept" in str(c.params.get("text")) for c in calls)
    (told,) = await _send_file(porg, STAFF, "photo", "just a holiday picture")
    assert "This file was not kept" in told.params["text"] and "/apply_file" in told.params["text"]
    sent = await porg.send(MEMBER, "/files BJ-01")
    assert [c.method for c in sent].count("sendPhoto") == 1


async def test_search_chinese_and_roles(porg: Harness) -> None:
    await porg.send(STAFF, "/progress BJ-01 #risk 数字凭证结算风险排查")
    long = await porg.text(MEMBER, "/search 凭证结算")
    assert "1 result" in long and "数字凭证结算风险排查" in long
    short = await porg.text(MEMBER, "/search 风险")
    assert "数字凭证结算风险排查" in short
    assert "Nothing found" in await porg.text(MEMBER, "/search 不存在的词")
    assert "needs the member role" in await porg.text(OUTSIDER, "/search 风险")


async def test_dossier_is_an_a4_word_document(porg: Harness) -> None:
    await porg.send(STAFF, "/progress BJ-01 #risk 数字凭证结算风险排查")
    sent = await porg.send(STAFF, "/dossier BJ-01")
    docs = [c for c in sent if c.method == "sendDocument"]
    assert len(docs) == 1
    data = docs[0].params["document"]["data"]
    doc = DocxDocument(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert "Pilot project dossier: Supply-chain finance" in texts
    section = doc.sections[0]
    width, height = section.page_width, section.page_height
    assert width is not None and height is not None
    assert (round(width.mm), round(height.mm)) == (210, 297)
    assert any("数字凭证结算风险排查" in t for t in texts)


async def test_audit_admins_only(porg: Harness) -> None:
    trail = await porg.text(ADMIN, "/audit BJ-01")
    assert "Audit trail" in trail and "/project_add" in trail
    assert "needs the admin role" in await porg.text(STAFF, "/audit")
    assert "/follow" in await porg.text(ADMIN, "/audit 1")


async def test_agenda_item_keeps_its_material(porg: Harness) -> None:
    await porg.send(ADMIN, "/meeting_new joint | 2027-03-20 14:00 | 联席会议")
    calls = await _send_file(
        porg, STAFF, "document", "/agenda_add 1 | 数字凭证试点情况 | BJ-01", "汇报材料.docx"
    )
    assert any("File kept: 汇报材料.docx" in str(c.params.get("text")) for c in calls)
    row = porg.svc.db.execute("SELECT kind, project_code FROM attachments").fetchone()
    assert tuple(row) == ("agenda", "BJ-01")
    assert "汇报材料.docx" in await porg.text(MEMBER, "/files BJ-01")


async def test_a_plan_change_keeps_the_document_sent_with_it(porg: Harness) -> None:
    calls = await _send_file(
        porg, STAFF, "document", "/change BJ-01 | 上线时间调整 | 接口重测", "变更说明.pdf"
    )
    reply = "\n".join(str(c.params.get("text")) for c in calls)
    assert "Plan-change request #1" in reply and "File kept: 变更说明.pdf" in reply
    assert "变更说明.pdf" in await porg.text(MEMBER, "/project BJ-01")
