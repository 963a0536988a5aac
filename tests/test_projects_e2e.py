"""Projects end to end: register, card, list, stages (forward only, disclosed exits), follows."""

from __future__ import annotations

import pytest

from storage import outbox, project_follows, projects
from tests.support.harness import ADMIN, GROUP, MEMBER, OUTSIDER, STAFF, Harness
from tests.support.projects import snapshot, texts_to


async def test_project_add_by_admin_only(porg: Harness) -> None:
    reply = await porg.text(ADMIN, "/project_add sh-9 | Cross-border pay | 科技赋能 | Bank X")
    assert (
        "Project SH-9 (Cross-border pay) registered: technology enablement, solicitation" in reply
    )
    before = snapshot(porg)
    assert "needs the admin role" in await porg.text(STAFF, "/project_add X-1 | a | tech | b")
    assert "needs the admin role" in await porg.text(MEMBER, "/project_add X-1 | a | tech | b")
    assert "needs the admin role" in await porg.text(OUTSIDER, "/project_add X-1 | a | tech | b")
    assert snapshot(porg) == before


@pytest.mark.parametrize(
    "args",
    [
        "BJ-01 | again | tech | lead",  # duplicate, any case
        "bj-01 | again | tech | lead",
        "BAD CODE | n | tech | lead",
        "OK-1 | n | weather | lead",
        "OK-1 | " + "x" * 10_000 + " | tech | lead",
        "OK-1 | n",
        "",
    ],
)
async def test_project_add_bad_input_changes_nothing(porg: Harness, args: str) -> None:
    before = snapshot(porg)
    reply = await porg.text(ADMIN, f"/project_add {args}" if args else "/project_add x")
    assert any(w in reply for w in ("already exists", "Usage:", "Too long"))
    assert snapshot(porg) == before


async def test_card_and_list_in_both_languages(porg: Harness) -> None:
    await porg.send(STAFF, "/progress BJ-01 #milestone first <b>live</b> trade")
    card = await porg.text(MEMBER, "/project bj-01")
    assert "<b>BJ-01</b> — Supply-chain finance" in card
    assert (
        "Stage: running under supervision" in card
        and "Following units: Technology Supervision Bureau (TECH)" in card
    )
    assert "first &lt;b&gt;live&lt;/b&gt; trade" in card and "[milestone]" in card
    listing = await porg.text(MEMBER, "/projects")
    assert "running under supervision" in listing and "BJ-02 — Pension service" in listing
    by_cat = await porg.text(MEMBER, "/projects category")
    assert by_cat.index("technology innovation") < by_cat.index("BJ-01")
    assert "BJ-02" not in await porg.text(MEMBER, "/projects running")
    assert "BJ-01" not in await porg.text(MEMBER, "/projects public")
    assert "Usage:" in await porg.text(MEMBER, "/projects nonsense")
    await porg.send(MEMBER, "/lang zh")
    card = await porg.text(MEMBER, "/project BJ-01")
    assert "阶段：试点运行" in card and "技术创新" in card and "【里程碑】" in card
    assert "公共服务" in await porg.text(MEMBER, "/projects 类别")
    assert "公共服务" in await porg.text(MEMBER, "/projects 分类")
    assert "未知项目" in await porg.text(MEMBER, "/project NOPE")


async def test_outsider_sees_no_projects(porg: Harness) -> None:
    assert "needs the member role" in await porg.text(OUTSIDER, "/project BJ-01")
    assert "needs the member role" in await porg.text(OUTSIDER, "/projects")


async def test_stage_moves_forward_only_and_lists_allowed(porg: Harness) -> None:
    assert "BJ-02: solicitation → selection" in await porg.text(ADMIN, "/stage BJ-02 selection")
    before = snapshot(porg)
    reply = await porg.text(ADMIN, "/stage BJ-02 solicitation")
    assert "stages advance only in order" in reply
    assert "professional evaluation, running under supervision, exited, terminated" in reply
    assert "Unknown stage" in await porg.text(ADMIN, "/stage BJ-02 <b>limbo</b>")
    assert "&lt;b&gt;" in await porg.text(ADMIN, "/stage BJ-02 <b>limbo</b>")
    assert "Unknown project" in await porg.text(ADMIN, "/stage NOPE running")
    assert "needs the admin role" in await porg.text(STAFF, "/stage BJ-02 running")
    assert "Usage:" in await porg.text(ADMIN, "/stage BJ-02")
    assert snapshot(porg) == before
    assert "→ professional evaluation" in await porg.text(ADMIN, "/stage BJ-02 评估")


async def test_exit_is_disclosed_and_final(porg: Harness) -> None:
    await porg.send(ADMIN, "/lang zh", chat=GROUP)
    since = porg.emu.last_seq
    reply = await porg.text(ADMIN, "/stage BJ-01 exited | completed | pilot done, <report> filed")
    assert "running under supervision → exited" in reply
    await porg.emu.wait_for(lambda c: "信息公示" in str(c.params.get("text")), since_seq=since)
    notice = [t for t in texts_to(porg, GROUP, since) if "信息公示" in t][0]
    assert "项目退出" in notice and "BJ-01" in notice and "&lt;report&gt;" in notice
    refused = await porg.text(ADMIN, "/stage BJ-01 terminated")
    assert "stages advance only in order" in refused and "nothing" in refused
    project = projects.get_project(porg.svc.db, "BJ-01")
    assert project is not None and project.stage == "exited"


async def test_termination_disclosed_in_english(porg: Harness) -> None:
    since = porg.emu.last_seq
    await porg.send(ADMIN, "/stage BJ-02 terminate | fraud finding")
    msgs = await porg.emu.wait_for(
        lambda c: "project terminated" in str(c.params.get("text")), since_seq=since
    )
    assert msgs[0].chat_id == GROUP and "fraud finding" in msgs[0].params["text"]


async def test_follow_and_unfollow(porg: Harness) -> None:
    assert "Beijing Bureau (BJ) now follows BJ-01." in await porg.text(ADMIN, "/follow BJ-01 bj")
    assert "already follows" in await porg.text(ADMIN, "/follow BJ-01 BJ")
    listed = await porg.text(ADMIN, "/follow BJ-01")
    assert "Beijing Bureau (BJ), Technology Supervision Bureau (TECH)" in listed
    assert "Unknown unit" in await porg.text(ADMIN, "/follow BJ-01 NOPE")
    assert "needs the admin role" in await porg.text(STAFF, "/follow BJ-01 TECH")
    assert "no longer follows" in await porg.text(ADMIN, "/unfollow BJ-01 BJ")
    assert "does not follow" in await porg.text(ADMIN, "/unfollow BJ-01 BJ")
    assert project_follows.followers(porg.svc.db, "BJ-01") == ["TECH"]
    await porg.send(ADMIN, "/lang zh")
    assert "关注" in await porg.text(ADMIN, "/follow BJ-01 BJ")


async def test_an_exit_typed_in_the_subscribed_group_is_one_message_there(porg: Harness) -> None:
    since = porg.emu.last_seq
    calls = await porg.send(ADMIN, "/stage BJ-01 exited | 完成退出 | pilot complete", chat=GROUP)
    # The reply carries the disclosure; no notice is queued to the group besides it.
    (reply,) = [c for c in calls if c.chat_id == GROUP]
    assert "running under supervision → exited" in reply.params["text"]
    assert "Disclosure: project exited" in reply.params["text"]
    assert outbox.by_key_prefix(porg.svc.db, "disclose:stage:") == []
    assert len(texts_to(porg, GROUP, since)) == 1
