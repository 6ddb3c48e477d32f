"""Hidden cases for solutions/11_gil.ipynb.

``transfer`` is checked from many threads at once on a ``SlowLedger`` whose
reads and writes yield the GIL (as a database call would), so a transfer
without the lock, with a lock made per call, or with the balance check outside
the lock loses money or overdraws within a few runs. ``hash_all`` is checked
for order and edge cases, and a monitor thread confirms it hashed on more than
the calling thread. ``call_with_switch_interval`` must put back whatever
interval was set before, also when the function raises.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import time
from collections.abc import Callable

from interview_lab import checks
from interview_lab.gil_demo import SlowLedger

Case = checks.Case
JOIN_TIMEOUT = 15.0


def _fail(message: str) -> None:
    raise checks.CheckFailed(message)


def _expect_raises(func: Callable, exc: type[BaseException], args: tuple, call: str,
                   kwargs: dict | None = None) -> None:
    try:
        got = func(*args, **(kwargs or {}))
    except NotImplementedError:
        raise
    except exc:
        return
    except Exception as other:
        _fail(f"{call} should raise {exc.__name__}, raised {type(other).__name__}: {other}")
    _fail(f"{call} should raise {exc.__name__}, returned {got!r}")


def _run_threads(target: Callable[[int], None], count: int, what: str) -> None:
    """Start ``count`` daemon threads running target(i); fail clearly if they hang."""
    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + JOIN_TIMEOUT
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    if any(t.is_alive() for t in threads):
        _fail(f"{what}: threads still running after {JOIN_TIMEOUT:g} s. A deadlock? "
              "ledger.lock is a plain Lock: a thread that takes it twice waits for itself.")


# --- exercise 1: transfer -----------------------------------------------------------

def _check_transfer(func: Callable) -> None:
    # One thread first: the rules.
    ledger = SlowLedger({"a": 100, "b": 0})
    func(ledger, "a", "b", 30)
    if ledger.snapshot() != {"a": 70, "b": 30}:
        _fail(f"transfer(ledger, 'a', 'b', 30) from {{'a': 100, 'b': 0}} left "
              f"{ledger.snapshot()}, expected {{'a': 70, 'b': 30}}")
    rules = [
        ((0,), ValueError, "a zero amount"),
        ((-5,), ValueError, "a negative amount"),
        ((71,), ValueError, "more than the balance (70)"),
    ]
    for (amount,), exc, why in rules:
        _expect_raises(func, exc, (ledger, "a", "b", amount),
                       f"transfer(ledger, 'a', 'b', {amount}) ({why})")
    _expect_raises(func, ValueError, (ledger, "a", "a", 5),
                   "transfer(ledger, 'a', 'a', 5) (same account)")
    _expect_raises(func, KeyError, (ledger, "a", "nobody", 5),
                   "transfer(ledger, 'a', 'nobody', 5) (unknown account)")
    _expect_raises(func, KeyError, (ledger, "nobody", "a", 5),
                   "transfer(ledger, 'nobody', 'a', 5) (unknown account)")
    if ledger.snapshot() != {"a": 70, "b": 30}:
        _fail(f"a refused transfer changed balances: {ledger.snapshot()}, expected "
              "{'a': 70, 'b': 30}. Check everything (amount, accounts, funds) before writing.")
    func(ledger, "a", "b", 70)
    if ledger.snapshot() != {"a": 0, "b": 100}:
        _fail(f"moving the whole balance (70) left {ledger.snapshot()}, expected "
              "{'a': 0, 'b': 100}")

    # Many threads: no lost update.
    ledger = SlowLedger({"a": 1000, "b": 1000})
    errors: list[str] = []

    def mover(_i: int) -> None:
        for _ in range(25):
            try:
                func(ledger, "a", "b", 1)
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                return

    _run_threads(mover, 8, "8 threads x 25 transfers of 1")
    if errors:
        _fail(f"8 threads x 25 transfers of 1 from 'a' (1000): a transfer raised {errors[0]}")
    if ledger.snapshot() != {"a": 800, "b": 1200}:
        total = sum(ledger.snapshot().values())
        _fail(f"8 threads x 25 transfers of 1 from {{'a': 1000, 'b': 1000}} left "
              f"{ledger.snapshot()} (total {total}), expected {{'a': 800, 'b': 1200}}: updates "
              "were lost. Hold ledger.lock (the one shared lock) around the reads and the writes.")

    # Many threads at once against a small balance: no overdraft.
    for run in range(10):
        balances, outcomes = _overdraft_run(func)
        odd = [o for o in outcomes if o not in ("ok", "refused")]
        if odd:
            _fail(f"8 threads each moving 5 out of 'a' (10): a transfer raised {odd[0]}")
        if balances != {"a": 0, "b": 10} or outcomes.count("ok") != 2:
            _fail(f"run {run + 1}: 8 threads at once each moved 5 out of 'a' (10): "
                  f"{outcomes.count('ok')} succeeded and balances are {balances}; "
                  "expected exactly 2 to succeed and {'a': 0, 'b': 10}. The funds check "
                  "must happen inside the lock, together with the writes.")


def _overdraft_run(func: Callable) -> tuple[dict[str, int], list[str]]:
    """8 threads released together, each moving 5 out of an account holding 10."""
    ledger = SlowLedger({"a": 10, "b": 0})
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def spender(_i: int) -> None:
        barrier.wait()
        try:
            func(ledger, "a", "b", 5)
            outcomes.append("ok")
        except ValueError:
            outcomes.append("refused")
        except Exception as exc:
            outcomes.append(f"{type(exc).__name__}: {exc}")

    _run_threads(spender, 8, "8 threads each moving 5 out of 10")
    return ledger.snapshot(), outcomes


# --- exercise 2: hash_all ----------------------------------------------------------------

def _sha(*buffers: bytes) -> list[str]:
    return [hashlib.sha256(b).hexdigest() for b in buffers]


def _check_hash_all(func: Callable) -> None:
    big = [bytes([i]) * ((8 - 2 * i) << 20) for i in range(3)]  # 8, 6 and 4 MiB
    tiny = [b"a", b"b", b"", b"c"]
    for order in ([big[0], *tiny, big[1], big[2]], [big[1], tiny[0], big[0], *tiny[1:]],
                  [*big, *tiny]):
        got, expected = func(order, workers=4), _sha(*order)
        if got == expected and type(got) is list:
            continue
        if isinstance(got, list) and sorted(map(repr, got)) == sorted(map(repr, expected)):
            _fail("hash_all(...) on a mix of 4-8 MiB and 1-byte buffers returned the right "
                  "digests in the wrong order: result i must be the hash of buffers[i], "
                  "whichever thread finishes first")
        shown = repr(got)
        _fail(f"hash_all(...) on a mix of 4-8 MiB and 1-byte buffers returned "
              f"{shown[:70] + '...' if len(shown) > 70 else shown}; expected a list of "
              "hashlib.sha256(buffer).hexdigest() strings, one per buffer, in input order")
    _expect_raises(func, ValueError, ([b"x"],), "hash_all([b'x'], workers=0)", {"workers": 0})

    # Did the hashing run on other threads? Sample the thread count while it runs.
    baseline = threading.active_count() + 1  # + the monitor itself
    seen: list[int] = []
    done = threading.Event()

    def monitor() -> None:
        while not done.is_set():
            seen.append(threading.active_count())
            time.sleep(0.0005)

    watcher = threading.Thread(target=monitor, daemon=True)
    watcher.start()
    try:
        func([bytes(16 << 20)] * 4, workers=4)
    finally:
        done.set()
        watcher.join()
    if seen and max(seen) <= baseline:
        _fail("hash_all ran every hash on the calling thread: use a thread pool "
              "(concurrent.futures.ThreadPoolExecutor) so large buffers hash in parallel")


# --- exercise 3: classify_run ---------------------------------------------------------------

def _check_classify_run(func: Callable) -> None:
    bad = [((0.0, 0.1, 0.1), "serial_wall = 0"), ((1.0, 0.0, 0.1), "threads_wall = 0"),
           ((-1.0, 0.5, 0.5), "a negative wall time"), ((1.0, 0.5, -0.1), "a negative CPU time")]
    for args, why in bad:
        _expect_raises(func, ValueError, args, f"classify_run{args} ({why})")


CLASSIFY_CASES = (
    # Rows measured by the lesson's benchmark (4 tasks, 4 threads, 2 cores).
    Case(args=(0.0989, 0.0970, 0.0974), expected="holds-gil", note="pure Python"),
    Case(args=(0.1748, 0.0888, 0.1763), expected="releases-gil", note="hashlib 1 MiB"),
    Case(args=(0.1393, 0.1459, 0.1371), expected="holds-gil", note="hashlib 64 B"),
    Case(args=(0.4010, 0.1012, 0.0009), expected="io", note="time.sleep"),
    # Boundaries from the task: 0.5 counts as computing, 1.5 counts as faster.
    Case(args=(1.5, 1.0, 0.5), expected="releases-gil", note="CPU/wall exactly 0.5, x1.5"),
    Case(args=(1.49, 1.0, 1.0), expected="holds-gil", note="just under x1.5"),
    Case(args=(3.0, 1.0, 0.49), expected="io", note="fast because the threads waited"),
    Case(args=(1.0, 1.0, 0.0), expected="io", note="no CPU at all"),
    Case(args=(2.0, 1.0, 1.9), expected="releases-gil", note="two cores busy"),
)


# --- exercise 4: call_with_switch_interval ----------------------------------------------------

def _check_call_with_switch_interval(func: Callable) -> None:
    original = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.002)  # not the default: a restore must put back *this*
        seen: list[float] = []
        got = func(0.0005, lambda a, b: seen.append(sys.getswitchinterval()) or a + b, 2, 3)
        if seen != [0.0005]:
            _fail(f"inside the call sys.getswitchinterval() was {seen}, expected [0.0005]")
        if got != 5:
            _fail(f"call_with_switch_interval(0.0005, add, 2, 3) returned {got!r}, expected 5")
        if sys.getswitchinterval() != 0.002:
            _fail(f"after the call the interval is {sys.getswitchinterval()}, expected 0.002: "
                  "put back the value that was set before the call, not the default")

        def boom() -> None:
            raise LookupError("boom")

        _expect_raises(func, LookupError, (0.01, boom), "call_with_switch_interval(0.01, boom)")
        if sys.getswitchinterval() != 0.002:
            _fail(f"after func raised, the interval is {sys.getswitchinterval()}, expected "
                  "0.002: restore it in a `finally:` so errors cannot skip it")
        for bad in (0, -1.0):
            _expect_raises(func, ValueError, (bad, lambda: None),
                           f"call_with_switch_interval({bad}, f)")
            if sys.getswitchinterval() != 0.002:
                _fail(f"a refused interval ({bad}) changed the setting to "
                      f"{sys.getswitchinterval()}")
    finally:
        sys.setswitchinterval(original)


EXERCISES: dict[str, checks.Exercise] = {
    "transfer": checks.Exercise(check=_check_transfer),
    "hash_all": checks.Exercise(
        check=_check_hash_all,
        cases=(
            Case(args=([b"abc"],), expected=_sha(b"abc")),
            Case(args=([],), expected=[], note="no buffers"),
            Case(args=([b"", b"a", b"a"],), expected=_sha(b"", b"a", b"a"),
                 note="duplicates are hashed each time"),
            Case(args=([bytearray(b"xyz"), b"q" * 5000],), expected=_sha(b"xyz", b"q" * 5000),
                 note="any bytes-like object"),
            Case(args=([b"one", b"two", b"three"],), kwargs={"workers": 1},
                 expected=_sha(b"one", b"two", b"three"), note="one worker"),
        ),
    ),
    "classify_run": checks.Exercise(check=_check_classify_run, cases=CLASSIFY_CASES),
    "call_with_switch_interval": checks.Exercise(check=_check_call_with_switch_interval),
}
