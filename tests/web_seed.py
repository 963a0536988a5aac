"""A programme with some history, written through storage: for the web tests, screenshots and
the web benchmark (which asks for 200 projects and 10,000 entries)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain.meeting_times import occ_key
from bot.services import Services
from storage import (
    actions,
    agenda,
    bulletins,
    evaluations,
    meetings,
    minutes,
    people,
    progress,
    project_follows,
    project_stages,
    projects,
    rsvps,
)
from storage.db import transaction

ADMIN, STAFF, MEMBER, OUTSIDER, EVALUATOR, EVALUATOR2 = (
    7_000_000_001,
    7_000_000_002,
    7_000_000_003,
    7_000_000_004,
    7_000_000_005,
    7_000_000_006,
)
UNITS = [
    ("TECH", "科技监管司"),
    ("BJ", "北京证监局"),
    ("SAC", "中国证券业协会"),
    ("CSDC", "中国证券登记结算有限责任公司"),
    ("SSE", "上海证券交易所"),
    ("BFTA", "北京金融科技产业联盟"),
]
NAMES = [
    "基于区块链的私募股权份额登记",
    "证券期货业移动应用安全检测",
    "智能投顾合规监测平台",
    "投资者适当性智能匹配",
    "跨市场交易数据共享服务",
    "监管科技风险画像",
    "区域性股权市场数字凭证",
    "基金销售行为智能审查",
    "上市公司公告智能解析",
    "债券发行全流程电子化",
    "期货保证金安全存管监控",
    "证券公司数字化柜台",
    "隐私计算联合风控",
    "场外衍生品交易报告",
    "投资者教育数字平台",
    "异常交易实时识别",
]
LEADS = ["中信证券", "华泰证券", "国泰君安", "中国银河证券", "北京股权交易中心", "南方基金"]
STAGE_MIX = ["running"] * 6 + ["evaluation"] * 3 + ["selection"] * 3 + ["solicitation"] * 2
STAGE_MIX += ["exited", "terminated"]
TEXTS = [
    "完成第{n}阶段联调测试，系统运行平稳。",
    "已向北京证监局报送月度运行报告。",
    "客户投诉{n}件，均已妥善处理。",
    "发现接口限流配置不当，存在交易延迟风险 #风险",
    "按方案完成数据脱敏改造 #里程碑",
    "拟调整服务范围，已提交方案变更申请 #变更",
    "Pilot users reached {n}00; no incidents this week.",
    "Vendor security audit finished; two findings to fix #risk",
]


@dataclass(frozen=True)
class Seeded:
    """What a seeded programme holds, for assertions."""

    project_codes: list[str]
    meeting_ids: list[int]
    risk_ids: list[int]


def _person(
    svc: Services, user_id: int, first: str, lang: str, role: str, unit: str | None
) -> None:
    now = svc.clock.now()
    people.touch_person(svc.db, user_id, first.lower(), first, "", lang, now)
    people.set_role(svc.db, user_id, role, unit, now)  # type: ignore[arg-type]


def seed(svc: Services, n_projects: int = 16, n_entries: int = 160, seed_value: int = 7) -> Seeded:
    """Units, people, projects at every stage, entries and risks, evaluations, bulletin
    issues, meetings with answers, agendas, minutes and actions, relative to the clock."""
    rng = random.Random(seed_value)
    now = svc.clock.now()
    db = svc.db
    with transaction(db):
        for code, name in UNITS:
            people.add_unit(db, code, name, now - timedelta(days=400))
        _person(svc, ADMIN, "Ada", "zh-hans", "admin", "TECH")
        _person(svc, STAFF, "Sam", "en", "staff", "TECH")
        _person(svc, MEMBER, "Mei", "zh", "member", "BJ")
        _person(svc, OUTSIDER, "Otto", "en", "none", None)
        _person(svc, EVALUATOR, "Li", "zh", "staff", "BJ")
        _person(svc, EVALUATOR2, "Wang", "zh", "member", "SAC")
        for user in (EVALUATOR, EVALUATOR2):
            evaluations.set_evaluator(db, user, True, now)
        codes = _projects(svc, rng, n_projects, now)
        risk_ids = _entries(svc, rng, codes, n_entries, now)
        _evaluations(svc, codes, now)
        _bulletins(svc, now)
        meeting_ids = _meetings(svc, rng, codes, now)
    return Seeded(codes, meeting_ids, risk_ids)


def _projects(svc: Services, rng: random.Random, n: int, now: datetime) -> list[str]:
    db, codes = svc.db, []
    for i in range(n):
        code = f"BJ-{i + 1:02d}" if i < 99 else f"P-{i + 1:03d}"
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f"（{i // len(NAMES) + 1}）")
        created = now - timedelta(days=300 - i % 200)
        projects.add_project(
            db,
            code=code,
            name=name,
            category=projects.CATEGORIES[i % 4],
            lead=LEADS[i % len(LEADS)],
            batch="第一批" if i < n // 2 else "第二批",
            region="北京",
            now=created,
            by_user=ADMIN,
        )
        target = STAGE_MIX[i % len(STAGE_MIX)]
        steps = ["selection", "evaluation", "running"]
        if target in projects.FINAL_STAGES:
            path = [*steps, target]
        else:
            path = steps[: steps.index(target) + 1] if target in steps else []
        for step, stage in enumerate(path):
            at = created + timedelta(days=20 * (step + 1))
            project_stages.set_stage(db, code, stage, "", min(at, now), ADMIN)
        unit_codes = [u for u, _n in UNITS]
        for unit in rng.sample(unit_codes, 2 if i % 3 else 1):
            project_follows.follow(db, code, unit, created)
        codes.append(code)
    return codes


def _entries(
    svc: Services, rng: random.Random, codes: list[str], n: int, now: datetime
) -> list[int]:
    db, risks = svc.db, []
    for i in range(n):
        code = codes[rng.randrange(len(codes))]
        units = project_follows.followers(db, code) or ["TECH"]
        at = now - timedelta(days=150 * (n - i) / n, hours=rng.randrange(8))
        text = TEXTS[rng.randrange(len(TEXTS))].format(n=rng.randrange(1, 9))
        # Lately two units have gone quiet: the reporting grid shows it.
        quiet = ("SSE", "CSDC") if i > n * 0.67 else ("SSE",) if i > n * 0.5 else ()
        units = [u for u in units if u not in quiet] or ["TECH"]
        entry = progress.add_entry(
            db,
            project_code=code,
            author_id=STAFF,
            author_unit=units[rng.randrange(len(units))],
            text=text,
            now=at,
        )
        if "risk" in entry.tags:
            risks.append(entry.id)
            if rng.random() < 0.4:
                fix = progress.add_entry(
                    db,
                    project_code=code,
                    author_id=STAFF,
                    author_unit=entry.author_unit,
                    text=f"完成整改，关闭 #{entry.id} #整改",
                    now=at + timedelta(days=3),
                )
                progress.close_risks(db, fix.id, [entry.id])
                risks.remove(entry.id)
    return risks


def _evaluations(svc: Services, codes: list[str], now: datetime) -> None:
    db = svc.db
    found = [projects.get_project(db, c) for c in codes]
    in_evaluation = [p.code for p in found if p is not None and p.stage == "evaluation"]
    for n, code in enumerate(in_evaluation):
        evaluations.put_scores(db, code, EVALUATOR, (4, 3, 5, 4), "创新性突出", now)
        evaluations.put_scores(db, code, EVALUATOR2, (3, 4, 3, 5), "", now)
        if n == 0:
            evaluations.close_round(db, code, now, ADMIN)


def _bulletins(svc: Services, now: datetime) -> None:
    db = svc.db
    last = progress.max_id(db)
    after = None
    for k in range(4, 0, -1):  # four weekly issues, the last a week ago
        end = now - timedelta(days=7 * k)
        mark = max(0, last * (5 - k) // 6)
        after = bulletins.create_issue(
            db,
            year=end.year,
            after=after,
            period_end=end,
            now=end,
            by_user=ADMIN,
            via="command",
            marks=(mark, 0, 0),
            parts={"zh": ["简报"], "en": ["Bulletin"]},
        )


def _meetings(svc: Services, rng: random.Random, codes: list[str], now: datetime) -> list[int]:
    db, tz = svc.db, svc.config.tz
    local = now.astimezone(tz).replace(hour=14, minute=0, second=0, microsecond=0)
    plans = [
        ("joint", "联席会议（第四季度）", -20, "北京证监局301会议室", None, ["TECH", "BJ", "SAC"]),
        ("coordination", "协调小组第五次会议", 3, "科技监管司二楼会议室", None, []),
        ("evaluation", "专业评估会：第二批项目", 9, "https://meet.example.org/eval", None, []),
        ("working", "工作组例会", -6, "线上会议", "FREQ=WEEKLY;BYDAY=MO", ["TECH", "BJ"]),
        ("joint", "联席会议（专题）", -45, "上海证券交易所", None, ["SSE", "CSDC", "BJ"]),
    ]
    ids = []
    for kind, title, days, place, rule, invited in plans:
        start = local + timedelta(days=days)
        meeting_id = meetings.create(
            db,
            kind=kind,
            title=title,
            place=place,
            start=start,
            end=start + timedelta(hours=2),
            tz=tz.key,
            rrule=rule,
            created_by=ADMIN,
            now=now - timedelta(days=60),
        )
        meetings.set_invited(db, meeting_id, invited)
        ids.append(meeting_id)
        occ = occ_key(start) if rule else ""
        answers: tuple[rsvps.Answer, ...] = ("attend", "attend", "delegate", "decline")
        for n, (user, unit) in enumerate(
            [(ADMIN, "TECH"), (MEMBER, "BJ"), (EVALUATOR2, "SAC"), (STAFF, "TECH")]
        ):
            rsvps.answer(db, meeting_id, occ, user, unit, answers[n], now - timedelta(days=1))
        for n in range(3):
            item = agenda.add_item(
                db,
                meeting_id=meeting_id,
                occ=occ,
                meeting_kind=kind,
                sitting_start=start,
                title=[
                    "关于试点项目退出机制的报告",
                    "审议第二批项目遴选结果",
                    "研究跨区域数据共享",
                ][n],
                kind=("report", "deliberation", "study")[n],
                major=n == 1,
                project=codes[(n + len(ids)) % len(codes)],
                minutes=20,
                submitter=STAFF,
                unit_code="TECH",
                late=False,
                now=now - timedelta(days=30),
            )
            if days < 0:
                minutes.add_decision(
                    db, meeting_id, occ, item, "原则同意，请牵头单位修改完善。", ADMIN, now
                )
                agenda.mark_reached(db, item)
                actions.add_action(
                    db,
                    meeting_id=meeting_id,
                    occ=occ,
                    meeting_kind=kind,
                    sitting_start=start,
                    item_id=item,
                    owner_user=None if n else MEMBER,
                    owner_unit=("BJ", None, "SAC")[n] if n != 0 else None,
                    due=(start + timedelta(days=7 * (n + 1))).astimezone(tz).date(),
                    text=["报送修订后的退出规则", "整理第二批项目材料", "提出数据共享方案"][n],
                    by=ADMIN,
                    now=now,
                )
        if days < 0:
            minutes.set_attendance(db, meeting_id, occ, invited or ["TECH", "BJ"], ADMIN, now)
    return ids


def today_of(svc: Services) -> date:
    """The local date of the services' clock."""
    return svc.clock.now().astimezone(svc.config.tz).date()
