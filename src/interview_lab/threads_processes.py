"""Helpers for lesson 12, threads vs processes: start methods, costs, who ran when.

Everything a worker runs lives in this module (or in ``workloads``), so it can be
sent to a process started with "spawn" or "forkserver": such a worker imports the
function by module and name, and a notebook cell is not a module.

The process start method is always passed explicitly (``START_METHOD``). The
platform default differs: "fork" on Linux up to Python 3.13, "forkserver" on
Linux from 3.14, "spawn" on macOS and Windows. "spawn" exists everywhere and
leaves no helper process behind once a pool is shut down, so the lesson uses it.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from interview_lab import bench, workloads
from interview_lab.bench import OtherLoad  # lesson 12 uses it as tp.OtherLoad
from interview_lab.bench import require_free_cores as require_free_cores  # and this as tp.*
from interview_lab.workloads import POOL_SIZE, Span

START_METHOD = "spawn"


# --- running a batch, with the start method explicit -------------------------

def run_batch(kind: str, func: Callable[[Any], Any], args: Iterable[Any],
              workers: int = POOL_SIZE, method: str = START_METHOD,
              chunksize: int = 1) -> list[Any]:
    """``workloads.run_batch`` with the process start method (and chunksize) explicit.

    The pool is created and shut down inside the call, so its start-up cost is
    part of any timing around it and no worker outlives the call.
    """
    if kind != "processes":
        return workloads.run_batch(kind, func, args, workers)
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method)) as pool:
        return list(pool.map(func, list(args), chunksize=chunksize))


def compare_kinds(func: Callable[[Any], Any], args: Iterable[Any],
                  kinds: tuple[str, ...] = ("serial", "threads", "processes"), *,
                  workers: int = POOL_SIZE, repeat: int = 3, warmup: int = 0,
                  title: str = "") -> tuple[bench.Comparison, float]:
    """``bench.compare`` of ``run_batch(kind, func, args)`` for each kind, first one the baseline.

    Each timed call creates and shuts down its own pool. Returns the comparison
    and how many cores other programs kept busy meanwhile (see ``OtherLoad``).
    """
    items = list(args)
    variants = {kind: (lambda kind=kind: run_batch(kind, func, items, workers)) for kind in kinds}
    with OtherLoad() as other:
        result = bench.compare(variants, repeat=repeat, warmup=warmup, title=title)
    return result, other.cores


def timeline(kind: str, func: Callable[[Any], Any], args: list[Any],
             workers: int = POOL_SIZE, method: str = START_METHOD) -> list[Span]:
    """One Span per task (start to end, wall clock) when the batch runs on ``kind``."""
    jobs = [(f"task {i}", func, a) for i, a in enumerate(args)]
    return run_batch(kind, workloads.traced, jobs, workers, method)


# --- when was each task really on a CPU? -------------------------------------

def ran_when(job: tuple[str, int, int]) -> list[Span]:
    """Spin ``iterations`` in chunks; return the stretches when this thread had a CPU.

    After each chunk it compares the thread's CPU time (``time.thread_time``) with
    the wall time the chunk took: a thread that waited for the GIL, or that the
    OS did not schedule, gained wall time but no CPU time. Chunks with at least
    half their wall time on the CPU count as running; neighbours, and stretches
    less than 1 ms apart, are merged into one.
    """
    label, iterations, chunk = job
    min_gap = 0.001
    pid, ident = os.getpid(), threading.get_ident()
    running: list[Span] = []
    seg_start: float | None = None
    wall0, cpu0 = time.perf_counter(), time.thread_time()
    for _ in range(max(1, iterations // chunk)):
        workloads.spin(chunk)
        wall, cpu = time.perf_counter(), time.thread_time()
        if cpu - cpu0 >= 0.5 * (wall - wall0):
            if seg_start is None:
                seg_start = wall0
                if running and wall0 - running[-1].end < min_gap:  # a blip: keep one bar
                    seg_start = running.pop().start
        elif seg_start is not None:
            running.append(Span(label, pid, ident, seg_start, wall0))
            seg_start = None
        wall0, cpu0 = wall, cpu
    if seg_start is not None:
        running.append(Span(label, pid, ident, seg_start, wall0))
    return running


def running_timeline(kind: str, tasks: int, iterations: int, *, chunk: int = 2_000,
                     workers: int = POOL_SIZE, method: str = START_METHOD) -> list[Span]:
    """Spans of the stretches when each CPU-bound task was really running."""
    jobs = [(f"task {i}", iterations, chunk) for i in range(tasks)]
    per_task = run_batch(kind, ran_when, jobs, workers, method)
    return [span for spans in per_task for span in spans]


def in_progress(spans: list[Span]) -> list[Span]:
    """One Span per task, from its first running stretch to its last: when it was under way."""
    by_task: dict[str, list[Span]] = {}
    for span in spans:
        by_task.setdefault(span.label, []).append(span)
    return [Span(label, parts[0].pid, parts[0].thread,
                 min(p.start for p in parts), max(p.end for p in parts))
            for label, parts in by_task.items()]


def aligned(runs: dict[str, list[Span]]) -> dict[str, list[Span]]:
    """Shift each run so it starts at 0: runs made one after another share one time axis."""
    out = {}
    for name, spans in runs.items():
        t0 = min(s.start for s in spans)
        out[name] = [replace(s, start=s.start - t0, end=s.end - t0) for s in spans]
    return out


def best_overlap(kind: str, tasks: int, iterations: int, tries: int = 3,
                 good_enough: float = 1.6, **kwargs: Any) -> tuple[float, list[Span]]:
    """Highest ``busy_overlap`` of running stretches over up to ``tries`` runs, with its spans.

    Stops early once a run reaches ``good_enough``.

    Other programs on a shared machine can take a core for a moment; the best
    try is the one least disturbed, as with best-of-N timings.
    """
    best: tuple[float, list[Span]] = (-1.0, [])
    for _ in range(tries):
        spans = running_timeline(kind, tasks, iterations, **kwargs)
        overlap = workloads.busy_overlap(spans)
        if overlap > best[0]:
            best = (overlap, spans)
        if overlap >= good_enough:
            break
    return best


def hash_job(rounds: int) -> str:
    """SHA-256 of a 1 MiB buffer ``rounds`` times: C code that releases the GIL."""
    return workloads.sha256_rounds(2**20, rounds)


# --- what a thread and a process cost ---------------------------------------

def _noop() -> None:
    """The cheapest job: what remains is the cost of starting and joining."""


def start_and_join(kind: str, n: int, method: str = START_METHOD) -> None:
    """Start ``n`` threads or processes that do nothing, then wait for all of them."""
    if kind == "threads":
        workers: list[Any] = [threading.Thread(target=_noop) for _ in range(n)]
    elif kind == "processes":
        ctx = mp.get_context(method)
        workers = [ctx.Process(target=_noop) for _ in range(n)]
    else:
        raise ValueError(f"kind must be threads or processes, not {kind!r}")
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def _hold(ready: Any, release: Any) -> None:
    """Child process body: say it is up, then wait to be released."""
    ready.set()
    release.wait(60)


def child_memory(method: str = START_METHOD) -> dict[str, int]:
    """USS and RSS in bytes of an idle child process started with ``method``.

    USS (unique set size) is memory only that process uses: what you free by
    ending it. RSS also counts pages shared with other processes.
    """
    import psutil

    ctx = mp.get_context(method)
    ready, release = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_hold, args=(ready, release))
    child.start()
    try:
        if not ready.wait(60):
            raise RuntimeError("the child process did not start within 60 s")
        info = psutil.Process(child.pid).memory_full_info()
        return {"uss": info.uss, "rss": info.rss}
    finally:
        release.set()
        child.join(60)


def memory_per_thread(n: int = 100) -> float:
    """Growth of this process's USS per extra idle thread, in bytes."""
    import psutil

    me = psutil.Process()
    release = threading.Event()
    threads = [threading.Thread(target=release.wait, args=(60,)) for _ in range(n)]
    before = me.memory_full_info().uss
    for t in threads:
        t.start()
    try:
        after = me.memory_full_info().uss
    finally:
        release.set()
        for t in threads:
            t.join()
    return (after - before) / n


# --- shared memory or not ----------------------------------------------------

REGISTRY: list[int] = []


def register(item: int) -> int:
    """Append to the module-level REGISTRY and return its length in this process."""
    REGISTRY.append(item)
    return len(REGISTRY)


def die(code: int) -> None:
    """End the running process at once, as a crash in C code would."""
    os._exit(code)


def identify(_item: Any) -> tuple[int, int]:
    """(process id, thread id) of whoever runs this."""
    return os.getpid(), threading.get_ident()


# --- a script that forgets the __main__ guard --------------------------------

UNGUARDED = """
import multiprocessing as mp
ctx = mp.get_context("spawn")
child = ctx.Process(target=print, args=("hello from the child",))
child.start()
child.join()
print("parent saw exit code", child.exitcode)
"""

GUARDED = """
import multiprocessing as mp

if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    child = ctx.Process(target=print, args=("hello from the child",))
    child.start()
    child.join()
    print("parent saw exit code", child.exitcode)
"""

def not_importable(method: str) -> str:
    """A program that maps a function defined in its own main module on a ``method`` pool."""
    return f"""
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

def double(x):
    return 2 * x

with ProcessPoolExecutor(2, mp_context=mp.get_context({method!r})) as pool:
    try:
        print(list(pool.map(double, [1, 2])))
    except Exception as exc:
        print(type(exc).__name__)
"""


def run_code(source: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``source`` with ``python -c``: a main module with no file, like a REPL or notebook."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(source)], capture_output=True,
                          text=True, timeout=timeout, cwd=tempfile.gettempdir())


def run_script(source: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``source`` as a script file in a fresh interpreter; capture its output."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "script.py"
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                              timeout=timeout, cwd=folder)
