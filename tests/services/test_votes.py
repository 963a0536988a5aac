"""The votes service at the seam: who opens and closes, one ballot per invited unit (the
last press wins), who may not vote, the card redrawn at close, the result in the minutes."""

from __future__ import annotations

import pytest

from bot.clock import FixedClock
from bot.domain.agenda_refusals import MinutesFrozen, NotRecorder, VotesOpen
from bot.domain.agenda_rules import read_tags
from bot.i18n import Translator
from bot.render.minutes import minutes_text
from bot.render.minutes_doc import minutes_md
from bot.render.votes import result_line
from bot.services import Services, agenda, meetings, minutes, votes
from storage import agenda as items
from storage import outbox
from storage import votes as stored
from tests.services.agenda_support import (
    ADMIN,
    GROUP,
    MEMBER,
    STAFF,
    STAFF2,
    at,
    new_meeting,
    organise,
    outbox_keys,
    person,
)

DURING = at("2026-12-10 15:00")
EN, ZH = Translator().get("en"), Translator().get("zh")


@pytest.fixture
def sitting(svc: Services, clock: FixedClock) -> int:
    """Joint meeting #1 (Thu 10 Dec 14:00) with two items, TECH the secretariat unit; the
    clock during the meeting."""
    organise(svc)
    mid = new_meeting(svc, "joint", "2026-12-10 14:00").id
    for title in ("Exit rules #deliberation", "Data pilot report"):
        agenda.submit(svc, mid, read_tags(title), None, None, person(svc, STAFF), clock.now())
    minutes.set_secretariat(svc, "TECH")
    clock.set(DURING)
    return mid


def open_first(svc: Services, mid: int, question: str = "") -> int:
    """Open the vote on item 1 as the admin, in the group; return its id."""
    done = votes.open_vote(svc, mid, 1, question, person(svc, ADMIN), GROUP, DURING)
    return done.card.vote.id


@pytest.mark.parametrize(
    ("who", "allowed"), [(ADMIN, True), (STAFF, True), (STAFF2, False), (MEMBER, False)]
)
def test_who_opens_a_vote(svc: Services, sitting: int, who: int, allowed: bool) -> None:
    if allowed:
        done = votes.open_vote(svc, sitting, 1, "", person(svc, who), GROUP, DURING)
        assert done.new and done.card.units == ["BJ", "TECH"]  # every unit: all invited
        assert outbox_keys(svc, "vote-card:") == [f"vote-card:1:1:{GROUP}"]
    else:
        with pytest.raises(NotRecorder):
            votes.open_vote(svc, sitting, 1, "", person(svc, who), GROUP, DURING)
        assert outbox_keys(svc, "vote-card:") == []


def test_the_card_carries_three_signed_buttons(svc: Services, sitting: int) -> None:
    vote_id = open_first(svc, sitting, "Adopt the exit rules?")
    (row,) = outbox.by_key_prefix(svc.db, "vote-card:")
    assert "Exit rules" in row.text and "Question: Adopt the exit rules?" in row.text
    assert row.buttons is not None
    (buttons,) = row.buttons
    assert [b["text"] for b in buttons] == ["✅ Agree", "❌ Against", "⚪ Abstain"]
    assert [votes.parse_payload(b["payload"]) for b in buttons] == [
        (vote_id, "agree"),
        (vote_id, "against"),
        (vote_id, "abstain"),
    ]
    for b in buttons:  # a vote id of nine digits still fits in 64 bytes once signed
        assert len(svc.signer.sign(b["action"], votes.payload(999_999_999, "abstain"))) <= 64


def test_the_last_press_of_a_unit_wins(svc: Services, sitting: int) -> None:
    vote_id = open_first(svc, sitting)
    votes.cast(svc, vote_id, "agree", person(svc, STAFF2), DURING)
    votes.cast(svc, vote_id, "against", person(svc, MEMBER), DURING)  # same unit, BJ
    card = votes.cast(svc, vote_id, "abstain", person(svc, STAFF), DURING)
    assert card.ballots == {"BJ": "against", "TECH": "abstain"}
    (ballot,) = [b for b in stored.ballots(svc.db, vote_id) if b.unit_code == "BJ"]
    assert ballot.cast_by == MEMBER


@pytest.mark.parametrize(
    ("who", "invite", "refusal"),
    [
        (ADMIN, [], votes.NoUnit),  # the admin belongs to no unit
        (STAFF2, ["TECH"], votes.NotInvited),
        (MEMBER, ["TECH"], votes.NotInvited),
    ],
)
def test_who_may_not_vote(
    svc: Services, sitting: int, who: int, invite: list[str], refusal: type[Exception]
) -> None:
    vote_id = open_first(svc, sitting)
    meetings.invite(svc, sitting, invite, DURING)
    with pytest.raises(refusal):
        votes.cast(svc, vote_id, "agree", person(svc, who), DURING)
    assert stored.ballots(svc.db, vote_id) == []


def test_a_unit_no_longer_invited_does_not_count(svc: Services, sitting: int) -> None:
    vote_id = open_first(svc, sitting)
    votes.cast(svc, vote_id, "agree", person(svc, STAFF2), DURING)
    meetings.invite(svc, sitting, ["TECH"], DURING)
    card = votes.close(svc, sitting, 1, person(svc, ADMIN), DURING)
    assert card.units == ["TECH"] and card.ballots == {}


def test_close_freezes_the_result_and_redraws_the_card(svc: Services, sitting: int) -> None:
    vote_id = open_first(svc, sitting)
    (card_row,) = outbox.by_key_prefix(svc.db, "vote-card:")
    outbox.mark_sent(svc.db, card_row.id, 77, DURING)
    votes.cast(svc, vote_id, "agree", person(svc, STAFF), DURING)
    votes.cast(svc, vote_id, "against", person(svc, STAFF2), DURING)
    card = votes.close(svc, sitting, 1, person(svc, STAFF), DURING)
    assert card.vote.closed and card.vote.units == ("BJ", "TECH")
    (edit,) = outbox.by_key_prefix(svc.db, "vote-closed:")
    assert edit.key == f"vote-closed:{vote_id}:{GROUP}:77" and edit.edits == 77
    assert edit.buttons is None and "Vote closed" in edit.text
    with pytest.raises(votes.VoteClosed):
        votes.cast(svc, vote_id, "abstain", person(svc, STAFF), DURING)
    with pytest.raises(votes.VoteAlreadyClosed):
        votes.close(svc, sitting, 1, person(svc, ADMIN), DURING)
    with pytest.raises(votes.VoteAlreadyClosed):
        votes.open_vote(svc, sitting, 1, "", person(svc, ADMIN), GROUP, DURING)
    assert items.item_by_number(svc.db, sitting, "", 1).reached  # type: ignore[union-attr]


def test_a_card_not_sent_yet_is_rewritten_without_buttons(svc: Services, sitting: int) -> None:
    open_first(svc, sitting)
    votes.close(svc, sitting, 1, person(svc, ADMIN), DURING)
    (row,) = outbox.by_key_prefix(svc.db, "vote-card:")
    assert row.state == "pending" and row.buttons is None and "Vote closed" in row.text
    assert outbox_keys(svc, "vote-closed:") == []


def test_an_open_vote_is_posted_again(svc: Services, sitting: int) -> None:
    open_first(svc, sitting)
    again = votes.open_vote(svc, sitting, 1, "", person(svc, ADMIN), STAFF, DURING)
    assert not again.new
    assert outbox_keys(svc, "vote-card:") == [f"vote-card:1:1:{GROUP}", f"vote-card:1:2:{STAFF}"]


def test_typed_ballot_needs_an_open_vote(svc: Services, sitting: int) -> None:
    with pytest.raises(votes.NoVote):
        votes.cast_on(svc, sitting, 1, "agree", person(svc, STAFF), DURING)
    open_first(svc, sitting)
    card = votes.cast_on(svc, sitting, 1, "agree", person(svc, STAFF), DURING)
    assert card.ballots == {"TECH": "agree"}


@pytest.mark.parametrize(
    ("ballots", "en", "zh"),
    [
        (
            {"BJ": "agree", "TECH": "agree"},
            "Vote result: agree 2 units (BJ, TECH); against 0 units; abstain 0 units",
            "表决结果：同意2家（BJ、TECH），反对0家，弃权0家",
        ),
        (
            {"BJ": "against"},
            "Vote result: agree 0 units; against 1 unit (BJ); abstain 0 units; "
            "not voted 1 unit (TECH)",
            "表决结果：同意0家，反对1家（BJ），弃权0家，未表决1家（TECH）",
        ),
    ],
)
def test_the_result_line_names_each_unit(
    svc: Services, sitting: int, ballots: dict[str, str], en: str, zh: str
) -> None:
    vote_id = open_first(svc, sitting)
    by_unit = {"BJ": STAFF2, "TECH": STAFF}
    for unit, choice in ballots.items():
        votes.cast(svc, vote_id, choice, person(svc, by_unit[unit]), DURING)  # type: ignore[arg-type]
    votes.close(svc, sitting, 1, person(svc, ADMIN), DURING)
    (result,) = stored.results(svc.db, sitting, "")
    assert result_line(EN, result.vote, result.ballots) == en
    assert result_line(ZH, result.vote, result.ballots) == zh


def test_the_minutes_record_the_vote_under_its_item(svc: Services, sitting: int) -> None:
    vote_id = open_first(svc, sitting, "Adopt the exit rules?")
    votes.cast(svc, vote_id, "agree", person(svc, STAFF), DURING)
    votes.cast(svc, vote_id, "abstain", person(svc, STAFF2), DURING)
    with pytest.raises(VotesOpen) as still:
        minutes.publish(svc, sitting, person(svc, ADMIN), DURING)
    assert still.value.numbers == [1]
    votes.close(svc, sitting, 1, person(svc, ADMIN), DURING)
    data = minutes.draft(svc, sitting, DURING)
    text = minutes_text(data, svc.config.tz, EN, DURING.date())
    assert "🗳 Vote on “Adopt the exit rules?”: agree 1 unit (TECH)" in text
    assert text.index("Exit rules") < text.index("🗳") < text.index("Data pilot report")
    doc = minutes_md(data, svc.config.tz, ZH, DURING.date()).decode()
    assert "关于“Adopt the exit rules?”的表决结果：同意1家（TECH），反对0家，弃权1家（BJ）" in doc
    minutes.publish(svc, sitting, person(svc, ADMIN), DURING)
    with pytest.raises(MinutesFrozen):
        votes.open_vote(svc, sitting, 2, "", person(svc, ADMIN), GROUP, DURING)


@pytest.mark.parametrize("text", ["", "1", "1:z", "x:a", "1:a:b", ":a"])
def test_a_payload_that_is_not_ours_is_refused(text: str) -> None:
    assert votes.parse_payload(text) is None
