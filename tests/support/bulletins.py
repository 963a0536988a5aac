"""Literal bulletin data for the renderers and document exports: the week to Friday 5 March
2027, 16:00 in Shanghai, two running projects, entries as given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.render.bulletin_data import BulletinData, MeetingItem
from storage.progress import Entry
from storage.progress_tags import parse_tags
from storage.projects import Project

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2027, 3, 5, 8, 0, tzinfo=UTC)


def project(code: str, category: str = "tech", stage: str = "running") -> Project:
    """A project in a category and stage, added sixty days before NOW."""
    return Project(code, f"Project {code}", category, "Lead", "", "", stage, NOW - timedelta(60))


def entry(n: int, code: str, text: str, days_ago: float = 1) -> Entry:
    """Progress entry #n on a project by Sam (TECH), tags read from the text."""
    return Entry(
        n, code, 2, "TECH", text, parse_tags(text), NOW - timedelta(days_ago), None, False
    )


def data(entries: list[Entry], meetings: list[MeetingItem] | None = None) -> BulletinData:
    """A week to NOW over BJ-01 (tech) and BJ-02 (public), both running; TECH reported."""
    projects = {p.code: p for p in (project("BJ-01"), project("BJ-02", "public"))}
    return BulletinData(
        period_start=NOW - timedelta(days=7),
        period_end=NOW,
        projects=projects,
        stage_counts={"running": 2},
        entries=entries,
        stage_changes=[],
        open_risks=[],
        closures=[],
        silent=[],
        results=[],
        meetings=meetings or [],
        units_reported=["TECH"],
        units_silent=["BJ"],
    )
