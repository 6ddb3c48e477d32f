"""Helpers for lesson 14, sharing data and synchronization (notebooks/14_sharing_and_sync.ipynb).

Everything a child process runs lives here, never in a notebook cell: a process
started with "spawn" (macOS, Windows) or "forkserver" (the Linux default from
Python 3.14) imports its target by module and name. The lesson passes the
start method explicitly (``START_METHOD``) so it behaves the same everywhere,
and every process, pool and manager is stopped before the call that made it
returns. This module imports only the standard library at the top, so each
spawned child starts quickly.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import shared_memory
from typing import Any

from interview_lab import bench

START_METHOD = "spawn"


def context() -> Any:
    """The multiprocessing context every demo uses: "spawn", the same on every platform."""
    return mp.get_context(START_METHOD)


# --- threads: a deadlock on two locks, and the fix -------------------------------

def take_both(first: threading.Lock, second: threading.Lock, meet: threading.Barrier,
              gave_up: threading.Barrier, timeout: float) -> str:
    """Hold ``first``, meet the other thread, then try ``second`` for ``timeout`` seconds.

    ``meet`` makes the dangerous interleaving certain: both threads hold their first
    lock before either asks for its second. With a global lock order the other
    thread waits for the same first lock and never arrives, so ``meet`` times out
    and this thread carries on. A thread that gives up waits at ``gave_up`` before
    releasing, so both report the deadlock instead of one slipping through.
    """
    with first:
        try:
            meet.wait()
        except threading.BrokenBarrierError:
            pass  # the other thread is not coming: it is waiting for this same lock
        if second.acquire(timeout=timeout):
            second.release()
            return "done"
        try:
            gave_up.wait()
        except threading.BrokenBarrierError:
            pass
        return "would deadlock"


def two_threads_two_locks(ordered: bool, timeout: float = 0.5) -> list[str]:
    """Thread 0 wants locks (A, B), thread 1 wants (B, A); ``ordered`` sorts each pair first.

    Returns what each thread reported: "done" or "would deadlock". Nothing ever
    blocks for good: every wait has a timeout.
    """
    a, b = threading.Lock(), threading.Lock()
    wanted = [(a, b), (b, a)]
    if ordered:
        rank = {id(a): 0, id(b): 1}  # one global order: by a fixed key (an id, a name)
        wanted = [tuple(sorted(pair, key=lambda lock: rank[id(lock)])) for pair in wanted]
    # Without an order both threads meet at once; with one, thread 0 stops waiting after 0.2 s.
    meet = threading.Barrier(2, timeout=0.2 if ordered else 5.0)
    gave_up = threading.Barrier(2, timeout=5.0)
    results = ["", ""]

    def run(i: int) -> None:
        results[i] = take_both(*wanted[i], meet, gave_up, timeout)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


class Inventory:
    """Counts items under one lock; ``add_many`` holds the lock and calls ``add``.

    With a ``threading.Lock`` the nested acquire in ``add`` can never succeed: the
    thread waits for a lock it holds itself. ``add`` asks with a timeout and
    raises instead of hanging, so the lesson can show it. An ``RLock`` lets the
    owning thread re-enter.
    """

    def __init__(self, lock: Any) -> None:
        self.lock = lock
        self.items: dict[str, int] = {}

    def add(self, name: str, n: int = 1) -> None:
        if not self.lock.acquire(timeout=0.2):  # a plain `with self.lock:` would hang here
            raise TimeoutError("would deadlock: this thread already holds the lock")
        try:
            self.items[name] = self.items.get(name, 0) + n
        finally:
            self.lock.release()

    def add_many(self, names: list[str]) -> None:
        with self.lock:  # all or nothing: no other thread sees half the batch
            for name in names:
                self.add(name)


def release_elsewhere(lock: Any) -> str:
    """Try to release ``lock`` from another thread; say what happened."""
    outcome: list[str] = []

    def run() -> None:
        try:
            lock.release()
            outcome.append("released")
        except RuntimeError as exc:
            outcome.append(f"RuntimeError: {exc}")

    helper = threading.Thread(target=run)
    helper.start()
    helper.join()
    return outcome[0]


# --- the queue module: what the locks cost ------------------------------------------

def churn(kind: str, n: int) -> None:
    """Put ``n`` ints into a fresh container and take them all out again, in one thread."""
    if kind == "deque":
        d: Any = deque()
        for i in range(n):
            d.append(i)
        for _ in range(n):
            d.popleft()
        return
    q = {"Queue": queue.Queue, "SimpleQueue": queue.SimpleQueue}[kind]()
    for i in range(n):
        q.put(i)
    for _ in range(n):
        q.get()


# --- processes: message passing ---------------------------------------------------

def square_worker(tasks: Any, results: Any) -> None:
    """Consume numbers from ``tasks`` until the sentinel None; put (pid, n, n*n) on ``results``."""
    for n in iter(tasks.get, None):
        results.put((os.getpid(), n, n * n))


def square_in_processes(numbers: list[int], workers: int = 2) -> list[tuple[int, int, int]]:
    """Producer/consumer across processes: one task queue, one result queue, a sentinel each.

    Results are read before the workers are joined: a process that still has
    data in a queue's buffer does not exit, so joining first could wait forever.
    """
    ctx = context()
    tasks, results = ctx.Queue(), ctx.Queue()
    procs = [ctx.Process(target=square_worker, args=(tasks, results)) for _ in range(workers)]
    for p in procs:
        p.start()
    for n in numbers:
        tasks.put(n)
    for _ in procs:
        tasks.put(None)  # one sentinel per consumer
    out = [results.get(timeout=30) for _ in numbers]
    for p in procs:
        p.join(timeout=30)
    return out


def put_big(q: Any, size: int, ready: Any) -> None:
    """Put ``size`` bytes on a queue, then say so. put() returns at once; a thread sends later."""
    q.put(b"x" * size)
    ready.set()


def echo_upper(conn: Any) -> None:
    """One end of a Pipe: answer each string with its upper case until None arrives."""
    while (message := conn.recv()) is not None:
        conn.send(message.upper())
    conn.close()


def record_pid(shared: Any, log: Any, key: str) -> None:
    """Through Manager proxies: store this process's pid under ``key`` and log the key."""
    shared[key] = os.getpid()
    log.append(key)


# --- processes: shared state --------------------------------------------------------

def add_unlocked(total: Any, start: Any, times: int, pause: float) -> None:
    """Read, pause, write a shared Value ``times`` times, without holding its lock.

    ``total.value`` takes the Value's lock for the read and again for the write,
    but not across them: another process can write in between, and one of the
    two updates is lost. The pause (any real work) makes that overlap certain.
    """
    start.wait()
    for _ in range(times):
        current = total.value
        time.sleep(pause)
        total.value = current + 1


def add_locked(total: Any, start: Any, times: int, pause: float) -> None:
    """The same read, pause, write, holding ``total.get_lock()`` across all three."""
    start.wait()
    for _ in range(times):
        with total.get_lock():
            current = total.value
            time.sleep(pause)
            total.value = current + 1


def run_adders(target: Callable[..., None], processes: int = 2, times: int = 50,
               pause: float = 0.001) -> int:
    """Start ``processes`` children running ``target`` on one shared Value; its final value.

    The children meet at a Barrier so they start their loops together, as workers
    running at the same time would, however long each took to start.
    """
    ctx = context()
    total, start = ctx.Value("q", 0), ctx.Barrier(processes, timeout=60)
    procs = [ctx.Process(target=target, args=(total, start, times, pause))
             for _ in range(processes)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
    return total.value


def fill_squares(numbers: Any) -> None:
    """Write i*i into each slot of a shared ``multiprocessing.Array``."""
    with numbers.get_lock():
        for i in range(len(numbers)):
            numbers[i] = i * i


def write_into_shared(name: str, data: bytes) -> None:
    """Attach to an existing SharedMemory block by name, write ``data`` at its start, detach.

    ``close`` detaches this process only; the creator calls ``unlink`` once to free the block.
    """
    block = shared_memory.SharedMemory(name=name)
    try:
        block.buf[:len(data)] = data
    finally:
        block.close()


def shm_path(name: str) -> str | None:
    """Where Linux shows a POSIX shared-memory block (a file in /dev/shm), or None elsewhere."""
    return f"/dev/shm/{name.lstrip('/')}" if sys.platform.startswith("linux") else None


# --- processes: passing a Value to a pool --------------------------------------------

_SHARED: Any = None


def read_value(value: Any) -> int:
    """Return ``value.value``: fails as a pool task, because a Value cannot be pickled."""
    return value.value


def init_shared(value: Any) -> None:
    """Pool initializer: each worker receives the Value once, as it starts, and keeps it."""
    global _SHARED
    _SHARED = value


def add_to_shared(amount: int) -> int:
    """Pool task: add ``amount`` to the Value the initializer stored, under its lock."""
    with _SHARED.get_lock():
        _SHARED.value += amount
    return amount


def square_or_fail(n: int) -> int:
    """n * n, or ValueError for a negative n: the error travels back to the caller."""
    if n < 0:
        raise ValueError(f"negative input: {n}")
    return n * n


# --- what each way of sharing costs: N small operations from a child process --------

CHANNELS = ("Pipe", "Queue", "Manager dict", "Value + lock", "shared_memory")
"""The variants of the channel benchmark, in table order."""

OPS_SCALE = {"Pipe": 1, "Queue": 1, "Manager dict": 0.1, "Value + lock": 10, "shared_memory": 50}
"""Operations per variant, as a multiple of N: each variant runs long enough (tens of ms) that
waking a process up, which can take a millisecond on a busy machine, is a small part of it."""


def _wait_gate(gate: tuple[Any, Any]) -> None:
    """Say "started and attached" and wait for the parent's signal to begin."""
    ready, go = gate
    ready.set()
    go.wait()


def _send_pipe(conn: Any, gate: Any, n: int) -> None:
    _wait_gate(gate)
    for i in range(n):
        conn.send(i)
    conn.close()


def _send_queue(q: Any, gate: Any, n: int) -> None:
    _wait_gate(gate)
    for i in range(n):
        q.put(i)


def _set_manager(d: Any, gate: Any, done: Any, n: int) -> None:
    _wait_gate(gate)
    for i in range(n):
        d["n"] = i  # one request to the manager's server process and one reply
    done.set()


def _add_value(v: Any, gate: Any, done: Any, n: int) -> None:
    _wait_gate(gate)
    for _ in range(n):
        with v.get_lock():
            v.value += 1
    done.set()


def _write_shm(name: str, gate: Any, done: Any, n: int) -> None:
    block = shared_memory.SharedMemory(name=name)
    try:
        buf = block.buf
        _wait_gate(gate)
        for i in range(n):
            struct.pack_into("q", buf, 0, i)  # one writer: no lock needed
        done.set()
    finally:
        block.close()


def channel_seconds(kind: str, n: int, manager: Any = None) -> float:
    """Seconds for a child to make ``n`` small updates that the parent can see.

    Message passing (Pipe, Queue): the child sends n ints, the parent receives
    them all. Shared state (Manager dict, Value, shared_memory): the child makes
    n updates and sets an Event. Timing starts when the parent releases the
    child, which has started and attached already, so start-up is not counted.
    """
    ctx = context()
    ready, go, done = ctx.Event(), ctx.Event(), ctx.Event()
    gate = (ready, go)
    block = None
    if kind == "Pipe":
        receiver, sender = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_send_pipe, args=(sender, gate, n))
    elif kind == "Queue":
        q = ctx.Queue()
        proc = ctx.Process(target=_send_queue, args=(q, gate, n))
    elif kind == "Manager dict":
        # Keep a reference in the parent until the child is done: start() drops the
        # Process's own reference to its args, and a collected proxy or Value vanishes.
        shared = manager.dict()
        proc = ctx.Process(target=_set_manager, args=(shared, gate, done, n))
    elif kind == "Value + lock":
        shared = ctx.Value("q", 0)
        proc = ctx.Process(target=_add_value, args=(shared, gate, done, n))
    elif kind == "shared_memory":
        block = shared_memory.SharedMemory(create=True, size=8)
        proc = ctx.Process(target=_write_shm, args=(block.name, gate, done, n))
    else:
        raise ValueError(f"kind must be one of {CHANNELS}, not {kind!r}")
    try:
        proc.start()
        if not ready.wait(timeout=60):
            raise TimeoutError(f"the {kind} child did not start")
        start = time.perf_counter()
        go.set()
        if kind == "Pipe":
            for _ in range(n):
                receiver.recv()
        elif kind == "Queue":
            for _ in range(n):
                q.get(timeout=30)
        elif not done.wait(timeout=60):
            raise TimeoutError(f"the {kind} child did not finish its {n} updates")
        elapsed = time.perf_counter() - start
    finally:
        proc.join(timeout=60)
        if block is not None:
            block.close()
            block.unlink()
    return elapsed


@dataclass
class ChannelCosts:
    """Best-of-N seconds per operation for each way of sharing, measured in one run."""

    per_op: dict[str, float]
    n: int
    repeat: int

    def ratio(self, slower: str, faster: str) -> float:
        """Cost per operation of ``slower`` over that of ``faster``."""
        return self.per_op[slower] / self.per_op[faster]

    def table(self) -> str:
        from interview_lab import bench

        cheapest = min(self.per_op.values())
        lines = [f"small updates from a child process, seen by the parent · best of "
                 f"{self.repeat} · {bench.cores()} cores · quick={bench.is_quick()}",
                 f"{'channel':<16}{'operations':>12}{'µs per op':>12}{'x cheapest':>12}"]
        for kind, seconds in self.per_op.items():
            ops = int(self.n * OPS_SCALE[kind])
            lines.append(f"{kind:<16}{ops:>12,}{seconds * 1e6:>12.2f}{seconds / cheapest:>12.1f}")
        return "\n".join(lines)

    def chart(self, ax: Any = None) -> Any:
        import matplotlib.pyplot as plt

        if ax is None:
            _fig, ax = plt.subplots(figsize=(7, 3))
        kinds = list(self.per_op)
        micro = [self.per_op[k] * 1e6 for k in kinds]
        bench.labelled_bars(ax, kinds, micro, [f"{value:.1f}" for value in micro],
                            color=["#4c72b0", "#4c72b0", "#c44e52", "#55a868", "#55a868"])
        ax.set_yscale("log")
        ax.set_ylim(top=max(micro) * 4)  # room for the labels above the tallest bar
        ax.set_ylabel("µs per operation (log scale)")
        ax.set_title("Cost of one small update between processes\n"
                     "blue: messages · red: Manager proxy · green: shared memory")
        return ax


def compare_channels(n: int, repeat: int = 3, progress: bool = True) -> ChannelCosts:
    """Time every variant of ``CHANNELS`` best-of-``repeat``, interleaved round by round.

    One Manager serves every round and is shut down before this returns.
    """
    runs: dict[str, list[float]] = {kind: [] for kind in CHANNELS}
    with context().Manager() as manager:
        for round_number in range(1, repeat + 1):
            for kind in CHANNELS:
                ops = int(n * OPS_SCALE[kind])
                runs[kind].append(channel_seconds(kind, ops, manager) / ops)
            if progress:
                end = "\n" if round_number == repeat else "\r"
                print(f"round {round_number}/{repeat} done", end=end)
    return ChannelCosts({kind: min(times) for kind, times in runs.items()}, n, repeat)
