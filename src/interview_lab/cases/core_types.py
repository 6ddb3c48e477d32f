"""Hidden checks for solutions/01_core_types.ipynb.

``append_tag`` and ``merge_settings`` are about *which object* comes back (the caller's list,
a new dict, never an input), so they have ``check`` functions that build fresh inputs and
test identity with ``is``; ``checks.run_case`` deep-copies plain cases' arguments, which
would hide exactly those bugs. ``group_by_first_letter`` and ``dedupe_keys`` use plain
cases with ``verify`` functions, because ``==`` alone misses what matters there: the order
of dict keys, separate lists per group, and key types (``1 == 1.0 == True``).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from interview_lab import checks
from interview_lab.checks import CheckFailed

Case = checks.Case


_call = checks.call_learner  # one wrapper for every exercise check


# --- exercise 1: append_tag ---------------------------------------------------------------------


def check_append_tag(func: Callable) -> None:
    def expect(call: str, got: Any, value: list, same_as: list | None = None) -> None:
        if type(got) is not list or got != value:
            raise CheckFailed(f"{call}\n  expected: {value!r}\n  got:      {got!r}")
        if same_as is not None and got is not same_as:
            raise CheckFailed(f"{call} returned a new list, not the caller's list (check with "
                              "`is`): the caller keeps using its own list and never sees the tag")

    first = _call(func, 'append_tag("a")', "a")
    expect('append_tag("a")', first, ["a"])
    second = _call(func, 'append_tag("b")', "b")
    if second is first or first != ["a"]:
        raise CheckFailed(f'append_tag("a") then append_tag("b") returned {first!r} and '
                          f"{second!r}: both calls used one list. A default is built once, "
                          "when `def` runs; build the list inside the function instead")
    expect('append_tag("b") after append_tag("a")', second, ["b"])

    mine: list = []
    got = _call(func, 'append_tag("x", mine) with mine = []', "x", mine)
    if mine != ["x"]:
        raise CheckFailed(f'append_tag("x", mine) with mine = [] left mine as {mine!r} and '
                          f"returned {got!r}: change the caller's list in place and return it, "
                          "even when it is empty (`if not tags` and `tags or []` replace an "
                          "empty list, because it is falsy)")
    expect('append_tag("x", mine) with mine = []', got, ["x"], mine)

    mine = ["a"]
    expect('append_tag("b", mine) with mine = ["a"]', _call(func, "append_tag", "b", mine),
           ["a", "b"], mine)
    mine = ["a", "b"]
    got = _call(func, 'append_tag("a", mine) with mine = ["a", "b"]', "a", mine)
    expect('append_tag("a", mine) with mine = ["a", "b"] (the tag is already there)', got,
           ["a", "b"], mine)
    mine = []
    expect('append_tag("k", tags=mine) with mine = []',
           _call(func, "append_tag", "k", tags=mine), ["k"], mine)
    expect('append_tag("z", None)', _call(func, 'append_tag("z", None)', "z", None), ["z"])
    again = _call(func, 'append_tag("c")', "c")
    expect('append_tag("c") after the calls above', again, ["c"])
    if again is first or again is second:
        raise CheckFailed('append_tag("c") returned a list an earlier call returned')


# --- exercise 2: group_by_first_letter ----------------------------------------------------------


def _grouped(expected: dict[str, list[str]], note: str) -> Callable[[Any, tuple], str | None]:
    def verify(got: Any, _args: tuple) -> str | None:
        if type(got) is not dict:
            return f"expected a dict, got {type(got).__name__}"
        if got != expected:
            return f"{note}: expected {expected!r}"
        if list(got) != list(expected):
            return (f"keys in the order {list(got)!r}; expected the order of first appearance "
                    f"{list(expected)!r}")
        if any(type(v) is not list for v in got.values()):
            return "every group must be a list"
        if len({id(v) for v in got.values()}) != len(got):
            return "two letters share one list object; each group needs its own list"
        return None
    return verify


GROUP_CASES: tuple[tuple[list[str], dict[str, list[str]], str], ...] = (
    ([], {}, "no words"),
    (["apple", "bob", "avocado"], {"a": ["apple", "avocado"], "b": ["bob"]},
     "a letter comes back after another one"),
    (["Apple", "apple", "Banana"], {"a": ["Apple", "apple"], "b": ["Banana"]},
     "case-insensitive keys, words kept as written"),
    (["", "x", ""], {"x": ["x"]}, "empty strings are skipped"),
    (["pear", "fig", "plum"], {"p": ["pear", "plum"], "f": ["fig"]},
     "keys in order of first appearance, not sorted"),
    (["go", "go"], {"g": ["go", "go"]}, "duplicates are kept"),
    (["3d", "_id", "2fa", "3x"], {"3": ["3d", "3x"], "_": ["_id"], "2": ["2fa"]},
     "a non-letter first character is a key too"),
    (["Élan", "élite", "eel"], {"é": ["Élan", "élite"], "e": ["eel"]},
     "lowercase with str.lower(), accents stay"),
)


# --- exercise 3: merge_settings -----------------------------------------------------------------


def _merge_scenarios() -> list[tuple[tuple, dict, str]]:
    return [
        ((), {}, "no layers"),
        (({"a": 1},), {"a": 1}, "one layer: an equal, new dict"),
        (({"port": 5432, "debug": False}, {"port": 6432}, {"debug": True}),
         {"port": 6432, "debug": True}, "later layers win"),
        (({"retries": 3, "debug": True, "name": "svc"}, {"retries": 0, "debug": False, "name": ""}),
         {"retries": 0, "debug": False, "name": ""}, "0, False and '' are real values: they win"),
        (({"host": "db1", "user": "app"}, {"host": None, "user": "admin"}),
         {"host": "db1", "user": "admin"}, "None means not set: it never overrides"),
        (({"a": None}, {"b": 1}), {"b": 1}, "a key that is None everywhere is left out"),
        (({"a": None}, {"b": 1}, {"a": 2}), {"b": 1, "a": 2},
         "order of each key's first real value"),
        (({"x": 1, "y": 2}, {"y": 20, "z": 3}), {"x": 1, "y": 20, "z": 3},
         "new keys go after the existing ones"),
        (({"host": "h", "port": 1, "debug": False}, {"host": "h2"}),
         {"host": "h2", "port": 1, "debug": False}, "an overridden key keeps its first position"),
        ((MappingProxyType({"a": 1}), {"b": 2}), {"a": 1, "b": 2},
         "any mapping, such as a read-only MappingProxyType"),
        ((defaultdict(int, {"a": 1}), {"b": 2}), {"a": 1, "b": 2},
         "a plain dict even when the first layer is a defaultdict"),
    ]


def _layers_repr(layers: tuple) -> str:
    return ", ".join(repr(dict(m)) if type(m) is dict else
                     f"{type(m).__name__}({dict(m)!r})" for m in layers)


def check_merge_settings(func: Callable) -> None:
    for layers, expected, note in _merge_scenarios():
        before = [copy.deepcopy(dict(m)) for m in layers]
        call = f"merge_settings({_layers_repr(layers)})"
        got = _call(func, call, *layers)
        if type(got) is not dict or got != expected:
            raise CheckFailed(f"{call} ({note})\n  expected: {expected!r} (a plain dict)\n"
                              f"  got:      {got!r}")
        if list(got) != list(expected):
            raise CheckFailed(f"{call} ({note}): keys in the order {list(got)!r}, expected "
                              f"{list(expected)!r}")
        if any(got is m for m in layers):
            raise CheckFailed(f"{call} returned one of its inputs; return a new dict")
        if [dict(m) for m in layers] != before:
            raise CheckFailed(f"{call} changed its inputs: {before!r} became "
                              f"{[dict(m) for m in layers]!r}")


# --- exercise 4: dedupe_keys --------------------------------------------------------------------


def _pairs_exactly(expected: list[tuple[Any, Any]],
                   note: str) -> Callable[[Any, tuple], str | None]:
    """Compare keys by type and repr too: 1 == 1.0 == True and 0.0 == -0.0 fool ==."""
    def shape(pairs: list) -> list[tuple[str, str, Any]]:
        return [(type(k).__name__, repr(k), v) for k, v in pairs]

    def verify(got: Any, _args: tuple) -> str | None:
        if type(got) is not list or not all(type(p) is tuple and len(p) == 2 for p in got):
            return "expected a list of (key, value) tuples"
        if shape(got) != shape(expected):
            return (f"{note}: expected {expected!r}\n  (keys are compared by type and value: "
                    f"1, 1.0 and True are three keys, and the first key object is kept)")
        return None
    return verify


DEDUPE_CASES: tuple[tuple[list, list, str], ...] = (
    ([], [], "no pairs"),
    ([("a", 1), ("b", 2), ("a", 3)], [("a", 3), ("b", 2)],
     "last value wins, at the key's first position"),
    ([(1, "int"), (1.0, "float"), (True, "bool")], [(1, "int"), (1.0, "float"), (True, "bool")],
     "1, 1.0 and True are three different keys"),
    ([(1, "a"), (True, "b"), (1, "c"), (True, "d")], [(1, "c"), (True, "d")],
     "the same type repeats: last value wins"),
    ([(0.0, "x"), (-0.0, "y")], [(0.0, "y")], "0.0 and -0.0 are one float key; the first stays"),
    ([("1", "s"), (1, "i")], [("1", "s"), (1, "i")], "the string '1' is not the int 1"),
    ([(None, 1), (False, 2), (0, 3), (0.0, 4), ("", 5)],
     [(None, 1), (False, 2), (0, 3), (0.0, 4), ("", 5)], "falsy keys are five different keys"),
    ([(2, "a"), (2.0, "b"), (2, "c")], [(2, "c"), (2.0, "b")], "interleaved types"),
    ([("k", [1]), ("k", [2])], [("k", [2])], "values may be unhashable"),
)


EXERCISES = {
    "append_tag": checks.Exercise(check=check_append_tag),
    "group_by_first_letter": checks.Exercise(cases=tuple(
        Case(args=(words,), verify=_grouped(expected, note), note=note)
        for words, expected, note in GROUP_CASES)),
    "merge_settings": checks.Exercise(check=check_merge_settings),
    "dedupe_keys": checks.Exercise(cases=tuple(
        Case(args=(pairs,), verify=_pairs_exactly(expected, note), note=note)
        for pairs, expected, note in DEDUPE_CASES)),
}
