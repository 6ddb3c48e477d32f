"""Hidden cases for solutions/10_search_algorithms.ipynb.

Searches are checked twice: plain cases for the answers (duplicates, empty lists,
targets off either end), and a property check that runs the learner's function on a
``CountingSequence`` and compares the elements it read with the binary-search budget,
so a correct but linear answer is rejected. The shuffle is checked for being a
permutation, leaving its input alone, being reproducible from its rng, and for
uniformity with a chi-square test over seeded runs.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from typing import Any

from interview_lab import checks
from interview_lab.search_shuffle import (
    CHI2_CRITICAL_5DOF_P1E6,
    CountingSequence,
    chi_square,
    log2_bound,
)

Case = checks.Case


def _fail(message: str) -> None:
    raise checks.CheckFailed(message)


def _any_index_of(expected_value: Any) -> Callable[[Any, tuple], str | None]:
    """verify= for binary_search with duplicates: any index holding the target is right."""
    def verify(got: Any, args: tuple) -> str | None:
        items, target = args
        if type(got) is not int:
            return f"expected an int index, got {type(got).__name__}"
        if not 0 <= got < len(items):
            return f"{got} is not an index of the list"
        if items[got] != expected_value:
            return f"items[{got}] is {items[got]!r}, not {target!r}"
        return None
    return verify


# --- exercise 1: binary_search ------------------------------------------------------------------

def read_budget(n: int) -> int:
    """Reads allowed for a search over n sorted items: a binary search does at most
    ceil(log2(n + 1)) steps; allow two reads per step (``items[mid]`` read for == and
    again for <) and a final check. A scan reads n: 1000 for n = 1000 against 22."""
    return 2 * (log2_bound(n) + 1)


def _check_binary_search(func: Callable) -> None:
    """Exact answers on every small sorted list and target, within ``read_budget(n)`` reads."""
    for n in [*range(0, 34), 1000]:
        items = list(range(0, 2 * n, 2))
        budget = read_budget(n)
        targets = range(-1, 2 * n + 1) if n < 100 else [-1, 0, 2 * n - 2, 2 * n - 1, 777, 778]
        for target in targets:
            view = CountingSequence(items)
            got = checks.call_limited(func, (view, target), {}, checks.DEFAULT_TIME_LIMIT,
                                      f"binary_search(<{n} sorted items>, {target})")
            want = target // 2 if target % 2 == 0 and 0 <= target < 2 * n else -1
            if got != want or type(got) is not int:
                _fail(f"binary_search(list(range(0, {2 * n}, 2)), {target})\n"
                      f"  expected: {want!r}\n  got:      {got!r}")
            if view.reads > budget:
                _fail(f"binary_search on {n} sorted items read {view.reads} elements looking "
                      f"for {target}; binary search needs at most {budget}. A scan, `in`, "
                      f".index() or a slice copy reads too many (O(n), not O(log n)).")


BINARY_SEARCH = checks.Exercise(
    check=_check_binary_search,
    cases=(
        Case(args=([], 5), expected=-1, note="empty list"),
        Case(args=([5], 5), expected=0, note="one item, present"),
        Case(args=([5], 4), expected=-1, note="one item, absent"),
        Case(args=([1, 3, 5, 7, 9], 9), expected=4, note="last item"),
        Case(args=([1, 3, 5, 7, 9], 1), expected=0, note="first item"),
        Case(args=([1, 3, 5, 7, 9], 10), expected=-1, note="larger than all"),
        Case(args=([1, 3, 5, 7, 9], 0), expected=-1, note="smaller than all"),
        Case(args=([1, 3, 5, 7, 9], 4), expected=-1, note="in a gap: -1, not the insertion point"),
        Case(args=([1, 2, 2, 2, 2, 3], 2), verify=_any_index_of(2), note="duplicates"),
        Case(args=([7, 7, 7, 7], 7), verify=_any_index_of(7), note="all equal"),
        Case(args=(["ant", "bee", "cat", "dog"], "cat"), expected=2, note="strings"),
        Case(args=(["ant", "bee", "cat", "dog"], "cow"), expected=-1, note="strings, absent"),
        Case(args=([-10, -3, 0, 4.5, 8], 4.5), expected=3, note="negatives and floats"),
    ),
)


# --- exercise 2: first_at_least ---------------------------------------------------------------

def _check_first_at_least(func: Callable) -> None:
    """Exact lower bounds on small lists with runs of duplicates, within the read budget."""
    rng = random.Random(10)
    lists = [[], [3], [3, 3], list(range(0, 40, 2))]
    lists += [sorted(rng.choices(range(8), k=n)) for n in range(1, 25)]
    lists.append(list(range(0, 2000, 2)))
    for items in lists:
        budget = read_budget(len(items))
        targets = range(-1, (items[-1] + 2) if items else 1)
        for x in targets if len(items) < 100 else [-1, 0, 1, 998, 999, 1998, 1999]:
            view = CountingSequence(items)
            got = checks.call_limited(func, (view, x), {}, checks.DEFAULT_TIME_LIMIT,
                                      f"first_at_least(<{len(items)} items>, {x})")
            want = next((i for i, v in enumerate(items) if v >= x), len(items))
            if got != want or type(got) is not int:
                shown = items if len(items) < 30 else f"list(range(0, {2 * len(items)}, 2))"
                _fail(f"first_at_least({shown}, {x})\n  expected: {want!r}\n  got:      {got!r}")
            if view.reads > budget:
                _fail(f"first_at_least on {len(items)} sorted items read {view.reads} elements "
                      f"for x={x}; a binary search needs at most {budget} (yours is O(n)).")


FIRST_AT_LEAST = checks.Exercise(
    check=_check_first_at_least,
    cases=(
        Case(args=([], 5), expected=0, note="empty list: insert at 0"),
        Case(args=([1, 2, 2, 2, 3], 2), expected=1, note="first of the duplicates"),
        Case(args=([1, 2, 2, 2, 3], 0), expected=0, note="smaller than all"),
        Case(args=([1, 2, 2, 2, 3], 3), expected=4, note="equal to the last item"),
        Case(args=([1, 2, 2, 2, 3], 4), expected=5, note="larger than all: len(items), not -1"),
        Case(args=([1, 2, 2, 2, 3], 2.5), expected=4, note="between items"),
        Case(args=([5, 5, 5], 5), expected=0, note="all equal"),
        Case(args=([5, 5, 5], 6), expected=3, note="all smaller"),
        Case(args=(["apple", "banana", "cherry"], "b"), expected=1, note="strings"),
    ),
)


# --- exercise 3: fisher_yates -------------------------------------------------------------------

class _NoShortcutRandom(random.Random):
    """A seeded Random whose ready-made shuffles are off limits in this exercise."""

    def shuffle(self, x, *args, **kwargs):
        _fail("fisher_yates called rng.shuffle: the exercise is to write the shuffle yourself")

    def sample(self, population, k, *args, **kwargs):
        _fail("fisher_yates called rng.sample: the exercise is to write the shuffle yourself")


def _call_shuffle(func: Callable, items: Any, rng: random.Random) -> Any:
    return checks.call_limited(func, (items, rng), {}, checks.DEFAULT_TIME_LIMIT,
                               f"fisher_yates({items!r}, rng)")


def _check_fisher_yates(func: Callable) -> None:
    """Permutation, input untouched, reproducible per seed, uniform by chi-square."""
    for items in ([], [7], [1, 2, 3, 4, 5], ["a", "b", "a", "c"], (1, 2, 3), list(range(10))):
        before = list(items)
        got = _call_shuffle(func, items, _NoShortcutRandom(1))
        if list(items) != before:
            _fail(f"fisher_yates({before!r}, rng) changed its input to {items!r}: "
                  "return a new list and leave the caller's alone")
        if type(got) is not list:
            _fail(f"fisher_yates({before!r}, rng) returned {type(got).__name__}, expected a list")
        if Counter(got) != Counter(before):
            _fail(f"fisher_yates({before!r}, rng) returned {got!r}: not a permutation of it")
    items = list(range(10))
    results = set()
    for seed in range(20):
        first = _call_shuffle(func, items, _NoShortcutRandom(seed))
        again = _call_shuffle(func, items, _NoShortcutRandom(seed))
        if first != again:
            _fail(f"two rngs seeded with {seed} gave {first} and {again}: draw every random "
                  "number from the rng you were given (not the random module), so a seed "
                  "reproduces the shuffle")
        results.add(tuple(first))
    if len(results) < 10:
        _fail(f"20 seeds gave only {len(results)} different orders of 10 items: "
              "the result hardly depends on the rng")
    rng, runs = _NoShortcutRandom(2024), 12_000
    counts = Counter({p: 0 for p in [(0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1),
                                     (2, 1, 0)]})
    for _ in range(runs):
        counts[tuple(_call_shuffle(func, [0, 1, 2], rng))] += 1
    stat = chi_square(counts.values())
    if stat > CHI2_CRITICAL_5DOF_P1E6:
        table = ", ".join(f"{''.join(map(str, p))}: {c}" for p, c in sorted(counts.items()))
        _fail(f"{runs} shuffles of [0, 1, 2] are not uniform (chi-square {stat:.1f} > "
              f"{CHI2_CRITICAL_5DOF_P1E6}, expected {runs // 6} each): {table}. "
              "Swap position i with a random j in range(i + 1), not range(n) or range(i).")
    seen = {tuple(_call_shuffle(func, [0, 1, 2, 3], rng)) for _ in range(2400)}
    if len(seen) != 24:
        _fail(f"2400 shuffles of [0, 1, 2, 3] produced only {len(seen)} of the 24 orders")


def _is_permutation(got: Any, args: tuple) -> str | None:
    if type(got) is not list:
        return f"expected a list, got {type(got).__name__}"
    if Counter(got) != Counter(args[0]):
        return "not a permutation of the input"
    return None


FISHER_YATES = checks.Exercise(
    check=_check_fisher_yates,
    time_limit=10.0,
    cases=(
        Case(args=([], _NoShortcutRandom(3)), verify=_is_permutation, note="empty"),
        Case(args=(["only"], _NoShortcutRandom(3)), verify=_is_permutation, note="one item"),
        Case(args=((3, 1, 2), _NoShortcutRandom(3)), verify=_is_permutation,
             note="a tuple in, a list out"),
        Case(args=("hello", _NoShortcutRandom(3)), verify=_is_permutation,
             note="a string is a sequence too: a list of its characters"),
    ),
)


# --- exercise 4 (optional): search_rotated --------------------------------------------------

def _rotated(n: int, k: int) -> list[int]:
    items = list(range(0, 2 * n, 2))
    return items[k:] + items[:k]


def _check_search_rotated(func: Callable) -> None:
    """Every rotation of small lists and every target, within ``3 * read_budget(n)`` reads.

    Three halving passes are allowed (find the turn, then search one or both sides).
    """
    for n in [*range(0, 18), 1000]:
        budget = 3 * read_budget(n)
        rotations = range(max(n, 1)) if n < 100 else [0, 1, 333, 500, 999]
        for k in rotations:
            items = _rotated(n, k)
            targets = range(-1, 2 * n + 1) if n < 100 else [-1, 0, 2, 666, 667, 1998, 1999]
            for target in targets:
                view = CountingSequence(items)
                got = checks.call_limited(func, (view, target), {}, checks.DEFAULT_TIME_LIMIT,
                                          f"search_rotated(<{n} items rotated by {k}>, {target})")
                want = items.index(target) if target in items else -1
                if got != want or type(got) is not int:
                    shown = items if n < 30 else f"<{n} items rotated by {k}>"
                    _fail(f"search_rotated({shown}, {target})\n  expected: {want!r}\n"
                          f"  got:      {got!r}")
                if view.reads > budget:
                    _fail(f"search_rotated on {n} items read {view.reads} elements for "
                          f"{target}; an O(log n) search needs at most about {budget}.")


SEARCH_ROTATED = checks.Exercise(
    check=_check_search_rotated,
    time_limit=10.0,
    cases=(
        Case(args=([], 3), expected=-1, note="empty list"),
        Case(args=([4, 5, 6, 7, 0, 1, 2], 0), expected=4, note="the smallest item, at the turn"),
        Case(args=([4, 5, 6, 7, 0, 1, 2], 3), expected=-1, note="absent"),
        Case(args=([1, 2, 3, 4, 5], 5), expected=4, note="not rotated at all"),
        Case(args=([5, 1, 2, 3, 4], 5), expected=0, note="rotated by one"),
        Case(args=([2, 1], 1), expected=1, note="two items"),
    ),
)


EXERCISES = {
    "binary_search": BINARY_SEARCH,
    "first_at_least": FIRST_AT_LEAST,
    "fisher_yates": FISHER_YATES,
    "search_rotated": SEARCH_ROTATED,
}
