"""Plausible wrong answers to solutions/09_complexity_profiling.ipynb; each must fail its check."""

from __future__ import annotations

from collections import Counter

# --- find_duplicates ----------------------------------------------------------------------------


def duplicates_nested_loops(items):
    """Right answers, O(n**2): compares every pair (the counting check stops it)."""
    dups = []
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i] == items[j] and items[i] not in dups:
                dups.append(items[i])
                break
    return dups


def duplicates_count_per_item(items):
    """`items.count(x)` scans the whole list for every item: O(n**2) hidden in one call."""
    dups = []
    for x in items:
        if items.count(x) > 1 and x not in dups:
            dups.append(x)
    return dups


def duplicates_second_occurrence_order(items):
    """O(n), but lists a value when it is seen again: order of second occurrence."""
    seen, reported, dups = set(), set(), []
    for x in items:
        if x in seen and x not in reported:
            reported.add(x)
            dups.append(x)
        seen.add(x)
    return dups


def duplicates_every_repeat(items):
    """Appends on every repeat: a value seen three times is listed twice."""
    seen, dups = set(), []
    for x in items:
        if x in seen:
            dups.append(x)
        seen.add(x)
    return dups


def duplicates_via_set(items):
    """Counter is O(n), but a set loses the order of first appearance."""
    return list({x for x, c in Counter(items).items() if c > 1})


# --- two_sum ------------------------------------------------------------------------------------


def two_sum_nested(nums, target):
    """Checks every pair: right, but O(n**2) reads."""
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            if nums[i] + nums[j] == target:
                return (i, j)
    return None


def two_sum_reuses_position(nums, target):
    """Index all values first, then look up: 3 + 3 for target 6 pairs a position with itself."""
    position = {x: i for i, x in enumerate(nums)}
    for i, x in enumerate(nums):
        if target - x in position:
            return (i, position[target - x])
    return None


def two_sum_in_list(nums, target):
    """One loop, but `in` and `.index` on the list inside it: O(n**2) after all."""
    for i, x in enumerate(nums):
        rest = target - x
        if rest in nums and nums.index(rest) != i:
            return tuple(sorted((i, nums.index(rest))))
    return None


def two_sum_values(nums, target):
    """O(n), but returns the two numbers instead of their positions."""
    seen = set()
    for x in nums:
        if target - x in seen:
            return (target - x, x)
        seen.add(x)
    return None


def two_sum_wrong_order(nums, target):
    """O(n), but returns (current, earlier): the larger index first."""
    seen = {}
    for i, x in enumerate(nums):
        if target - x in seen:
            return (i, seen[target - x])
        seen[x] = i
    return None


# --- top_k_frequent -----------------------------------------------------------------------------


def top_k_most_common(words, k):
    """Counter.most_common breaks ties by first appearance, not alphabetically."""
    return [w for w, _count in Counter(words).most_common(k)]


def top_k_reverse_both(words, k):
    """reverse=True on (count, word) also reverses the tie-break: Z before A."""
    counts = Counter(words)
    return sorted(counts, key=lambda w: (counts[w], w), reverse=True)[:k]


def top_k_count_per_word(words, k):
    """`words.count(w)` for every distinct word: O(n * distinct words)."""
    distinct = sorted(set(words))
    return sorted(distinct, key=lambda w: -words.count(w))[:k]


def top_k_ascending(words, k):
    """Sorted by count but forgot the direction: the least frequent first."""
    counts = Counter(words)
    return sorted(counts, key=lambda w: (counts[w], w))[:k]


# --- hot_function -------------------------------------------------------------------------------


def hot_by_cumtime(stats):
    """Sorts by cumulative time (index 3): names the entry point, not where time is spent."""
    if not stats:
        return None
    return min(stats.items(), key=lambda kv: (-kv[1][3], kv[0][2]))[0][2]


def hot_by_calls(stats):
    """Takes the most-called function (index 1) as the hot one."""
    if not stats:
        return None
    return min(stats.items(), key=lambda kv: (-kv[1][1], kv[0][2]))[0][2]


def hot_first_max(stats):
    """Right field, but `max` keeps the first of equal times: ties are not broken by name."""
    if not stats:
        return None
    return max(stats.items(), key=lambda kv: kv[1][2])[0][2]


def hot_returns_key(stats):
    """Returns the whole (file, line, name) key instead of the name."""
    if not stats:
        return None
    return min(stats.items(), key=lambda kv: (-kv[1][2], kv[0][2]))[0]


def hot_crashes_when_empty(stats):
    """Forgets the empty case: min() of an empty sequence raises ValueError."""
    return min(stats.items(), key=lambda kv: (-kv[1][2], kv[0][2]))[0][2]


WRONG = {
    "find_duplicates": [duplicates_nested_loops, duplicates_count_per_item,
                        duplicates_second_occurrence_order, duplicates_every_repeat,
                        duplicates_via_set],
    "two_sum": [two_sum_nested, two_sum_reuses_position, two_sum_in_list, two_sum_values,
                two_sum_wrong_order],
    "top_k_frequent": [top_k_most_common, top_k_reverse_both, top_k_count_per_word,
                       top_k_ascending],
    "hot_function": [hot_by_cumtime, hot_by_calls, hot_first_max, hot_returns_key,
                     hot_crashes_when_empty],
}
