"""The order tests run in: the slow ones start first, spread over the xdist workers.

pytest-xdist (`--dist load`, what `-n` means) first deals each worker a contiguous block
of the collection, a quarter of its share, then hands out the rest as workers run dry. Slow
tests sorted to the front would all land in the first worker's block and run one after
another; dealt like this, each block starts with its part of them, balanced by their
marked seconds (longest first, each to the block with the fewest seconds so far).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def first_block(count: int, workers: int) -> int:
    """How many tests xdist deals each worker first (LoadScheduling.schedule)."""
    return max(count // workers // 4, 2)


def deal(items: Sequence[T], seconds: Callable[[T], float], workers: int) -> list[T]:
    """`items` reordered so that each worker's first block starts with its share of the slow
    ones (seconds > 0); every other item keeps its relative order."""
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
    block = first_block(len(items), workers)
    out: list[T] = []
    for lane in lanes:
        fill = max(block - len(lane), 0)
        out += lane + rest[:fill]
        rest = rest[fill:]
    return out + rest
