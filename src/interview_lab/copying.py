"""Helpers for the copy-semantics lesson: a nested workload and a memory measure.

The lesson times ``copy.copy`` against ``copy.deepcopy`` on ``nested_config(n)``
and, because timings are noisy on a shared machine, also counts the bytes each
copy keeps alive with ``tracemalloc``: a deterministic figure for "a deep copy
duplicates every nested container, a shallow copy only the outer one".
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import Any


def nested_config(n: int) -> dict[str, dict[str, Any]]:
    """A per-user settings map, ``n`` entries, each with a nested dict and two lists."""
    return {
        f"user{i}": {"roles": ["read", "write"], "limits": {"rpm": 60, "burst": [1, 2, 3]}}
        for i in range(n)
    }


def retained_bytes(func: Callable[[Any], Any], arg: Any) -> int:
    """Bytes still allocated (per tracemalloc) while ``func(arg)``'s result is alive.

    Temporary allocations made during the call and freed before it returns
    (such as deepcopy's memo dict) are not counted: only what the copy keeps.
    """
    if tracemalloc.is_tracing():
        raise RuntimeError("tracemalloc is already tracing; stop it first")
    tracemalloc.start()
    try:
        result = func(arg)
        current, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return current
