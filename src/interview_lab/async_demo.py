"""Helpers for the asyncio lesson (notebooks/13_asyncio.ipynb) and its exercises.

The notebook shows the coroutines that matter; this module holds the timing
loops, the heartbeat that measures event-loop lag, the runs in a separate
thread or process, and the charts, so cells stay short.

Two rules the lesson keeps, and this module helps it keep:
- The Jupyter kernel already runs an event loop in its main thread, so cells use
  top-level ``await``. Anything that needs a loop of its own (debug mode, the
  exercise checks) runs ``asyncio.run`` in a fresh thread: ``run_in_thread``.
- gevent's monkey-patching changes the whole process for good, so gevent runs
  in a child process (``run_gevent``), never in the kernel.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from interview_lab import bench

# --- timing sync and async variants in one loop ------------------------------


async def _timed(fn: Callable[[], Any]) -> bench.Timing:
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = fn()
    if inspect.isawaitable(result):
        await result
    return bench.Timing(wall=time.perf_counter() - wall0, cpu=time.process_time() - cpu0)


async def compare(variants: dict[str, Callable[[], Any]], *, repeat: int = 3, warmup: int = 1,
                  title: str = "", progress: bool = True) -> bench.Comparison:
    """``bench.compare`` for a running event loop: best of ``repeat``, interleaved.

    A variant is a plain function (sync code, timed as it blocks) or returns an
    awaitable (async code, awaited). The first variant is the baseline.
    """
    if not variants:
        raise ValueError("nothing to compare")
    for fn in variants.values():
        for _ in range(warmup):
            await _timed(fn)
    runs: dict[str, list[bench.Timing]] = {name: [] for name in variants}
    for round_number in range(1, repeat + 1):
        for name, fn in variants.items():
            runs[name].append(await _timed(fn))
        if progress:
            last = round_number == repeat
            print(f"round {round_number}/{repeat} done", end="\n" if last else "\r")
    best = {name: min(ts, key=lambda t: t.wall) for name, ts in runs.items()}
    return bench.Comparison(title=title or "comparison", timings=best, repeat=repeat)


# --- one thread, many sockets -------------------------------------------------


@dataclass
class ManyAtOnce:
    """What happened while ``n`` requests ran at once from one event loop."""

    n: int
    elapsed: float
    together: int
    threads_before: int
    threads_most: int
    loop_thread: int
    coroutine_threads: set[int]

    def __str__(self) -> str:
        return (f"{self.n} requests took {self.elapsed:.2f} s; {self.together} of them were"
                f" answered because all {self.n} were inside the server at once;"
                f" threads in this process: {self.threads_before} before,"
                f" at most {self.threads_most} during")


async def many_at_once(base_url: str, n: int) -> ManyAtOnce:
    """Send ``n`` requests to ``/together?n=`` of the inflight app at once; watch the threads.

    The server answers each request only once all ``n`` are inside it together,
    so every answer saying ``together`` proves the server held them all at once.
    Each request records the thread it ran on; a probe task samples
    ``threading.active_count()`` while they are in flight.
    """
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        await client.post("/reset")
        before = threading.active_count()
        counts: list[int] = []
        idents: set[int] = set()

        async def one() -> bool:
            idents.add(threading.get_ident())
            response = await client.get("/together", params={"n": n})
            return response.raise_for_status().json()["together"]

        async def probe(stop: asyncio.Event) -> None:
            while not stop.is_set():
                counts.append(threading.active_count())
                await asyncio.sleep(0.01)

        stop = asyncio.Event()
        prober = asyncio.create_task(probe(stop))
        start = time.perf_counter()
        answers = await asyncio.gather(*(one() for _ in range(n)))
        elapsed = time.perf_counter() - start
        stop.set()
        await prober
    return ManyAtOnce(n=n, elapsed=elapsed, together=sum(answers), threads_before=before,
                      threads_most=max(counts), loop_thread=threading.get_ident(),
                      coroutine_threads=idents)


# --- event-loop lag ----------------------------------------------------------


@dataclass
class LoopLag:
    """Heartbeat ticks recorded while something ran on the loop."""

    label: str
    ticks: list[float] = field(default_factory=list)   # seconds since the heartbeat started

    @property
    def gaps(self) -> list[float]:
        return [b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)]

    @property
    def max_gap(self) -> float:
        return max(self.gaps, default=0.0)


async def _heartbeat(interval: float, stop: asyncio.Event, lag: LoopLag) -> None:
    start = time.perf_counter()
    lag.ticks.append(0.0)
    while not stop.is_set():
        await asyncio.sleep(interval)
        lag.ticks.append(time.perf_counter() - start)


async def loop_lag(label: str, job: Callable[[], Any], *, interval: float = 0.01,
                   settle: float = 0.03) -> LoopLag:
    """Run ``job`` on this loop beside a heartbeat that ticks every ``interval``.

    The largest gap between two ticks is the loop lag: how long the loop could
    not run anything else. ``job`` may be sync or return an awaitable.
    """
    lag, stop = LoopLag(label), asyncio.Event()
    beat = asyncio.create_task(_heartbeat(interval, stop, lag), name=f"heartbeat {label}")
    await asyncio.sleep(settle)
    result = job()
    if inspect.isawaitable(result):
        await result
    await asyncio.sleep(settle)
    stop.set()
    await beat
    return lag


async def compare_lag(jobs: dict[str, Callable[[], Any]], *, repeat: int = 3,
                      interval: float = 0.01) -> dict[str, LoopLag]:
    """Loop lag of each job, interleaved; keeps the run with the smallest lag per job.

    The smallest of several runs is the one least disturbed by other programs,
    as in a best-of-N timing.
    """
    runs: dict[str, list[LoopLag]] = {name: [] for name in jobs}
    for _ in range(repeat):
        for name, job in jobs.items():
            runs[name].append(await loop_lag(name, job, interval=interval))
    return {name: min(lags, key=lambda lag: lag.max_gap) for name, lags in runs.items()}


def lag_table(lags: dict[str, LoopLag], interval: float = 0.01) -> str:
    lines = [f"heartbeat every {interval} s · best of the runs · quick={bench.is_quick()}",
             f"{'job on the loop':<34}{'ticks':>7}{'max gap s':>12}"]
    lines += [f"{name:<34}{len(lag.ticks):>7}{lag.max_gap:>12.3f}" for name, lag in lags.items()]
    return "\n".join(lines)


def plot_lag(lags: dict[str, LoopLag], title: str = "", ax=None):
    """Gap between heartbeat ticks, over time: a frozen loop shows as one tall, wide block."""
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=(7, 3))
    for name, lag in lags.items():   # each gap drawn over the interval it covers
        ax.step(lag.ticks, [lag.gaps[0] if lag.gaps else 0.0, *lag.gaps], where="pre",
                label=f"{name} (max {lag.max_gap:.3f} s)")
    ax.set_xlabel("seconds since the heartbeat started")
    ax.set_ylabel("gap between two ticks, s")
    ax.set_title(title or "heartbeat gaps: how long the loop was unavailable")
    ax.legend(fontsize=8)
    return ax


# --- a coroutine on a loop of its own ----------------------------------------


def run_in_thread(coro_fn: Callable[..., Awaitable[Any]], *args: Any, debug: bool = False,
                  timeout: float = 30.0) -> Any:
    """``asyncio.run(coro_fn(*args))`` in a fresh thread; return its result or raise its error.

    A Jupyter kernel already runs a loop in the main thread, where ``asyncio.run``
    refuses to start; a new thread has no loop, so it can have its own (with
    ``debug`` mode if asked) and leave the kernel's loop untouched. The run is
    cancelled after ``timeout`` seconds (TimeoutError).
    """
    outcome: dict[str, Any] = {}

    async def main() -> Any:
        async with asyncio.timeout(timeout):
            return await coro_fn(*args)

    def target() -> None:
        try:
            outcome["result"] = asyncio.run(main(), debug=debug)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=target, name="own-event-loop", daemon=True)
    worker.start()
    worker.join(timeout + 5)
    if worker.is_alive():
        raise TimeoutError(f"the event loop thread did not finish within {timeout + 5:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


class _Collect(logging.Handler):
    def __init__(self, thread: int | None) -> None:
        super().__init__(logging.DEBUG)
        self.thread = thread
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if self.thread is None or record.thread == self.thread:
            self.records.append(record)


@contextlib.contextmanager
def captured_logs(name: str = "asyncio", *, thread: int | None = None
                  ) -> Iterator[list[logging.LogRecord]]:
    """Collect the records of logger ``name`` (from one thread only, if given)."""
    logger, handler = logging.getLogger(name), _Collect(thread)
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False          # keep the captured records out of the notebook's output
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


SLOW = re.compile(r"took (\d+\.\d+) seconds")


def slow_callbacks(block: float, threshold: float = 0.1) -> list[str]:
    """Run a debug-mode loop in its own thread where a task named "blocker" blocks.

    The task calls ``time.sleep(block)``; with ``loop.slow_callback_duration``
    set to ``threshold``, debug mode logs every step of a task that held the
    loop longer than that. Returns the asyncio logger's messages from that thread.
    """
    async def main() -> None:
        asyncio.get_running_loop().slow_callback_duration = threshold

        async def blocker() -> None:
            time.sleep(block)          # the bug: a blocking call inside a coroutine

        await asyncio.create_task(blocker(), name="blocker")

    messages: list[str] = []

    def target() -> None:
        with captured_logs(thread=threading.get_ident()) as records:
            asyncio.run(main(), debug=True)
        messages.extend(r.getMessage() for r in records)

    worker = threading.Thread(target=target, name="debug-loop")
    worker.start()
    worker.join()
    return messages


def slow_seconds(messages: list[str]) -> list[float]:
    """The durations in "Executing ... took X seconds" messages."""
    return [float(m.group(1)) for m in map(SLOW.search, messages) if m]


def show_walls(walls: dict[str, float], title: str) -> None:
    """Print a table of wall times (first one the baseline) and draw them as bars."""
    import matplotlib.pyplot as plt

    base = next(iter(walls.values()))
    print(f"{title}\nquick={bench.is_quick()}\n{'variant':<30}{'wall s':>10}{'x first':>10}")
    for name, wall in walls.items():
        print(f"{name:<30}{wall:>10.3f}{base / wall:>10.1f}")
    _fig, ax = plt.subplots(figsize=(7, 3))
    ax.bar(list(walls), list(walls.values()), color="#4c72b0")
    ax.set_ylabel("wall time, s")
    ax.set_title(title)
    plt.tight_layout()
    plt.show()


# --- child processes: gevent, and PYTHONASYNCIODEBUG ------------------------------

GEVENT_SCRIPT = """
import json, sys, time
n, seconds, patch = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3] == "patch"
if patch:
    from gevent import monkey
    monkey.patch_all()            # first, before anything else imports socket, time, ...
import threading
import gevent

start = time.perf_counter()
for _ in range(n):
    time.sleep(seconds)
serial = time.perf_counter() - start

start = time.perf_counter()
gevent.joinall([gevent.spawn(time.sleep, seconds) for _ in range(n)])
greenlets = time.perf_counter() - start

print(json.dumps({"serial": serial, "greenlets": greenlets, "threads": threading.active_count(),
                  "time.sleep is gevent's": time.sleep.__module__.startswith("gevent")}))
"""


def run_gevent(n: int, seconds: float, *, patch: bool) -> dict[str, Any]:
    """Run GEVENT_SCRIPT in a child process; return what it measured.

    ``n`` greenlets each call ``time.sleep(seconds)``, after timing the same
    sleeps one by one. With ``patch`` the script monkey-patches first.
    """
    run = subprocess.run([sys.executable, "-c", GEVENT_SCRIPT, str(n), str(seconds),
                          "patch" if patch else "no-patch"],
                         capture_output=True, text=True, timeout=60, check=False)
    if run.returncode:
        raise RuntimeError(f"the gevent script failed:\n{run.stderr}")
    return json.loads(run.stdout)


DEBUG_SCRIPT = """
import asyncio, time

async def fetch():
    return 1

async def handler():
    time.sleep(0.15)             # blocks the loop: longer than the 0.1 s threshold
    fetch()                      # forgot the await: the coroutine never runs

asyncio.run(handler())
"""


def run_with_asyncio_debug(enabled: bool = True) -> subprocess.CompletedProcess:
    """Run DEBUG_SCRIPT in a child process, with PYTHONASYNCIODEBUG=1 if ``enabled``."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONASYNCIODEBUG", "PYTHONDEVMODE")}
    if enabled:
        env["PYTHONASYNCIODEBUG"] = "1"
    return subprocess.run([sys.executable, "-c", DEBUG_SCRIPT], capture_output=True, text=True,
                          timeout=60, env=env, check=False)
