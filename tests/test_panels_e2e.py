"""Evaluation panels end to end: naming, conflicts refused (回避), who scores, completion."""

from __future__ import annotations

from tests.support.harness import ADMIN, OUTSIDER, STAFF, STAFF2, Harness
from tests.support.projects import snapshot


async def test_a_panel_refuses_conflicts_and_alone_scores(porg: Harness) -> None:
    h = porg
    await h.send(ADMIN, "/stage BJ-02 evaluation")
    await h.send(ADMIN, "/unit_add EXB | Example Bank")
    await h.send(ADMIN, f"/role {OUTSIDER} member EXB")
    await h.send(ADMIN, f"/evaluator {STAFF2} on")
    before = snapshot(h)
    follows = await h.text(ADMIN, "/panel BJ-02 @mei @sam")
    assert (
        "Conflict of interest" in follows and "Mei (Beijing Bureau follows the project)" in follows
    )
    leads = await h.text(ADMIN, "/panel BJ-02 @otto")
    assert "Otto (Example Bank leads the project)" in leads
    assert "needs the admin role" in await h.text(STAFF, "/panel BJ-02 @sam")
    assert "Usage:" in await h.text(ADMIN, "/panel BJ-02 sam")
    assert "Usage:" in await h.text(ADMIN, "/panel BJ-02 opinion maybe")
    assert "Unknown project" in await h.text(ADMIN, "/panel NOPE @sam")
    assert snapshot(h) == before
    assert "no evaluation panel" in await h.text(ADMIN, "/panel BJ-02")

    named = await h.text(ADMIN, f"/panel BJ-02 @sam {ADMIN}")
    assert "Evaluation panel of BJ-02: Sam, Ada" in named
    # In the evaluation group but off the panel: refused; on the panel: scores.
    assert "you are not on it" in await h.text(STAFF2, "/evaluate BJ-02 | 3 | 3 | 3 | 3")
    assert "are recorded" in await h.text(STAFF, "/evaluate BJ-02 | 4 | 4 | 3 | 4")
    summary = await h.text(ADMIN, "/evaluation BJ-02")
    assert "Panel: 1/2 scored.\nNot yet scored: Ada." in summary

    assert "must now give a written opinion" in await h.text(ADMIN, "/panel BJ-02 opinion on")
    assert "requires a written opinion" in await h.text(ADMIN, "/evaluate BJ-02 | 3 | 3 | 3 | 3")
    assert "are recorded" in await h.text(ADMIN, "/evaluate BJ-02 | 3 | 3 | 3 | 3 | 风控到位")
    shown = await h.text(ADMIN, "/panel BJ-02")
    assert "Panel: 2/2 scored." in shown and "A written opinion is required." in shown


async def test_panel_in_chinese(porg: Harness) -> None:
    h = porg
    await h.send(ADMIN, "/stage BJ-02 evaluation")
    await h.send(ADMIN, "/lang zh")
    refused = await h.text(ADMIN, "/panel BJ-02 @li")
    assert "存在利益冲突" in refused and "应当回避" in refused
    assert "Li（Beijing Bureau跟踪该项目）" in refused
    assert "评审专家组：Sam" in await h.text(ADMIN, "/panel BJ-02 @sam")
    assert "书面评审意见" in await h.text(ADMIN, "/panel BJ-02 意见 开")
