"""Progress at the seam: who may log, risks and rectifications, the 30-minute window, and
where a #major entry's disclosure and its corrections go."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FixedClock
from bot.services import Services
from bot.services import progress as service
from bot.services.projects import ProjectNotFound
from storage import chats, outbox, people, progress, progress_reads, project_follows, projects
from storage.people import Person

ADMIN, STAFF, STAFF2 = 7_000_000_001, 7_000_000_002, 7_000_000_003
GROUP, OTHER_GROUP, LATE_GROUP = -1001, -1002, -1003


def _world(svc: Services) -> None:
    now = svc.clock.now()
    people.add_unit(svc.db, "TECH", "Technology Supervision Bureau", now)
    people.add_unit(svc.db, "BJ", "Beijing Bureau", now)
    for user_id, name, role, unit in (
        (ADMIN, "Ada", "admin", None),
        (STAFF, "Sam", "staff", "TECH"),
        (STAFF2, "Li", "staff", "BJ"),
    ):
        people.touch_person(svc.db, user_id, name.lower(), name, None, "en", now)
        people.set_role(svc.db, user_id, role, unit, now)  # type: ignore[arg-type]
    for chat_id in (GROUP, OTHER_GROUP):
        chats.touch_chat(svc.db, chat_id, "supergroup", f"Group {chat_id}", now)
        chats.subscribe(svc.db, chat_id, ["disclosures"], now)
    for code in ("BJ-01", "BJ-02"):
        projects.add_project(
            svc.db,
            code=code,
            name=f"Project {code}",
            category="tech",
            lead="Example Securities",
            batch="",
            region="",
            now=now,
            by_user=ADMIN,
        )
    project_follows.follow(svc.db, "BJ-01", "TECH", now)


def _who(svc: Services, user_id: int) -> Person:
    person = people.get_person(svc.db, user_id)
    assert person is not None
    return person


def _chats_of(svc: Services, prefix: str) -> set[int]:
    return {row.chat_id for row in outbox.by_key_prefix(svc.db, prefix)}


@pytest.mark.parametrize(
    ("user_id", "code", "allowed"),
    [
        (STAFF, "BJ-01", True),  # staff of a following unit
        (STAFF, "BJ-02", False),  # a project their unit does not follow
        (STAFF2, "BJ-01", False),
        (ADMIN, "BJ-02", True),  # an admin logs anywhere
    ],
)
def test_who_may_log(svc: Services, user_id: int, code: str, allowed: bool) -> None:
    _world(svc)
    who, now = _who(svc, user_id), svc.clock.now()
    if allowed:
        done = service.log(svc, code, "#milestone go-live", who, now)
        assert done.entry.tags == ("milestone",)
        assert done.audit == {"entry": 1, "project": code, "tags": ["milestone"]}
    else:
        with pytest.raises(service.NotFollowing):
            service.log(svc, code, "#milestone go-live", who, now)
        assert progress.max_id(svc.db) == 0


def test_unknown_project(svc: Services) -> None:
    _world(svc)
    with pytest.raises(ProjectNotFound):
        service.log(svc, "BJ-77", "text", _who(svc, ADMIN), svc.clock.now())


@pytest.mark.parametrize(("length", "allowed"), [(2000, True), (2001, False)])
def test_entry_length(svc: Services, length: int, allowed: bool) -> None:
    _world(svc)
    text, who = "长" * length, _who(svc, STAFF)
    if allowed:
        assert service.log(svc, "BJ-01", text, who, svc.clock.now()).entry.text == text
    else:
        with pytest.raises(service.EntryTooLong) as refused:
            service.log(svc, "BJ-01", text, who, svc.clock.now())
        assert refused.value.text(svc.translator.get("en")) == (
            "Too long: an entry is at most 2000 characters (yours has 2001)."
        )


def test_a_rectification_closes_open_risks_only(svc: Services) -> None:
    _world(svc)
    who, now = _who(svc, STAFF), svc.clock.now()
    service.log(svc, "BJ-01", "#risk settlement delay", who, now)
    service.log(svc, "BJ-01", "#risk second", who, now)
    with pytest.raises(service.ClosesWithoutRectification):
        service.log(svc, "BJ-01", "closes #1", who, now)
    with pytest.raises(service.NotAnOpenRisk) as refused:
        service.log(svc, "BJ-01", "#rectification closes #9", who, now)
    assert refused.value.text(svc.translator.get("en")).splitlines() == [
        "#9 is not an open risk on BJ-01.",
        "Open risks on BJ-01:",
        "#1 #risk settlement delay",
        "#2 #risk second",
    ]
    service.log(svc, "BJ-01", "#整改 已完成 关闭 #1", who, now)
    assert [r.id for r in progress_reads.open_risks(svc.db, "BJ-01")] == [2]
    service.undo(svc, 3, who, now)  # withdrawing the rectification reopens the risk
    assert [r.id for r in progress_reads.open_risks(svc.db, "BJ-01")] == [1, 2]


@pytest.mark.parametrize(
    ("user_id", "minutes", "refusal"),
    [
        (STAFF, 30, None),  # the author, within 30 minutes
        (STAFF, 31, service.EditWindowPassed),
        (STAFF2, 1, service.NotAuthor),
        (ADMIN, 600, None),  # an admin, whenever
    ],
)
def test_who_may_change_an_entry(
    svc: Services, clock: FixedClock, user_id: int, minutes: int, refusal: type | None
) -> None:
    _world(svc)
    service.log(svc, "BJ-01", "#milestone typo", _who(svc, STAFF), clock.now())
    clock.advance(timedelta(minutes=minutes))
    who = _who(svc, user_id)
    if refusal is None:
        done = service.edit(svc, 1, "#milestone fixed", who, clock.now())
        assert done.entry.text == "#milestone fixed"
        assert done.audit == {"entry": 1, "old_text": "#milestone typo"}
    else:
        with pytest.raises(refusal):
            service.edit(svc, 1, "#milestone fixed", who, clock.now())
        with pytest.raises(refusal):
            service.undo(svc, 1, who, clock.now())


def test_a_withdrawn_entry_is_gone(svc: Services) -> None:
    _world(svc)
    who, now = _who(svc, STAFF), svc.clock.now()
    service.log(svc, "BJ-01", "x", who, now)
    service.undo(svc, 1, who, now)
    assert progress.get_entry(svc.db, 1).withdrawn  # type: ignore[union-attr]
    with pytest.raises(service.NoSuchEntry):
        service.undo(svc, 1, who, now)
    with pytest.raises(service.NoSuchEntry):
        service.edit(svc, 1, "y", who, now)


def test_logged_and_edited_entries_carry_their_bulletin_line(svc: Services) -> None:
    """The line a bulletin shows is stored as the entry is written, so a compile over ten
    thousand entries does not flatten and escape each text again."""
    _world(svc)
    who, now = _who(svc, STAFF), svc.clock.now()
    service.log(svc, "BJ-01", "#风险 对接 <延迟>\n  第二行 & 更多", who, now)
    (row,) = progress_reads.entry_rows_after(svc.db, 0)
    assert (row[3], row[6]) == ("#风险 对接 &lt;延迟&gt; 第二行 &amp; 更多", 0)
    service.edit(svc, 1, "#风险 已 <更正>", who, now)
    (row,) = progress_reads.entry_rows_after(svc.db, 0)
    assert (row[3], row[6]) == ("#风险 已 &lt;更正&gt;", 0)
    (risk,) = progress_reads.open_risk_rows(svc.db, 200)
    assert (risk[2], risk[5]) == ("#风险 已 &lt;更正&gt;", 0)


def test_a_major_entry_is_disclosed_to_subscribed_chats(svc: Services) -> None:
    _world(svc)
    done = service.log(svc, "BJ-01", "#major trading halted", _who(svc, STAFF), svc.clock.now())
    assert done.notice_here is None
    assert _chats_of(svc, "disclose:entry:1:") == {GROUP, OTHER_GROUP}
    assert set(service.disclosed_to(svc, 1)) == {GROUP, OTHER_GROUP}


def test_a_plain_entry_is_not_disclosed(svc: Services) -> None:
    _world(svc)
    service.log(svc, "BJ-01", "#milestone routine", _who(svc, STAFF), svc.clock.now())
    assert outbox.by_key_prefix(svc.db, "disclose:") == []


def test_editing_a_disclosed_entry_corrects_it_where_it_was_disclosed(svc: Services) -> None:
    _world(svc)
    who, now = _who(svc, STAFF), svc.clock.now()
    service.log(svc, "BJ-01", "#major trading halted", who, now)
    # Subscriptions change afterwards: the correction follows the disclosure, not them.
    chats.unsubscribe(svc.db, OTHER_GROUP, ["disclosures"])
    chats.touch_chat(svc.db, LATE_GROUP, "supergroup", "Late group", now)
    chats.subscribe(svc.db, LATE_GROUP, ["disclosures"], now)
    done = service.edit(svc, 1, "#major trading halted for two days", who, now)
    assert _chats_of(svc, "disclose:corrected:1:1:") == {GROUP, OTHER_GROUP}
    assert set(done.audit["corrected"]) == {GROUP, OTHER_GROUP}
    (row, *_) = outbox.by_key_prefix(svc.db, "disclose:corrected:1:1:")
    assert "was corrected" in row.text and "two days" in row.text
    # Each edit is its own correction; the disclosure itself is never sent twice.
    service.edit(svc, 1, "#major trading halted for three days", who, now)
    assert _chats_of(svc, "disclose:corrected:1:2:") == {GROUP, OTHER_GROUP}
    assert _chats_of(svc, "disclose:entry:1:") == {GROUP, OTHER_GROUP}
    service.undo(svc, 1, who, now)
    assert _chats_of(svc, "disclose:withdrawn:1:") == {GROUP, OTHER_GROUP}


def test_an_edit_that_adds_major_discloses_once(svc: Services) -> None:
    _world(svc)
    who, now = _who(svc, STAFF), svc.clock.now()
    service.log(svc, "BJ-01", "#milestone go-live", who, now)
    service.edit(svc, 1, "#milestone #major go-live", who, now)
    assert _chats_of(svc, "disclose:entry:1:") == {GROUP, OTHER_GROUP}
    assert outbox.by_key_prefix(svc.db, "disclose:corrected:") == []


def test_withdrawing_an_undisclosed_entry_says_nothing(svc: Services) -> None:
    _world(svc)
    who, now = _who(svc, STAFF), svc.clock.now()
    service.log(svc, "BJ-01", "#milestone go-live", who, now)
    assert service.undo(svc, 1, who, now).notice_here is None
    assert outbox.by_key_prefix(svc.db, "disclose:") == []


def test_logged_in_a_subscribed_group_the_reply_carries_the_disclosure(svc: Services) -> None:
    _world(svc)
    who, now = _who(svc, STAFF), svc.clock.now()
    done = service.log(svc, "BJ-01", "#major trading halted", who, now, origin_chat_id=GROUP)
    assert _chats_of(svc, "disclose:entry:1:") == {OTHER_GROUP}  # none queued to GROUP
    assert done.notice_here is not None
    assert "Disclosure: major event" in done.notice_here(svc.translator.get("en"))
    assert "信息公示" in done.notice_here(svc.translator.get("zh"))
    # The group still counts as disclosed to: a correction from elsewhere reaches it.
    assert set(service.disclosed_to(svc, 1)) == {GROUP, OTHER_GROUP}
    edited = service.edit(svc, 1, "#major halted two days", who, now, origin_chat_id=STAFF)
    assert edited.notice_here is None
    assert _chats_of(svc, "disclose:corrected:1:1:") == {GROUP, OTHER_GROUP}
    # Withdrawn from inside the other group: that reply carries the correction there.
    withdrawn = service.undo(svc, 1, who, now, origin_chat_id=OTHER_GROUP)
    assert _chats_of(svc, "disclose:withdrawn:1:") == {GROUP}
    assert withdrawn.notice_here is not None
    assert "was withdrawn" in withdrawn.notice_here(svc.translator.get("en"))


def test_a_group_not_subscribed_gets_its_reply_only(svc: Services) -> None:
    _world(svc)
    chats.unsubscribe(svc.db, GROUP, ["disclosures"])
    done = service.log(
        svc, "BJ-01", "#major halted", _who(svc, STAFF), svc.clock.now(), origin_chat_id=GROUP
    )
    assert done.notice_here is None
    assert _chats_of(svc, "disclose:entry:1:") == {OTHER_GROUP}
    assert progress.reply_disclosure(svc.db, 1) is None
