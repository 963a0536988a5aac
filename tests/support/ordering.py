"""The order tests run in: the slow ones start first, spread over the xdist workers.

pytest-xdist (`--dist load`, what `-n` means) first deals each worker a contiguous block
of the collection, a quarter of its share, then hands out the rest one small batch at a
time as workers run dry, which balances itself. Slow tests sorted to the front would all
land in the first worker's block and run one after another. Dealt here instead, each block
starts with its share of them (longest first, each to the block with the fewest seconds so
far) and is filled up with quick tests, so that no worker is left with a long queue behind
a slow test once the others have nothing more to take.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def first_block(count: int, workers: int) -> int:
    """How many tests xdist deals each worker first (LoadScheduling.schedule)."""
    return max(count // workers // 4, 2)


def deal(
    items: Sequence[T],
    seconds: Callable[[T], float],
    quick: Callable[[T], bool],
    workers: int,
) -> list[T]:
    """`items` reordered for `workers` xdist workers: each first block holds its share of the
    slow ones (seconds > 0), then quick ones; everything else keeps its relative order."""
    slow = sorted((i for i in items if seconds(i) > 0), key=seconds, reverse=True)
    rest = [i for i in items if seconds(i) <= 0]
    if workers <= 1:
        return slow + rest
    lanes: list[list[T]] = [[] for _ in range(workers)]
    totals = [0.0] * workers
    for item in slow:
        emptiest = totals.index(min(totals))
        lanes[emptiest].append(item)
        totals[emptiest] += seconds(item)
    fillers = [i for i in rest if quick(i)] + [i for i in rest if not quick(i)]
    block = first_block(len(items), workers)
    out: list[T] = []
    for lane in lanes:
        fill = max(block - len(lane), 0)
        out += lane + fillers[:fill]
        fillers = fillers[fill:]
    left = {id(i) for i in fillers}
    return out + [i for i in rest if id(i) in left]
