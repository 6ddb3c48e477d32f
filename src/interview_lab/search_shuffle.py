"""Helpers for lesson 10 (search and shuffle): counting, guards, enumeration, statistics, plots.

The lesson writes the searches and shuffles by hand in its own cells; this module
holds what would clutter them:

- ``CountingSequence``: a read-only view of a list that counts element reads, so a
  search's comparisons are counted without changing the search's code (``bisect``
  accepts it too, being C code that reads items through the sequence protocol).
- ``LoopGuard``: stops a buggy loop the moment its state repeats, which proves it
  would never end, instead of hanging the kernel.
- ``enumerate_outcomes``: runs a shuffle once per possible sequence of random
  choices (a scripted rng), giving its exact distribution.
- ``chi_square``, ``loglog_slope``, growth measurement and the plots.
- ``clone_mersenne``: rebuilds a ``random.Random`` from 624 of its outputs, which is
  why ``random`` must not shuffle anything an attacker may profit from predicting.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

# Generic timing helpers live in bench; imported here so older code keeps working.
from interview_lab.bench import loglog_slope
from interview_lab.bench import seconds_per_call as _seconds_per_call

# Critical value of the chi-square distribution with 5 degrees of freedom at p = 0.001
# (six permutations of three items -> 5 dof). Tables give 20.515.
CHI2_CRITICAL_5DOF_P001 = 20.515
# Same distribution at p = 1e-6, used by the exercise checks so that a correct shuffle
# fails them with probability one in a million rather than one in a thousand.
CHI2_CRITICAL_5DOF_P1E6 = 35.888


# --- counting comparisons -----------------------------------------------------------------------

class CountingSequence(Sequence):
    """A read-only view of ``data`` that counts how many elements were read.

    ``reads`` is the number of elements a search looked at: one read per probe for a
    binary search (it reads ``items[mid]`` once), one per element for a linear scan.
    A slice counts as reading every element it copies, which is what it costs.
    Iteration, ``in`` and ``.index`` come from ``Sequence`` and go through
    ``__getitem__``, so they are counted as well.
    """

    def __init__(self, data: Sequence[Any]):
        self._data = data
        self.reads = 0

    def __len__(self) -> int:
        return len(self._data)

    def __getitem__(self, index):
        value = self._data[index]  # raises IndexError before counting, like a real list
        self.reads += len(value) if isinstance(index, slice) else 1
        return value

    def __repr__(self) -> str:
        return f"CountingSequence({self._data!r}, reads={self.reads})"


def reads_of(search: Callable[[Sequence[Any], Any], Any], items: Sequence[Any],
             target: Any) -> tuple[Any, int]:
    """Run ``search(view, target)`` on a counting view of ``items``: (result, elements read)."""
    view = CountingSequence(items)
    result = search(view, target)
    return result, view.reads


def log2_bound(n: int) -> int:
    """ceil(log2(n + 1)): the most probes a binary search over n items needs."""
    return (n).bit_length()  # equals ceil(log2(n + 1)) for n >= 0, without float rounding


def worst_reads(search: Callable[[Sequence[Any], Any], Any], n: int,
                targets: Iterable[int] | None = None) -> int:
    """Most elements ``search`` reads over targets in the sorted list 0, 2, ..., 2n - 2.

    By default every present target (even numbers) and every gap (odd numbers, and
    both ends) is tried: the exact worst case.
    """
    items = list(range(0, 2 * n, 2))
    if targets is None:
        targets = range(-1, 2 * n + 1)
    return max((reads_of(search, items, t)[1] for t in targets), default=0)


class Counted:
    """A value that counts the comparisons made on it, in a shared ``tally`` Counter.

    Used to show which comparisons ``sorted`` and ``bisect`` make (``bisect`` only
    ever calls ``<``).
    """

    __slots__ = ("value", "tally")

    def __init__(self, value: Any, tally: Counter):
        self.value, self.tally = value, tally

    def __lt__(self, other: Any) -> bool:
        self.tally["<"] += 1
        return self.value < _raw(other)

    def __gt__(self, other: Any) -> bool:
        self.tally[">"] += 1
        return self.value > _raw(other)

    def __eq__(self, other: Any) -> bool:
        self.tally["=="] += 1
        return self.value == _raw(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Counted({self.value!r})"


def _raw(value: Any) -> Any:
    return value.value if isinstance(value, Counted) else value


# --- stopping a loop that would never end ---------------------------------------------------------

class InfiniteLoopError(RuntimeError):
    """A loop reached a state it had been in before: it would repeat forever."""


class LoopGuard:
    """Call ``tick(state)`` once per iteration; raises when a state comes back.

    A deterministic loop whose state (here ``(lo, hi)``) repeats will cycle forever,
    so a repeat is proof, not a timeout guess. ``max_steps`` is a backstop.
    """

    def __init__(self, max_steps: int = 10_000):
        self.seen: list[Hashable] = []
        self.max_steps = max_steps

    def tick(self, state: Hashable) -> None:
        if state in self.seen:
            raise InfiniteLoopError(
                f"state {state!r} repeated after {len(self.seen)} steps "
                f"({' -> '.join(map(str, self.seen))} -> {state}): this loop never ends")
        self.seen.append(state)
        if len(self.seen) > self.max_steps:
            raise InfiniteLoopError(f"more than {self.max_steps} steps")


def lower_bound_checked(items: Sequence[Any], x: Any) -> int:
    """Half-open lower bound that asserts its loop invariant on every iteration.

    Invariant: everything in items[:lo] is < x, everything in items[hi:] is >= x.
    When lo == hi that is exactly the answer ``bisect_left`` gives.
    """
    lo, hi = 0, len(items)
    while lo < hi:
        assert all(v < x for v in items[:lo]) and all(v >= x for v in items[hi:]), (lo, hi)
        mid = (lo + hi) // 2
        if items[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    assert all(v < x for v in items[:lo]) and all(v >= x for v in items[lo:])
    return lo


# --- growth across sizes ------------------------------------------------------------------------

@dataclass(frozen=True)
class Growth:
    """Worst-case element reads and best-of-N seconds per search, per list size."""

    sizes: list[int]
    reads: dict[str, list[int]]
    seconds: dict[str, list[float]]

    def read_slope(self, name: str) -> float:
        return loglog_slope(self.sizes, self.reads[name])

    def time_slope(self, name: str) -> float:
        return loglog_slope(self.sizes, self.seconds[name])

    def table(self) -> str:
        names = list(self.reads)
        head = f"{'n':>10}" + "".join(f"{n + ' reads':>16}{n + ' µs':>14}" for n in names)
        lines = [head]
        for i, size in enumerate(self.sizes):
            row = f"{size:>10,}"
            for name in names:
                row += f"{self.reads[name][i]:>16,}{self.seconds[name][i] * 1e6:>14.2f}"
            lines.append(row)
        slopes = "  ".join(f"{n}: reads ~ n^{self.read_slope(n):.2f}, time ~ n^"
                           f"{self.time_slope(n):.2f}" for n in names)
        return "\n".join(lines) + "\nlog-log slopes  " + slopes

    def plot(self):
        """Two log-log panels: element reads (exact) and time per search (measured)."""
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
        for ax, data, slope, label in (
            (axes[0], self.reads, self.read_slope, "elements read (worst case)"),
            (axes[1], self.seconds, self.time_slope, "seconds per search (best of N)"),
        ):
            for name, values in data.items():
                ax.loglog(self.sizes, values, "o-", label=f"{name}: slope {slope(name):.2f}")
            ax.set_xlabel("list size n (log scale)")
            ax.set_ylabel(label + " (log scale)")
            ax.legend()
            ax.grid(True, which="both", alpha=0.3)
        axes[0].set_title("comparisons: linear grows as n, binary as log n")
        axes[1].set_title("time follows the same shapes")
        fig.tight_layout()
        return fig


def measure_growth(searches: dict[str, Callable[[Sequence[Any], Any], Any]], sizes: list[int],
                   *, repeat: int = 5, budget: float = 0.004,
                   progress: bool = True) -> Growth:
    """For each size n: worst-case reads and time per search for a target that is absent.

    The list is 0, 2, ..., 2n - 2 and the target 2n - 1 (odd, larger than all), so a
    linear search reads all n items and a binary search walks one full path down.
    Searches of one size are timed one after the other (interleaved per size).
    """
    reads: dict[str, list[int]] = {name: [] for name in searches}
    seconds: dict[str, list[float]] = {name: [] for name in searches}
    if progress:
        print("measuring n =", end=" ", flush=True)
    for size in sizes:
        items, target = list(range(0, 2 * size, 2)), 2 * size - 1
        for name, search in searches.items():
            result, count = reads_of(search, items, target)
            assert result == -1, f"{name} found an absent target"
            reads[name].append(count)
            seconds[name].append(_seconds_per_call(functools.partial(search, items, target),
                                                   repeat, budget))
        if progress:
            print(f"{size:,}", end=" ", flush=True)
    if progress:
        print("done")
    return Growth(sizes=list(sizes), reads=reads, seconds=seconds)


# --- shuffles: exact distributions ----------------------------------------------------------------

class ScriptedRandom:
    """Stands in for ``random.Random`` and answers ``randrange(stop)`` from a script.

    Records the ``stop`` of every call, so ``enumerate_outcomes`` can walk every
    possible sequence of answers like an odometer.
    """

    def __init__(self, script: Sequence[int]):
        self.script, self.position, self.stops = list(script), 0, []

    def randrange(self, stop: int) -> int:
        self.stops.append(stop)
        value = self.script[self.position] if self.position < len(self.script) else 0
        if not 0 <= value < stop:
            raise ValueError(f"scripted {value} outside range({stop})")
        self.position += 1
        return value


def enumerate_outcomes(shuffle: Callable[[list[Any], Any], list[Any]],
                       items: Sequence[Any]) -> tuple[Counter, int]:
    """Run ``shuffle(list(items), rng)`` for every possible sequence of ``randrange`` answers.

    Returns (Counter of result tuples, number of sequences). Every sequence must make
    the same calls (same stops), so each is equally likely and the counts are the
    exact distribution, up to a common factor.
    """
    outcomes: Counter = Counter()
    script: list[int] = []
    stops: list[int] | None = None
    while True:
        rng = ScriptedRandom(script)
        result = shuffle(list(items), rng)
        if stops is None:
            stops = rng.stops
        elif rng.stops != stops:
            raise ValueError("the shuffle's calls depend on earlier answers; cannot enumerate")
        outcomes[tuple(result)] += 1
        script = list(script) + [0] * (len(stops) - len(script))
        # odometer: add one to the last digit that is not at its maximum
        for pos in reversed(range(len(stops))):
            if script[pos] + 1 < stops[pos]:
                script[pos] += 1
                script[pos + 1:] = [0] * (len(stops) - pos - 1)
                break
        else:
            return outcomes, math.prod(stops)


# --- shuffles: sampling and the chi-square test ------------------------------------------------

def permutation_counts(shuffle: Callable[[list[Any], Any], list[Any]], items: Sequence[Any],
                       runs: int, seed: int) -> Counter:
    """How often each order came out in ``runs`` shuffles driven by ``random.Random(seed)``."""
    rng = random.Random(seed)
    counts: Counter = Counter({p: 0 for p in itertools.permutations(items)})
    for _ in range(runs):
        counts[tuple(shuffle(list(items), rng))] += 1
    return counts


def chi_square(observed: Iterable[int]) -> float:
    """Pearson's statistic against equal expected counts: sum of (O - E)**2 / E."""
    observed = list(observed)
    expected = sum(observed) / len(observed)
    return sum((o - expected) ** 2 / expected for o in observed)


def chi2_sf(x: float, dof: int) -> float:
    """P(X > x) for a chi-square variable with ``dof`` degrees of freedom (closed form).

    Starts from dof 1 (erfc) or dof 2 (exp) and climbs two at a time with
    Q(x; k + 2) = Q(x; k) + (x/2)**(k/2) * exp(-x/2) / gamma(k/2 + 1).
    """
    if dof < 1:
        raise ValueError("dof must be >= 1")
    k, q = (1, math.erfc(math.sqrt(x / 2))) if dof % 2 else (2, math.exp(-x / 2))
    while k < dof:
        q += (x / 2) ** (k / 2) * math.exp(-x / 2) / math.gamma(k / 2 + 1)
        k += 2
    return q


def plot_permutation_bars(results: dict[str, Counter], title: str = "",
                          levels: dict[str, float] | None = None):
    """Grouped bars: how often each permutation came out, one colour per shuffle.

    ``levels`` adds labelled dotted lines, e.g. exact probabilities to compare with.
    """
    import matplotlib.pyplot as plt

    perms = sorted(next(iter(results.values())))
    fig, ax = plt.subplots(figsize=(8, 3.5))
    width = 0.8 / len(results)
    for k, (name, counts) in enumerate(results.items()):
        total = sum(counts.values())
        xs = [i + (k - (len(results) - 1) / 2) * width for i in range(len(perms))]
        ax.bar(xs, [counts[p] / total for p in perms], width, label=name)
    ax.axhline(1 / len(perms), color="black", linestyle="--", label=f"uniform 1/{len(perms)}")
    for label, level in (levels or {}).items():
        ax.axhline(level, color="grey", linestyle=":", label=label)
    ax.set_xticks(range(len(perms)), ["".join(map(str, p)) for p in perms])
    ax.set_xlabel("resulting order")
    ax.set_ylabel("fraction of runs")
    ax.set_title(title or "how often each order comes out")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


# --- why `random` is not for secrets: cloning the Mersenne Twister ------------------------------

def _untemper(y: int) -> int:
    """Invert the Mersenne Twister's output tempering (it is a bijection on 32 bits)."""
    y ^= y >> 18
    y ^= (y << 15) & 0xEFC60000
    result = y
    for _ in range(5):  # y ^= (y << 7) & mask, undone seven bits at a time
        result = y ^ ((result << 7) & 0x9D2C5680)
    y = result & 0xFFFFFFFF
    result = y
    for _ in range(3):  # y ^= y >> 11, undone eleven bits at a time
        result = y ^ (result >> 11)
    return result & 0xFFFFFFFF


def clone_mersenne(outputs: Sequence[int]) -> random.Random:
    """A ``random.Random`` in the same state as one that just produced ``outputs``.

    ``outputs`` are 624 consecutive ``getrandbits(32)`` results: each is one tempered
    word of the generator's 624-word state, so untempering them gives the state back.
    """
    if len(outputs) != 624:
        raise ValueError("need exactly 624 consecutive 32-bit outputs")
    clone = random.Random()
    clone.setstate((3, tuple(_untemper(y) for y in outputs) + (624,), None))
    return clone
