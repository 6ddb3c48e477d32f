"""Peak memory of eager (list) vs lazy (generator) code, and log files to stream through pipelines.

Used by the decorators-and-generators lesson. Memory is measured with
``tracemalloc``: it counts the bytes Python's allocators hand out, so it sees
every list, string and int a piece of code creates, and ``reset_peak`` lets us
read the high-water mark of one call. Bytes are deterministic where time is
not, so lessons can assert on them directly (as ratios, to stay portable across
Python versions and builds).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from interview_lab.bench import peak_bytes  # noqa: F401  (used by lesson 04)

METHODS = ("GET", "GET", "GET", "POST", "PUT", "DELETE")
PATHS = ("/api/users", "/api/orders", "/api/items", "/api/search", "/health")
STATUSES = (200,) * 40 + (201,) * 4 + (304,) * 3 + (404,) * 5 + (500, 502, 503)
MALFORMED = "-- truncated line --\n"


# peak_bytes lives in bench (one implementation for every lesson); re-exported here.
@dataclass(frozen=True)
class MemoryRow:
    """Peak bytes of the same sum done through a list and through a generator."""

    n: int
    list_peak: int
    gen_peak: int

    @property
    def ratio(self) -> float:
        return self.list_peak / max(self.gen_peak, 1)


def sum_squares_list(n: int) -> int:
    """Eager: build every square in a list, then add them up."""
    return sum([x * x for x in range(n)])


def sum_squares_gen(n: int) -> int:
    """Lazy: a generator expression hands ``sum`` one square at a time."""
    return sum(x * x for x in range(n))


def memory_curve(sizes: list[int], *, repeat: int = 3, progress: bool = True) -> list[MemoryRow]:
    """Peak memory of ``sum_squares_list`` vs ``sum_squares_gen`` for each size.

    ``repeat`` applies to the generator side (smallest of ``repeat`` runs).
    """
    rows = []
    for n in sizes:
        # The list's peak is large and stable: one run is enough. The generator's is tiny,
        # so a stray allocation by another thread would show: keep the smallest of a few.
        list_peak, a = peak_bytes(lambda n=n: sum_squares_list(n), repeat=1)
        gen_peak, b = peak_bytes(lambda n=n: sum_squares_gen(n), repeat=repeat)
        if a != b:
            raise AssertionError(f"list and generator disagree at n={n}: {a} != {b}")
        rows.append(MemoryRow(n, list_peak, gen_peak))
        if progress:
            print(f"measured n={n:,}", end="\r")
    if progress:
        print(" " * 30, end="\r")
    return rows


def memory_table(rows: list[MemoryRow]) -> str:
    """A printable table: size, both peaks, and list peak / generator peak."""
    lines = [f"{'n':>12}{'list peak':>14}{'generator peak':>16}{'list / gen':>12}"]
    for r in rows:
        lines.append(f"{r.n:>12,}{_human(r.list_peak):>14}{_human(r.gen_peak):>16}"
                     f"{r.ratio:>12,.0f}")
    return "\n".join(lines)


def plot_memory(rows: list[MemoryRow], ax=None):
    """Log-log chart of peak memory against n: the list line climbs, the generator stays flat."""
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=(6, 3.5))
    ns = [r.n for r in rows]
    ax.plot(ns, [r.list_peak for r in rows], "o-", label="sum([x*x for x in range(n)])")
    ax.plot(ns, [max(r.gen_peak, 1) for r in rows], "s-", label="sum(x*x for x in range(n))")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("n (items)")
    ax.set_ylabel("peak memory, bytes (tracemalloc)")
    ax.set_title("Peak memory: list comprehension vs generator expression")
    ax.legend(fontsize=8)
    return ax


def _human(nbytes: int) -> str:
    size = float(nbytes)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def access_log_lines(n: int, *, seed: int = 0, malformed_every: int = 1000) -> Iterator[str]:
    """Yield ``n`` access-log lines like ``2024-05-01T12:00:07Z GET /api/users 200 35ms``.

    Every ``malformed_every``-th line is broken on purpose, as real logs have
    truncated lines; a parser must skip it. Deterministic for a given seed.
    """
    rng = random.Random(seed)
    for i in range(n):
        if malformed_every and i % malformed_every == malformed_every - 1:
            yield MALFORMED
            continue
        minute, second = divmod(i % 3600, 60)
        yield (f"2024-05-01T12:{minute:02d}:{second:02d}Z {rng.choice(METHODS)} "
               f"{rng.choice(PATHS)} {rng.choice(STATUSES)} {rng.randint(1, 900)}ms\n")


def write_access_log(path: str | Path, n: int, *, seed: int = 0,
                     malformed_every: int = 1000) -> Path:
    """Write ``n`` generated lines to ``path`` (streamed: the lines never sit in a list)."""
    path = Path(path)
    with path.open("w", encoding="utf-8") as f:
        f.writelines(access_log_lines(n, seed=seed, malformed_every=malformed_every))
    return path
