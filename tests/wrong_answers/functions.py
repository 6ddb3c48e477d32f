"""Plausible wrong answers to solutions/03_functions.ipynb; each must fail its check."""

from __future__ import annotations

import itertools
from functools import singledispatch
from typing import Any

# --- make_multipliers ----------------------------------------------------------------------


def multipliers_late_binding(n: int) -> list:
    """The classic: every lambda reads the comprehension's one k when called, so all use n - 1."""
    return [lambda x: k * x for k in range(n)]  # noqa: B023 -- the bug on purpose


def multipliers_def_in_loop(n: int) -> list:
    """Same bug with def: the inner function closes over the loop variable, not its value."""
    made = []
    for k in range(n):
        def times(x):
            return k * x  # noqa: B023 -- the bug on purpose
        made.append(times)
    return made


def multipliers_generator(n: int):
    """A generator expression: correct if consumed one by one, but no list to index later."""
    return (lambda x, k=k: k * x for k in range(n))


def multipliers_from_one(n: int) -> list:
    """Off by one: the first function multiplies by 1, not 0."""
    return [lambda x, k=k: k * x for k in range(1, n + 1)]


# --- make_counter --------------------------------------------------------------------------


def counter_without_nonlocal(start: int = 0, *, step: int = 1):
    """Forgets nonlocal: `current += step` makes current local, so the first call raises."""
    current = start

    def next_value():
        value = current  # noqa: F823 -- the UnboundLocalError is the point
        current += step  # noqa: F841
        return value

    return next_value


def counter_increments_first(start: int = 0, *, step: int = 1):
    """Adds the step before returning, so the first call gives start + step."""
    current = start

    def next_value():
        nonlocal current
        current += step
        return current

    return next_value


_shared_state = {"current": None}


def counter_global_state(start: int = 0, *, step: int = 1):
    """Keeps the value in module-level state: every counter moves the same number."""
    _shared_state["current"] = start

    def next_value():
        value = _shared_state["current"]
        _shared_state["current"] = value + step
        return value

    return next_value


def counter_step_positional(start: int = 0, step: int = 1):
    """Right values, but step may be passed by position: make_counter(5, 2) is accepted."""
    return itertools.count(start, step).__next__


# --- call_logged -----------------------------------------------------------------------------


def logged_without_stars(log: list, func, /, *args, **kwargs):
    """Forwards the tuple and the dict as two positional arguments."""
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    log.append(f"{func.__name__}({', '.join(parts)})")
    return func(args, kwargs)


def logged_not_positional_only(log: list, func, *args, **kwargs):
    """No `/`: a keyword named log or func collides with the wrapper's own parameter."""
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    log.append(f"{func.__name__}({', '.join(parts)})")
    return func(*args, **kwargs)


def logged_with_str(log: list, func, /, *args, **kwargs):
    """str() instead of repr(): greet(ann, greeting=Hi) loses the quotes."""
    parts = [str(a) for a in args] + [f"{k}={v}" for k, v in kwargs.items()]
    log.append(f"{func.__name__}({', '.join(parts)})")
    return func(*args, **kwargs)


def logged_sorted_keywords(log: list, func, /, *args, **kwargs):
    """Sorts the keywords: the line no longer shows the call as written."""
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in sorted(kwargs.items())]
    log.append(f"{func.__name__}({', '.join(parts)})")
    return func(*args, **kwargs)


def logged_after_call(log: list, func, /, *args, **kwargs):
    """Logs after the call: a raising call is never logged, mutated arguments show changed."""
    result = func(*args, **kwargs)
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    log.append(f"{func.__name__}({', '.join(parts)})")
    return result


def logged_swallows_errors(log: list, func, /, *args, **kwargs):
    """Catches every exception "to be safe" and returns None: the caller never learns."""
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    log.append(f"{func.__name__}({', '.join(parts)})")
    try:
        return func(*args, **kwargs)
    except Exception:
        return None


# --- make_describe ---------------------------------------------------------------------------


def _describe_list(describe, value: list) -> str:
    return f"list of {len(value)}: [{', '.join(describe(v) for v in value)}]"


def describe_without_bool():
    """singledispatch with int, str, list: True goes to the int implementation."""
    @singledispatch
    def describe(value) -> str:
        return f"object of type {type(value).__name__}"

    describe.register(int, lambda v: f"int {v}")
    describe.register(str, lambda v: f"str of length {len(v)}")
    describe.register(list, lambda v: _describe_list(describe, v))
    return describe


def describe_isinstance_chain():
    """An if/isinstance chain: right answers, but no register, so nobody can add a type."""
    def describe(value: Any) -> str:
        if isinstance(value, bool):
            return f"bool {value}"
        if isinstance(value, int):
            return f"int {value}"
        if isinstance(value, str):
            return f"str of length {len(value)}"
        if isinstance(value, list):
            return _describe_list(describe, value)
        return f"object of type {type(value).__name__}"

    return describe


def describe_type_table():
    """A dict keyed by type(value): exact types only, so a list subclass falls to the fallback."""
    table = {
        bool: lambda v: f"bool {v}",
        int: lambda v: f"int {v}",
        str: lambda v: f"str of length {len(v)}",
        list: lambda v: _describe_list(describe, v),
    }

    @singledispatch
    def describe(value) -> str:
        handler = table.get(type(value))
        return handler(value) if handler else f"object of type {type(value).__name__}"

    return describe


def describe_items_privately():
    """Describes list items with a private chain instead of the dispatcher: registered types
    are ignored inside lists."""
    def basic(value: Any) -> str:
        if isinstance(value, bool):
            return f"bool {value}"
        if isinstance(value, int):
            return f"int {value}"
        if isinstance(value, str):
            return f"str of length {len(value)}"
        if isinstance(value, list):
            return _describe_list(basic, value)
        return f"object of type {type(value).__name__}"

    @singledispatch
    def describe(value) -> str:
        return basic(value)

    describe.register(list, lambda v: _describe_list(basic, v))
    return describe


@singledispatch
def _module_describe(value) -> str:
    return f"object of type {type(value).__name__}"


_module_describe.register(bool, lambda v: f"bool {v}")
_module_describe.register(int, lambda v: f"int {v}")
_module_describe.register(str, lambda v: f"str of length {len(v)}")
_module_describe.register(list, lambda v: _describe_list(_module_describe, v))


def describe_module_level():
    """Returns one module-level dispatcher every time: registrations leak between callers."""
    return _module_describe


WRONG = {
    "make_multipliers": [multipliers_late_binding, multipliers_def_in_loop,
                         multipliers_generator, multipliers_from_one],
    "make_counter": [counter_without_nonlocal, counter_increments_first, counter_global_state,
                     counter_step_positional],
    "call_logged": [logged_without_stars, logged_not_positional_only, logged_with_str,
                    logged_sorted_keywords, logged_after_call, logged_swallows_errors],
    "make_describe": [describe_without_bool, describe_isinstance_chain, describe_type_table,
                      describe_items_privately, describe_module_level],
}
