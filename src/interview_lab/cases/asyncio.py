"""Hidden cases for solutions/13_asyncio.ipynb.

The exercises are ``async def`` functions. A check cell is a plain call,
``checks.run("13_asyncio", name, func)``, which may run in a Jupyter kernel whose
event loop is already running in the main thread, where ``asyncio.run`` refuses
to start. So each check runs its scenario with ``run_async``: ``asyncio.run`` on
a fresh loop in a fresh thread, with a time limit. Every scenario is a coroutine
that raises ``CheckFailed`` with the input, what was expected and what came back.
Timing claims are checked by order of events and counts where possible (which
call was running when another started), and by elapsed time only with wide margins.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any

from interview_lab.async_demo import run_in_thread
from interview_lab.checks import CheckFailed, Exercise

SCENARIO_TIME_LIMIT = 10.0


def run_async(scenario: Callable[..., Awaitable[Any]], *args: Any) -> Any:
    """Run ``scenario(*args)`` with ``asyncio.run`` in its own thread; re-raise its error.

    A scenario that hangs (a deadlock in the learner's code) ends with a
    CheckFailed naming the time limit instead of a stuck kernel.
    """
    try:
        return run_in_thread(scenario, *args, timeout=SCENARIO_TIME_LIMIT)
    except TimeoutError as exc:
        raise CheckFailed(f"the check did not finish within {SCENARIO_TIME_LIMIT:g} s: "
                          "look for an await that never returns") from exc


def _require_async(func: Callable, name: str) -> None:
    if not inspect.iscoroutinefunction(func):
        raise CheckFailed(f"{name} must be defined with `async def` (callers await it)")


class Recorder:
    """Fake I/O: each call sleeps, and the recorder notes starts, ends and cancels."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []
        self.active = 0
        self.max_active = 0
        self.calls: list[Any] = []

    def started(self, key: Any) -> None:
        self.calls.append(key)
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        self.events.append(("start", key))

    def finished(self, key: Any, how: str) -> None:
        self.active -= 1
        self.events.append((how, key))

    def index(self, kind: str, key: Any) -> int:
        return self.events.index((kind, key))

    def what_happened(self, key: Any) -> set[str]:
        return {kind for kind, k in self.events if k == key}


# --- 1. fetch_all -------------------------------------------------------------

def _fake_fetch(recorder: Recorder, delays: dict[str, float], fail: str | None = None):
    async def fetch(url: str) -> str:
        recorder.started(url)
        try:
            await asyncio.sleep(delays.get(url, 0.05))
        except asyncio.CancelledError:
            recorder.finished(url, "cancelled")
            raise
        recorder.finished(url, "end")
        if url == fail:
            raise KeyError(url)
        return url.upper()
    return fetch


async def _fetch_all_scenario(func: Callable) -> None:
    # Order: later URLs finish first; results must still follow the input.
    urls = ["a", "b", "c", "d"]
    rec = Recorder()
    got = await func(urls, _fake_fetch(rec, {"a": 0.12, "b": 0.08, "c": 0.04, "d": 0.01}), 4)
    if got != ["A", "B", "C", "D"]:
        raise CheckFailed("fetch_all(['a', 'b', 'c', 'd'], fetch, limit=4) where later URLs "
                          f"answer first\n  expected: ['A', 'B', 'C', 'D'] (input order)\n"
                          f"  got:      {got!r}")
    if sorted(rec.calls) != urls:
        raise CheckFailed(f"fetch_all called fetch with {rec.calls!r}: each URL exactly once")
    if rec.max_active < 2:
        raise CheckFailed("fetch_all(urls, fetch, limit=4) ran one fetch at a time: the calls "
                          "must overlap (create tasks or use gather, not a loop of awaits)")

    # The limit: never more than `limit` at once, and it is reached.
    urls = [f"u{i}" for i in range(10)]
    rec = Recorder()
    start = time.perf_counter()
    got = await func(urls, _fake_fetch(rec, {u: 0.05 for u in urls}), 3)
    elapsed = time.perf_counter() - start
    if got != [u.upper() for u in urls]:
        raise CheckFailed(f"fetch_all(10 URLs, fetch, limit=3) returned {got!r}")
    if rec.max_active > 3:
        raise CheckFailed(f"fetch_all(10 URLs, fetch, limit=3) ran {rec.max_active} fetches at "
                          "once: never more than `limit` (an asyncio.Semaphore does it)")
    if rec.max_active < 3:
        raise CheckFailed(f"fetch_all(10 URLs, fetch, limit=3) ran at most {rec.max_active} "
                          "fetches at once: use the whole limit")
    if elapsed > 0.75 * 10 * 0.05:
        raise CheckFailed(f"fetch_all(10 URLs of 0.05 s, fetch, limit=3) took {elapsed:.2f} s: "
                          "about 4 x 0.05 s expected, not 10 x 0.05 s")

    # A sliding window, not batches: a slot freed by a fast fetch is reused at once.
    urls = ["slow", "f1", "f2", "f3"]
    rec = Recorder()
    await func(urls, _fake_fetch(rec, {"slow": 0.3, "f1": 0.01, "f2": 0.01, "f3": 0.01}), 2)
    if rec.index("start", "f2") > rec.index("end", "slow"):
        raise CheckFailed("fetch_all(['slow', 'f1', 'f2', 'f3'], fetch, limit=2): 'f2' started "
                          "only after 'slow' finished. When 'f1' is done its slot is free: "
                          "start the next URL then, instead of waiting for a whole batch")

    # Edge cases.
    got = await func([], _fake_fetch(Recorder(), {}), 2)
    if got != []:
        raise CheckFailed(f"fetch_all([], fetch, limit=2) returned {got!r}, expected []")
    rec = Recorder()
    got = await func(["x", "x"], _fake_fetch(rec, {}), 5)
    if got != ["X", "X"] or len(rec.calls) != 2:
        raise CheckFailed(f"fetch_all(['x', 'x'], fetch, limit=5) returned {got!r} after "
                          f"{len(rec.calls)} fetches: expected ['X', 'X'] from 2 fetches")
    try:
        got = await func(["ok", "bad"], _fake_fetch(Recorder(), {}, fail="bad"), 2)
    except KeyError:
        pass
    else:
        raise CheckFailed("fetch_all(['ok', 'bad'], fetch, limit=2) where fetch('bad') raises "
                          f"KeyError should raise it, returned {got!r}")
    for bad_limit in (0, -1):
        try:
            got = await func(["a"], _fake_fetch(Recorder(), {}), bad_limit)
        except ValueError:
            continue
        raise CheckFailed(f"fetch_all(['a'], fetch, limit={bad_limit}) should raise ValueError, "
                          f"returned {got!r}")


def _check_fetch_all(func: Callable) -> None:
    _require_async(func, "fetch_all")
    run_async(_fetch_all_scenario, func)


# --- 2. with_timeout ------------------------------------------------------------

def _sleeper(rec: Recorder, key: str, seconds: float, result: Any = None,
             error: Exception | None = None):
    async def coro_fn() -> Any:
        rec.started(key)
        try:
            await asyncio.sleep(seconds)
        except asyncio.CancelledError:
            rec.finished(key, "cancelled")
            raise
        rec.finished(key, "end")
        if error is not None:
            raise error
        return result
    return coro_fn


async def _with_timeout_scenario(func: Callable) -> None:
    rec = Recorder()
    got = await func(_sleeper(rec, "fast", 0.01, result=42), 1.0, "default")
    if got != 42:
        raise CheckFailed(f"with_timeout(returns 42 after 0.01 s, 1.0, 'default') returned "
                          f"{got!r}, expected 42")
    got = await func(_sleeper(rec, "none", 0.01, result=None), 1.0, "default")
    if got is not None:
        raise CheckFailed(f"with_timeout(returns None after 0.01 s, 1.0, 'default') returned "
                          f"{got!r}: None is a real result, not a timeout")

    rec, marker = Recorder(), object()
    start = time.perf_counter()
    got = await func(_sleeper(rec, "slow", 2.0, result="late"), 0.05, marker)
    elapsed = time.perf_counter() - start
    if got is not marker:
        raise CheckFailed(f"with_timeout(takes 2 s, 0.05, default) returned {got!r}, "
                          "expected the default object itself")
    if elapsed > 1.0:
        raise CheckFailed(f"with_timeout(takes 2 s, 0.05, default) returned after {elapsed:.2f} "
                          "s: stop waiting when the time is up, not when the work is done")
    if "cancelled" not in rec.what_happened("slow"):
        raise CheckFailed("with_timeout(takes 2 s, 0.05, default) returned the default while "
                          "the slow coroutine was still running (not cancelled, or its "
                          "cancellation not yet delivered). Cancel it and wait for that before "
                          "returning: asyncio.timeout and wait_for do both")

    try:
        got = await func(_sleeper(Recorder(), "err", 0.01, error=ValueError("bad input")),
                         1.0, "default")
    except ValueError:
        pass
    else:
        raise CheckFailed("with_timeout(raises ValueError after 0.01 s, 1.0, 'default') should "
                          f"let the ValueError through, returned {got!r}: only a timeout gives "
                          "the default")


def _check_with_timeout(func: Callable) -> None:
    _require_async(func, "with_timeout")
    run_async(_with_timeout_scenario, func)


# --- 3. first_success -------------------------------------------------------------

async def _first_success_scenario(func: Callable) -> None:
    rec = Recorder()
    fns = [_sleeper(rec, "slow", 0.4, result="slow"),
           _sleeper(rec, "broken", 0.01, error=ConnectionError("refused")),
           _sleeper(rec, "medium", 0.05, result="medium")]
    call = "first_success([ok 'slow' after 0.4 s, fails after 0.01 s, ok 'medium' after 0.05 s])"
    try:
        got = await func(fns)
    except NotImplementedError:
        raise
    except Exception as exc:
        raise CheckFailed(f"{call} raised {type(exc).__name__}: {exc}. A failure is ignored "
                          "while another call may still succeed") from exc
    if got != "medium":
        raise CheckFailed(f"{call}\n  expected: 'medium' (the first to succeed)\n"
                          f"  got:      {got!r}")
    if rec.max_active < 2:
        raise CheckFailed(f"{call} tried one at a time: start them all at once")
    happened = rec.what_happened("slow")
    if "end" in happened:
        raise CheckFailed(f"{call} waited for 'slow' to finish: return as soon as one succeeds")
    if "cancelled" not in happened:
        raise CheckFailed(f"{call} returned while 'slow' was still running: cancel the others, "
                          "and await them so their cleanup has run before you return")

    rec = Recorder()
    got = await func([_sleeper(rec, "late", 0.1, result="late"),
                      _sleeper(rec, "early", 0.01, result="early")])
    if got != "early":
        raise CheckFailed("first_success([ok 'late' after 0.1 s, ok 'early' after 0.01 s]) "
                          f"returned {got!r}, expected 'early': the first to finish wins, not "
                          "the first in the list")

    errors = [ValueError("a"), ConnectionError("b"), KeyError("c")]
    try:
        got = await func([_sleeper(Recorder(), f"e{i}", delay, error=err)
                          for i, (delay, err) in enumerate(zip((0.05, 0.01, 0.03), errors,
                                                               strict=True))])
    except ExceptionGroup as group:
        if list(group.exceptions) != errors:
            raise CheckFailed("first_success(three that all fail) raised an ExceptionGroup of "
                              f"{list(group.exceptions)!r}, expected {errors!r} "
                              "(every error, in the order of coro_fns)") from None
    except Exception as exc:
        raise CheckFailed("first_success(three that all fail) should raise an ExceptionGroup of "
                          f"all three errors, raised {type(exc).__name__}: {exc}") from None
    else:
        raise CheckFailed("first_success(three that all fail) should raise an ExceptionGroup, "
                          f"returned {got!r}")

    got = await func([_sleeper(Recorder(), "only", 0.01, result=7)])
    if got != 7:
        raise CheckFailed(f"first_success([ok 7 after 0.01 s]) returned {got!r}, expected 7")
    try:
        got = await func([])
    except ValueError:
        return
    raise CheckFailed(f"first_success([]) should raise ValueError, returned {got!r}")


def _check_first_success(func: Callable) -> None:
    _require_async(func, "first_success")
    run_async(_first_success_scenario, func)


EXERCISES = {
    "fetch_all": Exercise(check=_check_fetch_all),
    "with_timeout": Exercise(check=_check_with_timeout),
    "first_success": Exercise(check=_check_first_success),
}
