"""Plausible wrong answers for solutions/10_search_algorithms.ipynb: each must be rejected."""

from __future__ import annotations

import bisect
import random

# --- binary_search ------------------------------------------------------------------------------


def linear_scan(items, target):
    """Right answers, O(n) reads: the check's read budget catches it."""
    for i, value in enumerate(items):
        if value == target:
            return i
    return -1


def misses_last_item(items, target):
    """Closed interval hi = len - 1 but `while lo < hi`: never looks at the last candidate."""
    lo, hi = 0, len(items) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if items[mid] == target:
            return mid
        if items[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def returns_insertion_point(items, target):
    """bisect_left without checking the item there: a gap gives an index, not -1."""
    return bisect.bisect_left(items, target)


def slicing_recursion(items, target):
    """Recursion on slices: copies O(n) items and returns indexes relative to the slice."""
    if not items:
        return -1
    mid = len(items) // 2
    if items[mid] == target:
        return mid
    if items[mid] < target:
        return slicing_recursion(items[mid + 1:], target)
    return slicing_recursion(items[:mid], target)


def in_then_bisect(items, target):
    """Right answers, but `target in items` scans the whole list first."""
    if target not in items:
        return -1
    return bisect.bisect_left(items, target)


# --- first_at_least -----------------------------------------------------------------------------


def first_greater(items, x):
    """bisect_right semantics: skips past items equal to x."""
    lo, hi = 0, len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        if items[mid] <= x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def minus_one_when_none(items, x):
    """Returns -1 instead of len(items) when every item is smaller."""
    lo, hi = 0, len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        if items[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < len(items) else -1


def closed_interval_lower_bound(items, x):
    """Starts with hi = len - 1, so it can never answer len(items) when every item is smaller."""
    lo, hi = 0, len(items) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if items[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return max(lo, 0)


def scan_for_first(items, x):
    """Right answers by a linear scan: O(n) reads."""
    for i, value in enumerate(items):
        if value >= x:
            return i
    return len(items)


# --- fisher_yates -------------------------------------------------------------------------------


def naive_swap_any(items, rng):
    """Swap every position with any position: n**n paths onto n! orders, biased."""
    result = list(items)
    n = len(result)
    for i in range(n):
        j = rng.randrange(n)
        result[i], result[j] = result[j], result[i]
    return result


def sattolo_by_mistake(items, rng):
    """randrange(i) instead of randrange(i + 1): never leaves an item where it is."""
    result = list(items)
    for i in range(len(result) - 1, 0, -1):
        j = rng.randrange(i)
        result[i], result[j] = result[j], result[i]
    return result


def shuffles_in_place(items, rng):
    """Correct Fisher-Yates, but on the caller's list."""
    for i in range(len(items) - 1, 0, -1):
        j = rng.randrange(i + 1)
        items[i], items[j] = items[j], items[i]
    return items


def ignores_rng(items, rng):
    """Uses the module-level generator: not reproducible from the rng it was given."""
    result = list(items)
    for i in range(len(result) - 1, 0, -1):
        j = random.randrange(i + 1)
        result[i], result[j] = result[j], result[i]
    return result


def calls_rng_shuffle(items, rng):
    """Uses the built-in shuffle the exercise asks you to write."""
    result = list(items)
    rng.shuffle(result)
    return result


# --- search_rotated ------------------------------------------------------------------------------


def rotated_scan(items, target):
    """Right answers by scanning: O(n)."""
    return items.index(target) if target in items else -1


def strict_left_half_test(items, target):
    """`first < middle` instead of `<=`: when lo == mid the left 'half' is misjudged."""
    lo, hi = 0, len(items) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        middle = items[mid]
        if middle == target:
            return mid
        first, last = items[lo], items[hi]
        if first < middle:
            if first <= target < middle:
                hi = mid - 1
            else:
                lo = mid + 1
        elif middle < target <= last:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def plain_binary_search(items, target):
    """Ignores the rotation: right only when the list was not rotated."""
    return bisect_index(items, target)


def bisect_index(items, target):
    i = bisect.bisect_left(items, target)
    return i if i < len(items) and items[i] == target else -1


WRONG = {
    "binary_search": [linear_scan, misses_last_item, returns_insertion_point,
                      slicing_recursion, in_then_bisect],
    "first_at_least": [first_greater, minus_one_when_none, closed_interval_lower_bound,
                       scan_for_first],
    "fisher_yates": [naive_swap_any, sattolo_by_mistake, shuffles_in_place, ignores_rng,
                     calls_rng_shuffle],
    "search_rotated": [rotated_scan, strict_left_half_test, plain_binary_search],
}
