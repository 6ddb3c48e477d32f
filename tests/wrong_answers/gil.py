"""Plausible wrong answers for solutions/11_gil.ipynb: each must be rejected."""

from __future__ import annotations

import hashlib
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed

# --- transfer -------------------------------------------------------------------------------


def _validate(amount, src, dst):
    if amount <= 0:
        raise ValueError("amount must be positive")
    if src == dst:
        raise ValueError("same account")


def no_lock(ledger, src, dst, amount):
    """Trusts the GIL: right on one thread, loses updates when ledger calls yield."""
    _validate(amount, src, dst)
    src_balance, dst_balance = ledger.balance(src), ledger.balance(dst)
    if src_balance < amount:
        raise ValueError("insufficient funds")
    ledger.set_balance(src, src_balance - amount)
    ledger.set_balance(dst, dst_balance + amount)


def lock_per_call(ledger, src, dst, amount):
    """`with threading.Lock():` makes a new lock every call, so no thread ever waits."""
    _validate(amount, src, dst)
    with threading.Lock():
        src_balance, dst_balance = ledger.balance(src), ledger.balance(dst)
        if src_balance < amount:
            raise ValueError("insufficient funds")
        ledger.set_balance(src, src_balance - amount)
        ledger.set_balance(dst, dst_balance + amount)


def check_outside_lock(ledger, src, dst, amount):
    """Check-then-act: the funds check runs before the lock, so several threads pass it."""
    _validate(amount, src, dst)
    if ledger.balance(src) < amount:
        raise ValueError("insufficient funds")
    with ledger.lock:
        src_balance, dst_balance = ledger.balance(src), ledger.balance(dst)
        ledger.set_balance(src, src_balance - amount)
        ledger.set_balance(dst, dst_balance + amount)


def lock_only_writes(ledger, src, dst, amount):
    """Reads outside, writes inside: the writes are based on stale reads."""
    _validate(amount, src, dst)
    src_balance, dst_balance = ledger.balance(src), ledger.balance(dst)
    if src_balance < amount:
        raise ValueError("insufficient funds")
    with ledger.lock:
        ledger.set_balance(src, src_balance - amount)
        ledger.set_balance(dst, dst_balance + amount)


def debit_before_checking_dst(ledger, src, dst, amount):
    """Locked, but writes src before touching dst: an unknown dst loses the money."""
    _validate(amount, src, dst)
    with ledger.lock:
        src_balance = ledger.balance(src)
        if src_balance < amount:
            raise ValueError("insufficient funds")
        ledger.set_balance(src, src_balance - amount)
        ledger.set_balance(dst, ledger.balance(dst) + amount)


# --- hash_all -------------------------------------------------------------------------------


def completion_order(buffers, workers=4):
    """as_completed yields futures as they finish: small buffers overtake big ones."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(lambda b: hashlib.sha256(b).hexdigest(), b) for b in buffers]
        return [f.result() for f in as_completed(futures)]


def pool_sized_by_input(buffers, workers=4):
    """max_workers=min(workers, len(buffers)) is 0 for an empty list: ValueError."""
    with ThreadPoolExecutor(max_workers=min(workers, len(buffers))) as pool:
        return list(pool.map(lambda b: hashlib.sha256(b).hexdigest(), buffers))


def serial_loop(buffers, workers=4):
    """Right digests, but no threads: the pool was the point of the exercise."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    return [hashlib.sha256(b).hexdigest() for b in buffers]


def raw_digests(buffers, workers=4):
    """digest() returns bytes; the task asks for hex strings."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda b: hashlib.sha256(b).digest(), buffers))


# --- classify_run ---------------------------------------------------------------------------


def speedup_only(serial_wall, threads_wall, threads_cpu):
    """The myth "threads only help I/O": any speed-up is called I/O."""
    if serial_wall <= 0 or threads_wall <= 0 or threads_cpu < 0:
        raise ValueError("bad timings")
    return "io" if serial_wall / threads_wall >= 1.5 else "holds-gil"


def inverted_speedup(serial_wall, threads_wall, threads_cpu):
    """threads_wall / serial_wall: a faster threaded run gives a ratio below 1."""
    if serial_wall <= 0 or threads_wall <= 0 or threads_cpu < 0:
        raise ValueError("bad timings")
    if threads_cpu / threads_wall < 0.5:
        return "io"
    return "releases-gil" if threads_wall / serial_wall >= 1.5 else "holds-gil"


def strict_thresholds(serial_wall, threads_wall, threads_cpu):
    """`>` where the task says "at least": exactly 1.5 is misread as not faster."""
    if serial_wall <= 0 or threads_wall <= 0 or threads_cpu < 0:
        raise ValueError("bad timings")
    if threads_cpu / threads_wall < 0.5:
        return "io"
    return "releases-gil" if serial_wall / threads_wall > 1.5 else "holds-gil"


# --- call_with_switch_interval --------------------------------------------------------------


def no_finally(interval, func, *args):
    """Restores only when func returns normally: an exception leaks the setting."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(interval)
    result = func(*args)
    sys.setswitchinterval(previous)
    return result


def restores_default(interval, func, *args):
    """Puts back 0.005, not the value that was set before the call."""
    sys.setswitchinterval(interval)
    try:
        return func(*args)
    finally:
        sys.setswitchinterval(0.005)


WRONG = {
    "transfer": [no_lock, lock_per_call, check_outside_lock, lock_only_writes,
                 debit_before_checking_dst],
    "hash_all": [completion_order, pool_sized_by_input, serial_loop, raw_digests],
    "classify_run": [speedup_only, inverted_speedup, strict_thresholds],
    "call_with_switch_interval": [no_finally, restores_default],
}
