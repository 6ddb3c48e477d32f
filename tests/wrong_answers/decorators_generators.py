"""Plausible wrong answers for solutions/04_decorators_generators.ipynb.

Each is a mistake a candidate really makes; the exercise checks must reject
every one with CheckFailed.
"""

from __future__ import annotations

import functools
import time
from collections import Counter
from itertools import islice

# --- retry(times, exceptions) --------------------------------------------------


def retry_without_wraps(times, exceptions):
    """Works, but the decorated function is now called 'wrapper' and has no docstring."""
    if times < 1:
        raise ValueError(times)

    def decorator(func):
        def wrapper(*args, **kwargs):
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == times:
                        raise
        return wrapper
    return decorator


def retry_off_by_one(times, exceptions):
    """Treats `times` as the number of retries after the first call: one call too many."""
    if times < 1:
        raise ValueError(times)

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == times:
                        raise
        return wrapper
    return decorator


def retry_everything(times, exceptions):
    """Ignores `exceptions` and retries every error, including bugs like ValueError."""
    if times < 1:
        raise ValueError(times)

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except Exception:
                    if attempt == times:
                        raise
        return wrapper
    return decorator


def retry_swallows(times, exceptions):
    """Gives up quietly: returns None after the last failure instead of raising."""
    if times < 1:
        raise ValueError(times)

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for _ in range(times):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    pass
            return None
        return wrapper
    return decorator


def retry_shared_counter(times, exceptions):
    """Counts attempts in the decorator, so later calls inherit the earlier calls' failures."""
    if times < 1:
        raise ValueError(times)

    def decorator(func):
        attempts_left = times

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            nonlocal attempts_left
            while True:
                attempts_left -= 1
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempts_left <= 0:
                        raise
        return wrapper
    return decorator


# --- chunks(iterable, n) -------------------------------------------------------


def chunks_materialises(iterable, n):
    """Reads the whole input into a list first: never finishes on an infinite iterator."""
    if n < 1:
        raise ValueError(n)
    items = list(iterable)
    for start in range(0, len(items), n):
        yield items[start:start + n]


def chunks_zip_drops_tail(iterable, n):
    """The zip(*[iter(x)] * n) idiom: lazy, but silently drops a last partial chunk."""
    if n < 1:
        raise ValueError(n)
    for group in zip(*[iter(iterable)] * n, strict=False):
        yield list(group)


def chunks_without_iter(iterable, n):
    """islice on the input itself: on a list every chunk starts from the beginning again."""
    if n < 1:
        raise ValueError(n)
    while chunk := list(islice(iterable, n)):
        yield chunk


def chunks_reused_buffer(iterable, n):
    """Yields one list and clears it afterwards, so chunks the caller kept are emptied."""
    if n < 1:
        raise ValueError(n)
    buffer = []
    for item in iterable:
        buffer.append(item)
        if len(buffer) == n:
            yield buffer
            buffer.clear()
    if buffer:
        yield buffer


def chunks_trailing_empty(iterable, n):
    """Always yields the buffer at the end, even when it is empty."""
    if n < 1:
        raise ValueError(n)
    buffer = []
    for item in iterable:
        buffer.append(item)
        if len(buffer) == n:
            yield buffer
            buffer = []
    yield buffer


# --- count_by_status(lines) ----------------------------------------------------


def count_by_status_materialises(lines):
    """Right counts, but list(lines) holds the whole log in memory first."""
    lines = list(lines)
    counts = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 5 and len(parts[3]) == 3 and parts[3].isdigit():
            counts[int(parts[3])] = counts.get(int(parts[3]), 0) + 1
    return counts


def count_by_status_string_keys(lines):
    """Counts by the status text ('200') instead of the number (200)."""
    counts = Counter()
    for line in lines:
        parts = line.split()
        if len(parts) == 5 and len(parts[3]) == 3 and parts[3].isdigit():
            counts[parts[3]] += 1
    return dict(counts)


def count_by_status_trusts_input(lines):
    """Assumes every line is well formed: crashes on a blank or truncated line."""
    counts = {}
    for line in lines:
        status = int(line.split()[3])
        counts[status] = counts.get(status, 0) + 1
    return counts


def count_by_status_two_passes(lines):
    """Counts the valid lines first, then counts statuses: the second pass over a generator
    sees nothing."""
    valid = sum(1 for line in lines if len(line.split()) == 5)
    counts = {}
    if valid:
        for line in lines:
            parts = line.split()
            if len(parts) == 5 and len(parts[3]) == 3 and parts[3].isdigit():
                counts[int(parts[3])] = counts.get(int(parts[3]), 0) + 1
    return counts


# --- timed(func) ---------------------------------------------------------------


def timed_without_wraps(func):
    """Records durations, but the decorated function loses its name and docstring."""
    durations = []

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            durations.append(time.perf_counter() - start)

    wrapper.durations = durations
    return wrapper


def timed_skips_failures(func):
    """No try/finally: a call that raises is never recorded."""
    durations = []

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        durations.append(time.perf_counter() - start)
        return result

    wrapper.durations = durations
    return wrapper


def timed_shared_list(func, durations=[]):  # noqa: B006 (the bug on purpose)
    """A mutable default: every decorated function appends to the same list."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            durations.append(time.perf_counter() - start)

    wrapper.durations = durations
    return wrapper


def timed_milliseconds(func):
    """Records milliseconds although the task asks for seconds."""
    durations = []

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            durations.append((time.perf_counter() - start) * 1000)

    wrapper.durations = durations
    return wrapper


WRONG = {
    "retry": [retry_without_wraps, retry_off_by_one, retry_everything, retry_swallows,
              retry_shared_counter],
    "chunks": [chunks_materialises, chunks_zip_drops_tail, chunks_without_iter,
               chunks_reused_buffer, chunks_trailing_empty],
    "count_by_status": [count_by_status_materialises, count_by_status_string_keys,
                        count_by_status_trusts_input, count_by_status_two_passes],
    "timed": [timed_without_wraps, timed_skips_failures, timed_shared_list, timed_milliseconds],
}
