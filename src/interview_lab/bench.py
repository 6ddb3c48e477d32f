"""Benchmark helpers: warm-up, best of N, CPU time vs wall time, a table and a chart.

Lessons assert ratios measured in one run (threads vs serial), never absolute
seconds: the same code is twice as slow on a busy laptop, but the ratio holds.
CPU seconds per wall second is the parallelism figure: about 1.0 means one core
busy, about 2.0 means two. Child processes' CPU time is counted once they have
been joined, so pool-based variants must shut their pool down inside the timed
function (that also makes the start-up cost part of what is measured, honestly).
"""

from __future__ import annotations

import math
import os
import platform
import resource
import statistics
import sys
import time
import timeit
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

QUICK_ENV = "INTERVIEW_LAB_QUICK"


def is_quick() -> bool:
    """True when INTERVIEW_LAB_QUICK is set to a true value (CI and the test suite)."""
    return os.environ.get(QUICK_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def size(*, quick: int | float, full: int | float):
    """Pick the quick size in CI and the test suite, the full size for a learner."""
    return quick if is_quick() else full


def cores() -> int:
    """CPUs this process may run on (respects taskset/cgroup affinity where Linux tells)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def require_cores(n: int) -> bool:
    """True when the machine has n cores; otherwise print why an assert is skipped."""
    have = cores()
    if have < n:
        print(f"skipped: this claim needs {n}+ cores, this machine has {have}")
        return False
    return True


def cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have been waited for."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _machine_busy_seconds() -> float:
    """CPU seconds all programs have used on all cores since boot (plus time stolen by a host)."""
    import psutil

    t = psutil.cpu_times()
    return sum(getattr(t, name, 0.0)
               for name in ("user", "nice", "system", "irq", "softirq", "steal"))


def family_cpu_seconds(pids: Iterable[int]) -> float:
    """CPU seconds of these processes and all their children, live or already reaped.

    For a server we started (a database, an app server with workers): the work it
    did for us. Processes that are gone, or not ours to read, add nothing.
    """
    import psutil

    total = 0.0
    for pid in pids:
        try:
            root = psutil.Process(pid)
            family = [root, *root.children(recursive=True)]
        except psutil.Error:
            continue
        for process in family:
            try:
                t = process.cpu_times()
            except psutil.Error:
                continue
            # children_*: children already reaped, such as a finished database backend
            total += t.user + t.system + t.children_user + t.children_system
    return total


class OtherLoad:
    """Context manager: how many cores other programs kept busy while the block ran.

    The machine's busy CPU time minus our own (this process and the children it
    waited for), per wall second. Around a benchmark it tells, from the same
    run, whether a parallel-speedup claim had the idle cores it needs.

    ``ours`` names server processes the benchmark talks to (a database, a cache):
    their CPU time, and that of their children, is part of the work being measured,
    not another program's.
    """

    def __init__(self, ours: Iterable[int | None] = ()) -> None:
        self.cores = 0.0
        self.wall = 0.0      # seconds the block took
        self.ours_cpu = 0.0  # CPU seconds the ``ours`` processes used meanwhile
        self._ours = tuple(pid for pid in ours if pid)

    def __enter__(self) -> OtherLoad:
        self._busy0, self._mine0 = _machine_busy_seconds(), cpu_seconds()
        self._ours0 = family_cpu_seconds(self._ours)
        self._wall0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall0
        self.ours_cpu = family_cpu_seconds(self._ours) - self._ours0
        ours = (cpu_seconds() - self._mine0) + self.ours_cpu
        others = (_machine_busy_seconds() - self._busy0) - ours
        self.cores = max(0.0, others / self.wall) if self.wall > 0 else 0.0


def require_free_cores(n: int, other_cores: float, tolerance: float = 0.25) -> bool:
    """True when the machine has ``n`` cores and other programs left them (nearly) idle.

    ``other_cores`` comes from an ``OtherLoad`` around the measurement. A claim
    like "two processes run twice as fast" needs two idle cores, and even "threads
    gain nothing" needs one: a core shared with other programs runs our serial
    and threaded runs at different speeds. When other programs used more than
    ``tolerance`` cores meanwhile, the assert is skipped with the reason printed,
    as on a machine with too few cores.
    """
    if not require_cores(n):
        return False
    if other_cores > tolerance:
        print(f"skipped: other programs kept {other_cores:.2f} cores busy during this run;"
              f" this claim needs {n} idle core(s)")
        return False
    return True


def labelled_bars(ax: Any, names: Sequence[str], values: Sequence[float], labels: Sequence[str],
                  *, color: str | Sequence[str] = "#4c72b0", fontsize: int = 8) -> Any:
    """Draw one bar per name and write its label just above it (every chart of ratios here)."""
    bars = ax.bar(list(names), list(values), color=color)
    for bar, label in zip(bars, labels, strict=True):
        ax.annotate(label, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=fontsize)
    return bars


@dataclass(frozen=True)
class Timing:
    """Wall and CPU seconds of one run."""

    wall: float
    cpu: float

    @property
    def parallelism(self) -> float:
        """CPU seconds per wall second: ~1 for one busy core, ~N for N cores busy."""
        return self.cpu / self.wall if self.wall > 0 else 0.0


def timed(fn: Callable[[], Any]) -> tuple[Timing, Any]:
    """Run fn once and return its Timing and result."""
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    result = fn()
    wall, cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
    return Timing(wall=wall, cpu=cpu), result


def best_of(fn: Callable[[], Any], *, repeat: int = 5, warmup: int = 1) -> Timing:
    """The fastest of ``repeat`` runs after ``warmup`` untimed ones.

    The minimum is the run least disturbed by other work on the machine; the
    mean mixes in noise that says nothing about the code.
    """
    if repeat < 1:
        raise ValueError("repeat must be >= 1")
    for _ in range(warmup):
        fn()
    return min((timed(fn)[0] for _ in range(repeat)), key=lambda t: t.wall)


def seconds_per_call(fn: Callable[[], Any], repeat: int = 5, budget: float = 0.004, *,
                     clock: Callable[[], float] = time.perf_counter) -> float:
    """Best-of-``repeat`` seconds per call of ``fn``, each sample looping ~``budget`` seconds.

    For calls far shorter than a clock tick: one trial call picks how many calls make a
    sample of about ``budget`` seconds (``timeit.Timer.autorange`` does the same with a
    0.2 s target), then ``timeit`` takes ``repeat`` samples of that many calls; the
    fastest sample divided by the number of calls is returned. ``clock`` is wall time by
    default; ``time.thread_time`` counts only this thread's CPU time, which leaves out
    the moments a busy machine gives the CPU to other programs.
    """
    timer = timeit.Timer(fn, timer=clock)
    once = max(timer.timeit(1), 1e-7)
    number = max(1, int(budget / once))
    return min(timer.repeat(repeat=repeat, number=number)) / number


def loglog_slope(sizes: Sequence[float], values: Sequence[float]) -> float:
    """Least-squares slope of log(value) against log(size): the exponent k in value ~ size**k.

    About 1 for a cost that grows like n, 2 like n**2, near 0 for a constant (or log n).
    """
    fit = statistics.linear_regression([math.log(s) for s in sizes],
                                       [math.log(v) for v in values])
    return fit.slope


def peak_bytes(fn: Callable[[], Any], *, repeat: int = 3) -> tuple[int, Any]:
    """Run ``fn`` ``repeat`` times under tracemalloc; return (smallest peak in bytes, result).

    The peak is measured above what was allocated when the call started, so
    only what ``fn`` itself holds at its worst moment counts. The smallest of a
    few runs drops bytes that another thread (a Jupyter kernel has several)
    happened to allocate at the same time.
    """
    if repeat < 1:
        raise ValueError("repeat must be >= 1")
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    peaks, result = [], None
    try:
        for _ in range(repeat):
            result = None
            tracemalloc.reset_peak()
            base, _ = tracemalloc.get_traced_memory()
            result = fn()
            _, peak = tracemalloc.get_traced_memory()
            peaks.append(max(peak - base, 0))
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return min(peaks), result


class TableAndChart:
    """A result that has a ``table()`` to print and a ``chart()`` to draw: ``show()`` does both."""

    def table(self) -> str:
        raise NotImplementedError

    def chart(self, ax=None):
        raise NotImplementedError

    def show(self) -> None:
        """Print the table and draw the chart (in a notebook the figure appears below)."""
        import matplotlib.pyplot as plt

        print(self.table())
        self.chart()
        plt.tight_layout()
        plt.show()


@dataclass
class Comparison(TableAndChart):
    """Best-of-N timings of several variants of the same job, first one the baseline."""

    title: str
    timings: dict[str, Timing]
    repeat: int
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def baseline(self) -> str:
        return next(iter(self.timings))

    def speedup(self, name: str) -> float:
        """How many times faster than the baseline (wall time): >1 is faster."""
        return self.timings[self.baseline].wall / self.timings[name].wall

    def ratio(self, slower: str, faster: str) -> float:
        """Wall time of ``slower`` over wall time of ``faster``."""
        return self.timings[slower].wall / self.timings[faster].wall

    def rows(self) -> list[tuple[str, float, float, float, float]]:
        return [
            (name, t.wall, t.cpu, t.parallelism, self.speedup(name))
            for name, t in self.timings.items()
        ]

    def table(self) -> str:
        header = (
            f"{self.title}\n"
            f"best of {self.repeat} · {cores()} cores · Python {platform.python_version()} "
            f"({sys.implementation.name}) · quick={is_quick()}\n"
        )
        lines = [f"{'variant':<22}{'wall s':>10}{'CPU s':>10}{'CPU/wall':>10}"
                 f"{'x ' + self.baseline:>16}"]
        for name, wall, cpu, par, speed in self.rows():
            lines.append(f"{name:<22}{wall:>10.4f}{cpu:>10.4f}{par:>10.2f}{speed:>16.2f}")
        return header + "\n".join(lines)

    def chart(self, ax=None):
        """Bar chart of wall time per variant, CPU/wall written on each bar."""
        import matplotlib.pyplot as plt

        if ax is None:
            _fig, ax = plt.subplots(figsize=(6, 3))
        names = list(self.timings)
        labelled_bars(ax, names, [self.timings[n].wall for n in names],
                      [f"CPU/wall {self.timings[n].parallelism:.2f}" for n in names])
        ax.set_ylabel(f"wall time, s (best of {self.repeat})")
        ax.set_title(self.title)
        return ax


def compare(
    variants: dict[str, Callable[[], Any]],
    *,
    repeat: int = 3,
    warmup: int = 1,
    title: str = "",
    progress: bool = True,
) -> Comparison:
    """Time each variant best-of-``repeat``, interleaved so a noisy moment hits all alike.

    The first variant is the baseline that ``speedup`` divides by.
    """
    if not variants:
        raise ValueError("nothing to compare")
    for fn in variants.values():
        for _ in range(warmup):
            fn()
    runs: dict[str, list[Timing]] = {name: [] for name in variants}
    for round_number in range(1, repeat + 1):
        for name, fn in variants.items():
            runs[name].append(timed(fn)[0])
        if progress:
            last = round_number == repeat
            print(f"round {round_number}/{repeat} done", end="\n" if last else "\r")
    best = {name: min(ts, key=lambda t: t.wall) for name, ts in runs.items()}
    return Comparison(title=title or "comparison", timings=best, repeat=repeat)
