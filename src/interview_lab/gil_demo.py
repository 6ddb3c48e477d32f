"""Helpers for the GIL lesson (notebooks/11_gil.ipynb) and its exercises.

Everything here is small on purpose: the notebook shows the call, this module
holds the loops, the thread start/join and the chart, so cells stay short.
The claims the lesson asserts are about CPython; where a free-threaded build
(3.13+, ``python3.13t``) behaves differently, the functions say so.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from interview_lab import bench, workloads

TASKS = 4
"""Tasks per batch in the threads-vs-serial benchmark, each on its own thread."""

FREE_THREADED_NAMES = ("python3.14t", "python3.13t")
"""Executable names the free-threaded builds install under (PEP 703)."""


# --- which interpreter is this? ----------------------------------------------

def gil_enabled() -> bool:
    """True unless this is a free-threaded build running with the GIL off.

    ``sys._is_gil_enabled`` exists from Python 3.13 on; before that every
    CPython build has a GIL, so the answer is True.
    """
    probe = getattr(sys, "_is_gil_enabled", None)
    return True if probe is None else bool(probe())


def build_info() -> dict[str, Any]:
    """Facts about the running interpreter that decide what threads can do."""
    return {
        "implementation": sys.implementation.name,
        "version": platform.python_version(),
        "free_threaded_build": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        "has_sys._is_gil_enabled": hasattr(sys, "_is_gil_enabled"),
        "gil_enabled": gil_enabled(),
    }


def describe_build(info: dict[str, Any] | None = None) -> str:
    """One sentence naming the build, for the notebook to print."""
    info = info or build_info()
    kind = "free-threaded build" if info["free_threaded_build"] else "default build (with a GIL)"
    state = "on" if info["gil_enabled"] else "off"
    return f"{info['implementation']} {info['version']}, {kind}; GIL {state} right now"


def find_free_threaded(names: Iterable[str] = FREE_THREADED_NAMES) -> str | None:
    """Path of an installed free-threaded interpreter on PATH, or None."""
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


_PROBE = r"""
import json, platform, sys, threading, time
def spin(n):
    total = 0
    for i in range(n):
        total += i % 7
    return total
N = int(sys.argv[1])
threads = [threading.Thread(target=spin, args=(N,)) for _ in range(2)]
cpu0, wall0 = time.process_time(), time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
class Counter:
    value = 0
def unsafe(counter, times):
    for _ in range(times):
        current = counter.value
        time.sleep(0)
        counter.value = current + 1
counter = Counter()
racers = [threading.Thread(target=unsafe, args=(counter, 100)) for _ in range(4)]
for t in racers:
    t.start()
for t in racers:
    t.join()
gil = getattr(sys, "_is_gil_enabled", lambda: True)()
print(json.dumps({"version": platform.python_version(), "gil_enabled": gil,
                  "cpu_per_wall": cpu / wall, "lost_updates": 400 - counter.value}))
"""


def probe_interpreter(executable: str, iterations: int = 2_000_000) -> dict[str, Any]:
    """Run two CPU-bound threads in another interpreter; report its GIL state and CPU/wall.

    It also runs the read/sleep(0)/write race of the lesson on 4 threads x 100
    and reports how many of the 400 updates were lost.

    ``PYTHON_GIL`` is removed from the child's environment so the build's own
    default applies (it can force the GIL back on in a free-threaded build).
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_GIL"}
    run = subprocess.run([executable, "-c", _PROBE, str(int(iterations))],
                         capture_output=True, text=True, timeout=120, env=env, check=True)
    return json.loads(run.stdout)


# --- what the GIL protects -----------------------------------------------------

def refcount_churn(obj: object, threads: int = 4, times: int = 100_000) -> tuple[int, int]:
    """Take and drop references to ``obj`` from many threads; refcount before and after.

    Every ``refs = [obj, obj, obj]`` adds three references and ``del`` removes
    them: millions of increments and decrements of one shared counter inside
    the object, from several threads (``sys.getrefcount`` is a CPython detail).
    """
    def churn() -> None:
        for _ in range(times):
            refs = [obj, obj, obj]
            del refs

    before = sys.getrefcount(obj)
    workloads.start_threads(churn, [()] * threads)
    return before, sys.getrefcount(obj)


def append_from_threads(threads: int = 4, times: int = 100_000) -> list[int]:
    """Each thread appends ``times`` items to one shared list; the list is returned."""
    shared: list[int] = []

    def fill() -> None:
        append = shared.append
        for i in range(times):
            append(i)

    workloads.start_threads(fill, [()] * threads)
    return shared


def store_from_threads(threads: int = 4, times: int = 100_000) -> dict[tuple[int, int], int]:
    """Each thread stores ``times`` distinct keys into one shared dict; the dict is returned."""
    shared: dict[tuple[int, int], int] = {}

    def fill(me: int) -> None:
        for i in range(times):
            shared[me, i] = i

    workloads.start_threads(fill, [(me,) for me in range(threads)])
    return shared


def bare_increment(counter: workloads.Counter, times: int) -> None:
    """``counter.value += 1`` with no yield in between: read, add, write, still not atomic.

    On a plain attribute CPython 3.11+ has no switch point between the read and
    the write, so the race hides; with a ``PropertyCounter`` it loses updates.
    """
    for _ in range(times):
        counter.value += 1


class PropertyCounter:
    """A counter whose ``value`` is a property, so reading and writing it run Python code.

    Model fields of ORMs, validated attributes and ``__setattr__`` hooks work
    like this: ``counter.value += 1`` then calls the getter and the setter, and
    CPython may switch threads inside either.
    """

    def __init__(self) -> None:
        self._value = 0

    @property
    def value(self) -> int:
        return self._value

    @value.setter
    def value(self, new: int) -> None:
        self._value = new


def race(target: Callable[..., None], threads: int, times: int,
         lock: threading.Lock | None = None,
         counter_type: Callable[[], Any] = workloads.Counter) -> int:
    """Run ``target(counter, times[, lock])`` on ``threads`` threads; the counter's final value."""
    counter = counter_type()
    extra = () if lock is None else (lock,)
    workloads.start_threads(target, [(counter, times, *extra)] * threads)
    return counter.value


# --- when the GIL is released: threads vs serial on four kinds of work --------

def hash_big(rounds: int, size: int = 1 << 20) -> str:
    """SHA-256 of a 1 MiB buffer ``rounds`` times: C code that releases the GIL (> 2 KiB)."""
    return workloads.sha256_rounds(size, rounds)


def hash_small(count: int) -> str:
    """SHA-256 of a 64-byte buffer ``count`` times: too small for hashlib to release the GIL."""
    data, digest = b"x" * 64, b""
    sha256 = hashlib.sha256
    for _ in range(count):
        digest = sha256(data).digest()
    return digest.hex()


def kinds_of_work(*, spin: int, big_rounds: int, small_count: int,
                  sleep: float) -> dict[str, tuple[Callable[[Any], Any], Any]]:
    """Name -> (task function, its argument) for the benchmark."""
    return {
        "pure Python": (workloads.spin, spin),
        "hashlib 1 MiB": (hash_big, big_rounds),
        "hashlib 64 B": (hash_small, small_count),
        "time.sleep": (workloads.wait_io, sleep),
    }


def threads_vs_serial(kinds: dict[str, tuple[Callable[[Any], Any], Any]], *,
                      tasks: int = TASKS, repeat: int = 3, attempts: int = 1,
                      good_enough: Callable[[bench.Comparison], bool] | None = None,
                      ) -> bench.Comparison:
    """Time ``tasks`` copies of each kind of work, one after another vs one thread each.

    Variants are named "<kind> · serial" and "<kind> · threads"; all are
    interleaved round by round (bench.compare) so a noisy moment hits all alike.
    On a shared machine another program may hold the cores for a while: with
    ``attempts`` > 1 the whole comparison is measured again (saying so) until
    ``good_enough(result)`` holds, and the last result is returned either way.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    variants: dict[str, Callable[[], Any]] = {}
    for kind, (func, arg) in kinds.items():
        args = [arg] * tasks
        variants[f"{kind} · serial"] = lambda f=func, a=args: workloads.run_batch("serial", f, a)
        variants[f"{kind} · threads"] = (
            lambda f=func, a=args: workloads.run_batch("threads", f, a, workers=tasks))
    for attempt in range(1, attempts + 1):
        result = bench.compare(variants, repeat=repeat,
                               title=f"{tasks} tasks: serial vs {tasks} threads")
        if good_enough is None or good_enough(result) or attempt == attempts:
            return result
        print(f"attempt {attempt}/{attempts}: numbers look disturbed "
              f"(load average {os.getloadavg()[0]:.1f}), measuring again")
    raise AssertionError("unreachable")


SERIAL_CPU_KINDS = ("pure Python", "hashlib 1 MiB", "hashlib 64 B")


def serial_share(result: bench.Comparison) -> float:
    """The smallest CPU/wall among the serial CPU-bound runs: the share of a core we got.

    One thread doing CPU work on an idle core shows about 1.0; well below that,
    other programs took the core and wall-time ratios from this run are noise.
    """
    return min(result.timings[f"{k} · serial"].parallelism for k in SERIAL_CPU_KINDS
               if f"{k} · serial" in result.timings)


def clean(result: bench.Comparison) -> bool:
    """Quietly: did this run get whole cores (and, on 2+ cores, hashlib threads scale)?"""
    if serial_share(result) < 0.8:
        return False
    return bench.cores() < 2 or speedup(result, "hashlib 1 MiB") >= 1.3


def steady(result: bench.Comparison) -> bool:
    """True when the serial runs had a whole core; otherwise say why wall ratios are skipped."""
    share = serial_share(result)
    if share < 0.8:
        print(f"skipped: the serial runs got only {share:.0%} of a core (CPU/wall), so other "
              f"programs were using the CPU and wall-time ratios are noise; run again when idle")
        return False
    return True


def speedup(result: bench.Comparison, kind: str) -> float:
    """Serial wall time over threaded wall time for one kind of work (>1: threads won)."""
    return result.ratio(f"{kind} · serial", f"{kind} · threads")


def table(result: bench.Comparison, kinds: Iterable[str]) -> str:
    """One row per kind of work: serial and threaded wall time, CPU/wall, speed-up."""
    header = result.table().splitlines()[:2]  # title; repeat, cores, Python, quick flag
    lines = [*header, f"{'kind of work':<16}{'serial s':>10}{'threads s':>11}"
                      f"{'threads CPU/wall':>18}{'speed-up':>10}"]
    for kind in kinds:
        serial, threads = result.timings[f"{kind} · serial"], result.timings[f"{kind} · threads"]
        lines.append(f"{kind:<16}{serial.wall:>10.3f}{threads.wall:>11.3f}"
                     f"{threads.parallelism:>18.2f}{speedup(result, kind):>9.2f}x")
    return "\n".join(lines)


def plot_speedups(result: bench.Comparison, kinds: Iterable[str], ax=None):
    """Bar per kind of work: how many times faster the threaded run was, CPU/wall on top."""
    import matplotlib.pyplot as plt

    kinds = list(kinds)
    if ax is None:
        _fig, ax = plt.subplots(figsize=(7, 3.2))
    values = [speedup(result, k) for k in kinds]
    colors = ["#c44e52" if v < 1.3 else "#4c72b0" for v in values]
    bench.labelled_bars(ax, kinds, values, color=colors, labels=[
        f"CPU/wall {result.timings[f'{kind} · threads'].parallelism:.2f}" for kind in kinds])
    ax.axhline(1.0, color="gray", linestyle="--", linewidth=1)
    ax.axhline(bench.cores(), color="green", linestyle=":", linewidth=1)
    ax.text(-0.45, bench.cores(), f"{bench.cores()} cores", va="bottom", ha="left",
            fontsize=8, color="green")
    ax.set_ylabel("speed-up of threads (x serial)")
    ax.set_title(f"{TASKS} threads vs serial, by kind of work (red: no gain)")
    ax.set_ylim(0, max(max(values), bench.cores()) * 1.2)
    return ax


# --- a ticker thread: does a call let other threads run? ----------------------

def longest_pause(call: Callable[[], Any]) -> tuple[float, float]:
    """Run ``call()`` while a ticker thread loops in Python; (longest ticker pause, call time).

    The ticker reads the clock in a tight loop and notes every gap over 1 ms.
    While ``call`` holds the GIL the ticker cannot run one bytecode, so its
    longest pause during the call is about as long as the call itself. If
    ``call`` releases the GIL (blocking I/O, hashlib on a large buffer), the
    ticker keeps going and its pauses stay short. No second core is needed:
    on one core the operating system still alternates the two threads.
    """
    gaps: list[tuple[float, float]] = []
    stop, started = threading.Event(), threading.Event()

    def tick() -> None:
        clock = time.perf_counter
        last = clock()
        started.set()
        while not stop.is_set():
            now = clock()
            if now - last > 0.001:
                gaps.append((last, now))
            last = now
        now = clock()  # a pause that ended just as we were told to stop counts too
        if now - last > 0.001:
            gaps.append((last, now))

    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        started.wait()
        time.sleep(0.01)
        t0 = time.perf_counter()
        call()
        t1 = time.perf_counter()
    finally:
        stop.set()
        ticker.join()
    inside = [min(b, t1) - max(a, t0) for a, b in gaps if b > t0 and a < t1]
    return max(inside, default=0.0), t1 - t0


def pause_table(calls: dict[str, Callable[[], Any]], repeat: int = 3) -> dict[str, float]:
    """Print call time and the ticker's longest pause for each call; name -> pause/call.

    Each call runs ``repeat`` times and the run with the smallest pause/call is
    kept: a busy machine can delay the ticker thread now and then (the OS did
    not schedule it), but cannot make a GIL-holding call look released.
    """
    print(f"{'call':<28}{'call s':>9}{'longest ticker pause s':>25}{'pause/call':>12}")
    shares = {}
    for name, call in calls.items():
        pause, took = min((longest_pause(call) for _ in range(repeat)), key=lambda r: r[0] / r[1])
        shares[name] = pause / took
        print(f"{name:<28}{took:>9.3f}{pause:>25.3f}{shares[name]:>12.2f}")
    return shares


# --- the switch interval ---------------------------------------------------------

def count_switches(interval: float, seconds: float = 0.3) -> int:
    """Two CPU-bound threads for ``seconds``: how often did the running thread change?

    Each thread appends its name to a shared list in a loop; a change of name
    between neighbours is one hand-over of the GIL. The interval is set for the
    run and restored afterwards, even if something fails.
    """
    log: list[str] = []
    stop = time.perf_counter() + seconds

    def worker(name: str) -> None:
        append, clock = log.append, time.perf_counter
        while clock() < stop:
            for _ in range(200):
                pass
            append(name)

    old = sys.getswitchinterval()
    sys.setswitchinterval(interval)
    try:
        workloads.start_threads(worker, [("a",), ("b",)])
    finally:
        sys.setswitchinterval(old)
    return sum(1 for x, y in zip(log, log[1:], strict=False) if x != y)


# --- exercise support ---------------------------------------------------------------

class SlowLedger:
    """Account balances behind a slow store: every read and write yields the GIL.

    Stands in for a database or a remote ledger: ``balance`` and
    ``set_balance`` each pause for a moment (``time.sleep(0)``), as a network
    call would, so other threads run in between. ``lock`` is a
    ``threading.Lock`` for callers to hold around a read-check-write.
    """

    def __init__(self, balances: dict[str, int]) -> None:
        self._balances = dict(balances)
        self.lock = threading.Lock()

    def balance(self, account: str) -> int:
        """Current balance; KeyError for an unknown account."""
        time.sleep(0)
        return self._balances[account]

    def set_balance(self, account: str, value: int) -> None:
        """Store a new balance; KeyError for an unknown account."""
        if account not in self._balances:
            raise KeyError(account)
        time.sleep(0)
        self._balances[account] = value

    def snapshot(self) -> dict[str, int]:
        """A copy of all balances (for checks, not for transfers)."""
        return dict(self._balances)
