"""Helpers for lesson 01 (core types): bytecode, sizes, hash-table probing and retained memory.

The lesson keeps its demos in its own cells; this module holds what would clutter them:

- ``loop_body``: the instructions CPython runs once per item of the first loop in a
  function (or in a code object nested in it, where Python 3.11 puts a comprehension),
  read statically with ``dis``, so "a comprehension does less work per item" is a count.
- ``size_rows`` and ``plot_sizes``: ``sys.getsizeof`` of a tuple, a list built in one go
  and a list grown by ``append``, for the same items.
- ``compare_cpu``: best-of-N, interleaved, ranked by the CPU time of this thread, which a
  busy machine disturbs far less than wall time; ``literal_costs`` uses it for literals.
- ``ProbeKey`` and ``eq_calls``: keys whose ``__eq__`` calls are counted, to show that a
  dict compares a key with ``==`` only when the hashes match.
- ``retained_bytes``: what a number of calls leave allocated, via ``tracemalloc``.
"""

from __future__ import annotations

import dis
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from types import CodeType, FunctionType
from typing import Any

from interview_lab import bench

# --- bytecode -----------------------------------------------------------------------------------


def _code_objects(code: CodeType) -> Iterator[CodeType]:
    """``code`` and every code object nested in its constants, depth first."""
    yield code
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _code_objects(const)


def nested_code_names(func: FunctionType) -> list[str]:
    """Names of the code objects compiled inside ``func`` (e.g. ``'<listcomp>'`` on 3.11)."""
    return [c.co_name for c in _code_objects(func.__code__)][1:]


def loop_body(func: FunctionType) -> list[str]:
    """Opcode names of one pass of the first ``for`` loop found, ``FOR_ITER`` to ``JUMP_BACKWARD``.

    These are the instructions the interpreter runs for every item, so their number is
    a deterministic measure of per-item overhead (the static, unspecialized bytecode).
    """
    for code in _code_objects(func.__code__):
        names = [ins.opname for ins in dis.get_instructions(code)]
        if "FOR_ITER" in names:
            start = names.index("FOR_ITER")
            end = names.index("JUMP_BACKWARD", start)
            return names[start : end + 1]
    raise ValueError(f"{func.__name__} has no for loop")


def opnames(func: FunctionType) -> list[str]:
    """Every opcode name in ``func``'s own code object (not nested ones)."""
    return [ins.opname for ins in dis.get_instructions(func)]


# --- sizes --------------------------------------------------------------------------------------


def appended_list(n: int) -> list[int]:
    """A list of ``range(n)`` grown one ``append`` at a time, as a loop would build it."""
    out: list[int] = []
    for i in range(n):
        out.append(i)
    return out


def size_rows(sizes: list[int]) -> list[tuple[int, int, int, int]]:
    """(n, tuple bytes, list-in-one-go bytes, appended-list bytes) per n (CPython sizes)."""
    rows = []
    for n in sizes:
        items = range(n)
        rows.append((n, sys.getsizeof(tuple(items)), sys.getsizeof(list(items)),
                     sys.getsizeof(appended_list(n))))
    return rows


def plot_sizes(rows: list[tuple[int, int, int, int]], ax=None):
    """Bytes against number of items for the three ways of holding them."""
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=(6, 3))
    ns = [r[0] for r in rows]
    for column, label, style in [(3, "list grown by append", "-"),
                                 (2, "list built in one go", "--"), (1, "tuple", "-")]:
        ax.step(ns, [r[column] for r in rows], style, where="post", label=label)
    ax.set_xlabel("number of items")
    ax.set_ylabel("sys.getsizeof, bytes")
    ax.set_title("Container size for the same items (CPython, 64-bit)")
    ax.legend()
    return ax


# --- timing by CPU time -------------------------------------------------------------------------


@dataclass
class CpuComparison(bench.Comparison):
    """A ``bench.Comparison`` whose ratios and chart use CPU seconds of the timing thread.

    For single-threaded work, CPU time is the time the code actually ran: it does not grow
    when other programs take the core away, which wall time does on a busy machine.
    """

    def speedup(self, name: str) -> float:
        return self.timings[self.baseline].cpu / self.timings[name].cpu

    def ratio(self, slower: str, faster: str) -> float:
        return self.timings[slower].cpu / self.timings[faster].cpu

    def chart(self, ax=None):
        import matplotlib.pyplot as plt

        if ax is None:
            _fig, ax = plt.subplots(figsize=(6, 3))
        names = list(self.timings)
        bench.labelled_bars(ax, names, [self.timings[n].cpu for n in names],
                            [f"{self.speedup(n):.2f}x" for n in names])
        ax.set_ylabel(f"CPU time, s (best of {self.repeat})")
        ax.set_xlabel(f"label on each bar: speed relative to {self.baseline}", fontsize=8)
        ax.set_title(self.title)
        ax.tick_params(axis="x", labelsize=8)
        return ax


def compare_cpu(variants: dict[str, Callable[[], Any]], *, repeat: int = 7,
                title: str = "") -> CpuComparison:
    """Time each variant ``repeat`` times, interleaved; keep each one's run with least CPU time.

    CPU time is ``time.thread_time()`` (this thread only, so a kernel's background threads
    do not count); wall time of the same run is kept for the table.
    """
    for fn in variants.values():
        fn()  # warm up
    best: dict[str, bench.Timing] = {}
    for round_number in range(1, repeat + 1):
        for name, fn in variants.items():
            cpu0, wall0 = time.thread_time(), time.perf_counter()
            fn()
            run = bench.Timing(wall=time.perf_counter() - wall0, cpu=time.thread_time() - cpu0)
            if name not in best or run.cpu < best[name].cpu:
                best[name] = run
        print(f"round {round_number}/{repeat} done", end="\n" if round_number == repeat else "\r")
    return CpuComparison(title=title or "comparison", timings=best, repeat=repeat)


# --- creation cost ------------------------------------------------------------------------------


def literal_costs(number: int, repeat: int = 7) -> CpuComparison:
    """CPU time of ``number`` evaluations of each literal, best of ``repeat``, interleaved.

    Variants: "list literal" ``[1, 2, 3, 4, 5]`` (the baseline), "tuple literal"
    ``(1, 2, 3, 4, 5)`` (folded into one constant by the compiler), "tuple of names"
    ``(a, b, c, d, e)`` (built at run time), and "pass": timeit's own loop, the floor under
    every other figure.
    """
    names = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}
    timers = {
        "list literal": timeit.Timer("[1, 2, 3, 4, 5]"),
        "tuple literal": timeit.Timer("(1, 2, 3, 4, 5)"),
        "tuple of names": timeit.Timer("(a, b, c, d, e)", globals=names),
        "pass": timeit.Timer("pass"),
    }
    return compare_cpu({label: (lambda t=t: t.timeit(number)) for label, t in timers.items()},
                       repeat=repeat, title=f"build a 5-item literal {number:,} times (CPU time)")


# --- hashing ------------------------------------------------------------------------------------


class ProbeKey:
    """A dict key with a chosen hash whose ``__eq__`` calls are counted in ``calls[0]``."""

    def __init__(self, value: Hashable, hash_value: int, calls: list[int]):
        self.value, self.hash_value, self.calls = value, hash_value, calls

    def __hash__(self) -> int:
        return self.hash_value

    def __eq__(self, other: object) -> bool:
        self.calls[0] += 1
        return isinstance(other, ProbeKey) and self.value == other.value


def eq_calls(n: int, hash_of: Callable[[int], int]) -> tuple[int, int]:
    """(``__eq__`` calls to insert n distinct keys, calls to then look each one up again).

    The lookups use new but equal key objects, so the dict cannot take the ``is`` shortcut.
    """
    calls = [0]
    table = {}
    for i in range(n):
        table[ProbeKey(i, hash_of(i), calls)] = i
    inserts, calls[0] = calls[0], 0
    for i in range(n):
        assert table[ProbeKey(i, hash_of(i), calls)] == i
    return inserts, calls[0]


# --- memory -------------------------------------------------------------------------------------


def retained_bytes(call: Callable[[], Any], times: int) -> int:
    """Bytes still allocated (per tracemalloc) after calling ``call()`` ``times`` times.

    Each result is dropped at once, so only what the function keeps alive is counted.
    tracemalloc sees every thread, so in a Jupyter kernel its background threads can add a
    few hundred bytes: compare against a per-call figure, not against zero.
    """
    if tracemalloc.is_tracing():
        raise RuntimeError("tracemalloc is already tracing; stop it first")
    call()  # warm up: first-call caches are not what we measure
    tracemalloc.start()
    try:
        for _ in range(times):
            call()
        current, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return current
