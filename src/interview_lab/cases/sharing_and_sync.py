"""Hidden cases for solutions/14_sharing_and_sync.ipynb.

- ``BankAccount``: the rules are checked in one thread, then opposite transfers run
  at once on accounts whose ``lock`` is a ``ProbeLock``: it holds on a moment after
  every acquire (so the two threads interleave), gives up after a second instead
  of hanging (a deadlock becomes a message), and the balances refuse to be read or
  written by a thread that does not hold their account's lock.
- ``run_pipeline``: order, overlap, at most ``workers`` calls at once, a bounded
  queue (the producer never runs far ahead of the consumers), errors re-raised,
  and no thread left running afterwards.
- ``merge_sorted_streams``: merge order, stable ties, payloads that cannot be
  compared, and laziness: streams count what was pulled from them, and an
  "endless" stream stops the check instead of eating memory.
- ``parallel_sum_shared``: sums exact, 64-bit range, and numbers whose additions
  pause (as real work between a read and a write would), so an update made
  without holding the Value's lock is lost in practice, not just in theory.
"""

from __future__ import annotations

import itertools
import operator
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from interview_lab.checks import Case, CheckFailed, Exercise

JOIN_TIMEOUT = 10.0
PIPELINE_PATIENCE = 3.0


def _fail(message: str) -> None:
    raise CheckFailed(message)


def _expect_value_error(func: Callable, args: tuple, call: str) -> None:
    try:
        got = func(*args)
    except NotImplementedError:
        raise
    except ValueError:
        return
    except CheckFailed:
        raise
    except Exception as exc:
        _fail(f"{call} should raise ValueError, raised {type(exc).__name__}: {exc}")
    _fail(f"{call} should raise ValueError, returned {got!r}")


# --- 1. BankAccount ----------------------------------------------------------------

class _Deadlock(Exception):
    """A ProbeLock waited too long: the threads were waiting for each other."""


class _Unlocked(Exception):
    """A balance was touched by a thread that did not hold its account's lock."""


class ProbeLock:
    """Stands in for an account's ``threading.Lock`` during the concurrent checks.

    It records its owner, holds on for ``hold`` seconds after each acquire so that
    two transfers interleave, and raises instead of waiting forever.
    """

    def __init__(self, label: str, hold: float = 0.005, patience: float = 1.5) -> None:
        self.label, self.hold, self.patience = label, hold, patience
        self.owner: int | None = None
        self._lock = threading.Lock()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        me = threading.get_ident()
        if self.owner == me:
            raise _Deadlock(f"one thread took account {self.label}'s lock twice: a "
                            "threading.Lock would wait for itself forever")
        if not blocking:
            got = self._lock.acquire(False)
        else:
            wait = self.patience if timeout is None or timeout < 0 else min(timeout,
                                                                             self.patience)
            got = self._lock.acquire(timeout=wait)
            if not got and (timeout is None or timeout < 0):
                raise _Deadlock(f"a transfer waited {self.patience:g} s for account "
                                f"{self.label}'s lock while holding another: the transfers "
                                "deadlocked")
        if got:
            self.owner = me
            time.sleep(self.hold)
        return got

    def release(self) -> None:
        self.owner = None
        self._lock.release()

    def locked(self) -> bool:
        return self._lock.locked()

    def __enter__(self) -> ProbeLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _probed(cls: type) -> type:
    """A subclass whose ``balance`` may only be used while holding a ProbeLock in ``lock``."""

    class Probed(cls):  # type: ignore[misc, valid-type]
        def _guard(self, what: str) -> None:
            lock = self.__dict__.get("lock")
            if isinstance(lock, ProbeLock) and lock.owner != threading.get_ident():
                raise _Unlocked(f"account {lock.label}'s balance was {what} by a thread that "
                                "did not hold its lock")

        @property
        def balance(self) -> int:
            self._guard("read")
            return self.__dict__["_checked_balance"]

        @balance.setter
        def balance(self, value: int) -> None:
            self._guard("changed")
            self.__dict__["_checked_balance"] = value

    Probed.__name__ = cls.__name__
    return Probed


def _probed_accounts(cls: type, *balances: int) -> list[Any]:
    probed = _probed(cls)
    accounts = []
    for number, balance in enumerate(balances, start=1):
        account = probed(number, balance)
        account.lock = ProbeLock(str(number))
        accounts.append(account)
    return accounts


def _raw(account: Any) -> int:
    return account.__dict__["_checked_balance"]


def _run_transfers(jobs: list[tuple[Any, Any, int, int]]) -> None:
    """Run each (src, dst, amount, times) in its own thread, all starting together."""
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(src: Any, dst: Any, amount: int, times: int) -> None:
        try:
            start.wait(timeout=JOIN_TIMEOUT)
            for _ in range(times):
                src.transfer_to(dst, amount)
        except BaseException as exc:  # reported below, in the checking thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=job, daemon=True) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(JOIN_TIMEOUT)
    names = ", ".join(f"{s.number}->{d.number}" for s, d, _a, _t in jobs)
    if any(t.is_alive() for t in threads):
        _fail(f"transfers {names} at the same time were still running after "
              f"{JOIN_TIMEOUT:g} s")
    for exc in errors:
        if isinstance(exc, _Deadlock):
            _fail(f"transfers {names} at the same time: {exc}. Take the two locks in one "
                  "global order (for example by account number).")
        if isinstance(exc, _Unlocked):
            _fail(f"transfers {names} at the same time: {exc}. Hold both accounts' locks "
                  "for the whole transfer, the funds check included.")
        if isinstance(exc, NotImplementedError):
            raise exc
        _fail(f"transfers {names} at the same time raised {type(exc).__name__}: {exc}")


def _check_bank_account(cls: type) -> None:
    # The rules, in one thread, on plain accounts.
    a, b = cls(1, 100), cls(2, 0)
    a.transfer_to(b, 30)
    if (a.balance, b.balance) != (70, 30):
        _fail("a = BankAccount(1, 100); b = BankAccount(2, 0); a.transfer_to(b, 30)\n"
              f"  expected balances (70, 30), got ({a.balance!r}, {b.balance!r})")
    _expect_value_error(b.transfer_to, (a, 31), "b.transfer_to(a, 31) with balance 30")
    if (a.balance, b.balance) != (70, 30):
        _fail("a refused transfer (not enough money) must change nothing: expected "
              f"(70, 30), got ({a.balance!r}, {b.balance!r})")
    b.transfer_to(a, 30)
    if (a.balance, b.balance) != (100, 0):
        _fail("b.transfer_to(a, 30) with balance exactly 30 should empty b: expected "
              f"(100, 0), got ({a.balance!r}, {b.balance!r})")
    _expect_value_error(a.transfer_to, (b, 0), "a.transfer_to(b, 0)")
    _expect_value_error(a.transfer_to, (b, -5), "a.transfer_to(b, -5)")
    (solo,) = _probed_accounts(cls, 50)
    _expect_value_error(solo.transfer_to, (solo, 10), "a.transfer_to(a, 10)")
    if _raw(solo) != 50:
        _fail(f"a.transfer_to(a, 10) must change nothing; balance became {_raw(solo)!r}")

    # Opposite transfers at the same time: the classic deadlock.
    rounds = 8
    x, y = _probed_accounts(cls, 1000, 1000)
    _run_transfers([(x, y, 1, rounds), (y, x, 1, rounds)])
    if (_raw(x), _raw(y)) != (1000, 1000):
        _fail(f"{rounds} transfers of 1 each way at the same time: expected balances "
              f"(1000, 1000), got ({_raw(x)!r}, {_raw(y)!r})")

    # A ring: 1 -> 2, 2 -> 3, 3 -> 1 at once; the numbering order must hold for any pair.
    p, q, r = _probed_accounts(cls, 10, 20, 30)
    _run_transfers([(p, q, 2, 4), (q, r, 3, 4), (r, p, 5, 4)])
    expected = (10 - 8 + 20, 20 + 8 - 12, 30 + 12 - 20)
    if (_raw(p), _raw(q), _raw(r)) != expected:
        _fail(f"ring of transfers 1->2, 2->3, 3->1 at once: expected {expected}, got "
              f"{(_raw(p), _raw(q), _raw(r))}")


BANK_ACCOUNT = Exercise(check=_check_bank_account, time_limit=8.0)


# --- 2. run_pipeline ----------------------------------------------------------------

class _Probe:
    """A func that sleeps and records how many calls ran at once and how many finished."""

    def __init__(self, seconds: float, transform: Callable[[Any], Any] = lambda x: x * 10):
        self.seconds, self.transform = seconds, transform
        self.lock = threading.Lock()
        self.active = self.max_active = self.finished = 0

    def __call__(self, x: Any) -> Any:
        with self.lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            time.sleep(self.seconds)
            return self.transform(x)
        finally:
            with self.lock:
                self.active -= 1
                self.finished += 1


def _new_threads_left(before: set[threading.Thread], grace: float = 1.0) -> int:
    deadline = time.monotonic() + grace
    while True:
        left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not left or time.monotonic() > deadline:
            return len(left)
        time.sleep(0.02)


def _call_pipeline(func: Callable, items: Any, workers: int, work: Callable, call: str) -> Any:
    """Call run_pipeline in a helper thread, so a hang is reported after a few seconds."""
    before = set(threading.enumerate())
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = func(items, workers, work)
        except BaseException as exc:  # re-raised below, in the checking thread
            outcome["error"] = exc

    caller = threading.Thread(target=run, daemon=True)
    caller.start()
    caller.join(PIPELINE_PATIENCE)
    if caller.is_alive():
        _fail(f"{call} did not return within {PIPELINE_PATIENCE:g} s. Are workers blocked in "
              "get() waiting for a sentinel? Put one sentinel per worker.")
    before.add(caller)
    left = _new_threads_left(before)
    if left:
        _fail(f"{call}: {left} thread(s) still running after run_pipeline returned. "
              "Send one sentinel per worker and join every worker before returning.")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _check_run_pipeline(func: Callable) -> None:
    call = "run_pipeline([0, 1, 2, 3, 4], 5, f) where later items finish first"
    got = _call_pipeline(func, [0, 1, 2, 3, 4], 5,
                         lambda x: (time.sleep(0.03 * (5 - x)), x * x)[1], call)
    if got != [0, 1, 4, 9, 16]:
        _fail(f"{call}\n  expected: [0, 1, 4, 9, 16] (input order)\n  got:      {got!r}")

    probe = _Probe(0.05)
    call = "run_pipeline(range(12), 3, f)"
    got = _call_pipeline(func, range(12), 3, probe, call)
    if got != [x * 10 for x in range(12)]:
        _fail(f"{call} returned {got!r}, expected {[x * 10 for x in range(12)]!r}")
    if probe.max_active < 2:
        _fail(f"{call} ran one call at a time: the workers must run calls concurrently")
    if probe.max_active > 3:
        _fail(f"{call} ran {probe.max_active} calls at once: never more than `workers`")

    probe, pulled, ahead = _Probe(0.01), [0], [0]

    def rows() -> Iterator[int]:
        for i in range(60):
            ahead[0] = max(ahead[0], pulled[0] - probe.finished)
            pulled[0] += 1
            yield i

    call = "run_pipeline(<a generator of 60 rows>, 2, f)"
    got = _call_pipeline(func, rows(), 2, probe, call)
    if got != [x * 10 for x in range(60)]:
        _fail(f"{call} returned {got!r}")
    if ahead[0] > 4 * 2 + 2:
        _fail(f"{call}: the producer took {ahead[0]} rows ahead of the finished calls. "
              "Use a bounded queue (maxsize=2 * workers) so put() waits for the consumers.")

    got = _call_pipeline(func, [], 3, probe, "run_pipeline([], 3, f)")
    if got != []:
        _fail(f"run_pipeline([], 3, f) returned {got!r}, expected []")

    def fails_on_three(x: int) -> int:
        if x == 3:
            raise KeyError(x)
        return x

    call = "run_pipeline(range(6), 2, f) where f(3) raises KeyError"
    try:
        got = _call_pipeline(func, range(6), 2, fails_on_three, call)
    except KeyError:
        pass
    else:
        _fail(f"{call} should let the KeyError reach the caller, returned {got!r}")
    _expect_value_error(lambda: func([1], 0, abs), (), "run_pipeline([1], 0, abs)")


RUN_PIPELINE = Exercise(
    cases=(
        Case(args=([-1, 2, -3], 2, abs), expected=[1, 2, 3]),
        Case(args=(["a", "bb", "", "cccc"], 1, len), expected=[1, 2, 0, 4], note="one worker"),
        Case(args=(iter(range(5)), 4, str), expected=["0", "1", "2", "3", "4"],
             note="items may be any iterable"),
    ),
    check=_check_run_pipeline,
    time_limit=2.5,
)


# --- 3. merge_sorted_streams --------------------------------------------------------

class _Counted:
    """An iterator over ``items`` that counts how many were pulled from it."""

    def __init__(self, items: list[Any]) -> None:
        self._it, self.pulled = iter(items), 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> Any:
        item = next(self._it)
        self.pulled += 1
        return item


def _endless(start: int, step: int, limit: int = 10_000) -> Iterator[int]:
    for i, value in enumerate(itertools.count(start, step)):
        if i >= limit:
            _fail(f"pulled {limit:,} items from an endless stream to give a few: merge "
                  "lazily, one item ahead per stream")
        yield value


def _take(iterable: Any, n: int) -> list[Any]:
    return list(itertools.islice(iterable, n))


def _check_merge(func: Callable) -> None:
    streams = [_Counted([1, 4, 7, 10]), _Counted([2, 5, 8]), _Counted([3, 6, 9])]
    got = _take(func(streams), 3)
    if got != [1, 2, 3]:
        _fail(f"first 3 of merge_sorted_streams([[1, 4, 7, 10], [2, 5, 8], [3, 6, 9]]) are "
              f"{got!r}, expected [1, 2, 3]")
    pulled = sum(s.pulled for s in streams)
    if pulled > 3 + len(streams):
        _fail(f"taking 3 items made merge_sorted_streams pull {pulled} items from 3 streams: "
              "return an iterator that pulls at most one item ahead per stream")

    got = _take(func([_endless(0, 2), _endless(1, 2)]), 6)
    if got != [0, 1, 2, 3, 4, 5]:
        _fail(f"first 6 items of merging the evens and the odds (endless) are {got!r}")

    events = [[{"t": 1, "id": "a1"}, {"t": 3, "id": "a3"}],
              [{"t": 1, "id": "b1"}, {"t": 2, "id": "b2"}],
              [{"t": 0, "id": "c0"}, {"t": 1, "id": "c1"}]]
    try:
        got = [e["id"] for e in func([iter(s) for s in events], key=operator.itemgetter("t"))]
    except TypeError as exc:
        _fail("merging dict events by key 't' raised TypeError "
              f"({exc}): with equal keys the heap compared the dicts. Add a tie-breaker "
              "(the stream's index) between the key and the item.")
    expected = ["c0", "a1", "b1", "c1", "b2", "a3"]
    if got != expected:
        _fail(f"merging dict events by key 't': expected ids {expected} (ties in stream "
              f"order), got {got}")


def _stable(streams: list[list], key: Callable | None = None) -> list:
    return sorted(itertools.chain.from_iterable(streams), key=key)


def _yields(expected: list) -> Callable[[Any, tuple], str | None]:
    """Verify for an iterator result: what it yields must equal ``expected``."""

    def verify(result: Any, _args: tuple) -> str | None:
        if isinstance(result, (list, tuple)):
            return "expected an iterator (a generator), got a list: merge lazily"
        got = list(result)
        return None if got == expected else f"it yielded {got!r}, expected {expected!r}"

    return verify


_TIES = [[(1, "a0"), (1, "a1"), (2, "a2")], [(1, "b0")], [(0, "c0"), (1, "c1")]]
_MANY = [sorted((i * 7 + j * 13) % 50 for j in range(20)) for i in range(30)]

MERGE_SORTED_STREAMS = Exercise(
    cases=(
        Case(args=([[1, 4, 7], [2, 5, 8], [3, 6, 9]],), verify=_yields(list(range(1, 10)))),
        Case(args=([[1, 1, 2], [1, 3]],), verify=_yields([1, 1, 1, 2, 3])),
        Case(args=([],), verify=_yields([])),
        Case(args=([[], [5], []],), verify=_yields([5])),
        Case(args=(_TIES,), kwargs={"key": operator.itemgetter(0)},
             verify=_yields([(0, "c0"), (1, "a0"), (1, "a1"), (1, "b0"), (1, "c1"), (2, "a2")])),
        Case(args=(_MANY,), verify=_yields(_stable(_MANY))),
        Case(args=([["b", "d"], ["a", "c", "e"]],), kwargs={"key": None},
             verify=_yields(["a", "b", "c", "d", "e"])),
    ),
    check=_check_merge,
)


# --- 4. parallel_sum_shared ---------------------------------------------------------

LONG_PAUSE, SHORT_PAUSE = 0.05, 0.002


class SlowInt(int):
    """An int whose additions pause, as real work between a read and a write would.

    Adding it to a plain int (such as the ``total.value`` just read) pauses
    ``LONG_PAUSE``: long enough that another process reads the same old total
    meanwhile, unless the lock is held. Adding two SlowInts pauses briefly.
    """

    def __add__(self, other: Any) -> SlowInt:
        time.sleep(SHORT_PAUSE if isinstance(other, SlowInt) else LONG_PAUSE)
        return SlowInt(int(self) + int(other))

    __radd__ = __add__


def _check_parallel_sum(func: Callable) -> None:
    numbers = [SlowInt(n) for n in range(1, 13)]
    for attempt in (1, 2):
        got = func(numbers, 3)
        if got != 78:
            _fail(f"parallel_sum_shared([1, ..., 12], 3) where each addition takes a moment "
                  f"(run {attempt} of 2)\n  expected: 78\n  got:      {got!r}\n"
                  "Updates were lost or never made: hold total.get_lock() around each "
                  "read-add-write, and join every process before reading the total.")
    _expect_value_error(func, ([1, 2], 0), "parallel_sum_shared([1, 2], 0)")


PARALLEL_SUM_SHARED = Exercise(
    cases=(
        Case(args=(list(range(1, 101)), 2), expected=5050),
        Case(args=(list(range(1, 101)), 4), expected=5050),
        Case(args=([], 2), expected=0, note="no numbers"),
        Case(args=([7], 3), expected=7, note="more workers than numbers"),
        Case(args=([-5, 3, -1], 2), expected=-3, note="negative numbers"),
        Case(args=([2**40, 2**40, 2**40, 5], 2), expected=3 * 2**40 + 5,
             note="a sum beyond 32 bits: pick a 64-bit type code"),
    ),
    check=_check_parallel_sum,
    time_limit=10.0,
)


EXERCISES = {
    "BankAccount": BANK_ACCOUNT,
    "run_pipeline": RUN_PIPELINE,
    "merge_sorted_streams": MERGE_SORTED_STREAMS,
    "parallel_sum_shared": PARALLEL_SUM_SHARED,
}
