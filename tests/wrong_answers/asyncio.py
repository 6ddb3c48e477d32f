"""Plausible wrong answers for solutions/13_asyncio.ipynb; each must be rejected."""

from __future__ import annotations

import asyncio
import time

# --- fetch_all -------------------------------------------------------------------

async def fetch_all_one_by_one(urls, fetch, limit):
    """A loop of awaits: right results, but the fetches never overlap."""
    if limit < 1:
        raise ValueError(limit)
    return [await fetch(url) for url in urls]


async def fetch_all_no_limit(urls, fetch, limit):
    """gather on everything: ignores the limit."""
    if limit < 1:
        raise ValueError(limit)
    return list(await asyncio.gather(*(fetch(url) for url in urls)))


async def fetch_all_completion_order(urls, fetch, limit):
    """as_completed: results in the order they finish, not the order of urls."""
    if limit < 1:
        raise ValueError(limit)
    slots = asyncio.Semaphore(limit)

    async def one(url):
        async with slots:
            return await fetch(url)

    return [await next_done for next_done in asyncio.as_completed([one(u) for u in urls])]


async def fetch_all_batches(urls, fetch, limit):
    """Batches of `limit`: each batch waits for its slowest fetch."""
    if limit < 1:
        raise ValueError(limit)
    results = []
    for i in range(0, len(urls), limit):
        results += await asyncio.gather(*(fetch(url) for url in urls[i:i + limit]))
    return results


async def fetch_all_swallows_errors(urls, fetch, limit):
    """return_exceptions=True: a failed fetch comes back as a value instead of raising."""
    if limit < 1:
        raise ValueError(limit)
    slots = asyncio.Semaphore(limit)

    async def one(url):
        async with slots:
            return await fetch(url)

    return list(await asyncio.gather(*(one(u) for u in urls), return_exceptions=True))


# --- with_timeout ----------------------------------------------------------------

async def with_timeout_no_cancel(coro_fn, seconds, default):
    """asyncio.wait with a timeout: stops waiting but leaves the work running."""
    task = asyncio.create_task(coro_fn())
    done, _pending = await asyncio.wait({task}, timeout=seconds)
    return task.result() if done else default


async def with_timeout_cancel_no_wait(coro_fn, seconds, default):
    """Cancels, but returns before the cancellation has reached the work."""
    task = asyncio.create_task(coro_fn())
    done, _pending = await asyncio.wait({task}, timeout=seconds)
    if done:
        return task.result()
    task.cancel()
    return default


async def with_timeout_swallows_errors(coro_fn, seconds, default):
    """Returns the default on any error, not only on a timeout."""
    try:
        return await asyncio.wait_for(coro_fn(), seconds)
    except Exception:
        return default


async def with_timeout_checks_afterwards(coro_fn, seconds, default):
    """Waits for the work to finish, then compares the time it took."""
    start = time.perf_counter()
    result = await coro_fn()
    return default if time.perf_counter() - start > seconds else result


# --- first_success ---------------------------------------------------------------

async def first_success_one_by_one(coro_fns):
    """Tries each in turn: the first in the list wins, however slow."""
    if not coro_fns:
        raise ValueError("empty")
    errors = []
    for fn in coro_fns:
        try:
            return await fn()
        except Exception as exc:
            errors.append(exc)
    raise ExceptionGroup("all attempts failed", errors)


async def first_success_waits_for_all(coro_fns):
    """gather with return_exceptions, then the first success: waits for the slowest."""
    if not coro_fns:
        raise ValueError("empty")
    results = await asyncio.gather(*(fn() for fn in coro_fns), return_exceptions=True)
    ok = [r for r in results if not isinstance(r, Exception)]
    if ok:
        return ok[0]
    raise ExceptionGroup("all attempts failed", results)


async def first_success_first_completed(coro_fns):
    """The first to finish wins even if it failed."""
    if not coro_fns:
        raise ValueError("empty")
    tasks = [asyncio.create_task(fn()) for fn in coro_fns]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return done.pop().result()


async def first_success_no_cancel(coro_fns):
    """Returns the first success but leaves the others running."""
    if not coro_fns:
        raise ValueError("empty")
    tasks = [asyncio.create_task(fn()) for fn in coro_fns]
    pending = set(tasks)
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task.exception() is None:
                return task.result()
    raise ExceptionGroup("all attempts failed", [t.exception() for t in tasks])


async def first_success_cancel_no_wait(coro_fns):
    """Cancels the others but does not wait for them: their cleanup has not run yet."""
    if not coro_fns:
        raise ValueError("empty")
    tasks = [asyncio.create_task(fn()) for fn in coro_fns]
    pending = set(tasks)
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task.exception() is None:
                for other in pending:
                    other.cancel()
                return task.result()
    raise ExceptionGroup("all attempts failed", [t.exception() for t in tasks])


async def first_success_errors_by_completion(coro_fns):
    """All fail: collects the errors in the order they happened, not of coro_fns."""
    if not coro_fns:
        raise ValueError("empty")
    tasks = [asyncio.create_task(fn()) for fn in coro_fns]
    errors = []
    try:
        for next_done in asyncio.as_completed(tasks):
            try:
                return await next_done
            except Exception as exc:
                errors.append(exc)
        raise ExceptionGroup("all attempts failed", errors)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


WRONG = {
    "fetch_all": [fetch_all_one_by_one, fetch_all_no_limit, fetch_all_completion_order,
                  fetch_all_batches, fetch_all_swallows_errors],
    "with_timeout": [with_timeout_no_cancel, with_timeout_cancel_no_wait,
                     with_timeout_swallows_errors, with_timeout_checks_afterwards],
    "first_success": [first_success_one_by_one, first_success_waits_for_all,
                      first_success_first_completed, first_success_no_cancel,
                      first_success_cancel_no_wait, first_success_errors_by_completion],
}
