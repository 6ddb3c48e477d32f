"""Hidden checks for solutions/04_decorators_generators.ipynb.

Decorators are checked by property functions (``check=``): they decorate small
functions of their own, call them, and look at attempts, metadata and timings.
Generators are always read through ``itertools.islice`` with a bound, and fed
from a ``_Probe`` that fails the check when too many items are pulled, so a
wrong answer that loops forever or reads an infinite input whole fails fast
with a message instead of hanging or filling memory.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from interview_lab.checks import Case, CheckFailed, Exercise, expect_raise
from interview_lab.generator_memory import access_log_lines


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# --- retry(times, exceptions) --------------------------------------------------

class _Flaky:
    """A function that raises the given exceptions in turn, then returns ``result``."""

    def __init__(self, failures: list[BaseException], result: Any = "ok"):
        self.failures = list(failures)
        self.result = result
        self.attempts = 0
        self.seen: list[tuple[tuple, dict]] = []

    def __call__(self, *args, **kwargs):
        self.attempts += 1
        self.seen.append((args, kwargs))
        if self.failures:
            raise self.failures.pop(0)
        return self.result


def _decorate(retry: Callable, times: int, exceptions: Any, target: Callable) -> Callable:
    decorator = retry(times, exceptions)
    _expect(callable(decorator),
            f"retry({times}, ...) must return a decorator (a callable), got {decorator!r}")
    wrapped = decorator(target)
    _expect(callable(wrapped), f"retry({times}, ...)(func) must return a callable, got {wrapped!r}")
    return wrapped


def check_retry(retry: Callable) -> None:
    # Success after two transient failures: three attempts, arguments passed through.
    flaky = _Flaky([ConnectionError("reset 1"), ConnectionError("reset 2")], result=42)
    got = _decorate(retry, 3, ConnectionError, flaky)(7, currency="EUR")
    _expect(got == 42, f"fails twice then returns 42, with times=3: expected 42, got {got!r}")
    _expect(flaky.attempts == 3, f"fails twice then succeeds, times=3: expected 3 attempts, "
                                 f"got {flaky.attempts}")
    _expect(all(s == ((7,), {"currency": "EUR"}) for s in flaky.seen),
            f"every attempt must get the caller's arguments; calls were {flaky.seen}")

    # Always failing: exactly `times` attempts, then the last exception itself.
    for times in (1, 3):
        errors = [ConnectionError(f"attempt {i}") for i in range(1, times + 1)]
        flaky = _Flaky(errors)
        exc = expect_raise(ConnectionError, _decorate(retry, times, ConnectionError, flaky),
                      f"always raising ConnectionError with times={times}")
        _expect(flaky.attempts == times,
                f"always raising with times={times}: expected {times} attempts in total "
                f"(times counts the first call too), got {flaky.attempts}")
        _expect(str(exc) == f"attempt {times}",
                f"after the last attempt, re-raise the last error (message 'attempt {times}'), "
                f"got {type(exc).__name__}({str(exc)!r})")

    # An exception not listed is not retried.
    flaky = _Flaky([ValueError("bad amount")])
    expect_raise(ValueError, _decorate(retry, 5, ConnectionError, flaky),
            "raising ValueError with exceptions=ConnectionError")
    _expect(flaky.attempts == 1, f"ValueError is not in exceptions=ConnectionError: expected 1 "
                                 f"attempt, got {flaky.attempts}")

    # A tuple of classes, and subclasses, are retried (as `except` would).
    flaky = _Flaky([TimeoutError("slow"), ConnectionResetError("reset")], result="done")
    got = _decorate(retry, 3, (ConnectionError, TimeoutError), flaky)()
    _expect(got == "done" and flaky.attempts == 3,
            "exceptions=(ConnectionError, TimeoutError): a TimeoutError and then a "
            "ConnectionResetError (a ConnectionError subclass) must both be retried; "
            f"got result {got!r} after {flaky.attempts} attempts")

    # Each call gets its own `times` attempts (no counter shared between calls).
    flaky = _Flaky([OSError("1"), OSError("2")], result="first")
    wrapped = _decorate(retry, 3, OSError, flaky)
    wrapped()
    flaky.failures, flaky.result, flaky.attempts = [OSError("3"), OSError("4")], "second", 0
    try:
        got = wrapped()
    except OSError as exc:
        raise CheckFailed(
            "a second call must get a fresh set of attempts: after a first call that needed 3 "
            f"attempts (times=3), the second call gave up after {flaky.attempts} with {exc!r}. "
            "Count attempts inside the wrapper, not in the decorator") from exc
    _expect(got == "second" and flaky.attempts == 3,
            "a second call must get a fresh set of attempts: after a first call that needed "
            f"3 attempts, the second got {flaky.attempts} attempts and returned {got!r}")

    # Metadata survives.
    def fetch_rates(base: str) -> dict:
        """Fetch exchange rates."""
        return {}

    wrapped = _decorate(retry, 2, OSError, fetch_rates)
    _expect(wrapped.__name__ == "fetch_rates" and wrapped.__doc__ == "Fetch exchange rates.",
            f"the decorated function must keep its name and docstring (functools.wraps); got "
            f"__name__={getattr(wrapped, '__name__', None)!r}, "
            f"__doc__={getattr(wrapped, '__doc__', None)!r}")
    _expect(getattr(wrapped, "__wrapped__", None) is fetch_rates,
            "the decorated function must expose the original as __wrapped__ (functools.wraps)")

    # Nonsense configuration fails early.
    for bad in (0, -1):
        expect_raise(ValueError, lambda bad=bad: retry(bad, OSError), f"retry({bad}, OSError)")


# --- chunks(iterable, n) -------------------------------------------------------

class _Probe:
    """An iterator over ``source`` that fails the check if more than ``limit`` items are pulled."""

    def __init__(self, source: Iterable, limit: int):
        self.source, self.limit, self.pulled = iter(source), limit, 0

    def __iter__(self) -> Iterator:
        return self

    def __next__(self):
        if self.pulled >= self.limit:
            raise CheckFailed(
                f"chunks pulled more than {self.limit} items from its input: it must read only "
                "what the chunk it is producing needs (an infinite input never ends, so list() "
                "or len() on it cannot work)")
        self.pulled += 1
        return next(self.source)


def _take(chunks: Callable, args: tuple, limit: int = 50) -> list:
    result = chunks(*args)
    _expect(result is not None, f"chunks{args!r} returned None: it must return an iterator "
                                "(write it as a generator, with yield)")
    return list(itertools.islice(result, limit))


def check_chunks(chunks: Callable) -> None:
    examples = [
        (([1, 2, 3, 4, 5, 6, 7], 3), [[1, 2, 3], [4, 5, 6], [7]], "last chunk shorter"),
        (([1, 2, 3, 4, 5, 6], 3), [[1, 2, 3], [4, 5, 6]], "no empty chunk at the end"),
        (([], 3), [], "empty input"),
        (([1, 2, 3], 1), [[1], [2], [3]], "n=1"),
        (([1, 2], 5), [[1, 2]], "n larger than the input"),
        (("abcde", 2), [["a", "b"], ["c", "d"], ["e"]], "a string is an iterable too"),
        (((x * x for x in range(5)), 2), [[0, 1], [4, 9], [16]], "a generator as input"),
        ((range(5), 2), [[0, 1], [2, 3], [4]], "a range as input"),
    ]
    for args, expected, note in examples:
        shown = "<generator>" if not isinstance(args[0], (list, str, range)) else repr(args[0])
        got = _take(chunks, args)
        _expect(got == expected, f"chunks({shown}, {args[1]}) ({note})\n  expected: {expected!r}"
                                 f"\n  got:      {got!r}")
        _expect(all(type(c) is list for c in got),
                f"chunks({shown}, {args[1]}) must yield lists, "
                f"got {[type(c).__name__ for c in got]}")

    # Infinite input: only what is asked for is read.
    probe = _Probe(itertools.count(), limit=10_000)
    got = _take(chunks, (probe, 4), limit=3)
    _expect(got == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]],
            f"the first 3 chunks of chunks(itertools.count(), 4): expected "
            f"[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], got {got!r}")
    probe = _Probe(itertools.count(), limit=10_000)
    first = next(iter(chunks(probe, 2)))
    _expect(first == [0, 1] and probe.pulled == 2,
            f"next(chunks(itertools.count(), 2)) must read exactly 2 items and return [0, 1]; "
            f"it read {probe.pulled} and returned {first!r}")

    # Bad n.
    for bad in (0, -2):
        expect_raise(ValueError, lambda bad=bad: list(itertools.islice(chunks([1, 2, 3], bad), 10)),
                f"chunks([1, 2, 3], {bad})")


# --- count_by_status(lines) ----------------------------------------------------

LINES = [
    "2024-05-01T12:00:00Z GET /api/users 200 12ms\n",
    "2024-05-01T12:00:01Z POST /api/orders 201 40ms\n",
    "2024-05-01T12:00:02Z GET /api/users 200 9ms\n",
    "2024-05-01T12:00:03Z GET /api/items 404 3ms\n",
    "2024-05-01T12:00:04Z GET /api/search 500 870ms\n",
    "-- truncated line --\n",
    "\n",
    "2024-05-01T12:00:05Z GET /api/users OK 12ms\n",
    "2024-05-01T12:00:06Z GET /api/users 20 12ms\n",
    "2024-05-01T12:00:07Z GET /api/users 200\n",
    "2024-05-01T12:00:08Z DELETE /api/items 204 5ms\r\n",
]
LINES_COUNTS = {200: 2, 201: 1, 404: 1, 500: 1, 204: 1}


def _counts_are(expected: dict) -> Callable[[Any, tuple], str | None]:
    def verify(got: Any, _args: tuple) -> str | None:
        if not isinstance(got, dict):
            return f"expected a dict (a Counter is fine), got {type(got).__name__}"
        if any(isinstance(key, str) for key in got):
            return f"status codes must be int keys (200, not '200'); expected {expected!r}"
        if dict(got) != expected:
            return f"expected {expected!r}"
        return None
    return verify


def _reference_counts(lines: Iterable[str]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 5 and len(parts[3]) == 3 and parts[3].isdigit():
            counts[int(parts[3])] = counts.get(int(parts[3]), 0) + 1
    return counts


class _Line(str):
    """A log line that counts how many of its kind are alive at once.

    CPython frees an object as soon as its last reference goes, so a one-pass
    loop keeps one or two lines alive at a time, while ``list(lines)`` keeps
    them all. Counting live objects is exact and fast; tracemalloc would slow
    the check down tenfold.
    """

    live = 0
    peak = 0

    def __new__(cls, text: str):
        line = super().__new__(cls, text)
        cls.live += 1
        cls.peak = max(cls.peak, cls.live)
        return line

    def __del__(self):
        type(self).live -= 1


def _tracked_lines(n: int, seed: int) -> Iterator[str]:
    for text in access_log_lines(n, seed=seed):
        yield _Line(text)


def check_count_by_status(count_by_status: Callable) -> None:
    # Single pass: a generator can be read only once.
    got = count_by_status(line for line in LINES)
    problem = _counts_are(LINES_COUNTS)(got, ())
    if problem and got == {}:
        problem += " (read the input once: a second pass over a generator sees nothing)"
    _expect(problem is None,
            f"count_by_status(<generator over {len(LINES)} lines>) returned {got!r}: {problem}")

    # Constant memory: a large generated log, never held whole.
    n, most = 20_000, 100
    expected = _reference_counts(access_log_lines(n, seed=4))
    _Line.live = _Line.peak = 0
    got = count_by_status(_tracked_lines(n, seed=4))
    problem = _counts_are(expected)(got, ())
    _expect(problem is None,
            f"count_by_status(<{n:,} generated lines>) returned {got!r}: {problem}")
    _expect(_Line.peak <= most,
            f"count_by_status(<{n:,} generated lines>) kept {_Line.peak:,} lines in memory at "
            f"once; a one-pass count needs one or two. Don't collect the lines (list(), "
            "readlines(), a list comprehension): count each one as it comes")


# --- timed(func) ---------------------------------------------------------------

def check_timed(timed: Callable) -> None:
    def nap(seconds, *, label="nap"):
        """Sleep, then say how long."""
        time.sleep(seconds)
        return label, seconds

    wrapped = timed(nap)
    _expect(callable(wrapped), f"timed(func) must return a callable, got {wrapped!r}")
    durations = getattr(wrapped, "durations", None)
    _expect(isinstance(durations, list) and durations == [],
            f"timed(func).durations must start as an empty list, got {durations!r}")
    got = wrapped(0.02, label="first")
    _expect(got == ("first", 0.02), f"the wrapper must return the function's result unchanged: "
                                    f"expected ('first', 0.02), got {got!r}")
    got = wrapped(0.0)
    _expect(len(wrapped.durations) == 2,
            f"after two calls, durations must have 2 entries, got {wrapped.durations!r}")
    first = wrapped.durations[0]
    _expect(isinstance(first, float), f"durations must be floats (seconds), got {first!r}")
    _expect(0.015 <= first < 2.0,
            f"a call that sleeps 0.02 s was recorded as {first!r}: record seconds from "
            "time.perf_counter() (not milliseconds), measured around the call")

    other = timed(nap)
    _expect(getattr(other, "durations", None) == [] and len(wrapped.durations) == 2,
            "each decorated function needs its own durations list: decorating a second "
            f"function gave it {getattr(other, 'durations', None)!r}")

    def boom():
        raise ValueError("bad input")

    failing = timed(boom)
    expect_raise(ValueError, failing, "a decorated function that raises ValueError")
    _expect(len(failing.durations) == 1,
            "a call that raises must still be timed (try/finally), and the exception must "
            f"propagate; durations is {failing.durations!r}")

    _expect(wrapped.__name__ == "nap" and wrapped.__doc__ == "Sleep, then say how long.",
            f"the decorated function must keep its name and docstring (functools.wraps); got "
            f"__name__={getattr(wrapped, '__name__', None)!r}")
    _expect(getattr(wrapped, "__wrapped__", None) is nap,
            "the decorated function must expose the original as __wrapped__ (functools.wraps)")


EXERCISES = {
    "retry": Exercise(check=check_retry),
    "chunks": Exercise(check=check_chunks),
    "count_by_status": Exercise(
        check=check_count_by_status,
        cases=(
            Case(args=(LINES,), verify=_counts_are(LINES_COUNTS),
                 note="blank, truncated and bad-status lines are skipped"),
            Case(args=([],), verify=_counts_are({}), note="no lines"),
            Case(args=(["2024-05-01T12:00:00Z GET / 503 1ms"] * 3,), verify=_counts_are({503: 3}),
                 note="status codes are ints"),
        ),
    ),
    "timed": Exercise(check=check_timed),
}
