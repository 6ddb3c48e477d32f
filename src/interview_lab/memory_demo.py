"""Measurements for the memory-management lesson: RSS, tracemalloc runs, a leak hunt, a memory cap.

Two kinds of numbers appear side by side, on purpose:

- ``tracemalloc`` counts the bytes Python's allocators hand out to Python
  objects. It is exact and repeatable, so lessons assert on it.
- RSS (resident set size, read with ``psutil``) is what the operating system
  has given the whole process and what a container limit counts. It includes
  the interpreter, C libraries and memory the allocators keep for reuse, so it
  moves in steps and depends on history; lessons print it and assert only
  what is robust (it grew when we allocated a lot).

Run as ``python -m interview_lab.memory_demo eager|streaming PATH BUDGET_MIB``
to total a log file under an address-space cap (the child side of the
memory-capped run).
"""

from __future__ import annotations

import gc
import json
import resource
import subprocess
import sys
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

import psutil

MiB = 1 << 20

# --- units and RSS -------------------------------------------------------------------------


def rss() -> int:
    """Resident set size of this process, in bytes (what the OS has given it right now)."""
    return psutil.Process().memory_info().rss


def mib(nbytes: float) -> str:
    """Bytes as a short MiB string: ``mib(3 * MiB) == '3.0 MiB'``."""
    return f"{nbytes / MiB:.1f} MiB"


def traced_peak(fn: Callable[[], Any]) -> tuple[int, Any]:
    """Run ``fn`` under tracemalloc; return (peak bytes above the start, result).

    Starts and stops tracing itself unless it was already on.
    """
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return max(peak - base, 0), result


def bars(title: str, values: dict[str, float], *, unit: str = "MiB", scale: float = MiB,
         ax=None):
    """Print ``values`` as a table (in ``unit``) and draw them as a bar chart."""
    import matplotlib.pyplot as plt

    width = max(len(k) for k in values) + 2
    print(title)
    for name, value in values.items():
        print(f"  {name:<{width}}{value / scale:>12,.2f} {unit}")
    if ax is None:
        _fig, ax = plt.subplots(figsize=(6, 0.5 + 0.45 * len(values)))
    names = list(values)[::-1]
    ax.barh(names, [values[k] / scale for k in names], color="#4c72b0")
    ax.set_xlabel(unit)
    ax.set_title(title)
    return ax


# --- pymalloc: freed is not always returned --------------------------------------------------


def small_objects(n: int) -> list[tuple[int, str]]:
    """``n`` small objects (a tuple, an int and a short str each): all from pymalloc."""
    return [(i, str(i)) for i in range(n)]


@dataclass(frozen=True)
class FreeRun:
    """One allocate-then-free experiment: RSS at each stage, and what tracemalloc saw."""

    scenario: str
    n: int
    rss_before: int
    rss_allocated: int
    rss_freed: int
    traced_allocated: int  # bytes Python objects held at the peak (tracemalloc, separate run)
    traced_freed: int  # bytes still held after the free (the survivors)

    @property
    def rss_growth(self) -> int:
        return self.rss_allocated - self.rss_before

    @property
    def rss_kept(self) -> int:
        """RSS still above the start after the free."""
        return self.rss_freed - self.rss_before


def _allocate_and_free(n: int, keep_every: int, measure: Callable[[], int]) -> tuple[int, ...]:
    gc.collect()
    before = measure()
    objs = small_objects(n)
    allocated = measure()
    survivors = objs[::keep_every] if keep_every else []  # one in keep_every stays alive
    del objs
    freed = measure()
    del survivors
    return before, allocated, freed


def free_run(n: int, *, keep_every: int = 0) -> FreeRun:
    """Allocate ``n`` small objects, free them (keeping one in ``keep_every``), measure.

    RSS is read in one run without tracemalloc (tracing adds its own memory per
    object), the Python-level bytes in a second run under tracemalloc.
    """
    r0, r1, r2 = _allocate_and_free(n, keep_every, rss)
    tracemalloc.start()
    try:
        t0, t1, t2 = _allocate_and_free(n, keep_every,
                                        lambda: tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    name = f"keep 1 in {keep_every}" if keep_every else "free all"
    return FreeRun(name, n, r0, r1, r2, t1 - t0, t2 - t0)


def free_table(runs: Iterable[FreeRun]) -> str:
    lines = [f"{'scenario':<16}{'n':>11}{'RSS +alloc':>13}{'RSS after free':>16}"
             f"{'traced +alloc':>15}{'traced after':>14}"]
    for r in runs:
        lines.append(f"{r.scenario:<16}{r.n:>11,}{mib(r.rss_growth):>13}{mib(r.rss_kept):>16}"
                     f"{mib(r.traced_allocated):>15}{mib(r.traced_freed):>14}")
    return "\n".join(lines)


def plot_free_runs(runs: list[FreeRun], ax=None):
    """Grouped bars: RSS growth after allocating and after freeing, next to tracemalloc's view."""
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=(7, 3.5))
    labels = ["RSS after alloc", "RSS after free", "traced after alloc", "traced after free"]
    width = 0.8 / len(runs)
    for k, r in enumerate(runs):
        values = [r.rss_growth, r.rss_kept, r.traced_allocated, r.traced_freed]
        xs = [i + k * width for i in range(len(labels))]
        ax.bar(xs, [v / MiB for v in values], width, label=r.scenario)
    ax.set_xticks([i + width * (len(runs) - 1) / 2 for i in range(len(labels))], labels)
    ax.set_ylabel("MiB above the start")
    ax.set_title(f"{runs[0].n:,} small objects: what the OS sees vs what Python holds")
    ax.legend(fontsize=8)
    return ax


# --- the Flask leak ------------------------------------------------------------------------


def hit(app, start: int, count: int) -> None:
    """Send ``count`` GET /quote requests through Flask's test client, each with a new ``ts``."""
    client = app.test_client()
    for i in range(start, start + count):
        response = client.get(f"/quote?sku=sku-{i % 20}&qty={i % 7 + 1}&ts={1_700_000_000 + i}")
        if response.status_code != 200:
            raise AssertionError(f"request {i}: HTTP {response.status_code}")


_NOISE = (
    tracemalloc.Filter(False, tracemalloc.__file__),
    tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
    tracemalloc.Filter(False, "<frozen importlib._bootstrap_external>"),
    tracemalloc.Filter(False, __file__),
)


@dataclass
class LeakRun:
    """Two tracemalloc snapshots around ``requests`` requests, and traced memory along the way."""

    name: str
    requests: int
    before: tracemalloc.Snapshot
    after: tracemalloc.Snapshot
    curve: list[tuple[int, int]] = field(default_factory=list)  # (requests sent, bytes above start)

    @property
    def growth(self) -> int:
        """Net traced bytes gained from the first snapshot to the last request (after a gc)."""
        return self.curve[-1][1]

    def top(self, limit: int | None = 5) -> list[tracemalloc.StatisticDiff]:
        """Lines whose memory grew most between the snapshots (tracemalloc's own lines left out)."""
        stats = self.after.filter_traces(_NOISE).compare_to(
            self.before.filter_traces(_NOISE), "lineno")
        return stats if limit is None else stats[:limit]


def leak_run(app, requests: int, *, samples: int = 8, warmup: int = 150,
             name: str = "") -> LeakRun:
    """Warm ``app`` up under tracemalloc, snapshot, send ``requests`` requests, snapshot again.

    The warm-up runs while tracing, so caches that were filled before tracing
    started (and are invisible to it) refill with traced objects first and do not
    show up as growth. A collection before every reading drops garbage that only
    waits for the cycle collector (a full one before the last reading).
    """
    tracemalloc.start()
    try:
        hit(app, 0, warmup)
        gc.collect()
        before = tracemalloc.take_snapshot()
        base, _ = tracemalloc.get_traced_memory()
        curve, sent = [(0, 0)], 0
        step = max(-(-requests // samples), 1)  # ceiling: about `samples` even steps
        while sent < requests:
            count = min(step, requests - sent)
            hit(app, warmup + sent, count)
            sent += count
            gc.collect(1 if sent < requests else 2)  # young generations only, full at the end
            curve.append((sent, tracemalloc.get_traced_memory()[0] - base))
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    return LeakRun(name or app.name, requests, before, after, curve)


def leak_table(runs: list[LeakRun]) -> str:
    header = f"{'requests':>10}" + "".join(f"{r.name:>16}" for r in runs)
    lines = [header + "   (traced MiB above the first snapshot)"]
    for i, (sent, _) in enumerate(runs[0].curve):
        lines.append(f"{sent:>10,}" + "".join(f"{r.curve[i][1] / MiB:>16.2f}" for r in runs))
    return "\n".join(lines)


def plot_leak(runs: list[LeakRun], ax=None):
    """Traced memory over requests: the leaky app climbs in a line, the fixed one stays flat."""
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=(6, 3.5))
    for r in runs:
        ax.plot([s for s, _ in r.curve], [b / MiB for _, b in r.curve], "o-", label=r.name)
    ax.set_xlabel("requests sent")
    ax.set_ylabel("traced memory, MiB above start")
    ax.set_title("tracemalloc over requests: leaky vs fixed Flask app")
    ax.legend(fontsize=8)
    return ax


# --- native memory: invisible to tracemalloc ------------------------------------------------

NATIVE_CHILD = """\
import ctypes, json, psutil, tracemalloc
libc = ctypes.CDLL(None)                     # the C library already loaded (Linux, macOS)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
tracemalloc.start()
before = psutil.Process().memory_info().rss
buffer = libc.malloc({size})                 # C code asking malloc directly, as an extension would
ctypes.memset(buffer, 1, {size})             # touch every page, so it becomes resident
traced, _ = tracemalloc.get_traced_memory()
grew = psutil.Process().memory_info().rss - before
print(json.dumps({{"rss_grew": grew, "traced": traced}}))
"""


def native_allocation(size: int) -> dict[str, int]:
    """Run NATIVE_CHILD in a fresh interpreter: RSS growth and traced bytes of a C malloc.

    A fresh process, because a long-running one (a Jupyter kernel) may already
    hold freed heap memory that malloc reuses without RSS moving at all.
    """
    run = subprocess.run([sys.executable, "-c", NATIVE_CHILD.format(size=size)],
                         capture_output=True, text=True, timeout=60, check=True)
    return json.loads(run.stdout)


# --- a log file: eager vs streaming ----------------------------------------------------------

METHODS = ("GET", "GET", "GET", "POST", "PUT", "DELETE")
PATHS = ("/api/users", "/api/orders", "/api/items", "/api/search", "/health")


def write_log(path: str | Path, lines: int) -> Path:
    """Write an access log of ``lines`` lines like ``12:00:07 GET /api/users 200 35ms``.

    Deterministic and fast (no random numbers); written in chunks, never held whole.
    """
    path = Path(path)
    with path.open("w", encoding="utf-8") as f:
        for start in range(0, lines, 50_000):
            f.writelines(
                f"12:{i // 60 % 60:02d}:{i % 60:02d} {METHODS[i % 6]} {PATHS[i % 5]} "
                f"{200 if i % 17 else 500} {i * 7 % 900 + 1}ms\n"
                for i in range(start, min(start + 50_000, lines)))
    return path


def parse_latency(line: str) -> int:
    """The latency field of one log line, in ms: ``'... 200 35ms\\n' -> 35``."""
    return int(line.rsplit(" ", 1)[1].rstrip()[:-2])


def total_latency_eager(path: str | Path) -> int:
    """Sum of all latencies, reading the whole file into a list first (memory grows with it)."""
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    return sum(parse_latency(line) for line in lines)


def total_latency_streaming(path: str | Path) -> int:
    """The same sum, one line at a time: the file object is an iterator (constant memory)."""
    with open(path, encoding="utf-8") as f:
        return sum(parse_latency(line) for line in f)


def endpoint_counts_eager(path: str | Path) -> Counter:
    """Requests per endpoint, the memory-hungry way (for ``%mprun``: one big step per line)."""
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    fields = list(map(str.split, lines))
    counts = Counter(map(itemgetter(2), fields))
    del lines, fields
    return counts


@dataclass(frozen=True)
class PeakRow:
    lines: int
    file_bytes: int
    eager_peak: int
    streaming_peak: int

    @property
    def ratio(self) -> float:
        return self.eager_peak / max(self.streaming_peak, 1)


def peak_curve(folder: str | Path, sizes: list[int], *, progress: bool = True) -> list[PeakRow]:
    """Write a log of each size into ``folder``; measure both readers' tracemalloc peaks."""
    rows = []
    for n in sizes:
        path = write_log(Path(folder) / f"access-{n}.log", n)
        eager, a = traced_peak(lambda p=path: total_latency_eager(p))
        streaming, b = min(traced_peak(lambda p=path: total_latency_streaming(p))
                           for _ in range(2))
        if a != b:
            raise AssertionError(f"eager and streaming disagree on {n} lines: {a} != {b}")
        rows.append(PeakRow(n, path.stat().st_size, eager, streaming))
        if progress:
            print(f"measured {n:,} lines", end="\r")
    if progress:
        print(" " * 30, end="\r")
    return rows


def peak_table(rows: list[PeakRow]) -> str:
    lines = [f"{'lines':>11}{'file':>11}{'eager peak':>13}{'streaming peak':>16}"
             f"{'eager / streaming':>19}"]
    for r in rows:
        lines.append(f"{r.lines:>11,}{mib(r.file_bytes):>11}{mib(r.eager_peak):>13}"
                     f"{r.streaming_peak / 1024:>12.1f} KiB{r.ratio:>19,.0f}")
    return "\n".join(lines)


def plot_peaks(rows: list[PeakRow], ax=None):
    """Log-log peak memory against file size: the list climbs, the stream stays flat."""
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=(6, 3.5))
    xs = [r.lines for r in rows]
    ax.plot(xs, [r.eager_peak for r in rows], "o-", label="f.readlines(), then sum (list)")
    ax.plot(xs, [r.streaming_peak for r in rows], "s-", label="sum over the file (generator)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("log lines")
    ax.set_ylabel("peak memory, bytes (tracemalloc)")
    ax.set_title("Peak memory: list of lines vs streaming")
    ax.legend(fontsize=8)
    return ax


# --- __slots__ ---------------------------------------------------------------------------


class PlainPoint:
    """An ordinary class: attributes live in a per-instance dict (values array in 3.11+)."""

    def __init__(self, x: float, y: float) -> None:
        self.x = x
        self.y = y


class SlottedPoint:
    """``__slots__``: fixed attribute slots inside the object, no ``__dict__``."""

    __slots__ = ("x", "y")

    def __init__(self, x: float, y: float) -> None:
        self.x = x
        self.y = y


@dataclass(slots=True)
class DataPoint:
    """``@dataclass(slots=True)`` (3.10+) writes the ``__slots__`` for you."""

    x: float
    y: float


def bytes_per_instance(cls: type, n: int = 10_000) -> float:
    """Traced bytes per instance of ``cls(0, 0)``, list of n pointers not counted.

    The attribute values are the same two cached ints for every instance, so
    only the instances themselves are measured.
    """
    holder: list[Any] = [None] * n  # allocated before the measurement starts
    was_tracing = tracemalloc.is_tracing()  # leave a trace someone else started running
    if not was_tracing:
        tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        for i in range(n):
            holder[i] = cls(0, 0)
        after, _ = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return (after - before) / n


# --- a memory-capped run -----------------------------------------------------------------


def run_capped(mode: str, path: str, budget_mib: int) -> int:
    """Child side: cap this process's address space at its current size + budget, then total.

    RLIMIT_AS caps virtual address space: an allocation that would pass it
    fails, and Python raises MemoryError. (A container's cgroup limit is
    different: it counts resident memory, and the kernel kills the process.)
    """
    current = psutil.Process().memory_info().vms
    limit = current + budget_mib * MiB
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))
    reader = {"eager": total_latency_eager, "streaming": total_latency_streaming}[mode]
    total = reader(path)
    print(total)
    return total


def capped(mode: str, path: str | Path, budget_mib: int,
           timeout: float = 120) -> subprocess.CompletedProcess:
    """Parent side: run ``run_capped`` in a fresh Python process and wait for it."""
    argv = [sys.executable, "-m", "interview_lab.memory_demo", mode, str(path), str(budget_mib)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)


def container_memory_limit() -> int | None:
    """The cgroup memory limit of this process in bytes, or None when there is none (or no cgroup).

    cgroup v2 (current Docker, Kubernetes): ``/sys/fs/cgroup/memory.max``;
    cgroup v1: ``/sys/fs/cgroup/memory/memory.limit_in_bytes``. "No limit" is
    written as ``max`` (v2) or a huge number (v1).
    """
    for name in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(name).read_text().strip()
        except OSError:
            continue
        if text == "max" or not text.isdigit() or int(text) >= 1 << 60:
            return None
        return int(text)
    return None


def killed_by_sigkill() -> tuple[int, int]:
    """A child that receives SIGKILL (as from the OOM killer): (Popen returncode, shell's $?)."""
    code = "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"
    direct = subprocess.run([sys.executable, "-c", code], capture_output=True).returncode
    shell = subprocess.run(["sh", "-c", f'"{sys.executable}" -c "{code}"; echo $?'],
                           capture_output=True, text=True)
    return direct, int(shell.stdout.strip())


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("eager", "streaming"):
        print("usage: python -m interview_lab.memory_demo eager|streaming PATH BUDGET_MIB",
              file=sys.stderr)
        return 2
    run_capped(argv[0], argv[1], int(argv[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
