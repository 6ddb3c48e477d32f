"""Hidden cases for solutions/12_threads_vs_processes.ipynb."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from interview_lab import checks
from interview_lab.checks import Case, CheckFailed, Exercise


def _expect_value_error(func: Callable, *args, **kwargs) -> None:
    call = checks.Case(args=args, kwargs=kwargs).describe_call(
        getattr(func, "__name__", "function"))
    try:
        func(*args, **kwargs)
    except ValueError:
        return
    except NotImplementedError:
        raise
    except Exception as exc:  # any other error is the learner's bug
        raise CheckFailed(
            f"{call} should raise ValueError, raised {type(exc).__name__}: {exc}") from exc
    raise CheckFailed(f"{call} should raise ValueError, returned normally")


# --- 1. pick_executor --------------------------------------------------------

def _pick_executor_errors(func: Callable) -> None:
    _expect_value_error(func, "gpu", 10, 1.0)


PICK_EXECUTOR = Exercise(
    cases=(
        Case(args=("io", 20, 0.2), expected="threads", note="waiting work"),
        Case(args=("io", 3, 0.001), expected="threads", note="tiny waits still overlap"),
        Case(args=("cpu", 8, 0.5), expected="processes", note="pure-Python CPU work, big pieces"),
        Case(args=("cpu", 8, 0.5, True), expected="threads", note="C code that releases the GIL"),
        Case(args=("cpu", 1000, 0.00001), expected="serial", note="total work 0.01 s: under 0.1 s"),
        Case(args=("cpu", 4, 0.02), expected="serial", note="total work 0.08 s: under 0.1 s"),
        Case(args=("cpu", 2, 0.1), expected="processes", note="total work 0.2 s"),
        Case(args=("cpu", 2, 0.05), expected="processes", note="total work exactly 0.1 s"),
        Case(args=("cpu", 1, 5.0), expected="serial", note="a single task"),
        Case(args=("io", 1, 5.0), expected="serial", note="a single task"),
        Case(args=("cpu", 0, 1.0), expected="serial", note="no tasks"),
    ),
    check=_pick_executor_errors,
)


# --- 2. speedup_efficiency ---------------------------------------------------

def _close_pair(expected: tuple[float, float]):
    def verify(result, _args) -> str | None:
        if not isinstance(result, tuple) or len(result) != 2:
            return f"expected a tuple (speedup, efficiency) close to {expected}"
        if not all(math.isclose(r, e, rel_tol=1e-9) for r, e in zip(result, expected, strict=True)):
            return f"expected (speedup, efficiency) close to {expected}"
        return None
    return verify


def _speedup_errors(func: Callable) -> None:
    _expect_value_error(func, 0.0, 1.0, 2)
    _expect_value_error(func, 1.0, 0.0, 2)
    _expect_value_error(func, 1.0, -1.0, 2)
    _expect_value_error(func, 1.0, 1.0, 0)


SPEEDUP_EFFICIENCY = Exercise(
    cases=(
        Case(args=(10.0, 2.5, 4), verify=_close_pair((4.0, 1.0))),
        Case(args=(10.0, 8.0, 2), verify=_close_pair((1.25, 0.625)), note="threads on CPU work"),
        Case(args=(4.0, 2.2, 2), verify=_close_pair((4.0 / 2.2, 4.0 / 2.2 / 2))),
        Case(args=(1.0, 2.0, 8), verify=_close_pair((0.5, 0.0625)), note="slower than serial"),
        Case(args=(3.0, 3.0, 1), verify=_close_pair((1.0, 1.0))),
    ),
    check=_speedup_errors,
)


# --- 3. chunked --------------------------------------------------------------

def _chunked_errors(func: Callable) -> None:
    _expect_value_error(func, [1, 2, 3], 0)
    _expect_value_error(func, [1, 2, 3], -2)


CHUNKED = Exercise(
    cases=(
        Case(args=(list(range(1, 11)), 3), expected=[[1, 2, 3, 4], [5, 6, 7], [8, 9, 10]]),
        Case(args=(list(range(10)), 4), expected=[[0, 1, 2], [3, 4, 5], [6, 7], [8, 9]],
             note="sizes 3, 3, 2, 2: never 3, 3, 3, 1"),
        Case(args=(list(range(6)), 3), expected=[[0, 1], [2, 3], [4, 5]]),
        Case(args=([1, 2], 4), expected=[[1], [2]], note="fewer items than chunks"),
        Case(args=([], 3), expected=[], note="no items"),
        Case(args=(["a", "b", "c"], 1), expected=[["a", "b", "c"]]),
        Case(args=(list(range(7)), 7), expected=[[0], [1], [2], [3], [4], [5], [6]]),
        Case(args=(list(range(9)), 2), expected=[[0, 1, 2, 3, 4], [5, 6, 7, 8]]),
    ),
    check=_chunked_errors,
)


# --- 4. parallel_map ---------------------------------------------------------

class _Probe:
    """A function that sleeps and records how many calls were running at once."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.calls = 0

    def __call__(self, x):
        with self.lock:
            self.active += 1
            self.calls += 1
            self.max_active = max(self.max_active, self.active)
        try:
            time.sleep(self.seconds)
            return x * 10
        finally:
            with self.lock:
                self.active -= 1


def _check_parallel_map(func: Callable) -> None:
    def later_is_faster(x):
        time.sleep(0.02 * (5 - x))
        return x * x

    got = func(later_is_faster, [0, 1, 2, 3, 4], 5)
    if got != [0, 1, 4, 9, 16]:
        raise CheckFailed(
            "parallel_map(f, [0, 1, 2, 3, 4], 5) where later items finish first\n"
            f"  expected: [0, 1, 4, 9, 16] (input order)\n  got:      {got!r}")

    probe = _Probe(0.2)
    got = func(probe, range(8), 4)
    if got != [x * 10 for x in range(8)]:
        raise CheckFailed(f"parallel_map(f, range(8), 4) returned {got!r}, expected "
                          f"{[x * 10 for x in range(8)]!r}")
    if probe.max_active < 2:
        raise CheckFailed("parallel_map(f, range(8), 4) ran one call at a time: "
                          "the calls must overlap (use a pool of `workers` threads)")
    if probe.max_active > 4:
        raise CheckFailed(f"parallel_map(f, range(8), 4) ran {probe.max_active} calls at once: "
                          "never more than `workers`")

    got = func(probe, iter([1, 2, 3]), 2)
    if got != [10, 20, 30]:
        raise CheckFailed(f"parallel_map(f, iter([1, 2, 3]), 2) returned {got!r}, "
                          "expected [10, 20, 30]: items may be any iterable")
    got = func(probe, [], 3)
    if got != []:
        raise CheckFailed(f"parallel_map(f, [], 3) returned {got!r}, expected []")

    def fails_on_two(x):
        if x == 2:
            raise KeyError(x)
        return x

    try:
        got = func(fails_on_two, [1, 2, 3], 2)
    except KeyError:
        pass
    else:
        raise CheckFailed("parallel_map(f, [1, 2, 3], 2) where f(2) raises KeyError should let "
                          f"the KeyError reach the caller, returned {got!r}")
    _expect_value_error(func, abs, [1], 0)


PARALLEL_MAP = Exercise(
    cases=(
        Case(args=(abs, [-1, 2, -3], 2), expected=[1, 2, 3]),
        Case(args=(len, ["a", "bb", "", "cccc"], 1), expected=[1, 2, 0, 4], note="one worker"),
        Case(args=(abs, [], 3), expected=[], note="no items"),
    ),
    check=_check_parallel_map,
)


EXERCISES = {
    "pick_executor": PICK_EXECUTOR,
    "speedup_efficiency": SPEEDUP_EFFICIENCY,
    "chunked": CHUNKED,
    "parallel_map": PARALLEL_MAP,
}
