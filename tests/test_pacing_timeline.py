"""The overall limit's timeline (bot/telegram/ratelimit.Metronome): requests leave one
period apart on average, never more of them in a window than the timeline has slots, and
a delay is never made up by a burst."""

from __future__ import annotations

import asyncio

from bot.telegram.ratelimit import CoordRateLimiter, Metronome

PERIOD = 0.02


async def _admit(metronome: Metronome, count: int) -> list[float]:
    loop = asyncio.get_running_loop()
    times = []
    for _ in range(count):
        async with metronome:
            times.append(loop.time())
    return times


async def test_waiters_leave_on_the_timeline_in_arrival_order() -> None:
    metronome = Metronome(PERIOD)
    loop = asyncio.get_running_loop()
    order: list[int] = []

    async def send(n: int) -> float:
        async with metronome:
            order.append(n)
            return loop.time()

    times = await asyncio.gather(*(send(n) for n in range(10)))
    assert order == list(range(10))
    # The k-th leaves no earlier than k periods after the first (bar timer granularity),
    # and overshoot does not add up: nine periods from the first to the last.
    assert all(t - times[0] >= k * PERIOD - 0.002 for k, t in enumerate(times))
    assert times[-1] - times[0] < 9 * PERIOD + 0.1


async def test_a_late_request_restarts_the_timeline_without_a_burst() -> None:
    metronome = Metronome(PERIOD)
    first = await _admit(metronome, 1)
    await asyncio.sleep(3 * PERIOD)  # idle: three slots passed unused
    later = await _admit(metronome, 3)
    assert later[0] - first[0] >= 3 * PERIOD  # at once after the pause ...
    assert later[1] - later[0] >= PERIOD - 0.002  # ... and the slots missed are not made up
    assert later[2] - later[0] >= 2 * PERIOD - 0.002


async def test_a_cancelled_waiter_gives_up_its_turn() -> None:
    metronome = Metronome(PERIOD)
    await _admit(metronome, 1)
    waiting = asyncio.create_task(_admit(metronome, 1))
    await asyncio.sleep(0)
    waiting.cancel()
    loop = asyncio.get_running_loop()
    began = loop.time()
    await _admit(metronome, 1)  # takes the slot the cancelled one was waiting for
    assert loop.time() - began < 2 * PERIOD


def test_the_limiter_paces_overall_with_the_metronome() -> None:
    limiter = CoordRateLimiter(30)
    assert isinstance(limiter._base_limiter, Metronome)
