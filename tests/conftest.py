"""Shared fixtures: the emulator with its cast, the bot running against it (bare, organised,
with meetings or projects on a fixed clock), and services on a temporary SQLite.

What they are built from lives in tests/support/ (no test module imports another)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from bot.services import Services
from tests.support import caches, meetings, ordering, projects
from tests.support.harness import Harness, add_cast, running_bot, setup_org
from tests.support.services import SERVICE_T0, make_services

# CI runs a fixed, repeatable sample; `HYPOTHESIS_PROFILE=explore` searches afresh each run.
settings.register_profile("ci", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config: pytest.Config) -> None:
    """Register the `slow` marker."""
    config.addinivalue_line(
        "markers", "slow(seconds): takes about that long on its own; the suite starts it first"
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The slow tests first, spread over the xdist workers (tests/support/ordering.py)."""

    def seconds(item: pytest.Item) -> float:
        marker = item.get_closest_marker("slow")
        return float(marker.args[0]) if marker else 0.0

    def quick(item: pytest.Item) -> bool:  # no bot to start: a plain function
        return not {"emu", "live"} & set(getattr(item, "fixturenames", ()))

    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    items[:] = ordering.deal(items, seconds, quick, workers)


@pytest.fixture(autouse=True, scope="session")
def read_once() -> Iterator[None]:
    """Catalogs and the TLS trust store read once per test process (tests/support/caches.py)."""
    with pytest.MonkeyPatch.context() as patch:
        for module, name, replacement in caches.PATCHES:
            patch.setattr(module, name, replacement)
        yield


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    """A running emulator with the standard cast of users and one group."""
    emulator = Emulator()
    await emulator.start()
    add_cast(emulator)
    yield emulator
    await emulator.stop()


@pytest.fixture
async def bot(emu: Emulator, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot running against the emulator, with admin 1 configured."""
    async with running_bot(emu, tmp_path) as h:
        yield h


@pytest.fixture
async def org(bot: Harness) -> Harness:
    """The bot with two units, a staff member in each, a member, and a subscribed group."""
    await setup_org(bot)
    return bot


@pytest.fixture
async def mt(emu: Emulator, tmp_path: Path) -> AsyncIterator[tuple[Harness, FixedClock]]:
    """The organised bot standing at Tue 1 Sep 2026, 10:00 Shanghai, and its clock."""
    clock = FixedClock(meetings.T0)
    async with running_bot(emu, tmp_path, clock) as h:
        await setup_org(h)
        yield h, clock


@pytest.fixture
async def porg(emu: Emulator, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot on Mon 1 Mar 2027 with the cast, two projects and a subscribed group."""
    async with running_bot(emu, tmp_path, FixedClock(projects.T0)) as h:
        await projects.org_setup(h)
        yield h


@pytest.fixture
def clock() -> FixedClock:
    """A clock fixed at SERVICE_T0 (Tuesday 1 December 2026, 10:00 in Shanghai)."""
    return FixedClock(SERVICE_T0)


@pytest.fixture
def svc(tmp_path: Path, clock: FixedClock) -> Iterator[Services]:
    """Services on a temporary SQLite with the fixed clock: for testing services directly."""
    services = make_services(tmp_path, clock)
    yield services
    services.db.close()
