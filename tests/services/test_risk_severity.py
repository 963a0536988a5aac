"""Risk severity at the seam: read from the entry's tags, stored, and ordering open risks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.services import Services
from bot.services import projects as service
from bot.services.projects import ProjectFields
from storage import people, progress, progress_reads, progress_tags

ADMIN = 7_000_000_001


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("#risk #高 接口不稳定", "high"),
        ("#风险 高 数据接口超时", "high"),
        ("＃风险　低 偶发延迟", "low"),
        ("#风险：中 待观察", "medium"),
        ("#risk #high outage", "high"),
        ("#risk low latency", "low"),
        ("#风险 数据接口不稳定", "medium"),  # none named: medium
        ("#风险 高速通道故障", "medium"),  # a word that starts with 高 is not a severity
        ("#里程碑 #高 首笔交易", ""),  # not a risk: no severity
    ],
)
def test_severity_is_read_from_the_text(text: str, severity: str) -> None:
    assert progress_tags.parse_severity(text) == severity


def test_open_risks_list_by_severity_then_age(svc: Services) -> None:
    now = svc.clock.now()
    people.touch_person(svc.db, ADMIN, "ada", "Ada", None, "en", now)
    service.register(svc, "BJ-01", ProjectFields("P", "tech", "L"), ADMIN, now)
    for days, text in (
        (9, "#风险 低 old low"),
        (8, "#风险 old medium"),
        (7, "#风险 高 high"),
        (6, "#risk #high newer high"),
        (5, "#risk #low newer low"),
    ):
        progress.add_entry(
            svc.db,
            project_code="BJ-01",
            author_id=ADMIN,
            author_unit=None,
            text=text,
            now=now - timedelta(days=days),
        )
    shown = service.card(svc, "BJ-01").open_risks
    assert [(e.severity, e.id) for e in shown] == [
        ("high", 3),
        ("high", 4),
        ("medium", 2),
        ("low", 1),
        ("low", 5),
    ]
    edited = progress.edit_entry(svc.db, shown[0], "#风险 低 downgraded", ADMIN, now)
    assert edited.severity == "low"
    assert [e.id for e in progress_reads.open_risks(svc.db)] == [4, 2, 1, 3, 5]
