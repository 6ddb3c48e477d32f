"""Hidden cases for solutions/19_rest_design.ipynb.

Four exercises: a sliding window log, a token bucket that also says how long
to wait, the decisions of an idempotency-key server, and the headers of a
deprecated endpoint. The limiter exercises take the request times as input,
so every case is exact; long random traces are checked against the lesson's
own limiters in ``interview_lab.rate_limit``, driven by a ``FakeClock``.
Where a function must raise, a ``check`` function tests it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from interview_lab.checks import Case, CheckFailed, Exercise, call_learner
from interview_lab.rate_limit import FakeClock, SlidingWindowLog, TokenBucket, replay

# --- 1. sliding_window ----------------------------------------------------------------------


def _trace(seed: int, n: int, step: float) -> list[float]:
    """Bursty non-decreasing times: runs of requests at one instant, gaps in between."""
    rng, now, times = random.Random(seed), 0.0, []
    for _ in range(n):
        now += rng.choice([0.0, 0.0, step, 2 * step, 7 * step])
        times.append(round(now, 3))
    return times


def _sliding_reference(times: list[float], limit: int, window: float) -> list[bool]:
    clock = FakeClock(times[0] if times else 0.0)
    return [d.allowed for d in replay(SlidingWindowLog(limit, window, clock=clock), clock, times)]


LONG = _trace(19, 300, 0.5)

SLIDING = Exercise(cases=(
    Case(args=([], 3, 10), expected=[], note="no requests"),
    Case(args=([0, 1, 2, 3], 3, 10), expected=[True, True, True, False]),
    Case(args=([0, 10], 1, 10), expected=[True, True],
         note="a request at t counts until t + window, exclusive"),
    Case(args=([0, 9.999], 1, 10), expected=[True, False], note="just inside the window"),
    Case(args=([0, 0, 5, 10], 1, 10), expected=[True, False, False, True],
         note="refused requests do not count: the one at 5 must not block the one at 10"),
    Case(args=([1, 1, 1], 2, 60), expected=[True, True, False], note="same instant"),
    Case(args=([0, 1, 100], 0, 10), expected=[False, False, False], note="limit 0"),
    Case(args=([59, 59, 60, 60], 2, 60), expected=[True, True, False, False],
         note="a window slides: no reset at t = 60 as a fixed window would do"),
    Case(args=([0, 30, 60, 61, 90, 91], 2, 60),
         expected=[True, True, True, False, True, False]),
    Case(args=(LONG, 5, 10), expected=_sliding_reference(LONG, 5, 10), note="300 requests"),
))

# --- 2. token_bucket --------------------------------------------------------------------------


def _bucket_reference(times: list[float], capacity: float, rate: float) -> list[float]:
    clock = FakeClock(times[0] if times else 0.0)
    return [d.retry_after for d in replay(TokenBucket(capacity, rate, clock=clock), clock, times)]


def _close_to(expected: list[float]) -> Callable[[Any, tuple], str | None]:
    def verify(got: Any, _args: tuple) -> str | None:
        if not isinstance(got, list) or len(got) != len(expected):
            return f"expected a list of {len(expected)} numbers: {expected!r}"
        for index, (g, e) in enumerate(zip(got, expected, strict=True)):
            if not isinstance(g, int | float) or not math.isclose(g, e, rel_tol=1e-9,
                                                                   abs_tol=1e-9):
                return f"request {index}: expected {e!r}, got {g!r} (whole list: {expected!r})"
        return None
    return verify


def _bucket_case(times: list[float], capacity: float, rate: float,
                 expected: list[float] | None = None, note: str = "") -> Case:
    wanted = _bucket_reference(times, capacity, rate) if expected is None else expected
    return Case(args=(times, capacity, rate), verify=_close_to(wanted), note=note)


BUCKET = Exercise(cases=(
    _bucket_case([], 3, 1, [], "no requests"),
    _bucket_case([0, 0, 0, 0], 3, 1, [0.0, 0.0, 0.0, 1.0], "starts full: a burst of 3"),
    _bucket_case([0, 0, 0, 0, 1.5, 1.5], 3, 1, [0.0, 0.0, 0.0, 1.0, 0.0, 0.5],
                 "1.5 tokens refilled: one whole token, half of the next"),
    _bucket_case([0, 0, 0.25], 1, 2, [0.0, 0.5, 0.25], "a refused request takes no token"),
    _bucket_case([5, 5, 5, 5], 2, 4, [0.0, 0.0, 0.25, 0.25],
                 "full at the first request, whatever its time"),
    _bucket_case([0, 0, 1000, 1000, 1000], 2, 1, [0.0, 0.0, 0.0, 0.0, 1.0],
                 "capped at capacity after a long pause"),
    _bucket_case([0, 0, 0, 0.5, 0.5], 1, 0.5, [0.0, 2.0, 2.0, 1.5, 1.5],
                 "a fraction of a token is not a token"),
    _bucket_case(_trace(7, 200, 0.25), 4, 2, note="200 requests"),
))

# --- 3. handle_creates ------------------------------------------------------------------------


def req(client: str, key: str | None, **body: Any) -> dict:
    return {"client": client, "key": key, "body": body}


CREATES = Exercise(cases=(
    Case(args=([],), expected=[], note="no requests"),
    Case(args=([req("c", "k", qty=1), req("c", "k", qty=1)],), expected=[(201, 1), (201, 1)],
         note="a retry replays the first answer"),
    Case(args=([req("c", None, qty=1)],), expected=[(400, None)], note="no key"),
    Case(args=([req("c", "k", qty=1), req("c", "k", qty=2)],), expected=[(201, 1), (422, None)],
         note="same key, different body"),
    Case(args=([req("a", "k", qty=1), req("b", "k", qty=1)],), expected=[(201, 1), (201, 2)],
         note="keys are per client: b's 'k' is a new order, not a's"),
    Case(args=([{"client": "c", "key": "k", "body": {"item": "pen", "qty": 1}},
                {"client": "c", "key": "k", "body": {"qty": 1, "item": "pen"}}],),
         expected=[(201, 1), (201, 1)], note="equal dicts in another key order are the same body"),
    Case(args=([req("c", None, qty=1), req("c", "x", qty=1), req("c", "x", qty=9),
                req("c", "y", qty=1), req("c", "x", qty=1)],),
         expected=[(400, None), (201, 1), (422, None), (201, 2), (201, 1)],
         note="refused requests use no id; a 422 does not change the stored answer"),
    Case(args=([req("c", "k1", qty=1), req("c", "k2", qty=1), req("c", "k3", qty=1)],),
         expected=[(201, 1), (201, 2), (201, 3)], note="new keys, new orders"),
))

# --- 4. deprecation_headers -------------------------------------------------------------------

PARIS_SUMMER = timezone(timedelta(hours=2))
RFC_DEPRECATED = datetime(2023, 6, 30, 23, 59, 59, tzinfo=UTC)   # the example of RFC 9745
RFC_SUNSET = datetime(2024, 6, 30, 23, 59, 59, tzinfo=UTC)


def _check_deprecation_refusals(func: Callable) -> None:
    naive = datetime(2024, 1, 1, 12, 0)
    bad = {
        "a naive deprecation date": (naive, RFC_SUNSET, "/v2"),
        "a naive sunset date": (RFC_DEPRECATED, naive, "/v2"),
        "a sunset before the deprecation": (RFC_SUNSET, RFC_DEPRECATED, "/v2"),
    }
    for what, args in bad.items():
        try:
            got = func(*args)
        except ValueError:
            continue
        except (NotImplementedError, CheckFailed):
            raise
        except Exception as exc:
            raise CheckFailed(f"deprecation_headers with {what} raised {type(exc).__name__}: "
                              f"{exc}; expected ValueError") from exc
        raise CheckFailed(f"deprecation_headers with {what} returned {got!r}: "
                          "expected ValueError")
    same = call_learner(func, "deprecation_headers(d, d, '/v2') (sunset == deprecation)",
                        RFC_DEPRECATED, RFC_DEPRECATED, "/v2")
    if not isinstance(same, dict) or same.get("Deprecation") != "@1688169599":
        raise CheckFailed("deprecation_headers(d, d, '/v2') with d = 2023-06-30 23:59:59 UTC "
                          f"(a sunset equal to the deprecation is allowed) returned {same!r}: "
                          "expected a dict with Deprecation '@1688169599'")


DEPRECATION = Exercise(check=_check_deprecation_refusals, cases=(
    Case(args=(RFC_DEPRECATED, RFC_SUNSET, "/v2/items"),
         expected={"Deprecation": "@1688169599", "Sunset": "Sun, 30 Jun 2024 23:59:59 GMT",
                   "Link": '</v2/items>; rel="successor-version"'},
         note="the dates of the RFC 9745 examples"),
    Case(args=(datetime(2023, 7, 1, 1, 59, 59, tzinfo=PARIS_SUMMER),
               datetime(2024, 7, 1, 1, 59, 59, tzinfo=PARIS_SUMMER), "/v2/items"),
         expected={"Deprecation": "@1688169599", "Sunset": "Sun, 30 Jun 2024 23:59:59 GMT",
                   "Link": '</v2/items>; rel="successor-version"'},
         note="the same instants written in UTC+2: headers are in GMT"),
    Case(args=(datetime(2026, 1, 1, 0, 0, 0, 750_000, tzinfo=UTC),
               datetime(2026, 4, 1, 9, 30, 15, 999_999, tzinfo=UTC), "https://api.example.com/v3/x"),
         expected={"Deprecation": "@1767225600", "Sunset": "Wed, 01 Apr 2026 09:30:15 GMT",
                   "Link": '<https://api.example.com/v3/x>; rel="successor-version"'},
         note="fractions of a second are dropped"),
))

EXERCISES = {
    "sliding_window": SLIDING,
    "token_bucket": BUCKET,
    "handle_creates": CREATES,
    "deprecation_headers": DEPRECATION,
}
