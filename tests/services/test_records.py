"""Files, search, dossier and audit at the seam: the trigram index with Chinese substrings
(two characters through LIKE, three and more through FTS5), roles, paging, sync on edit and
withdrawal; files kept per record; the dossier's data; audit filters."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services import Services
from bot.services import attachments as files_service
from bot.services import audit as audit_service
from bot.services import dossier as dossier_service
from bot.services import search as search_service
from bot.services.projects import ProjectNotFound
from storage import audit, people, progress, project_stages, projects
from storage.attachments import Sent
from storage.people import Person

ADMIN, STAFF, MEMBER, NOBODY = 7_000_000_001, 7_000_000_002, 7_000_000_003, 7_000_000_004


def _world(svc: Services) -> None:
    now = svc.clock.now()
    people.add_unit(svc.db, "TECH", "科技监管局", now)
    for user_id, name, role in (
        (ADMIN, "ada", "admin"),
        (STAFF, "sam", "staff"),
        (MEMBER, "mei", "member"),
        (NOBODY, "otto", "none"),
    ):
        people.touch_person(svc.db, user_id, name, name.title(), None, "zh", now)
        if role != "none":
            people.set_role(svc.db, user_id, role, "TECH", now)  # type: ignore[arg-type]
    for code, name in (("BJ-01", "基于区块链的数字凭证"), ("BJ-02", "养老金融服务")):
        projects.add_project(
            svc.db,
            code=code,
            name=name,
            category="tech",
            lead="中证数智",
            batch="第一批",
            region="北京",
            now=now,
            by_user=ADMIN,
        )


def _who(svc: Services, user_id: int) -> Person:
    person = people.get_person(svc.db, user_id)
    assert person is not None
    return person


def _log(svc: Services, code: str, text: str, tags: str = "") -> int:
    entry = progress.add_entry(
        svc.db,
        project_code=code,
        author_id=STAFF,
        author_unit="TECH",
        text=f"{text} {tags}".strip(),
        now=svc.clock.now(),
    )
    return entry.id


@pytest.fixture
def world(svc: Services) -> Services:
    _world(svc)
    return svc


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("凭证", {"BJ-01"}),  # two characters: LIKE
        ("数字凭证", {"BJ-01"}),  # trigram
        ("区块链", {"BJ-01"}),
        ("养老", {"BJ-02"}),
        ("中证数智", {"BJ-01", "BJ-02"}),
        ("bj-02", {"BJ-02"}),
        ("证券", set()),
    ],
)
def test_projects_found_by_chinese_substrings(
    world: Services, query: str, found: set[str]
) -> None:
    r = search_service.search(world, query, _who(world, MEMBER))
    assert {h.ref for h in r.hits if h.kind == "project"} == found


def test_progress_kept_in_sync_and_roles(world: Services) -> None:
    entry_id = _log(world, "BJ-01", "结算风险排查完成", "#risk")
    member, nobody = _who(world, MEMBER), _who(world, NOBODY)
    assert [h.ref for h in search_service.search(world, "风险排查", member).hits] == [
        str(entry_id)
    ]
    assert search_service.search(world, "风险排查", nobody).total == 0
    entry = progress.get_entry(world.db, entry_id)
    assert entry is not None
    progress.edit_entry(world.db, entry, "结算流程优化完成", STAFF, world.clock.now())
    assert search_service.search(world, "风险排查", member).total == 0
    assert search_service.search(world, "流程优化", member).total == 1
    entry = progress.get_entry(world.db, entry_id)
    assert entry is not None
    progress.withdraw_entry(world.db, entry, STAFF, world.clock.now())
    assert search_service.search(world, "流程优化", member).total == 0


def test_every_word_must_match_and_paging(world: Services) -> None:
    for n in range(search_service.PAGE + 3):
        _log(world, "BJ-02", f"第{n}次 养老服务试运行")
    _log(world, "BJ-02", "养老 other text")
    member = _who(world, MEMBER)
    first = search_service.search(world, "养老 试运行", member)
    assert (first.total, first.pages, len(first.hits)) == (search_service.PAGE + 3, 2, 8)
    second = search_service.search(world, "养老 试运行", member, page=2)
    assert len(second.hits) == 3
    assert not {h.ref for h in first.hits} & {h.ref for h in second.hits}


def test_full_width_query_and_quotes_are_safe(world: Services) -> None:
    member = _who(world, MEMBER)
    assert search_service.search(world, "ＢＪ－０１", member).total >= 1
    assert search_service.search(world, '"数字 OR', member).total == 0
    assert search_service.search(world, "100%_", member).total == 0
    assert search_service.search(world, "00\x00", member).total == 0
    assert search_service.search(world, "凭\x00证", member).total == 1
    assert search_service.search(world, "\x00", member).words == []


def test_files_kept_per_record_and_listed(world: Services) -> None:
    now = world.clock.now()
    sent = Sent("document", "doc-1", "u1", "方案.pdf", 2048, "application/pdf")
    assert files_service.keep(world, "progress", "1", None, STAFF, now) is None
    files_service.keep(world, "progress", "1", sent, STAFF, now, project="BJ-01")
    kept = files_service.of_project(world, "bj-01")
    assert [(f.name, f.file_id, f.by_user) for f in kept.files] == [("方案.pdf", "doc-1", STAFF)]
    with pytest.raises(ProjectNotFound):
        files_service.of_project(world, "NO-1")


def test_dossier_gathers_the_record(world: Services) -> None:
    now = world.clock.now()
    project_stages.set_stage(world.db, "BJ-01", "running", "评估通过", now, ADMIN)
    risk = _log(world, "BJ-01", "数据安全风险", "#risk")
    _log(world, "BJ-02", "别的项目")
    files_service.keep(
        world,
        "progress",
        str(risk),
        Sent("photo", "p-1", "u", "", 10, ""),
        STAFF,
        now,
        project="BJ-01",
    )
    d = dossier_service.gather(world, "BJ-01")
    assert [s.to_stage for s in d.stages] == ["running"]
    assert [e.text for e in d.entries] == ["数据安全风险 #risk"]
    assert d.open_risks == [risk] and len(d.files) == 1
    from bot.render.dossier import blocks, title

    tr = world.translator.get("zh")
    assert title(d, tr) == "试点项目档案：基于区块链的数字凭证"
    texts = [getattr(b, "text", "") for b in blocks(d, world.config.tz, tr, now.date())]
    assert any("数据安全风险" in t for t in texts)


def test_audit_filters(world: Services) -> None:
    now = world.clock.now()
    for days_ago, user, detail in (
        (10, ADMIN, {"project": "BJ-01"}),
        (2, STAFF, {"project": "BJ-02", "text": "数字"}),
        (1, ADMIN, {"project": "BJ-02"}),
    ):
        audit.record(
            world.db,
            now=now - timedelta(days=days_ago),
            action="stage",
            outcome="ok",
            user_id=user,
            detail=detail,
        )
    everything = audit_service.trail(world, audit_service.Filter(), now)
    assert everything.total == 3 and everything.entries[0].at > everything.entries[1].at
    assert audit_service.trail(world, audit_service.Filter(days=3), now).total == 2
    assert audit_service.trail(world, audit_service.Filter(code="bj-02"), now).total == 2
    by_sam = audit_service.trail(world, audit_service.Filter(person="@sam"), now)
    assert [e.user_id for e in by_sam.entries] == [STAFF]
    with pytest.raises(audit_service.UnknownPerson):
        audit_service.trail(world, audit_service.Filter(person="@ghost"), now)


def test_more_matches_rank_first(world: Services) -> None:
    once = _log(world, "BJ-02", "试运行顺利，另有其他事项若干需要说明")
    thrice = _log(world, "BJ-02", "试运行 试运行 试运行")
    hits = search_service.search(world, "试运行", _who(world, MEMBER)).hits
    assert [h.ref for h in hits] == [str(thrice), str(once)]


def test_migration_backfills_rows_written_before_it(svc: Services) -> None:
    db = svc.db
    for kind in ("project", "progress", "decision", "action", "meeting"):
        for event in ("ins", "upd", "del"):
            db.execute(f"DROP TRIGGER search_{kind}_{event}")
    for event in ("ins", "del", "fix"):
        db.execute(f"DROP TRIGGER search_minutes_{event}")
    db.execute("DROP TABLE search_index")
    db.execute("DELETE FROM _sqlite_migrations WHERE migration_set = 'coordbot.search_index'")
    _world(svc)  # written while no index exists, as in a database from before this feature
    from storage.schema import migrate

    assert migrate(db) == [
        "coordbot.search_index:m001_search_index",
        "coordbot.search_index:m002_minutes_text",
    ]
    assert search_service.search(svc, "区块链", _who(svc, MEMBER)).total == 1


def test_dossier_shows_the_tier_and_the_plan_changes(world: Services) -> None:
    from bot.render.dossier import blocks
    from bot.services import project_record
    from storage import changes

    now = world.clock.now()
    project_record.set_tier(world, "BJ-01", "key", "综合评估靠前", ADMIN, now)
    filed = changes.add(
        world.db,
        project_code="BJ-01",
        what="上线时间调整",
        why="接口重测",
        by_user=STAFF,
        by_unit="TECH",
        now=now,
    )
    changes.decide(world.db, filed.id, "approved", "", ADMIN, now)
    d = dossier_service.gather(world, "BJ-01")
    assert [c.what for c in d.changes] == ["上线时间调整"]
    tr = world.translator.get("zh")
    texts = [
        str(getattr(b, "text", "")) + str(getattr(b, "value", ""))
        for b in blocks(d, world.config.tz, tr, now.date())
    ]
    assert any("重点" in t for t in texts)
    assert any("上线时间调整（变更理由：接口重测；批准）" in t for t in texts)
