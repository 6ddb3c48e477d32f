"""Measurements for the API-performance lesson (notebooks/20_api_performance_logging.ipynb).

The lesson talks to ``interview_lab.apps.perf_lab`` over real sockets. This module
holds the loops that would make its cells long: one request per endpoint variant
with its statement count, the interleaved best-of-N comparison, a bounded load
(N requests, at most C in flight) with per-request latencies and percentiles, a
burst sweep, the server's CPU time during a load, and the analysis of a
pyinstrument profile. Timing claims in the lesson are ratios and floors from one
run; counts (statements, slow requests) are exact.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import statistics
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import httpx
import psutil

from interview_lab import bench

VARIANTS = {
    "N+1": "/orders/n-plus-one",
    "joined": "/orders/joined",
    "cached": "/orders/cached",
    "async I/O": "/orders/async",
}


# --- percentiles ----------------------------------------------------------------------


def percentile(samples: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least p% of samples at or below it."""
    if not samples:
        raise ValueError("no samples")
    if not 0 < p <= 100:
        raise ValueError("p must be in (0, 100]")
    ordered = sorted(samples)
    return ordered[math.ceil(p * len(ordered) / 100) - 1]


def tail_chance(p_slow: float, calls: int) -> float:
    """Chance that at least one of ``calls`` independent calls is slow."""
    return 1 - (1 - p_slow) ** calls


# --- one request per variant, and the comparison ----------------------------------------


@dataclass(frozen=True)
class Answer:
    """One response: status, SQL statements the server ran for it, time inside the app."""

    status: int
    statements: int
    app_ms: float
    client_ms: float
    body: list | dict


def ask(client: httpx.Client, path: str, **params) -> Answer:
    """GET ``path`` once; read the status, the statement count and both timings."""
    start = time.perf_counter()
    response = client.get(path, params=params)
    client_ms = (time.perf_counter() - start) * 1e3
    timing = response.headers.get("server-timing", "app;dur=nan")
    return Answer(status=response.status_code,
                  statements=int(response.headers.get("x-db-statements", -1)),
                  app_ms=float(timing.split("dur=")[1]), client_ms=client_ms,
                  body=response.json())


def reset_cache(client: httpx.Client, limit: int) -> None:
    """Empty the cached endpoint's cache and its request counter, then fill it (one miss)."""
    client.post("/orders/cached/clear").raise_for_status()
    client.get("/orders/cached", params={"limit": limit}).raise_for_status()


def fetch_each(client: httpx.Client, limit: int) -> dict[str, Answer]:
    """One request per variant; ``cached`` twice from an empty cache: a miss, then a hit."""
    client.post("/orders/cached/clear").raise_for_status()
    answers = {}
    for name, path in VARIANTS.items():
        if name == "cached":
            answers["cached (miss)"] = ask(client, path, limit=limit)
        answers[name] = ask(client, path, limit=limit)
    return answers


def compare_endpoints(client: httpx.Client, limit: int, *, repeat: int = 5) -> bench.Comparison:
    """Best-of-``repeat`` wall time of one request per variant, interleaved (cache warm)."""
    def call(path: str):
        return lambda: client.get(path, params={"limit": limit}).raise_for_status()

    return bench.compare({name: call(path) for name, path in VARIANTS.items()},
                         repeat=repeat, warmup=1,
                         title=f"one page of {limit} orders, 4 ways (simulated DB round trips)")


def show_variants(result: bench.Comparison, answers: dict[str, Answer]) -> None:
    """Table and a two-panel chart: wall time per request, and SQL statements per request."""
    import matplotlib.pyplot as plt

    print(result.table())
    _fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3))
    result.chart(ax=left)
    left.set_ylabel("seconds per request (best)")
    names = list(result.timings)
    right.bar(names, [answers[n].statements for n in names], color="#dd8452")
    right.set_ylabel("SQL statements per request")
    right.set_title("round trips to the database")
    plt.tight_layout()
    plt.show()


# --- a bounded load ---------------------------------------------------------------------


@dataclass
class Load:
    """Latencies of ``len(latencies)`` requests sent with at most ``concurrency`` in flight."""

    path: str
    concurrency: int
    elapsed: float
    latencies: list[float] = field(default_factory=list)  # seconds, in completion order
    statuses: list[int] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)

    def ms(self, p: float) -> float:
        return percentile(self.latencies, p) * 1e3

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.latencies) * 1e3

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed

    def summary(self) -> str:
        return (f"{len(self.latencies)} requests to {self.path}, {self.concurrency} in flight: "
                f"p50 {self.ms(50):.1f} ms · p95 {self.ms(95):.1f} ms · p99 {self.ms(99):.1f} ms"
                f" · max {self.ms(100):.1f} ms · mean {self.mean_ms:.1f} ms · "
                f"{self.throughput:.0f} requests/s (this machine)")


async def bounded_load(base_url: str, path: str, *, requests: int, concurrency: int,
                       params: dict | None = None) -> Load:
    """Send ``requests`` GETs with ``concurrency`` workers (a closed loop), timing each one.

    A closed loop sends the next request only when a worker is free, so under
    overload it slows down with the server and under-reports latency (the
    "coordinated omission" that open-loop tools such as wrk2 or k6's arrival-rate
    executors avoid). For comparing variants on one machine it is fine.
    """
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    load = Load(path=path, concurrency=concurrency, elapsed=0.0)
    left = iter(range(requests))

    async def worker(client: httpx.AsyncClient) -> None:
        for _ in left:
            start = time.perf_counter()
            response = await client.get(path, params=params)
            load.latencies.append(time.perf_counter() - start)
            load.statuses.append(response.status_code)
            load.statements.append(int(response.headers.get("x-db-statements", -1)))

    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        load.elapsed = time.perf_counter() - start
    return load


def plot_latencies(load: Load, title: str = "", ax=None):
    """Histogram of the latencies (ms, log x axis) with p50, p95, p99 and the mean marked."""
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=(7, 3))
    values = [x * 1e3 for x in load.latencies]
    low, high = max(min(values), 0.05), max(values)
    bins = [low * (high / low) ** (i / 40) for i in range(41)]
    ax.hist(values, bins=bins, color="#4c72b0")
    ax.set_xscale("log")
    marks = {"p50": load.ms(50), "p95": load.ms(95), "p99": load.ms(99), "mean": load.mean_ms}
    for (name, value), colour in zip(marks.items(), ("green", "orange", "red", "black"),
                                     strict=True):
        ax.axvline(value, color=colour, linestyle="--", label=f"{name} {value:.1f} ms")
    ax.set_xlabel("latency, ms (log scale)")
    ax.set_ylabel("requests")
    ax.set_title(title or load.path)
    ax.legend(fontsize=8)
    return ax


# --- bursts: C requests at once ---------------------------------------------------------


async def burst(client: httpx.AsyncClient, path: str, n: int, params: dict | None = None) -> float:
    """Wall seconds until ``n`` requests sent at the same moment have all been answered."""
    start = time.perf_counter()
    answers = await asyncio.gather(*(client.get(path, params=params) for _ in range(n)))
    for response in answers:
        response.raise_for_status()
    return time.perf_counter() - start


@dataclass
class Sweep:
    """Bursts of C requests at once, per endpoint: wall time until all answered, and how
    many the server had waiting at the same moment (its own count, ``POST /wait/peak``)."""

    levels: list[int]
    walls: dict[str, list[float]]
    peaks: dict[str, list[int]]


async def sweep(base_url: str, paths: dict[str, str], levels: Sequence[int], *,
                repeat: int = 1, params: dict | None = None) -> Sweep:
    """Per path and level C: best-of-``repeat`` wall time of a burst of C requests."""
    limits = httpx.Limits(max_connections=max(levels), max_keepalive_connections=max(levels))
    result = Sweep(list(levels), {name: [] for name in paths}, {name: [] for name in paths})
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        await burst(client, "/info", max(levels))  # open the connections, untimed
        for level in levels:
            for name, path in paths.items():
                walls, peaks = [], []
                for _ in range(repeat):
                    await client.post("/wait/peak")  # reset the server's count
                    walls.append(await burst(client, path, level, params))
                    peaks.append((await client.post("/wait/peak")).json()["peak"])
                result.walls[name].append(min(walls))
                result.peaks[name].append(max(peaks))
    return result


def plot_sweep(result: Sweep, title: str = "", ax=None):
    """Wall time of a burst against its size, one line per endpoint."""
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=(6, 3))
    for name, values in result.walls.items():
        ax.plot(result.levels, [v * 1e3 for v in values], marker="o", label=name)
    ax.set_xlabel("requests sent at once")
    ax.set_ylabel("time until all answered, ms")
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax


# --- is the server busy or waiting? -----------------------------------------------------


@dataclass(frozen=True)
class ServerUse:
    """CPU seconds the server process used during a load, per wall second of that load."""

    path: str
    cpu: float
    wall: float

    @property
    def cpu_per_wall(self) -> float:
        return self.cpu / self.wall


@contextlib.contextmanager
def server_cpu(base_url: str, path: str) -> Iterator[list[ServerUse]]:
    """Measure the server's own CPU time (psutil, by the pid it reports) around a block."""
    pid = int(httpx.get(base_url + "/info").json()["pid"])
    process = psutil.Process(pid)
    out: list[ServerUse] = []
    before, start = process.cpu_times(), time.perf_counter()
    yield out
    after, wall = process.cpu_times(), time.perf_counter() - start
    cpu = (after.user - before.user) + (after.system - before.system)
    out.append(ServerUse(path=path, cpu=cpu, wall=wall))


# --- reading a pyinstrument profile -----------------------------------------------------


def hot_path(profile: dict, min_share: float = 0.5) -> list[str]:
    """Follow the most expensive child from the root while it holds >= ``min_share`` of the time."""
    frame = profile["root_frame"]
    total, path = frame["time"], []
    while frame is not None and frame["time"] >= min_share * total:
        path.append(frame["function"])
        frame = max(frame["children"], key=lambda child: child["time"], default=None)
    return path


def share(profile: dict, function: str) -> float:
    """Fraction of the profiled time spent inside calls to ``function`` (outermost calls only)."""
    def inside(frame: dict) -> float:
        if frame["function"] == function:
            return frame["time"]
        return sum(inside(child) for child in frame["children"])

    root = profile["root_frame"]
    return inside(root) / root["time"]
