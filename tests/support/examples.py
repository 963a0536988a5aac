"""How many examples a property test draws: a fixed sample in CI, a deeper search on demand.

CI runs hypothesis derandomized (the `ci` profile, tests/conftest.py): the same examples
every run, so drawing more each time finds nothing new and only costs seconds. Set
`HYPOTHESIS_PROFILE=explore` to search afresh with ten times as many.
"""

from __future__ import annotations

import os

DEPTH = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "explore" else 1


def examples(count: int) -> int:
    """`count` examples in CI, ten times as many when exploring."""
    return count * DEPTH
