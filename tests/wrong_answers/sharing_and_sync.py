"""Plausible wrong answers for solutions/14_sharing_and_sync.ipynb; each must be rejected.

Threads that a wrong answer leaves blocked are daemon threads, so a test run that
rejects them can still exit.
"""

from __future__ import annotations

import heapq
import itertools
import multiprocessing as mp
import queue
import threading

# --- 1. BankAccount -------------------------------------------------------------


class _Account:
    def __init__(self, number, balance=0):
        self.number = number
        self.balance = balance
        self.lock = threading.Lock()

    def _validate(self, other, amount):
        if other is self:
            raise ValueError("same account")
        if amount <= 0:
            raise ValueError("amount must be positive")


class AccountLocksInArgumentOrder(_Account):
    """Takes its own lock, then the other's: a->b and b->a at once deadlock."""

    def transfer_to(self, other, amount):
        self._validate(other, amount)
        with self.lock, other.lock:
            if self.balance < amount:
                raise ValueError("insufficient funds")
            self.balance -= amount
            other.balance += amount


class AccountWithoutLocks(_Account):
    """Trusts the GIL: no lock at all."""

    def transfer_to(self, other, amount):
        self._validate(other, amount)
        if self.balance < amount:
            raise ValueError("insufficient funds")
        self.balance -= amount
        other.balance += amount


class AccountLocksOnlyItself(_Account):
    """Locks the sending account only; the receiving balance is changed unprotected."""

    def transfer_to(self, other, amount):
        self._validate(other, amount)
        with self.lock:
            if self.balance < amount:
                raise ValueError("insufficient funds")
            self.balance -= amount
        other.balance += amount


class AccountChecksFundsBeforeLocking(_Account):
    """Orders the locks, but checks the balance before taking them: check-then-act."""

    def transfer_to(self, other, amount):
        self._validate(other, amount)
        if self.balance < amount:
            raise ValueError("insufficient funds")
        first, second = sorted((self, other), key=lambda a: a.number)
        with first.lock, second.lock:
            self.balance -= amount
            other.balance += amount


class AccountForgetsSelfTransfer(_Account):
    """Orders the locks but lets a.transfer_to(a, x) take the same Lock twice."""

    def transfer_to(self, other, amount):
        if amount <= 0:
            raise ValueError("amount must be positive")
        first, second = sorted((self, other), key=lambda a: a.number)
        with first.lock, second.lock:
            if self.balance < amount:
                raise ValueError("insufficient funds")
            self.balance -= amount
            other.balance += amount


# --- 2. run_pipeline --------------------------------------------------------------

_STOP = object()


def _consume(tasks, results, func):
    while (task := tasks.get()) is not _STOP:
        index, item = task
        results[index] = func(item)


def run_pipeline_one_sentinel(items, workers, func):
    """Sends a single sentinel: one worker exits, the others wait in get() forever."""
    if workers < 1:
        raise ValueError(workers)
    tasks, results = queue.Queue(maxsize=2 * workers), {}
    threads = [threading.Thread(target=_consume, args=(tasks, results, func), daemon=True)
               for _ in range(workers)]
    for t in threads:
        t.start()
    for task in enumerate(items):
        tasks.put(task)
    tasks.put(_STOP)
    for t in threads:
        t.join()
    return [results[i] for i in range(len(results))]


def run_pipeline_completion_order(items, workers, func):
    """Appends results as calls finish: fast items overtake slow ones."""
    if workers < 1:
        raise ValueError(workers)
    tasks, results = queue.Queue(maxsize=2 * workers), []

    def consume():
        while (item := tasks.get()) is not _STOP:
            results.append(func(item))

    threads = [threading.Thread(target=consume) for _ in range(workers)]
    for t in threads:
        t.start()
    for item in items:
        tasks.put(item)
    for _ in threads:
        tasks.put(_STOP)
    for t in threads:
        t.join()
    return results


def run_pipeline_unbounded(items, workers, func):
    """Right results, but an unbounded queue: the producer pulls every item at once."""
    if workers < 1:
        raise ValueError(workers)
    tasks, results = queue.Queue(), {}
    threads = [threading.Thread(target=_consume, args=(tasks, results, func))
               for _ in range(workers)]
    for t in threads:
        t.start()
    for task in enumerate(items):
        tasks.put(task)
    for _ in threads:
        tasks.put(_STOP)
    for t in threads:
        t.join()
    return [results[i] for i in range(len(results))]


def run_pipeline_daemon_join_queue(items, workers, func):
    """No sentinels: waits with tasks.join() and leaves daemon workers blocked in get()."""
    if workers < 1:
        raise ValueError(workers)
    tasks, results = queue.Queue(maxsize=2 * workers), {}

    def consume():
        while True:
            index, item = tasks.get()
            results[index] = func(item)
            tasks.task_done()

    for _ in range(workers):
        threading.Thread(target=consume, daemon=True).start()
    for task in enumerate(items):
        tasks.put(task)
    tasks.join()
    return [results[i] for i in range(len(results))]


def run_pipeline_swallows_errors(items, workers, func):
    """Catches exceptions in the workers and carries on: the caller never hears of them."""
    if workers < 1:
        raise ValueError(workers)
    tasks, results = queue.Queue(maxsize=2 * workers), {}

    def consume():
        while (task := tasks.get()) is not _STOP:
            index, item = task
            try:
                results[index] = func(item)
            except Exception:
                results[index] = None

    threads = [threading.Thread(target=consume) for _ in range(workers)]
    for t in threads:
        t.start()
    for task in enumerate(items):
        tasks.put(task)
    for _ in threads:
        tasks.put(_STOP)
    for t in threads:
        t.join()
    return [results[i] for i in range(len(results))]


# --- 3. merge_sorted_streams ------------------------------------------------------

def merge_eager(streams, key=None):
    """Correct order, but reads every stream to the end before yielding anything."""
    return iter(sorted(itertools.chain.from_iterable(streams), key=key))


def merge_no_tie_breaker(streams, key=None):
    """Heap of (key, item, iterator): equal keys make the heap compare the items."""
    heap = []
    for stream in streams:
        it = iter(stream)
        for first in it:
            heap.append((first if key is None else key(first), first, it))
            break
    heapq.heapify(heap)
    while heap:
        _k, item, it = heapq.heappop(heap)
        yield item
        for following in it:
            heapq.heappush(heap, (following if key is None else key(following), following, it))
            break


def merge_counter_tie_breaker(streams, key=None):
    """Breaks ties by push order: a stream's next item queues behind other streams' ties."""
    heap, counter = [], itertools.count()
    for stream in streams:
        it = iter(stream)
        for first in it:
            heap.append((first if key is None else key(first), next(counter), first, it))
            break
    heapq.heapify(heap)
    while heap:
        _k, _n, item, it = heapq.heappop(heap)
        yield item
        for following in it:
            heapq.heappush(heap, (following if key is None else key(following), next(counter),
                                  following, it))
            break


# --- 4. parallel_sum_shared -------------------------------------------------------

def _split(numbers, workers):
    if workers < 1:
        raise ValueError(workers)
    return [part for part in (numbers[i::workers] for i in range(workers)) if part]


def parallel_sum_no_lock(numbers, workers):
    """total.value += x in each process without get_lock(): concurrent updates are lost."""
    ctx = mp.get_context("fork")
    total = ctx.Value("q", 0)

    def add_part(part):
        for x in part:
            total.value += x

    procs = [ctx.Process(target=add_part, args=(p,)) for p in _split(numbers, workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return total.value


def parallel_sum_subtotal_no_lock(numbers, workers):
    """Adds each worker's subtotal once, without the lock: the final adds still race."""
    ctx = mp.get_context("fork")
    total = ctx.Value("q", 0)

    def add_part(part):
        subtotal = sum(part)
        total.value += subtotal

    procs = [ctx.Process(target=add_part, args=(p,)) for p in _split(numbers, workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return total.value


def parallel_sum_plain_int(numbers, workers):
    """Adds into a plain variable: each child changes its own copy, the parent sees 0."""
    ctx = mp.get_context("fork")
    box = [0]

    def add_part(part):
        box[0] += sum(part)

    procs = [ctx.Process(target=add_part, args=(p,)) for p in _split(numbers, workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return box[0]


def parallel_sum_c_int(numbers, workers):
    """Locks correctly, but "i" is a 32-bit C int: big sums wrap around silently."""
    ctx = mp.get_context("fork")
    total = ctx.Value("i", 0)

    def add_part(part):
        subtotal = sum(part)
        with total.get_lock():
            total.value += subtotal

    procs = [ctx.Process(target=add_part, args=(p,)) for p in _split(numbers, workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return total.value


def parallel_sum_no_join(numbers, workers):
    """Starts the processes and reads the total at once, before they have finished."""
    ctx = mp.get_context("fork")
    total = ctx.Value("q", 0)

    def add_part(part):
        subtotal = sum(part)
        with total.get_lock():
            total.value += subtotal

    procs = [ctx.Process(target=add_part, args=(p,)) for p in _split(numbers, workers)]
    for p in procs:
        p.start()
    result = total.value
    for p in procs:
        p.join()
    return result


WRONG = {
    "BankAccount": [AccountLocksInArgumentOrder, AccountWithoutLocks, AccountLocksOnlyItself,
                    AccountChecksFundsBeforeLocking, AccountForgetsSelfTransfer],
    "run_pipeline": [run_pipeline_one_sentinel, run_pipeline_completion_order,
                     run_pipeline_unbounded, run_pipeline_daemon_join_queue,
                     run_pipeline_swallows_errors],
    "merge_sorted_streams": [merge_eager, merge_no_tie_breaker, merge_counter_tie_breaker],
    "parallel_sum_shared": [parallel_sum_no_lock, parallel_sum_subtotal_no_lock,
                            parallel_sum_plain_int, parallel_sum_c_int, parallel_sum_no_join],
}
