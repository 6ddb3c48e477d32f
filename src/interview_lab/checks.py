"""Hidden test cases for exercise notebooks, run against the learner's function.

A check cell calls ``checks.run("19_rest_design", "drop_duplicates", drop_duplicates)``.
The cases live in ``interview_lab.cases.<topic>`` (the stem without its number),
so the notebook shows the task, not the answers. A failure names the first
failing input, what was expected and what came back; every call runs under a
time limit so an infinite loop ends with a message instead of a hung kernel.
"""

from __future__ import annotations

import copy
import importlib
import signal
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TIME_LIMIT = 5.0


class CheckFailed(AssertionError):
    """The learner's function gave a wrong result (or took too long)."""


class TimeLimitExceeded(CheckFailed):
    """One call ran longer than the exercise allows."""


@dataclass(frozen=True)
class Case:
    """One hidden case: call with ``args``/``kwargs``, compare to ``expected``.

    ``verify`` replaces the equality test where many answers are right (a
    shuffle, a set in any order): it gets (result, args) and returns None when
    the result is acceptable, or a sentence saying what is wrong.
    """

    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    expected: Any = None
    verify: Callable[[Any, tuple], str | None] | None = None
    note: str = ""

    def describe_call(self, name: str) -> str:
        parts = [_short(a) for a in self.args]
        parts += [f"{k}={_short(v)}" for k, v in self.kwargs.items()]
        return f"{name}({', '.join(parts)})"


@dataclass(frozen=True)
class Exercise:
    """The cases of one exercise, or a custom ``check(func)`` for property tests."""

    cases: tuple[Case, ...] = ()
    check: Callable[[Callable], None] | None = None
    time_limit: float = DEFAULT_TIME_LIMIT

    def __post_init__(self):
        if not self.cases and self.check is None:
            raise ValueError("an exercise needs cases or a check function")


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "...)"


def _topic_module(stem: str):
    topic = stem.split("_", 1)[1] if stem[:2].isdigit() else stem
    return importlib.import_module(f"interview_lab.cases.{topic}")


def exercises_of(stem: str) -> dict[str, Exercise]:
    """Every exercise registered for a lesson stem."""
    return dict(_topic_module(stem).EXERCISES)


@contextmanager
def time_limit(seconds: float, what: str):
    """Raise TimeLimitExceeded in the running code after ``seconds``.

    Uses SIGALRM where it can (Unix, main thread: the Jupyter kernel runs cells
    there), which interrupts a pure-Python infinite loop. Elsewhere it falls
    back to no limit rather than leaving a thread spinning.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(_signum, _frame):
        raise TimeLimitExceeded(
            f"{what} did not finish within {seconds:g} s: look for a loop that never ends"
        )

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def call_limited(func: Callable, args: tuple, kwargs: dict, seconds: float, what: str) -> Any:
    with time_limit(seconds, what):
        return func(*args, **kwargs)


def call_learner(func: Callable, call: str, *args: Any, **kwargs: Any) -> Any:
    """Call the learner's function; an unexpected exception becomes a failure naming ``call``.

    NotImplementedError (an untouched stub) and CheckFailed pass through unchanged.
    """
    try:
        return func(*args, **kwargs)
    except (NotImplementedError, CheckFailed):
        raise
    except Exception as exc:
        raise CheckFailed(f"{call} raised {type(exc).__name__}: {exc}") from exc


def expect_raise(exc_type: type[BaseException], fn: Callable[[], Any], what: str,
                 mentions: str = "") -> BaseException:
    """Call ``fn``; it must raise ``exc_type`` (whose message contains ``mentions``), returned.

    Another exception or a normal return fails the check, naming ``what``;
    NotImplementedError (an untouched stub) and CheckFailed pass through unchanged.
    """
    try:
        result = fn()
    except exc_type as exc:
        if mentions and mentions.lower() not in str(exc).lower():
            raise CheckFailed(f"{what}: raised {exc_type.__name__} as it should, but the "
                              f"message {str(exc)!r} does not mention {mentions!r}") from exc
        return exc
    except (NotImplementedError, CheckFailed):
        raise
    except Exception as exc:
        raise CheckFailed(f"{what}: expected {exc_type.__name__}, got "
                          f"{type(exc).__name__}: {exc}") from exc
    raise CheckFailed(f"{what}: expected {exc_type.__name__}, but it returned {result!r}")


def run_case(name: str, func: Callable, case: Case, seconds: float) -> None:
    """Run one case; raise CheckFailed with input, expected and got on a mismatch."""
    call = case.describe_call(name)
    # The learner's function may mutate its input; the message must show the original.
    args, kwargs = copy.deepcopy(case.args), copy.deepcopy(case.kwargs)
    got = call_learner(call_limited, call, func, args, kwargs, seconds, call)
    if case.verify is not None:
        problem = case.verify(got, case.args)
        if problem:
            raise CheckFailed(f"{call} returned {_short(got)}: {problem}")
        return
    if got != case.expected or type(got) is not type(case.expected):
        note = f" ({case.note})" if case.note else ""
        raise CheckFailed(
            f"{call}{note}\n  expected: {case.expected!r}\n  got:      {got!r}"
        )


def run(stem: str, name: str, func: Callable, *, quiet: bool = False) -> int:
    """Check ``func`` against the hidden cases of exercise ``name`` of lesson ``stem``.

    Returns the number of cases passed; raises CheckFailed on the first failure
    and lets NotImplementedError through (an untouched stub).
    """
    exercises = exercises_of(stem)
    if name not in exercises:
        raise KeyError(f"{stem} has no exercise {name!r}; known: {sorted(exercises)}")
    exercise = exercises[name]
    if not callable(func):
        raise CheckFailed(f"expected a function for {name}, got {type(func).__name__}")
    passed = 0
    if exercise.check is not None:
        try:
            with time_limit(exercise.time_limit * 4, f"the checks of {name}"):
                exercise.check(func)
        except (NotImplementedError, CheckFailed):
            raise
        except Exception as exc:
            raise CheckFailed(f"{name} raised {type(exc).__name__}: {exc}") from exc
        passed += 1
    for case in exercise.cases:
        run_case(name, func, case, exercise.time_limit)
        passed += 1
    if not quiet:
        noun = "hidden check" if passed == 1 else "hidden checks"
        print(f"✔ {name}: passed {passed} {noun}")
    return passed
