"""Hidden checks for solutions/09_complexity_profiling.ipynb.

Right answers are checked with plain cases; *complexity* is checked by counting, not
timing, so a check gives the same verdict on a busy laptop as on an idle one:

- ``find_duplicates`` gets ``Tracked`` items that count every hash and comparison made
  on them; nested loops (or ``items.count`` per item) make about n**2 / 2 comparisons
  and are stopped as soon as they pass a budget of a few per item.
- ``two_sum`` and ``top_k_frequent`` get a ``BudgetSequence``: a read-only view of a
  list that counts element reads and stops a quadratic scan the moment it reads more
  than a few times n elements.
- ``hot_function`` gets synthetic ``pstats``-style dicts (ties, tottime vs cumtime,
  empty), and the stats of a real ``cProfile`` run of the lesson's slow report.
"""

from __future__ import annotations

import cProfile
import pstats
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from interview_lab import checks, profiling_demo
from interview_lab.search_shuffle import CountingSequence

Case = checks.Case


def _fail(message: str) -> None:
    raise checks.CheckFailed(message)


class BudgetExceeded(checks.CheckFailed):
    """The learner's function did more work than the complexity the exercise asks for."""


class BudgetSequence(CountingSequence):
    """A ``CountingSequence`` that raises as soon as more than ``budget`` elements are read."""

    def __init__(self, data: list[Any], budget: int, what: str):
        super().__init__(data)
        self.budget, self.what = budget, what

    def __getitem__(self, index):
        value = super().__getitem__(index)
        if self.reads > self.budget:
            raise BudgetExceeded(
                f"{self.what} read more than {self.budget:,} elements of a {len(self):,}-item "
                "input (a few reads per item are enough): a scan, `in`, `.index()` or "
                "`.count()` inside a loop makes it O(n**2). Remember what you have seen in "
                "a dict or a set instead.")
        return value


class Tally:
    """Counts operations on ``n`` ``Tracked`` items; stops the run past ``per_item * n``."""

    def __init__(self, n: int, per_item: int, what: str):
        self.ops, self.n, self.budget, self.what = 0, n, per_item * n, what

    def tick(self) -> None:
        self.ops += 1
        if self.ops > self.budget:
            raise BudgetExceeded(
                f"{self.what} made more than {self.budget:,} hashes and comparisons on "
                f"{self.n:,} items; an O(n) answer needs a few per item. Comparing "
                "every pair (nested loops, `items.count(x)` or `x in a_list` per item) is "
                "O(n**2), sorting O(n log n). Use a set or a dict (or collections.Counter).")


class Tracked:
    """A hashable value that reports every ``__hash__``, ``==`` and ``<`` to a ``Tally``."""

    __slots__ = ("value", "tally")

    def __init__(self, value: Any, tally: Tally):
        self.value, self.tally = value, tally

    def __hash__(self) -> int:
        self.tally.tick()
        return hash(self.value)

    def __eq__(self, other: Any) -> bool:
        self.tally.tick()
        return self.value == (other.value if isinstance(other, Tracked) else other)

    def __lt__(self, other: Any) -> bool:
        self.tally.tick()
        return self.value < (other.value if isinstance(other, Tracked) else other)

    def __repr__(self) -> str:
        return f"Tracked({self.value!r})"


def _call(func: Callable, args: tuple, what: str) -> Any:
    return checks.call_limited(func, args, {}, checks.DEFAULT_TIME_LIMIT, what)


# --- exercise 1: find_duplicates ----------------------------------------------------------------


def _duplicates_reference(values: list[Any]) -> list[Any]:
    counts = Counter(values)
    reported: set = set()
    out = []
    for v in values:
        if counts[v] > 1 and v not in reported:
            reported.add(v)
            out.append(v)
    return out


def _check_find_duplicates(func: Callable) -> None:
    """20,000 Tracked values: the right answer within 10 hashes and comparisons per item.

    An O(n) answer needs 2-9 per item; sorting needs about log2(n) = 14, pairs n / 2.
    """
    rng = random.Random(9)
    n = 20_000
    values = [rng.randrange(14_000) for _ in range(n)]
    want = _duplicates_reference(values)
    tally = Tally(n, 10, "find_duplicates")
    items = [Tracked(v, tally) for v in values]
    got = _call(func, (items,), f"find_duplicates(<{n} items>)")
    if tally.ops > tally.budget:  # in case the learner's code swallowed the exception
        _fail(f"find_duplicates made {tally.ops:,} hashes and comparisons on {n:,} items: "
              "O(n**2) or O(n log n), not O(n)")
    if type(got) is not list:
        _fail(f"find_duplicates(<{n} items>) returned {type(got).__name__}, expected a list")
    got_values = [g.value if isinstance(g, Tracked) else g for g in got]
    if got_values != want:
        _fail(f"find_duplicates(<{n} random ints>) returned {len(got)} values starting "
              f"{got_values[:6]}; expected {len(want)} values starting {want[:6]} (each "
              "duplicated value once, in the order of its first appearance)")


FIND_DUPLICATES = checks.Exercise(
    check=_check_find_duplicates,
    cases=(
        Case(args=([],), expected=[], note="empty"),
        Case(args=([1, 2, 3],), expected=[], note="no duplicates"),
        Case(args=([3, 1, 3, 2, 1],), expected=[3, 1]),
        Case(args=([7, 7, 7],), expected=[7], note="three times: still listed once"),
        Case(args=([2, 1, 1, 2],), expected=[2, 1],
             note="order of first appearance, not of the second occurrence"),
        Case(args=(["a", "A", "a"],), expected=["a"], note="case-sensitive"),
        Case(args=([1, 1.0, 2],), expected=[1], note="equal values are duplicates, first kept"),
        Case(args=([None, (1, 2), None, (1, 2)],), expected=[None, (1, 2)],
             note="any hashable values"),
    ),
)


# --- exercise 2: two_sum ------------------------------------------------------------------------


def _valid_pair(got: Any, args: tuple) -> str | None:
    nums, target = list(args[0]), args[1]
    exists = any(nums[i] + nums[j] == target
                 for i in range(len(nums)) for j in range(i + 1, len(nums)))
    if got is None:
        return "a pair exists, so None is wrong" if exists else None
    if not exists:
        return "no two different positions add up to the target: expected None"
    if type(got) is not tuple or len(got) != 2 or not all(type(i) is int for i in got):
        return "expected a tuple of two int indices (i, j)"
    i, j = got
    if not 0 <= i < j < len(nums):
        return "need 0 <= i < j < len(nums): two different positions, the smaller first"
    if nums[i] + nums[j] != target:
        return f"nums[{i}] + nums[{j}] = {nums[i] + nums[j]}, not {target}"
    return None


def _two_sum_input(n: int, seed: int) -> tuple[list[int], int, tuple[int, int] | None]:
    """Multiples of 4 and, optionally, one pair of numbers = 1 (mod 4) that hits the target.

    The target is 2 (mod 4): two multiples of 4 never reach it, a multiple of 4 and a
    1-mod-4 number never do either, so the planted pair is the only answer.
    """
    rng = random.Random(seed)
    nums = [4 * k for k in rng.sample(range(10 * n), n)]
    target = 4 * rng.randrange(10 * n) + 2
    if seed % 2 == 0:
        return nums, target, None
    i, j = sorted(rng.sample(range(n), 2))
    a = 4 * rng.randrange(5 * n) + 1
    nums[i], nums[j] = a, target - a
    return nums, target, (i, j)


def _check_two_sum(func: Callable) -> None:
    """20,000 numbers in a view that allows 4 reads per number: O(n) passes, pairs fail."""
    for seed in (1, 2, 3):
        nums, target, pair = _two_sum_input(20_000, seed)
        view = BudgetSequence(nums, 4 * len(nums), "two_sum")
        got = _call(func, (view, target), f"two_sum(<{len(nums)} numbers>, {target})")
        if got != pair or (pair is not None and type(got) is not tuple):
            _fail(f"two_sum(<{len(nums)} numbers>, {target})\n  expected: {pair!r} "
                  f"(the only pair)\n  got:      {got!r}")


TWO_SUM = checks.Exercise(
    check=_check_two_sum,
    cases=(
        Case(args=([2, 7, 11, 15], 9), verify=_valid_pair),
        Case(args=([3, 2, 4], 6), verify=_valid_pair, note="3 + 3 would reuse one position"),
        Case(args=([3, 3], 6), verify=_valid_pair, note="equal values at two positions"),
        Case(args=([3], 6), verify=_valid_pair, note="one number: no pair"),
        Case(args=([], 0), verify=_valid_pair, note="empty"),
        Case(args=([1, 2, 3], 7), verify=_valid_pair, note="no pair"),
        Case(args=([-3, 4, 3, 90], 0), verify=_valid_pair, note="negative numbers"),
        Case(args=([0, 4, 3, 0], 0), verify=_valid_pair, note="zeros"),
        Case(args=([1, 5, 1, 5], 10), verify=_valid_pair, note="several candidates"),
    ),
)


# --- exercise 3: top_k_frequent -----------------------------------------------------------------


def _top_k_reference(words: list[str], k: int) -> list[str]:
    counts = Counter(words)
    return sorted(counts, key=lambda w: (-counts[w], w))[:k]


def _check_top_k_frequent(func: Callable) -> None:
    """30,000 words (2,000 distinct) in a view that allows 3 reads per word."""
    rng = random.Random(17)
    vocabulary = [f"w{i:04d}" for i in range(2_000)]
    words = [vocabulary[min(int(rng.expovariate(1 / 300)), 1_999)] for _ in range(30_000)]
    for k in (1, 10, 50):
        want = _top_k_reference(words, k)
        view = BudgetSequence(words, 3 * len(words), "top_k_frequent")
        got = _call(func, (view, k), f"top_k_frequent(<{len(words)} words>, {k})")
        if got != want or type(got) is not list:
            _fail(f"top_k_frequent(<{len(words)} words>, {k})\n  expected: {want!r}\n"
                  f"  got:      {got!r}")


TOP_K_FREQUENT = checks.Exercise(
    check=_check_top_k_frequent,
    cases=(
        Case(args=(["b", "a", "b", "c", "a", "b"], 2), expected=["b", "a"]),
        Case(args=(["y", "x"], 2), expected=["x", "y"], note="a tie: alphabetical"),
        Case(args=(["pear", "fig", "pear", "apple", "fig", "kiwi"], 3),
             expected=["fig", "pear", "apple"], note="ties among the counts, alphabetical"),
        Case(args=(["b", "a", "c"], 1), expected=["a"], note="all tied: the first alphabetically"),
        Case(args=(["a", "b", "a"], 5), expected=["a", "b"],
             note="k larger than the distinct words: all of them"),
        Case(args=(["a", "b"], 0), expected=[], note="k = 0"),
        Case(args=([], 3), expected=[], note="no words"),
        Case(args=(["Go", "go", "go"], 2), expected=["go", "Go"], note="case-sensitive"),
    ),
)


# --- exercise 4: hot_function -------------------------------------------------------------------


def _entry(tottime: float, cumtime: float, calls: int = 1) -> tuple:
    """A pstats value: (primitive calls, calls, tottime, cumtime, callers)."""
    return (calls, calls, tottime, cumtime, {})


_NESTED = {
    ("app.py", 10, "main"): _entry(0.01, 2.00),
    ("app.py", 20, "load"): _entry(0.30, 0.40, calls=3),
    ("app.py", 30, "parse"): _entry(1.50, 1.55, calls=900),
    ("~", 0, "<built-in method builtins.len>"): _entry(0.05, 0.05, calls=5000),
}
_MANY_CALLS = {
    ("a.py", 1, "tiny"): _entry(0.10, 0.10, calls=100_000),
    ("a.py", 9, "slow"): _entry(0.90, 0.90, calls=2),
}
_TIE = {
    ("b.py", 5, "zeta"): _entry(0.50, 0.60),
    ("b.py", 1, "alpha"): _entry(0.50, 0.50),
    ("b.py", 9, "mid"): _entry(0.20, 1.10),
}
_BUILTIN = {
    ("s.py", 3, "poll"): _entry(0.01, 2.01, calls=10),
    ("~", 0, "<built-in method time.sleep>"): _entry(2.00, 2.00, calls=10),
}


def _check_hot_function_on_a_real_profile(func: Callable) -> None:
    """The stats of a real cProfile run of the lesson's slow report: find_customer."""
    customers, orders = profiling_demo.make_data(600, 600)
    # The CPU clock: on a busy machine wall-clock waits would be charged to whichever
    # function was running when the scheduler paused us, and the hot spot could move.
    with cProfile.Profile(time.process_time) as profiler:
        profiling_demo.build_report(customers, orders)
    stats = pstats.Stats(profiler).stats
    got = _call(func, (stats,), "hot_function(<stats of a cProfile run of build_report>)")
    if got != "find_customer":
        _fail("hot_function(<stats of a cProfile run of build_report>)\n"
              f"  expected: 'find_customer'\n  got:      {got!r}")


HOT_FUNCTION = checks.Exercise(
    check=_check_hot_function_on_a_real_profile,
    cases=(
        Case(args=(_NESTED,), expected="parse",
             note="tottime (index 2), not cumtime: main only calls the others"),
        Case(args=(_MANY_CALLS,), expected="slow", note="largest time, not most calls"),
        Case(args=(_TIE,), expected="alpha", note="a tie on tottime: the first name A-Z"),
        Case(args=(_BUILTIN,), expected="<built-in method time.sleep>",
             note="built-ins count too; return the name as pstats has it"),
        Case(args=({("x.py", 1, "only"): _entry(0.0, 0.0)},), expected="only",
             note="one entry, even with zero time"),
        Case(args=({},), expected=None, note="empty stats"),
    ),
)


EXERCISES = {
    "find_duplicates": FIND_DUPLICATES,
    "two_sum": TWO_SUM,
    "top_k_frequent": TOP_K_FREQUENT,
    "hot_function": HOT_FUNCTION,
}
