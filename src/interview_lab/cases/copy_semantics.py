"""Hidden checks for solutions/02_copy_semantics.ipynb.

The three exercises are about *which objects* a function returns, not only
which values, so each has a ``check`` function that builds fresh inputs, calls
the learner's function and tests identity with ``is``: equal values are not
enough when the bug is a shared nested list. (``checks.run_case`` deep-copies
the arguments of plain cases before the call, which would hide exactly the
mutations these exercises are about.)
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

from interview_lab import checks
from interview_lab.checks import CheckFailed

# --- shared helpers -------------------------------------------------------------


_call = checks.call_learner  # one wrapper for every exercise check


def _containers(obj: Any, path: str = "result") -> Iterator[tuple[str, Any]]:
    """Every dict, list and set reachable from obj (acyclic input), with a path for messages."""
    if isinstance(obj, (dict, list, set)):
        yield path, obj
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _containers(value, f"{path}[{key!r}]")
    elif isinstance(obj, (list, tuple)):
        for index, value in enumerate(obj):
            yield from _containers(value, f"{path}[{index}]")


def _shared(result: Any, *inputs: tuple[str, Any]) -> str | None:
    """The first mutable container of result that is also an object inside an input."""
    for name, value in inputs:
        owned = {id(c): p for p, c in _containers(value, name)}
        for path, container in _containers(result):
            if id(container) in owned:
                return (f"{path} is the very object {owned[id(container)]} (check with `is`): "
                        "a later change to the result would change the input")
    return None


# --- exercise 1: merge_config ----------------------------------------------------

MERGE_CASES: tuple[tuple[dict, dict, dict, str], ...] = (
    ({"debug": False, "db": {"host": "localhost", "port": 5432}},
     {"db": {"port": 6432}},
     {"debug": False, "db": {"host": "localhost", "port": 6432}},
     "nested dicts merge key by key"),
    ({"a": 1}, {}, {"a": 1}, "no overrides: an equal, independent copy"),
    ({}, {"a": {"b": [1]}}, {"a": {"b": [1]}}, "no defaults: a copy of the overrides"),
    ({"tags": ["a", "b"], "x": 1}, {"tags": ["c"]}, {"tags": ["c"], "x": 1},
     "lists are replaced, not concatenated"),
    ({"db": {"host": "h"}}, {"db": None}, {"db": None}, "a non-dict override replaces a dict"),
    ({"db": "sqlite"}, {"db": {"engine": "pg"}}, {"db": {"engine": "pg"}},
     "a dict override replaces a non-dict default"),
    ({"a": {"b": {"c": 1, "d": 2}, "e": [1]}}, {"a": {"b": {"d": 3}, "f": 4}},
     {"a": {"b": {"c": 1, "d": 3}, "e": [1], "f": 4}}, "merging goes all the way down"),
    ({"limits": {"rpm": 60}}, {"feature": {"beta": True}},
     {"limits": {"rpm": 60}, "feature": {"beta": True}}, "keys only in overrides are added"),
)


def check_merge_config(func: Callable) -> None:
    for defaults, overrides, expected, note in MERGE_CASES:
        defaults, overrides = copy.deepcopy(defaults), copy.deepcopy(overrides)
        before = copy.deepcopy((defaults, overrides))
        call = f"merge_config({defaults!r}, {overrides!r})"
        got = _call(func, call, defaults, overrides)
        if got != expected or type(got) is not dict:
            raise CheckFailed(f"{call} ({note})\n  expected: {expected!r}\n  got:      {got!r}")
        if (defaults, overrides) != before:
            raise CheckFailed(f"{call} changed its arguments: defaults is now {defaults!r}, "
                              f"overrides is now {overrides!r}; build a new dict instead")
        problem = _shared(got, ("defaults", defaults), ("overrides", overrides))
        if problem:
            raise CheckFailed(f"{call} ({note}): {problem}")


# --- exercise 2: with_filter ------------------------------------------------------

FILTER_CASES: tuple[tuple[str, str, str, list[tuple[str, list[str]]], str], ...] = (
    ("tag=a&tag=b&page=2", "tag", "c",
     [("tag", ["a", "b", "c"]), ("page", ["2"])], "append after the existing values"),
    ("tag=a&page=2", "tag", "a", [("tag", ["a"]), ("page", ["2"])], "no duplicate value"),
    ("page=2", "tag", "a", [("page", ["2"]), ("tag", ["a"])], "a missing key is created"),
    ("", "status", "open", [("status", ["open"])], "an empty query"),
    ("q=red+shoes", "q", "a b&c", [("q", ["red shoes", "a b&c"])], "values are text, any text"),
)


def check_with_filter(func: Callable) -> None:
    from interview_lab import django_copy_demo

    django_copy_demo.setup()
    from django.http import QueryDict

    for query_string, key, value, expected, note in FILTER_CASES:
        query = QueryDict(query_string)  # immutable, like request.GET
        before = list(query.lists())
        call = f"with_filter(QueryDict({query_string!r}), {key!r}, {value!r})"
        got = _call(func, call, query, key, value)
        if not isinstance(got, QueryDict):
            raise CheckFailed(f"{call} returned a {type(got).__name__}, expected a QueryDict")
        if got is query:
            raise CheckFailed(f"{call} returned the request's own QueryDict, not a copy")
        if list(got.lists()) != expected:
            raise CheckFailed(f"{call} ({note})\n  expected lists(): {expected!r}\n"
                              f"  got lists():      {list(got.lists())!r}")
        if list(query.lists()) != before:
            raise CheckFailed(f"{call} changed the request's QueryDict: "
                              f"{before!r} became {list(query.lists())!r}")
        try:
            got["__probe__"] = "1"
        except AttributeError as exc:
            raise CheckFailed(f"{call} returned an immutable QueryDict ({exc}); "
                              "the caller must be able to change it further") from exc
        if "__probe__" in query:
            raise CheckFailed(f"{call}: changing the result changed the request's QueryDict")


# --- exercise 3: deep_copy ----------------------------------------------------------


def _no_stdlib(*_args: Any, **_kwargs: Any) -> Any:
    raise CheckFailed("deep_copy called the copy module: write the recursion yourself")


def _deep_copy_scenarios() -> Iterator[tuple[str, Any, Callable[[Any, Any], str | None]]]:
    """(description, input, verify(result, input) -> problem or None)."""

    def equal_and_unshared(result: Any, original: Any) -> str | None:
        if result != original or type(result) is not type(original):
            return f"expected a value equal to {original!r}, got {result!r}"
        return _shared(result, ("input", original))

    for atom in (42, 3.5, "text", None, True, b"raw"):
        yield repr(atom), atom, equal_and_unshared
    for empty in ([], {}, ()):
        yield repr(empty), empty, equal_and_unshared
    nested = {"a": [1, {"b": [2, 3]}], "t": (1, [2]), "k": {(1, 2): "tuple key"}}
    yield repr(nested), nested, equal_and_unshared

    inner = [1]
    shared = {"x": inner, "y": [inner, inner]}

    def keeps_sharing(result: Any, original: Any) -> str | None:
        problem = equal_and_unshared(result, original)
        if problem:
            return problem
        if not result["x"] is result["y"][0] is result["y"][1]:
            return ("the input holds ONE list three times; the copy must hold one new list "
                    "three times (result['x'] is result['y'][0] is result['y'][1])")
        return None

    yield ("one list referenced three times: {'x': inner, 'y': [inner, inner]}",
           shared, keeps_sharing)

    slot = [0]
    tup = (slot, slot)

    def tuple_sharing(result: Any, original: Any) -> str | None:
        if type(result) is not tuple or result[0] is original[0]:
            return "the tuple holds a list; the copy needs a new tuple holding a new list"
        if result[0] is not result[1]:
            return "both slots of the tuple are one list; the copy's slots must be one new list"
        return None

    yield "a tuple holding one list twice: (inner, inner)", tup, tuple_sharing

    loop = [1]
    loop.append(loop)

    def list_cycle(result: Any, original: Any) -> str | None:
        if type(result) is not list or result is original or len(result) != 2:
            return f"expected a new list of length 2, got {type(result).__name__}"
        if result[1] is not result:
            return "the input contains itself; the copy must contain itself (result[1] is result)"
        return None

    yield "a list that contains itself: a = [1]; a.append(a)", loop, list_cycle

    tree: dict[str, Any] = {"name": "root"}
    tree["self"] = tree
    tree["kids"] = [{"parent": tree}]

    def dict_cycle(result: Any, original: Any) -> str | None:
        if type(result) is not dict or result is original:
            return "expected a new dict"
        if result["self"] is not result or result["kids"][0]["parent"] is not result:
            return "back-references must point at the copy: result['self'] is result"
        if result["kids"] is original["kids"]:
            return "result['kids'] is the input's list, not a copy"
        return None

    yield "a dict that refers to itself twice", tree, dict_cycle

    box: list[Any] = []
    through_tuple = (box,)
    box.append(through_tuple)

    def tuple_cycle(result: Any, original: Any) -> str | None:
        if type(result) is not tuple or result[0] is original[0]:
            return "expected a new tuple holding a new list"
        if result[0][0] is not result:
            return ("a cycle through a tuple: the inner list must point back at the SAME "
                    "tuple you return (result[0][0] is result)")
        return None

    yield "a cycle through a tuple: box = []; t = (box,); box.append(t)", through_tuple, tuple_cycle


def check_deep_copy(func: Callable) -> None:
    with (mock.patch.object(copy, "deepcopy", _no_stdlib),
          mock.patch.object(copy, "copy", _no_stdlib)):
        for description, value, verify in _deep_copy_scenarios():
            call = f"deep_copy({description})"
            got = _call(func, call, value)
            problem = verify(got, value)
            if problem:
                raise CheckFailed(f"{call}: {problem}")


EXERCISES = {
    # The cases repeat the values; the check adds "inputs unchanged" and "nothing shared".
    "merge_config": checks.Exercise(
        check=check_merge_config,
        cases=tuple(checks.Case(args=(d, o), expected=e, note=n) for d, o, e, n in MERGE_CASES),
    ),
    "with_filter": checks.Exercise(check=check_with_filter),
    "deep_copy": checks.Exercise(
        check=check_deep_copy,
        cases=tuple(checks.Case(args=(v,), expected=v, note="equal value")
                    for v in (42, "text", None, [], {}, {"a": [1, {"b": (2, [3])}]})),
    ),
}
