"""Helpers for notebooks/03_functions.ipynb: linting a snippet, counting calls, dispatch variants.

``lint`` runs ruff (a pinned dependency of the lab) on a snippet with one rule
enabled, so the lesson can show that a linter flags the late-binding bug. The
lesson also compares three ways to choose code by the type of an argument (an
``isinstance`` chain, a dict keyed by type, ``functools.singledispatch``) and
shows what ``singledispatch`` does per call by listing the Python functions it
runs (a deterministic measure that does not depend on a busy machine).
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from collections.abc import Callable, Iterable
from typing import Any


def lint(source: str, rule: str) -> list[tuple[str, int, str]]:
    """Run ruff on ``source`` with only ``rule`` selected, ignoring config files.

    Returns (code, line, message) per finding, in ruff's order.
    """
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", rule,
         "--output-format", "json", "--stdin-filename", "snippet.py", "-"],
        input=source, capture_output=True, text=True, timeout=60,
    )
    if run.returncode not in (0, 1):  # 1 means "found something"; anything else is a failure
        raise RuntimeError(f"ruff failed ({run.returncode}): {run.stderr.strip()}")
    return [(f["code"], f["location"]["row"], f["message"]) for f in json.loads(run.stdout)]


def python_calls(func: Callable, *args: Any, **kwargs: Any) -> list[str]:
    """The qualified names of the Python functions entered while ``func(*args, **kwargs)`` runs.

    Uses ``sys.setprofile``, which reports a "call" event for every Python frame
    (functions written in C, such as ``isinstance``, report "c_call" instead and
    are left out). ``func`` itself is the first entry when it is a Python function.
    """
    names: list[str] = []

    def profiler(frame, event, _arg):
        if event == "call":
            names.append(frame.f_code.co_qualname)

    previous = sys.getprofile()
    sys.setprofile(profiler)
    try:
        func(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    return names


# --- three ways to pick behaviour by type ------------------------------------------


def kind_chain(value: Any) -> str:
    """An if/isinstance chain: bool before int, because bool is a subclass of int."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    return "object"


_KIND_BY_TYPE: dict[type, str] = {bool: "bool", int: "int", str: "str", list: "list"}


def kind_table(value: Any) -> str:
    """A dict keyed by the exact type: fast, but a subclass of list falls through to "object"."""
    return _KIND_BY_TYPE.get(type(value), "object")


@functools.singledispatch
def kind_dispatch(value: Any) -> str:
    """singledispatch: runs the implementation of the nearest registered class in the MRO."""
    return "object"


@kind_dispatch.register
def _(value: bool) -> str:
    return "bool"


@kind_dispatch.register
def _(value: int) -> str:
    return "int"


@kind_dispatch.register
def _(value: str) -> str:
    return "str"


@kind_dispatch.register
def _(value: list) -> str:
    return "list"


def mixed_values(n: int) -> list[Any]:
    """n values cycling through int, str, list, float and bool."""
    pattern: list[Any] = [7, "seven", [7], 7.0, True]
    return [pattern[i % len(pattern)] for i in range(n)]


def classify_all(func: Callable[[Any], str], values: Iterable[Any]) -> list[str]:
    """Apply one of the kind_* functions to every value (the timed loop of the benchmark)."""
    return [func(v) for v in values]
