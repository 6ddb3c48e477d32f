"""Helpers for lesson 09 (complexity and profiling): growth, bytes, a slow report, plots.

The lesson shows the ideas in its own short cells; this module keeps what would
clutter them:

- ``Probe`` and ``comparisons_for_membership``: count the ``==`` calls an ``in`` test
  makes, the deterministic proof that ``in list`` is O(n) and ``in set`` O(1).
- ``measure_scaling`` and ``Scaling``: best-of-N seconds per call across sizes, a
  table, log-log slopes (``bench.loglog_slope``) and a log-log plot.
- ``held_bytes`` and ``bytes_per_element``: what a container keeps allocated,
  measured with ``tracemalloc`` (``bench.peak_bytes`` gives peaks).
- ``track_depth``: counts how deep a recursive function goes.
- ``noisy_samples`` (a labelled simulation of interference) and ``gc_paused``: why
  ``timeit`` takes the minimum, and switching the garbage collector off in a way that
  always switches it back on.
- The report generator (``build_report``), whose helper ``find_customer`` scans a
  list inside a loop: the realistic slow function the lesson profiles with
  ``cProfile``, and ``build_report_fast``, the fix.
- String, bytes and list builders, quadratic and linear, and the before/after chart.
"""

from __future__ import annotations

import functools
import gc
import random
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from interview_lab import bench

# --- counting comparisons in a membership test --------------------------------------------------


class Probe:
    """A value that counts how often it is compared with ``==`` and hashed.

    ``probe in container`` compares the probe with stored items: for a list,
    ``item == probe`` falls back to ``Probe.__eq__`` because ``int`` does not know
    how to compare with a Probe, so every comparison is counted.
    """

    def __init__(self, value: Any):
        self.value, self.eq_calls, self.hash_calls = value, 0, 0

    def __eq__(self, other: Any) -> bool:
        self.eq_calls += 1
        return self.value == other

    def __hash__(self) -> int:
        self.hash_calls += 1
        return hash(self.value)


def containers(n: int) -> dict[str, Any]:
    """The same n ints 0..n-1 as a list, a set and a dict (values None)."""
    data = list(range(n))
    return {"list": data, "set": set(data), "dict": dict.fromkeys(data)}


def comparisons_for_membership(n: int, target: int | None = None) -> dict[str, int]:
    """``==`` calls made by ``target in container`` for each container of size n.

    The default target, n, is absent: the worst case for the list, which must
    compare with every item before it can answer False.
    """
    target = n if target is None else target
    counts = {}
    for name, container in containers(n).items():
        probe = Probe(target)
        _ = probe in container
        counts[name] = probe.eq_calls
    return counts


# --- growth of time across sizes ----------------------------------------------------------------


@dataclass(frozen=True)
class Scaling:
    """Best-of-N seconds per call of several variants, for each input size n."""

    sizes: list[int]
    seconds: dict[str, list[float]]
    unit: str = "µs"
    what: str = "call"

    @property
    def scale(self) -> float:
        return {"s": 1.0, "ms": 1e3, "µs": 1e6, "ns": 1e9}[self.unit]

    def slope(self, name: str) -> float:
        """Exponent k in time ~ n**k, fitted on the log-log points."""
        return bench.loglog_slope(self.sizes, self.seconds[name])

    def growth(self, name: str) -> float:
        """Time at the largest size over time at the smallest."""
        return self.seconds[name][-1] / self.seconds[name][0]

    def table(self) -> str:
        names = list(self.seconds)
        widths = [max(12, len(name) + 2) for name in names]
        lines = [f"{'n (' + self.unit + ')':>10}" + "".join(
            f"{name:>{w}}" for name, w in zip(names, widths, strict=True))]
        for i, size in enumerate(self.sizes):
            lines.append(f"{size:>10,}" + "".join(
                f"{self.seconds[name][i] * self.scale:>{w}.3f}"
                for name, w in zip(names, widths, strict=True)))
        size_growth = self.sizes[-1] / self.sizes[0]
        lines.append(f"{'growth':>10}" + "".join(
            f"{self.growth(name):>{w - 1}.1f}x" for name, w in zip(names, widths, strict=True))
            + f"   (n grew {size_growth:,.0f}x)")
        lines.append(f"{'slope':>10}" + "".join(
            f"{self.slope(name):>{w}.2f}" for name, w in zip(names, widths, strict=True)))
        return "\n".join(lines)

    def plot(self, title: str = "", ax=None):
        """Log-log lines, one per variant, with the fitted slope in the legend."""
        import matplotlib.pyplot as plt

        if ax is None:
            _fig, ax = plt.subplots(figsize=(7, 4))
        styles = ["o-", "s--", "^-", "D:", "v-."]
        for i, (name, values) in enumerate(self.seconds.items()):
            ax.loglog(self.sizes, [v * self.scale for v in values], styles[i % len(styles)],
                      label=f"{name}: slope {self.slope(name):.2f}")
        ax.set_xlabel("n (log scale)")
        ax.set_ylabel(f"{self.unit} per {self.what}, best of N (log scale)")
        ax.set_title(title or f"time per {self.what} as n grows", fontsize=10)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=9)
        ax.figure.tight_layout()
        return ax


def measure_scaling(make_call: Callable[[str, int], Callable[[], Any]], names: Sequence[str],
                    sizes: Sequence[int], *, repeat: int = 5, budget: float = 0.003,
                    unit: str = "µs", what: str = "call", progress: bool = True,
                    clock: Callable[[], float] = time.thread_time) -> Scaling:
    """Time ``make_call(name, n)()`` for every name and size, best of ``repeat``.

    ``make_call`` builds the input outside the timed part and returns a
    zero-argument callable. Variants of one size are timed one after the other,
    so a noisy moment on the machine hits neighbours alike. The clock is this
    thread's CPU time by default: on a shared machine a sample then doesn't
    include the time the OS gave to other programs (wall time would).
    """
    seconds: dict[str, list[float]] = {name: [] for name in names}
    if progress:
        print("measuring n =", end=" ", flush=True)
    for n in sizes:
        for name in names:
            call = make_call(name, n)
            seconds[name].append(bench.seconds_per_call(call, repeat=repeat, budget=budget,
                                                        clock=clock))
        if progress:
            print(f"{n:,}", end=" ", flush=True)
    if progress:
        print("done")
    return Scaling(sizes=list(sizes), seconds=seconds, unit=unit, what=what)


def membership_call(name: str, n: int) -> Callable[[], bool]:
    """A call that tests an absent value (worst case for a list) in the container."""
    container = containers(n)[name]
    target = -1
    return lambda: target in container


# --- bytes --------------------------------------------------------------------------------------


@contextmanager
def tracing() -> Iterator[None]:
    """Trace allocations inside the block; leave tracemalloc as it was found afterwards."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        yield
    finally:
        if not was_tracing:
            tracemalloc.stop()


def held_bytes(build: Callable[[], Any], *, repeat: int = 3) -> int:
    """Bytes still allocated while the result of ``build()`` is alive (smallest of a few runs).

    Only what ``build`` allocates counts: objects it merely refers to (ints that
    existed before) are not included, so for a container this is its own overhead.
    """
    held = []
    with tracing():
        for _ in range(repeat):
            base, _ = tracemalloc.get_traced_memory()
            result = build()
            now, _ = tracemalloc.get_traced_memory()
            held.append(now - base)
            del result
    return min(held)


def bytes_per_element(sizes: Sequence[int]) -> dict[str, list[float]]:
    """Bytes a list, a set and a dict of n existing ints hold, divided by n."""
    out: dict[str, list[float]] = {"list": [], "set": [], "dict": []}
    for n in sizes:
        ints = list(range(n))
        for name, kind in (("list", list), ("set", set), ("dict", dict.fromkeys)):
            out[name].append(held_bytes(functools.partial(kind, ints)) / n)
    return out


def plot_bytes_per_element(sizes: Sequence[int], per_element: dict[str, list[float]]):
    """Bytes per element against n (log x): flat for a list, a saw-tooth for hash tables."""
    import matplotlib.pyplot as plt

    _fig, ax = plt.subplots(figsize=(6.5, 3.6))
    for name, values in per_element.items():
        ax.semilogx(sizes, values, "o-", label=name)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("n elements (log scale)")
    ax.set_ylabel("bytes per element (tracemalloc)")
    ax.set_title("container overhead: a hash table pays for empty slots")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    return ax


# --- recursion depth ----------------------------------------------------------------------------


def track_depth(fn: Callable) -> Callable:
    """Decorate a recursive function to record its deepest nesting in ``.max_depth``.

    The recursive calls go through the decorated name, so every level is counted.
    ``.max_depth`` is reset by ``.reset()``.
    """
    state = {"depth": 0}

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        state["depth"] += 1
        wrapper.max_depth = max(wrapper.max_depth, state["depth"])
        try:
            return fn(*args, **kwargs)
        finally:
            state["depth"] -= 1

    def reset() -> None:
        wrapper.max_depth = 0

    wrapper.max_depth = 0
    wrapper.reset = reset
    return wrapper


# --- timing noise and the garbage collector -----------------------------------------------------


def noisy_samples(fn: Callable[[], Any], *, runs: int, disturbed: set[int],
                  sample_seconds: float = 0.02, pause_seconds: float = 0.06) -> list[float]:
    """Wall seconds per call of ``runs`` samples, each looping ``fn`` for ~``sample_seconds``.

    A labelled simulation of interference: in the samples whose index is in
    ``disturbed`` the loop pauses (``time.sleep(pause_seconds)``) halfway, which is what
    being descheduled by the operating system looks like to a wall clock. The pause
    always adds time, and more than a busy machine's own jitter, so the effect shows
    reliably.
    """
    once = min(_wall_of(fn, 10) for _ in range(3))
    number = max(1, int(sample_seconds / max(once, 1e-7)))
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        for call in range(number):
            fn()
            if i in disturbed and call == number // 2:
                time.sleep(pause_seconds)  # the "other program" runs now
        samples.append((time.perf_counter() - start) / number)
    return samples


def _wall_of(fn: Callable[[], Any], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


@contextmanager
def gc_paused() -> Iterator[None]:
    """Switch the cyclic garbage collector off for the block and restore its state after.

    Restores what it found (on stays on, off stays off), even when the block raises.
    ``timeit`` does the same around its timing loop.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- the slow report: a realistic profiling target ----------------------------------------------


@dataclass(frozen=True)
class Customer:
    id: int
    name: str
    country: str


@dataclass(frozen=True)
class Order:
    id: int
    customer_id: int
    amount_cents: int


def make_data(n_customers: int, n_orders: int, seed: int = 9) -> tuple[list[Customer],
                                                                          list[Order]]:
    """Customers in random id order and orders that point at random customers."""
    rng = random.Random(seed)
    ids = list(range(1, n_customers + 1))
    rng.shuffle(ids)
    countries = ("DE", "FR", "IN", "US", "BR", "JP")
    customers = [Customer(i, f"customer-{i}", rng.choice(countries)) for i in ids]
    orders = [Order(o, rng.randint(1, n_customers), rng.randint(100, 100_000))
              for o in range(1, n_orders + 1)]
    return customers, orders


def find_customer(customers: list[Customer], customer_id: int) -> Customer:
    """The slow helper: a linear scan, O(len(customers)), called once per order."""
    for customer in customers:
        if customer.id == customer_id:
            return customer
    raise KeyError(customer_id)


def format_line(order: Order, customer: Customer) -> str:
    """One line of the report."""
    return (f"{order.id:>7} {customer.name:<16} {customer.country} "
            f"{order.amount_cents / 100:>10.2f}")


def build_report(customers: list[Customer], orders: list[Order]) -> str:
    """Before: O(orders x customers), because of ``find_customer`` inside the loop."""
    lines = []
    for order in orders:
        customer = find_customer(customers, order.customer_id)
        lines.append(format_line(order, customer))
    return "\n".join(lines)


def build_report_fast(customers: list[Customer], orders: list[Order]) -> str:
    """After: index the customers by id once, O(customers + orders)."""
    by_id = {customer.id: customer for customer in customers}
    return "\n".join(format_line(order, by_id[order.customer_id]) for order in orders)


def stats_rows(stats: dict, *, sort: str = "tottime", limit: int = 5) -> list[tuple]:
    """(function name, calls, tottime, cumtime) rows from a ``pstats.Stats(...).stats`` dict.

    The dict maps (file, line, function name) to (primitive calls, calls,
    tottime, cumtime, callers); ``sort`` is "tottime" or "cumtime".
    """
    index = {"tottime": 2, "cumtime": 3}[sort]
    ordered = sorted(stats.items(), key=lambda kv: kv[1][index], reverse=True)
    return [(key[2], value[1], value[2], value[3]) for key, value in ordered[:limit]]


def amdahl(fraction: float, speedup: float) -> float:
    """Overall speedup when ``fraction`` of the run time becomes ``speedup`` times faster."""
    return 1 / ((1 - fraction) + fraction / speedup)


# --- building strings, bytes and lists ----------------------------------------------------------


def str_plus_equals(n: int) -> str:
    """``s += piece`` on a local str that nothing else refers to (CPython resizes in place)."""
    s = ""
    for _ in range(n):
        s += "x"
    return s


def str_plus_equals_shared(n: int) -> str:
    """The same loop, but another name refers to the string: each ``+=`` copies it."""
    s = ""
    for _ in range(n):
        previous = s  # noqa: F841 - a second reference defeats the in-place resize
        s += "x"
    return s


def bytes_plus_equals(n: int) -> bytes:
    """``b += piece`` on bytes: a new object and a full copy every time, O(n**2) in total."""
    b = b""
    for _ in range(n):
        b += b"x"
    return b


def bytes_join(n: int) -> bytes:
    """Collect the pieces in a list and join once: O(n)."""
    parts = []
    for _ in range(n):
        parts.append(b"x")
    return b"".join(parts)


def bytearray_extend(n: int) -> bytes:
    """A mutable buffer grows in place (amortised O(1) per append)."""
    buf = bytearray()
    for _ in range(n):
        buf += b"x"
    return bytes(buf)


def list_plus(n: int) -> list[int]:
    """``items = items + [x]`` builds a new list each time: O(n**2) copies."""
    items: list[int] = []
    for i in range(n):
        items = items + [i]
    return items


def list_append(n: int) -> list[int]:
    """``items.append(x)`` grows the list in place: amortised O(1) each."""
    items: list[int] = []
    for i in range(n):
        items.append(i)
    return items


BUILDERS: dict[str, Callable[[int], Any]] = {
    "str += (sole ref)": str_plus_equals,
    "str += (shared)": str_plus_equals_shared,
    "bytes +=": bytes_plus_equals,
    "bytes join": bytes_join,
    "bytearray +=": bytearray_extend,
}


def builder_call(name: str, n: int) -> Callable[[], Any]:
    build = BUILDERS[name]
    return lambda: build(n)


# --- priorities: list.index inside a sort key ---------------------------------------------------


def sort_by_priority_index(tasks: list[str], priority: list[str]) -> list[str]:
    """Before: ``priority.index`` scans the list for every task, O(tasks x priorities)."""
    return sorted(tasks, key=priority.index)


def sort_by_priority_dict(tasks: list[str], priority: list[str]) -> list[str]:
    """After: a position dict built once, O(priorities + tasks log tasks)."""
    rank = {name: position for position, name in enumerate(priority)}
    return sorted(tasks, key=rank.__getitem__)


# --- the before/after chart ---------------------------------------------------------------------


def plot_before_after(results: dict[str, bench.Comparison], title: str = ""):
    """Paired bars (before, after) per optimisation on a log axis, speedup written above."""
    import matplotlib.pyplot as plt

    _fig, ax = plt.subplots(figsize=(8, 3.8))
    names = list(results)
    width = 0.38
    for i, name in enumerate(names):
        comparison = results[name]
        before, after = list(comparison.timings)[:2]
        walls = [comparison.timings[before].wall * 1e3, comparison.timings[after].wall * 1e3]
        ax.bar(i - width / 2, walls[0], width, color="#c44e52",
               label="before" if i == 0 else None)
        ax.bar(i + width / 2, walls[1], width, color="#55a868",
               label="after" if i == 0 else None)
        ax.annotate(f"{comparison.ratio(before, after):,.0f}x", (i, max(walls)),
                    ha="center", va="bottom", fontsize=9)
    ax.set_yscale("log")
    bottom, top = ax.get_ylim()
    ax.set_ylim(bottom, top * 4)  # room for the labels and the legend
    ax.set_xticks(range(len(names)), names, fontsize=8)
    ax.set_ylabel("ms, best of N (log scale)")
    ax.set_title(title or "before and after: same results, measured in one run")
    ax.legend(loc="upper right", ncols=2)
    plt.tight_layout()
    return ax
