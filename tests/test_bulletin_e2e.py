"""Bulletins end to end: draft, publish once, archive, show, export, split into parts."""

from __future__ import annotations

import io

import pytest
from docx import Document as DocxDocument

from storage import bulletins, outbox
from tests.support.harness import ADMIN, GROUP, MEMBER, OUTSIDER, STAFF, STAFF2, Harness
from tests.support.projects import snapshot, texts_to


async def published_to_group(h: Harness, since: int, count: int = 1) -> list[str]:
    """Wait until `count` bulletin parts reached the group; return their texts."""
    calls = await h.emu.wait_for(
        lambda c: c.chat_id == GROUP and c.ok,
        count=count,
        since_seq=since,
        method="sendMessage",
    )
    return [str(c.params["text"]) for c in calls]


async def test_draft_is_private_and_for_staff(porg: Harness) -> None:
    await porg.send(STAFF, "/progress BJ-01 #milestone go-live")
    calls = await porg.send(STAFF, "/bulletin", chat=GROUP)
    draft = next(c for c in calls if c.chat_id == STAFF)
    assert "Draft, not yet published" in draft.params["text"]
    assert "Bulletin 2027/1" in draft.params["text"] and "go-live" in draft.params["text"]
    assert any("Sent to you privately" in str(c.params.get("text")) for c in calls)
    assert "needs the staff role" in await porg.text(MEMBER, "/bulletin")
    assert bulletins.latest_issue(porg.svc.db) is None
    await porg.send(STAFF, "/lang zh")
    assert "2027年第1期" in await porg.text(STAFF, "/bulletin")


async def test_publish_once_show_and_archive(porg: Harness) -> None:
    await porg.send(STAFF, "/progress BJ-01 #milestone go-live <ok>")
    await porg.send(STAFF2, "/progress BJ-02 #risk data feed unstable")
    since = porg.emu.last_seq
    assert "Published Bulletin 2027/1." in await porg.text(ADMIN, "/bulletin_publish")
    (sent,) = await published_to_group(porg, since)
    assert "go-live &lt;ok&gt;" in sent and "2 entries, 1 new risk, 0 risks closed" in sent
    assert "Units that reported: Beijing Bureau (BJ), Technology Supervision Bureau (TECH)" in sent
    # Publishing again by accident makes no second issue and no second push.
    before = snapshot(porg)
    assert "Nothing new since Bulletin 2027/1" in await porg.text(ADMIN, "/bulletin_publish")
    assert snapshot(porg) == before
    assert len(bulletins.list_issues(porg.svc.db)) == 1
    assert len(outbox.by_key_prefix(porg.svc.db, "bulletin:")) == 1
    # The archive and the issue exactly as published.
    assert "/bulletin_show 2027/1" in await porg.text(MEMBER, "/bulletins")
    assert await porg.text(MEMBER, "/bulletin_show 2027/1") == sent
    assert "There is no bulletin 2027/9" in await porg.text(MEMBER, "/bulletin_show 2027/9")
    assert "Usage:" in await porg.text(MEMBER, "/bulletin_show <b>1</b>")
    assert "needs the member role" in await porg.text(OUTSIDER, "/bulletins")
    assert "needs the member role" in await porg.text(OUTSIDER, "/bulletin_show 2027/1")
    assert "needs the admin role" in await porg.text(STAFF, "/bulletin_publish")
    # The next issue covers only what came after, and is numbered 2.
    await porg.send(STAFF2, "/progress BJ-02 #rectification feed fixed, closes #2")
    assert "Published Bulletin 2027/2." in await porg.text(ADMIN, "/bulletin_publish")
    second = bulletins.issue_parts(porg.svc.db, bulletins.get_issue(porg.svc.db, 2027, 2).id, "en")  # type: ignore[union-attr]
    assert "go-live" not in second[0] and "closed by #3" in second[0]


async def test_published_in_each_chat_language(porg: Harness) -> None:
    await porg.send(ADMIN, "/lang zh", chat=GROUP)
    await porg.send(STAFF, "/progress BJ-01 #里程碑 上线")
    await porg.send(MEMBER, "/lang zh")
    since = porg.emu.last_seq
    await porg.send(ADMIN, "/bulletin_publish")
    (sent,) = await published_to_group(porg, since)
    assert "2027年第1期" in sent and "协调小组秘书处" in sent and "【里程碑】" in sent
    assert await porg.text(MEMBER, "/bulletin_show 2027/1") == sent
    assert await porg.text(MEMBER, "/bulletin_show 2027年第１期") == sent


@pytest.mark.parametrize("fmt", ["", "docx", "md"])
async def test_export(porg: Harness, fmt: str) -> None:
    await porg.send(STAFF, "/progress BJ-01 #milestone go-live & <more>")
    await porg.send(ADMIN, "/bulletin_publish")
    if fmt == "md":
        await porg.send(MEMBER, "/lang zh")
    calls = await porg.send(MEMBER, f"/bulletin_export 2027/1 {fmt}".strip())
    (doc,) = [c for c in calls if c.method == "sendDocument"]
    data = porg.emu.file_bytes(doc.result["document"]["file_id"])
    if fmt == "md":
        text = data.decode()
        assert text.startswith("# 金融科技创新试点工作简报\n\n**2027年第1期**\n\n")
        assert "协调小组秘书处" in text and r"go-live & \<more\>" in text
        assert "报送：协调小组组长、副组长。" in text
        assert doc.result["document"]["file_name"] == "bulletin-2027-01.md"
        return
    paragraphs = [p.text for p in DocxDocument(io.BytesIO(data)).paragraphs]
    assert paragraphs[:2] == ["Fintech Innovation Pilot Work Bulletin", "Bulletin 2027/1"]
    assert paragraphs[2].startswith("Coordination Group Secretariat\t")
    assert any("go-live & <more>" in p for p in paragraphs)


async def test_export_bad_input(porg: Harness) -> None:
    assert "Usage:" in await porg.text(MEMBER, "/bulletin_export 2027/1 pdf")
    assert "There is no bulletin" in await porg.text(MEMBER, "/bulletin_export 2027/1")
    assert "needs the member role" in await porg.text(OUTSIDER, "/bulletin_export 2027/1")


async def test_long_bulletin_goes_out_in_valid_numbered_parts(porg: Harness) -> None:
    for i in range(40):
        await porg.send(STAFF, f"/progress BJ-01 #milestone step {i} <b>" + "进展顺利 " * 120)
    since = porg.emu.last_seq
    await porg.send(ADMIN, "/bulletin_publish")
    issue = bulletins.latest_issue(porg.svc.db)
    assert issue is not None
    parts = bulletins.issue_parts(porg.svc.db, issue.id, "en")
    assert len(parts) >= 4
    # The emulator refuses invalid HTML and over-long messages: every part arriving proves both.
    calls = await porg.emu.wait_for(
        lambda c: c.chat_id == GROUP and c.ok,
        count=len(parts),
        since_seq=since,
        method="sendMessage",
        timeout=10,
    )
    for i, call in enumerate(calls, start=1):
        assert call.params["text"].startswith(f"<i>Part {i} of {len(parts)}</i>")
    assert not [c for c in porg.emu.calls("sendMessage", GROUP, since) if c.ok is False]
    assert len(texts_to(porg, GROUP, since)) == len(parts)
