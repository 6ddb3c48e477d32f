"""Workloads for the concurrency lessons, in a module so process pools can import them.

A function defined in a notebook cell cannot be sent to a worker started with
"spawn" or "forkserver" (macOS default; Linux default from Python 3.14): the
worker imports the function by module and name, and a notebook has no module.
Everything here is importable, so the lessons work under every start method.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

POOL_SIZE = 2


# --- CPU-bound ---------------------------------------------------------------

def count_primes(limit: int) -> int:
    """Count primes below ``limit`` by trial division: pure Python, holds the GIL."""
    count = 0
    for n in range(2, limit):
        i = 2
        while i * i <= n:
            if n % i == 0:
                break
            i += 1
        else:
            count += 1
    return count


def spin(iterations: int) -> int:
    """A tight pure-Python loop: the simplest CPU-bound job."""
    total = 0
    for i in range(iterations):
        total += i % 7
    return total


def sha256_rounds(buffer_size: int, rounds: int) -> str:
    """Hash a large buffer repeatedly; hashlib releases the GIL for big buffers."""
    data = b"x" * buffer_size
    digest = b""
    for _ in range(rounds):
        digest = hashlib.sha256(data).digest()
    return digest.hex()


# --- I/O-bound ---------------------------------------------------------------

def wait_io(seconds: float) -> float:
    """Stand-in for a network call: the thread sleeps, releasing the GIL."""
    time.sleep(seconds)
    return seconds


# --- running a batch serially, on threads or on processes --------------------

def run_batch(kind: str, func: Callable[[Any], Any], args: Iterable[Any],
              workers: int = POOL_SIZE) -> list[Any]:
    """Run ``func`` over ``args`` serially, on a thread pool or on a process pool.

    The pool is created and shut down inside the call, so its start-up cost and
    its children's CPU time are part of any measurement around it.
    """
    items = list(args)
    if kind == "serial":
        return [func(a) for a in items]
    if kind == "threads":
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(func, items))
    if kind == "processes":
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(func, items))
    raise ValueError(f"kind must be serial, threads or processes, not {kind!r}")


# --- timelines: who ran when -------------------------------------------------

@dataclass(frozen=True)
class Span:
    """One task's run: which process and thread, and when (perf_counter seconds)."""

    label: str
    pid: int
    thread: int
    start: float
    end: float


def traced(job: tuple[str, Callable[[Any], Any], Any]) -> Span:
    """Run ``func(arg)`` and record when and where it ran.

    ``time.perf_counter`` is a system-wide monotonic clock on Linux and macOS,
    so spans from different processes can share one time axis.
    """
    label, func, arg = job
    start = time.perf_counter()
    func(arg)
    return Span(label, os.getpid(), threading.get_ident(), start, time.perf_counter())


def timeline(kind: str, func: Callable[[Any], Any], args: list[Any],
             workers: int = POOL_SIZE) -> list[Span]:
    """Spans of each task when the batch runs on ``kind`` (serial/threads/processes)."""
    jobs = [(f"task {i}", func, a) for i, a in enumerate(args)]
    return run_batch(kind, traced, jobs, workers)


def plot_timelines(runs: dict[str, list[Span]], ax=None, title: str = ""):
    """One row per worker, a bar per task: overlap in time is parallelism."""
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=(7, 0.6 + 0.5 * sum(
            len({(s.pid, s.thread) for s in spans}) for spans in runs.values())))
    t0 = min(s.start for spans in runs.values() for s in spans)
    y, ticks, names = 0, [], []
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for row, (kind, spans) in enumerate(runs.items()):
        workers = sorted({(s.pid, s.thread) for s in spans})
        for w_index, worker in enumerate(workers):
            for s in (s for s in spans if (s.pid, s.thread) == worker):
                ax.barh(y, s.end - s.start, left=s.start - t0, color=colors[row % len(colors)],
                        edgecolor="black", height=0.8)
            ticks.append(y)
            names.append(f"{kind} w{w_index}")
            y += 1
        y += 0.5
    ax.set_yticks(ticks, names)
    ax.invert_yaxis()
    ax.set_xlabel("seconds since the first task started")
    ax.set_title(title or "when each worker ran")
    return ax


def busy_overlap(spans: list[Span]) -> float:
    """Total task time divided by the time from first start to last end.

    1.0 means tasks ran one after another; 2.0 means two always ran at once.
    """
    total = sum(s.end - s.start for s in spans)
    elapsed = max(s.end for s in spans) - min(s.start for s in spans)
    return total / elapsed if elapsed > 0 else 0.0


def peak_overlap(spans: list[Span]) -> int:
    """The most tasks in progress at one instant (a span that ends as another starts: not both).

    Unlike ``busy_overlap``, an average over the whole batch, this does not drop when
    the tasks start a little apart, as they do when a busy machine delays creating
    the threads: eight 0.1 s waits started over 70 ms still all overlap at some moment.
    """
    events = sorted([(s.start, 1) for s in spans] + [(s.end, -1) for s in spans])
    peak = now = 0
    for _time, change in events:  # at equal times the end (-1) sorts before the start (+1)
        now += change
        peak = max(peak, now)
    return peak


# --- shared state without a lock ---------------------------------------------

class Counter:
    """A plain object with an integer, shared by threads in the race demos."""

    def __init__(self) -> None:
        self.value = 0


def unsafe_increment(counter: Counter, times: int) -> None:
    """Read, yield the GIL, write: the interleaving that loses updates.

    On CPython 3.11+ a bare ``counter.value += 1`` rarely loses updates in a
    short demo because the interpreter switches threads only at certain points;
    ``time.sleep(0)`` between read and write makes the switch (and the bug) certain.
    """
    for _ in range(times):
        current = counter.value
        time.sleep(0)
        counter.value = current + 1


def locked_increment(counter: Counter, times: int, lock: threading.Lock) -> None:
    """The same read-yield-write, holding a lock so no update is lost."""
    for _ in range(times):
        with lock:
            current = counter.value
            time.sleep(0)
            counter.value = current + 1


def start_threads(target: Callable[..., Any], args_per_thread: list[tuple]) -> None:
    """Start one thread per argument tuple and wait for all of them."""
    threads = [threading.Thread(target=target, args=a) for a in args_per_thread]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
