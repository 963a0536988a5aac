"""The bulletin ties the features together: upcoming meetings and open action items."""

from __future__ import annotations

from tests.support.harness import ADMIN, STAFF, Harness


async def test_bulletin_lists_upcoming_meetings_and_open_actions(porg: Harness) -> None:
    await porg.send(
        ADMIN, "/meeting_new joint | 2027-03-05 14:00 | Spring joint meeting | Room 301"
    )
    await porg.send(ADMIN, "/meeting_new coordination | 2027-04-20 10:00 | Too far ahead")
    await porg.send(ADMIN, "/action 1 @sam | 2027-03-10 | Send the risk assessment")
    await porg.send(STAFF, "/progress BJ-01 Pilot went live #milestone")
    draft = await porg.text(STAFF, "/bulletin")
    assert "Spring joint meeting" in draft and "Room 301" in draft
    assert "Joint working meeting" in draft
    assert "Too far ahead" not in draft
    assert "Send the risk assessment" in draft
    await porg.send(STAFF, "/lang zh")
    draft_zh = await porg.text(STAFF, "/bulletin")
    assert "联席会议" in draft_zh and "Send the risk assessment" in draft_zh
