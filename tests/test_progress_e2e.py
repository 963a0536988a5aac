"""Progress end to end: who may log, tags in both languages, risks and rectifications,
corrections within 30 minutes, withdrawals kept, and #major disclosed at once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import outbox, progress, progress_reads
from tests.support.harness import ADMIN, GROUP, MEMBER, OUTSIDER, STAFF, STAFF2, Harness, clock_of
from tests.support.projects import snapshot, texts_to


async def test_staff_of_following_unit_logs_with_tags(porg: Harness) -> None:
    reply = await porg.text(
        STAFF, "/progress BJ-01 #milestone go-live #change new settlement bank"
    )
    assert "Logged #1 on BJ-01 (tags: milestone, plan change)" in reply
    entry = progress.get_entry(porg.svc.db, 1)
    assert entry is not None and entry.tags == ("milestone", "change")
    assert entry.author_unit == "TECH"
    await porg.send(STAFF2, "/lang zh")
    reply = await porg.text(STAFF2, "/progress bj-02 #里程碑 完成系统对接，#风险 数据接口不稳定")
    assert "已记录#2（BJ-02，标签：里程碑、风险）" in reply
    assert progress.get_entry(porg.svc.db, 2).tags == ("milestone", "risk")  # type: ignore[union-attr]
    assert "Logged #3" in await porg.text(ADMIN, "/progress BJ-02 admin note")


async def test_who_may_not_log(porg: Harness) -> None:
    before = snapshot(porg)
    assert "Only staff of a unit following BJ-02" in await porg.text(STAFF, "/progress BJ-02 x")
    assert "needs the staff role" in await porg.text(MEMBER, "/progress BJ-01 x")
    assert "needs the staff role" in await porg.text(OUTSIDER, "/progress BJ-01 x")
    assert snapshot(porg) == before


@pytest.mark.parametrize(
    "text",
    ["NOPE some text", "BJ-01", "BJ-01    ", "BJ-01 " + "长" * 10_000, "BJ-01 \x00\x01\x02", ""],
)
async def test_bad_input_changes_nothing(porg: Harness, text: str) -> None:
    before = snapshot(porg)
    reply = await porg.text(STAFF, f"/progress {text}" if text else "/progress x")
    assert any(w in reply for w in ("Unknown project", "Usage:", "Too long"))
    assert snapshot(porg) == before


async def test_html_and_control_characters_are_stored_clean_and_shown_escaped(
    porg: Harness,
) -> None:
    reply = await porg.text(STAFF, "/progress BJ-01 <script>x</script> & \x07bell")
    assert "Logged #1" in reply
    assert progress.get_entry(porg.svc.db, 1).text == "<script>x</script> & bell"  # type: ignore[union-attr]
    assert "&lt;script&gt;" in await porg.text(MEMBER, "/project BJ-01")


async def test_risk_open_until_rectification_closes_it(porg: Harness) -> None:
    await porg.send(STAFF, "/progress BJ-01 #risk settlement delay")
    await porg.send(STAFF, "/progress BJ-01 #risk second risk")
    assert "Open risks" in await porg.text(MEMBER, "/project BJ-01")
    before = snapshot(porg)
    assert "tag the entry #rectification" in await porg.text(STAFF, "/progress BJ-01 closes #1")
    assert "#9 is not an open risk" in await porg.text(
        STAFF, "/progress BJ-01 #rectification closes #9"
    )
    assert snapshot(porg) == before
    await porg.send(STAFF, "/lang zh")
    assert "已记录#3" in await porg.text(STAFF, "/progress BJ-01 #整改 已完成 关闭 #1")
    assert [e.id for e in progress_reads.open_risks(porg.svc.db)] == [2]
    assert "不是" in await porg.text(STAFF, "/progress BJ-01 #整改 关闭 #1")
    # Withdrawing the rectification reopens the risk.
    await porg.send(STAFF, "/progress_undo 3")
    assert [e.id for e in progress_reads.open_risks(porg.svc.db)] == [1, 2]


async def test_edit_and_undo_within_30_minutes_then_only_admin(porg: Harness) -> None:
    await porg.send(STAFF, "/progress BJ-01 #milestone typo")
    assert "Entry #1 corrected." in await porg.text(STAFF, "/progress_edit 1 #milestone fixed")
    assert "only its author" in (await porg.text(STAFF2, "/progress_edit 1 hijack")).lower()
    clock_of(porg).advance(timedelta(minutes=31))
    before = snapshot(porg)
    assert "older than 30 minutes" in await porg.text(STAFF, "/progress_edit 1 late")
    assert "older than 30 minutes" in await porg.text(STAFF, "/progress_undo 1")
    assert "There is no entry #77" in await porg.text(STAFF, "/progress_undo 77")
    assert "Usage:" in await porg.text(STAFF, "/progress_edit 1")
    assert "Too long" in await porg.text(ADMIN, "/progress_edit 1 " + "x" * 10_000)
    assert snapshot(porg) == before
    assert "Entry #1 corrected." in await porg.text(ADMIN, "/progress_edit 1 #risk by admin")
    assert "Entry #1 withdrawn." in await porg.text(ADMIN, "/progress_undo 1")
    revisions = progress.revisions(porg.svc.db, 1)
    assert [r["action"] for r in revisions] == ["edit", "edit", "withdraw"]
    assert [r["old_text"] for r in revisions] == [
        "#milestone typo",
        "#milestone fixed",
        "#risk by admin",
    ]
    assert progress.get_entry(porg.svc.db, 1).withdrawn  # type: ignore[union-attr]
    assert "There is no entry #1" in await porg.text(ADMIN, "/progress_undo 1")
    assert "withdrawn" not in await porg.text(MEMBER, "/project BJ-01")
    assert "No progress logged yet." in await porg.text(MEMBER, "/project BJ-01")


async def test_major_entry_disclosed_at_once_in_each_chat_language(porg: Harness) -> None:
    await porg.send(ADMIN, "/lang zh", chat=GROUP)
    since = porg.emu.last_seq
    await porg.send(STAFF, "/progress BJ-01 #重大 trading halted <for> a day")
    calls = await porg.emu.wait_for(
        lambda c: c.chat_id == GROUP and "重大事项" in str(c.params.get("text")), since_seq=since
    )
    assert "&lt;for&gt;" in calls[0].params["text"] and "BJ-01" in calls[0].params["text"]
    # Editing the entry does not disclose it twice: it sends the group a correction with the
    # new text; withdrawing it sends another.
    await porg.send(STAFF, "/progress_edit 1 #major trading halted for two days")
    await porg.emu.wait_for(
        lambda c: c.chat_id == GROUP and "已更正" in str(c.params.get("text")), since_seq=since
    )
    await porg.send(STAFF, "/progress_undo 1")
    await porg.emu.wait_for(
        lambda c: c.chat_id == GROUP and "已撤回" in str(c.params.get("text")), since_seq=since
    )
    texts = texts_to(porg, GROUP, since)
    assert sum("信息公示" in t for t in texts) == 1
    (corrected,) = [t for t in texts if "已更正" in t]
    assert "two days" in corrected and "BJ-01" in corrected


async def test_plain_entry_is_not_disclosed(porg: Harness) -> None:
    await porg.send(STAFF, "/progress BJ-01 #milestone routine")
    assert outbox.by_key_prefix(porg.svc.db, "disclose:") == []


async def test_a_major_entry_typed_in_the_subscribed_group_is_one_message_there(
    porg: Harness,
) -> None:
    since = porg.emu.last_seq
    calls = await porg.send(STAFF, "/progress BJ-01 #major trading halted", chat=GROUP)
    (reply,) = [c for c in calls if c.chat_id == GROUP]
    assert "Logged #1 on BJ-01" in reply.params["text"]
    assert "Disclosure: major event" in reply.params["text"]
    assert outbox.by_key_prefix(porg.svc.db, "disclose:entry:") == []
    # Corrected privately afterwards: the group, disclosed to by that reply, hears of it.
    await porg.send(STAFF, "/progress_edit 1 #major trading halted for two days")
    await porg.emu.wait_for(
        lambda c: c.chat_id == GROUP and "was corrected" in str(c.params.get("text")),
        since_seq=since,
    )
    # Withdrawn from inside the group: one message there again.
    calls = await porg.send(STAFF, "/progress_undo 1", chat=GROUP)
    (reply,) = [c for c in calls if c.chat_id == GROUP]
    assert "Entry #1 withdrawn." in reply.params["text"] and "Correction" in reply.params["text"]
    assert outbox.by_key_prefix(porg.svc.db, "disclose:withdrawn:") == []
    assert len(texts_to(porg, GROUP, since)) == 3
