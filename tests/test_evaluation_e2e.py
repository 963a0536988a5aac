"""Professional evaluation end to end: evaluators, private scores, close and result."""

from __future__ import annotations

from storage import evaluations
from tests.support.harness import ADMIN, GROUP, MEMBER, OUTSIDER, STAFF, STAFF2, Harness
from tests.support.projects import snapshot


async def setup_round(h: Harness) -> None:
    await h.send(ADMIN, "/stage BJ-02 evaluation")
    await h.send(ADMIN, "/evaluator @mei on")
    await h.send(ADMIN, "/evaluator 5 on")


async def test_evaluator_marking_by_admin_only(porg: Harness) -> None:
    assert "Mei is an evaluator." in await porg.text(ADMIN, "/evaluator @mei on")
    assert "already was" in await porg.text(ADMIN, "/evaluator 3 on")
    assert "needs the admin role" in await porg.text(STAFF, "/evaluator 3 off")
    assert "Usage:" in await porg.text(ADMIN, "/evaluator 3 maybe")
    assert "don't know @ghost" in await porg.text(ADMIN, "/evaluator @ghost on")
    assert "no longer an evaluator" in await porg.text(ADMIN, "/evaluator 3 off")
    assert not evaluations.is_evaluator(porg.svc.db, 3)


async def test_scores_private_until_closed(porg: Harness) -> None:
    await setup_round(porg)
    assert "are recorded" in await porg.text(MEMBER, "/evaluate BJ-02 | 4 | 5 | 3 | 4 | solid")
    assert "were replaced" in await porg.text(MEMBER, "/evaluate BJ-02 | 4 | 4 | 3 | 4 | ok <b>")
    assert "are recorded" in await porg.text(STAFF2, "/evaluate BJ-02 | 2 | 2 | 5 | 4")
    # The author sees only their own; another member sees nothing; an admin sees all.
    own = await porg.text(MEMBER, "/evaluation BJ-02")
    assert "4/4/3/4" in own and "2/2/5/4" not in own and "ok &lt;b&gt;" in own
    assert "private until the round closes" in await porg.text(STAFF, "/evaluation BJ-02")
    full = await porg.text(ADMIN, "/evaluation BJ-02")
    assert "2 score sets" in full and "innovation value: mean 3.00, range 2–4" in full
    assert "private chat" in await porg.text(ADMIN, "/evaluation BJ-02", chat=GROUP)
    assert "private chat" in await porg.text(MEMBER, "/evaluate BJ-02 | 1 | 1 | 1 | 1", chat=GROUP)
    assert "Evaluation" not in await porg.text(MEMBER, "/project BJ-02")
    closed = await porg.text(ADMIN, "/evaluation_close BJ-02")
    assert "Evaluation of BJ-02 closed." in closed and "overall 3.50" in closed
    assert "overall 3.50" in await porg.text(MEMBER, "/project BJ-02")
    assert "overall 3.50" in await porg.text(STAFF, "/evaluation BJ-02")
    before = snapshot(porg)
    assert "is closed" in await porg.text(MEMBER, "/evaluate BJ-02 | 5 | 5 | 5 | 5")
    assert "is closed" in await porg.text(ADMIN, "/evaluation_close BJ-02")
    assert snapshot(porg) == before


async def test_evaluate_refusals_change_nothing(porg: Harness) -> None:
    await setup_round(porg)
    before = snapshot(porg)
    assert "Only members of the evaluation group" in await porg.text(
        STAFF, "/evaluate BJ-02 | 3 | 3 | 3 | 3"
    )
    assert "not in professional evaluation" in await porg.text(
        MEMBER, "/evaluate BJ-01 | 3 | 3 | 3 | 3"
    )
    assert "whole number from 1 to 5" in await porg.text(MEMBER, "/evaluate BJ-02 | 6 | 3 | 3 | 3")
    assert "Usage:" in await porg.text(MEMBER, "/evaluate BJ-02 | 3 | 3")
    assert "Unknown project" in await porg.text(MEMBER, "/evaluate NOPE | 3 | 3 | 3 | 3")
    assert "Too long" in await porg.text(
        MEMBER, "/evaluate BJ-02 | 3 | 3 | 3 | 3 | " + "x" * 10_000
    )
    assert "needs the member role" in await porg.text(OUTSIDER, "/evaluate BJ-02 | 3 | 3 | 3 | 3")
    assert "Nobody has scored" in await porg.text(ADMIN, "/evaluation_close BJ-02")
    assert "needs the admin role" in await porg.text(STAFF, "/evaluation_close BJ-02")
    assert snapshot(porg) == before


async def test_evaluation_in_chinese(porg: Harness) -> None:
    await setup_round(porg)
    await porg.send(MEMBER, "/lang zh")
    assert "已记录" in await porg.text(MEMBER, "/evaluate BJ-02 | 5 | 4 | 4 | 3 | 很好")
    await porg.send(ADMIN, "/lang zh")
    closed = await porg.text(ADMIN, "/evaluation_close BJ-02")
    assert "创新价值" in closed and "投资者保护" in closed
