"""Plausible wrong answers for solutions/12_threads_vs_processes.ipynb; each must be rejected."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor, as_completed


def pick_executor_ignores_gil_release(kind, tasks, seconds_per_task, releases_gil=False):
    """Sends all CPU work to processes, even C code that releases the GIL."""
    if kind not in ("cpu", "io"):
        raise ValueError(kind)
    if tasks <= 1:
        return "serial"
    if kind == "io":
        return "threads"
    if tasks * seconds_per_task < 0.1:
        return "serial"
    return "processes"


def pick_executor_always_pools(kind, tasks, seconds_per_task, releases_gil=False):
    """Forgets that a pool costs more than a tiny batch of work saves."""
    if kind not in ("cpu", "io"):
        raise ValueError(kind)
    if tasks <= 1:
        return "serial"
    if kind == "io" or releases_gil:
        return "threads"
    return "processes"


def speedup_inverted(serial_s, parallel_s, workers):
    """Divides the wrong way round: parallel over serial."""
    if serial_s <= 0 or parallel_s <= 0 or workers < 1:
        raise ValueError("bad input")
    speedup = parallel_s / serial_s
    return speedup, speedup / workers


def speedup_efficiency_times_workers(serial_s, parallel_s, workers):
    """Multiplies by the workers instead of dividing."""
    if serial_s <= 0 or parallel_s <= 0 or workers < 1:
        raise ValueError("bad input")
    speedup = serial_s / parallel_s
    return speedup, speedup * workers


def chunked_ceil_size(items, n):
    """Fixed chunk size ceil(len / n): 10 items in 4 chunks become 3, 3, 3, 1."""
    if n < 1:
        raise ValueError(n)
    if not items:
        return []
    size = math.ceil(len(items) / n)
    return [items[i:i + size] for i in range(0, len(items), size)]


def chunked_round_robin(items, n):
    """Deals items out like cards: sizes are right, but chunks are not contiguous."""
    if n < 1:
        raise ValueError(n)
    return [items[i::n] for i in range(min(n, len(items)))]


def chunked_keeps_empty(items, n):
    """Right sizes, but returns empty chunks when there are fewer items than n."""
    if n < 1:
        raise ValueError(n)
    size, extra = divmod(len(items), n)
    chunks, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        chunks.append(items[start:end])
        start = end
    return chunks


def parallel_map_completion_order(func, items, workers):
    """Collects results with as_completed: fast calls come back first."""
    if workers < 1:
        raise ValueError(workers)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(func, item) for item in items]
        return [f.result() for f in as_completed(futures)]


def parallel_map_serial(func, items, workers):
    """Correct results, but the calls never overlap."""
    if workers < 1:
        raise ValueError(workers)
    return [func(item) for item in items]


def parallel_map_ignores_workers(func, items, workers):
    """One thread per item: the limit of `workers` is not respected."""
    if workers < 1:
        raise ValueError(workers)
    items = list(items)
    with ThreadPoolExecutor(max_workers=max(1, len(items))) as pool:
        return list(pool.map(func, items))


WRONG = {
    "pick_executor": [pick_executor_ignores_gil_release, pick_executor_always_pools],
    "speedup_efficiency": [speedup_inverted, speedup_efficiency_times_workers],
    "chunked": [chunked_ceil_size, chunked_round_robin, chunked_keeps_empty],
    "parallel_map": [parallel_map_completion_order, parallel_map_serial,
                     parallel_map_ignores_workers],
}
