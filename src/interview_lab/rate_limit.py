"""Rate limiters written by hand: token bucket, sliding window log, fixed window; and a throttle.

Every limiter takes its clock as an argument (``clock=time.monotonic`` by
default), so tests and lessons drive time with a ``FakeClock`` instead of
sleeping: ``clock.advance(0.5)`` is half a second, instantly and exactly.

- ``TokenBucket(capacity, rate)``: a bucket holds up to ``capacity`` tokens and
  refills at ``rate`` tokens per second; a request takes one token or is
  refused. Allows bursts up to ``capacity``, then ``rate`` per second. O(1)
  memory per client.
- ``SlidingWindowLog(limit, window)``: at most ``limit`` requests in any
  ``window`` seconds; it keeps the time of each accepted request, so memory
  grows with ``limit``. A hit at ``t`` counts until ``t + window`` (exclusive).
- ``FixedWindowCounter(limit, window)``: at most ``limit`` per calendar window
  (``floor(now / window)``); cheap, but lets ``2 * limit`` through around a
  window boundary.
- ``Throttle(bucket, sleep)``: the same bucket, but a request that finds no token
  waits for one instead of being refused: throttling delays, rate limiting rejects.

The limiters are thread-safe (a lock around each decision), because a web
server calls them from many threads at once.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Protocol

Clock = Callable[[], float]


class FakeClock:
    """A clock that moves only when told to: ``clock()`` reads it, ``advance`` moves it.

    ``sleep`` advances the clock instead of waiting, so code that sleeps can be
    tested without losing wall time.
    """

    def __init__(self, start: float = 0.0) -> None:
        self.now = float(start)
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time does not go backwards")
        self.now += seconds

    def move_to(self, when: float) -> None:
        """Jump to an absolute time (exact, unlike adding up float steps)."""
        if when < self.now:
            raise ValueError("time does not go backwards")
        self.now = float(when)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(max(seconds, 0.0))


class Limiter(Protocol):
    def try_acquire(self) -> bool: ...
    def retry_after(self) -> float: ...


class TokenBucket:
    """Up to ``capacity`` requests at once, refilled at ``rate`` requests per second."""

    def __init__(self, capacity: float, rate: float, *, clock: Clock = time.monotonic) -> None:
        if capacity <= 0 or rate <= 0:
            raise ValueError("capacity and rate must be positive")
        self.capacity, self.rate, self.clock = float(capacity), float(rate), clock
        self._tokens = float(capacity)           # starts full: a new client may burst
        self._stamp = clock()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self.clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    @property
    def tokens(self) -> float:
        with self._lock:
            self._refill()
            return self._tokens

    def try_acquire(self, cost: float = 1.0) -> bool:
        """Take ``cost`` tokens and return True, or take nothing and return False."""
        with self._lock:
            self._refill()
            if self._tokens >= cost:
                self._tokens -= cost
                return True
            return False

    def retry_after(self, cost: float = 1.0) -> float:
        """Seconds until ``cost`` tokens are there (0.0 if they are there now)."""
        with self._lock:
            self._refill()
            return max(0.0, (cost - self._tokens) / self.rate)


class SlidingWindowLog:
    """At most ``limit`` accepted requests in any ``window`` seconds (exact; memory ~ limit)."""

    def __init__(self, limit: int, window: float, *, clock: Clock = time.monotonic) -> None:
        if limit < 0 or window <= 0:
            raise ValueError("limit must be >= 0 and window > 0")
        self.limit, self.window, self.clock = limit, float(window), clock
        self._hits: deque[float] = deque()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        while self._hits and self._hits[0] <= now - self.window:
            self._hits.popleft()

    def try_acquire(self) -> bool:
        with self._lock:
            now = self.clock()
            self._expire(now)
            if len(self._hits) < self.limit:
                self._hits.append(now)           # only accepted requests are logged
                return True
            return False

    def retry_after(self) -> float:
        """Seconds until the oldest logged hit leaves the window (0.0 if there is room)."""
        with self._lock:
            now = self.clock()
            self._expire(now)
            if len(self._hits) < self.limit:
                return 0.0
            if not self._hits:                   # limit 0: never
                return math.inf
            return self._hits[0] + self.window - now

    def __len__(self) -> int:
        with self._lock:
            self._expire(self.clock())
            return len(self._hits)


class FixedWindowCounter:
    """At most ``limit`` requests per window ``[k * window, (k + 1) * window)``."""

    def __init__(self, limit: int, window: float, *, clock: Clock = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, float(window), clock
        self._current, self._count = None, 0
        self._lock = threading.Lock()

    def try_acquire(self) -> bool:
        with self._lock:
            now = self.clock()
            index = math.floor(now / self.window)
            if index != self._current:
                self._current, self._count = index, 0
            if self._count < self.limit:
                self._count += 1
                return True
            return False

    def retry_after(self) -> float:
        with self._lock:
            now = self.clock()
            index = math.floor(now / self.window)
            if index != self._current or self._count < self.limit:
                return 0.0
            return (index + 1) * self.window - now


class KeyedLimiter:
    """One limiter per key (client id, API key, IP), made on first use by ``factory``."""

    def __init__(self, factory: Callable[[], Limiter]) -> None:
        self.factory = factory
        self._limiters: dict[Hashable, Limiter] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Limiter:
        with self._lock:
            if key not in self._limiters:
                self._limiters[key] = self.factory()
            return self._limiters[key]

    def try_acquire(self, key: Hashable) -> bool:
        return self.get(key).try_acquire()

    def retry_after(self, key: Hashable) -> float:
        return self.get(key).retry_after()


class Throttle:
    """Delay instead of refuse: ``wait()`` sleeps until the bucket has a token, then takes it."""

    def __init__(self, bucket: TokenBucket, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.bucket, self.sleep = bucket, sleep

    def wait(self) -> float:
        """Block until a token is taken; return the seconds spent waiting."""
        waited = 0.0
        while not self.bucket.try_acquire():
            pause = self.bucket.retry_after()
            self.sleep(pause)
            waited += pause
        return waited


@dataclass(frozen=True)
class Decision:
    at: float
    allowed: bool
    retry_after: float


def replay(limiter: Limiter, clock: FakeClock, times: Iterable[float]) -> list[Decision]:
    """Send requests at the given (non-decreasing) times through ``limiter``; record verdicts."""
    decisions = []
    for at in times:
        clock.move_to(at)
        ok = limiter.try_acquire()
        decisions.append(Decision(at, ok, 0.0 if ok else limiter.retry_after()))
    return decisions


def retry_after_header(seconds: float) -> str:
    """A ``Retry-After`` value: whole seconds, rounded up, at least 1 (RFC 9110 delay-seconds)."""
    return str(max(1, math.ceil(seconds)))
