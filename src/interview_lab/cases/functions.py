"""Hidden checks for solutions/03_functions.ipynb.

Every exercise returns or forwards *functions*, so each has a ``check`` that calls
what the learner built the way real code would: all multipliers are made before
any is called, counters are interleaved, a logging wrapper gets keywords named
like its own parameters, and a dispatcher is extended with a type it has never
seen. Messages name the call, what was expected and what came back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from interview_lab import checks
from interview_lab.checks import CheckFailed


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def _call(func: Callable, what: str, /, *args: Any, **kwargs: Any) -> Any:
    """Call under the time limit; an unexpected exception becomes a CheckFailed naming the call."""
    try:
        return checks.call_limited(func, args, kwargs, checks.DEFAULT_TIME_LIMIT, what)
    except (NotImplementedError, CheckFailed):
        raise
    except Exception as exc:
        raise CheckFailed(f"{what} raised {type(exc).__name__}: {exc}") from exc


def _same(got: Any, expected: Any) -> bool:
    return got == expected and type(got) is type(expected)


# --- exercise 1: make_multipliers(n) ---------------------------------------------------


def check_make_multipliers(make_multipliers: Callable) -> None:
    for n in range(7):
        made = _call(make_multipliers, f"make_multipliers({n})", n)
        _expect(type(made) is list,
                f"make_multipliers({n}) returned {type(made).__name__}, expected a list "
                "(all functions exist before any is called)")
        _expect(len(made) == n,
                f"make_multipliers({n}) returned {len(made)} functions, expected {n}")
        _expect(all(callable(f) for f in made), f"make_multipliers({n}) holds a non-callable item")
        # Call them only now, after the whole list exists, and in reverse order.
        for k in reversed(range(n)):
            for x in (5, -3, 0, 2.5, "ab"):
                got = _call(made[k], f"make_multipliers({n})[{k}]({x!r})", x)
                _expect(_same(got, k * x),
                        f"make_multipliers({n})[{k}]({x!r})\n  expected: {k * x!r}\n"
                        f"  got:      {got!r}" + (
                            "\n  (every function uses the same factor: the loop variable is "
                            "read when the function is called, after the loop has finished)"
                            if n >= 2 and k != n - 1 and got == (n - 1) * x else ""))


# --- exercise 2: make_counter(start=0, *, step=1) --------------------------------------


def _take(counter: Callable, k: int, what: str) -> list:
    return [_call(counter, f"{what}()") for _ in range(k)]


def check_make_counter(make_counter: Callable) -> None:
    scenarios: list[tuple[tuple, dict, list, str]] = [
        ((), {}, [0, 1, 2, 3], "make_counter()"),
        ((10,), {"step": 5}, [10, 15, 20], "make_counter(10, step=5)"),
        ((3,), {"step": -2}, [3, 1, -1, -3], "make_counter(3, step=-2)"),
        ((), {"step": 0}, [0, 0, 0], "make_counter(step=0)"),
        ((7,), {}, [7, 8], "make_counter(7)"),
    ]
    for args, kwargs, expected, what in scenarios:
        counter = _call(make_counter, what, *args, **kwargs)
        _expect(callable(counter), f"{what} returned {counter!r}, expected a function")
        got = _take(counter, len(expected), what)
        _expect(got == expected, f"{len(expected)} calls of the counter from {what}\n"
                                 f"  expected: {expected}\n  got:      {got}")
    # Two counters alive at once, interleaved: each keeps its own state.
    a = _call(make_counter, "make_counter()")
    b = _call(make_counter, "make_counter(100)", 100)
    got = [_call(a, "a()"), _call(b, "b()"), _call(a, "a()"), _call(b, "b()"), _call(a, "a()")]
    _expect(got == [0, 100, 1, 101, 2],
            "a = make_counter(); b = make_counter(100); a(), b(), a(), b(), a()\n"
            f"  expected: [0, 100, 1, 101, 2]\n  got:      {got}\n"
            "  (the counters share state: keep it in the closure of each call, not in a global "
            "or a default argument)")
    fresh = _take(_call(make_counter, "make_counter()"), 2, "make_counter()")
    _expect(fresh == [0, 1], f"a new make_counter() after the others started at {fresh[0]!r}, "
                             "not 0: state leaks from earlier counters")
    try:
        make_counter(5, 2)
    except TypeError:
        pass
    else:
        raise CheckFailed("make_counter(5, 2) was accepted: step must be keyword-only "
                          "(put a bare * before it), so callers write step=2")


# --- exercise 3: call_logged(log, func, /, *args, **kwargs) ------------------------------


def greet(name: str, *, greeting: str = "Hello") -> str:
    return f"{greeting}, {name}"


def nothing(*_args: Any, **_kwargs: Any) -> None:
    return None


def keywords(**kwargs: Any) -> dict:
    return kwargs


def _call_logged_once(call_logged: Callable, func: Callable, args: tuple, kwargs: dict,
                      shown: str) -> tuple[Any, list]:
    log: list = ["earlier line"]
    what = f"call_logged(log, {shown})"
    got = _call(call_logged, what, log, func, *args, **kwargs)
    return got, log


def check_call_logged(call_logged: Callable) -> None:
    cases: list[tuple[Callable, tuple, dict, str, Any, str]] = [
        (pow, (2, 10), {}, "pow, 2, 10", 1024, "pow(2, 10)"),
        (sorted, ([3, 1, 2],), {"reverse": True}, "sorted, [3, 1, 2], reverse=True",
         [3, 2, 1], "sorted([3, 1, 2], reverse=True)"),
        (greet, ("ann",), {"greeting": "Hi"}, "greet, 'ann', greeting='Hi'", "Hi, ann",
         "greet('ann', greeting='Hi')"),
        (keywords, (), {"b": 1, "a": 2}, "keywords, b=1, a=2", {"b": 1, "a": 2},
         "keywords(b=1, a=2)"),
        (keywords, (), {"log": "mine", "func": "also mine"},
         "keywords, log='mine', func='also mine'", {"log": "mine", "func": "also mine"},
         "keywords(log='mine', func='also mine')"),
        (list, (), {}, "list", [], "list()"),
        (nothing, (None, 1.5), {}, "nothing, None, 1.5", None, "nothing(None, 1.5)"),
    ]
    for func, args, kwargs, shown, expected, line in cases:
        got, log = _call_logged_once(call_logged, func, args, kwargs, shown)
        what = f"call_logged(log, {shown})"
        _expect(_same(got, expected), f"{what}\n  expected to return: {expected!r}\n"
                                      f"  returned:           {got!r}")
        _expect(log == ["earlier line", line], f"{what}\n  expected log: "
                f"{['earlier line', line]!r}\n  got log:      {log!r}")
    # The very objects are passed on (no copies), and the line shows them before the call.
    target: list = []
    log: list = []
    _call(call_logged, "call_logged(log, list.append, target, 5)", log, list.append, target, 5)
    _expect(target == [5], "call_logged(log, list.append, target, 5) did not append to the "
                           f"caller's list (it is now {target!r}): pass the arguments on as is")
    _expect(log == ["append([], 5)"], "call_logged(log, list.append, [], 5)\n  expected log: "
            f"['append([], 5)']\n  got log:      {log!r}\n  (write the line before the call)")
    # An exception from func propagates unchanged, after its line was logged.
    log = []
    try:
        call_logged(log, int, "x")
    except ValueError:
        pass
    except (NotImplementedError, CheckFailed):
        raise
    except Exception as exc:
        raise CheckFailed(f"call_logged(log, int, 'x') raised {type(exc).__name__}: {exc}; "
                          "expected int's own ValueError to pass through") from exc
    else:
        raise CheckFailed("call_logged(log, int, 'x') did not raise: int('x') raises "
                          "ValueError, and call_logged must let it through")
    _expect(log == ["int('x')"], f"call_logged(log, int, 'x') (which raises)\n  expected log: "
                                 f"[\"int('x')\"]\n  got log:      {log!r}")


# --- exercise 4: make_describe() -----------------------------------------------------------


class Tags(list):
    """A list subclass: must be described like a list."""

    def __repr__(self) -> str:
        return f"Tags({list.__repr__(self)})"


DESCRIBE_CASES: tuple[tuple[Any, str, str], ...] = (
    (5, "int 5", "an int"),
    (-3, "int -3", "a negative int"),
    (True, "bool True", "bool is a subclass of int but described as bool"),
    (False, "bool False", "bool"),
    ("abc", "str of length 3", "a str"),
    ("", "str of length 0", "an empty str"),
    ([], "list of 0: []", "an empty list"),
    ([1, "ab"], "list of 2: [int 1, str of length 2]", "items are described too"),
    ([[True]], "list of 1: [list of 1: [bool True]]", "nested lists"),
    (Tags(["x"]), "list of 1: [str of length 1]", "a list subclass is described as a list"),
    (2.5, "object of type float", "anything else"),
    (None, "object of type NoneType", "None"),
    ((1, 2), "object of type tuple", "a tuple is not a list"),
    ([3.0, None], "list of 2: [object of type float, object of type NoneType]", "fallback inside"),
)


class Point:
    def __init__(self, x: int, y: int):
        self.x, self.y = x, y


def check_make_describe(make_describe: Callable) -> None:
    describe = _call(make_describe, "make_describe()")
    _expect(callable(describe), f"make_describe() returned {describe!r}, expected a function")
    for value, expected, note in DESCRIBE_CASES:
        got = _call(describe, f"describe({value!r})", value)
        _expect(_same(got, expected),
                f"describe({value!r}) ({note})\n  expected: {expected!r}\n  got:      {got!r}")
    _expect(callable(getattr(describe, "register", None)),
            "make_describe() must return a functools.singledispatch function, so other code can "
            "add types with describe.register; this one has no register method")
    # Extension: a type registered later is used on its own and inside lists.
    describe.register(Point, lambda p: f"point {p.x},{p.y}")
    for value, shown, expected in ((Point(1, 2), "Point(1, 2)", "point 1,2"),
                                   ([Point(3, 4), 5], "[Point(3, 4), 5]",
                                    "list of 2: [point 3,4, int 5]")):
        got = _call(describe, f"describe({shown})", value)
        _expect(got == expected,
                "after describe.register(Point, lambda p: f'point {p.x},{p.y}'), "
                f"describe({shown})\n  expected: {expected!r}\n  got:      {got!r}\n"
                "  (the list implementation must describe items by calling describe itself, "
                "so registered types work inside lists)")
    other = _call(make_describe, "make_describe() (a second one)")
    got = _call(other, "second_describe(Point(1, 2))", Point(1, 2))
    _expect(got == "object of type Point",
            "a type registered on one describe leaked into the next make_describe(): "
            f"it described Point(1, 2) as {got!r}, expected 'object of type Point'. Build a "
            "new singledispatch function inside make_describe on every call")


EXERCISES = {
    "make_multipliers": checks.Exercise(
        check=check_make_multipliers,
        cases=(checks.Case(args=(0,), expected=[], note="no functions"),),
    ),
    "make_counter": checks.Exercise(check=check_make_counter),
    # The cases pin return values; the check adds the log lines, identity and exceptions.
    "call_logged": checks.Exercise(
        check=check_call_logged,
        cases=(
            checks.Case(args=([], pow, 2, 10), expected=1024),
            checks.Case(args=([], sorted, [3, 1, 2]), kwargs={"reverse": True},
                        expected=[3, 2, 1]),
            checks.Case(args=([], keywords), kwargs={"func": 1, "log": 2},
                        expected={"func": 1, "log": 2}, note="keywords named like parameters"),
            checks.Case(args=([], nothing, 1), expected=None),
        ),
    ),
    "make_describe": checks.Exercise(check=check_make_describe),
}
