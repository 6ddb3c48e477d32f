"""Unit tests for lesson 19's limiters and apps: driven by a FakeClock, no sleeping, no sockets."""

from __future__ import annotations

import math
import sqlite3
import threading
import time

import pytest

from interview_lab import rest_design as rd
from interview_lab.apps import rest_items, rest_limits, rest_orders
from interview_lab.rate_limit import (
    FakeClock,
    FixedWindowCounter,
    KeyedLimiter,
    SlidingWindowLog,
    Throttle,
    TokenBucket,
    replay,
    retry_after_header,
)

# --- the limiters ------------------------------------------------------------------------------


def test_fake_clock_moves_only_forward():
    clock = FakeClock(5)
    clock.advance(1.5)
    clock.sleep(0.5)
    assert clock() == 7.0 and clock.slept == [0.5]
    with pytest.raises(ValueError):
        clock.advance(-1)
    with pytest.raises(ValueError):
        clock.move_to(6)


def test_token_bucket_bursts_refills_and_caps():
    clock = FakeClock()
    bucket = TokenBucket(capacity=3, rate=2, clock=clock)
    assert [bucket.try_acquire() for _ in range(4)] == [True, True, True, False]
    assert bucket.retry_after() == 0.5
    clock.advance(0.25)
    assert not bucket.try_acquire() and bucket.retry_after() == 0.25   # refused: nothing taken
    clock.advance(100)
    assert bucket.tokens == 3                                          # capped
    assert bucket.try_acquire(cost=3) and not bucket.try_acquire()
    with pytest.raises(ValueError):
        TokenBucket(0, 1)


def test_sliding_window_log_is_half_open_and_logs_only_accepted():
    clock = FakeClock()
    log = SlidingWindowLog(limit=1, window=10, clock=clock)
    verdicts = replay(log, clock, [0, 0, 5, 9.5, 10])
    assert [d.allowed for d in verdicts] == [True, False, False, False, True]
    assert [d.retry_after for d in verdicts] == [0.0, 10.0, 5.0, 0.5, 0.0]
    assert len(log) == 1
    never = SlidingWindowLog(limit=0, window=10, clock=clock)
    assert not never.try_acquire() and never.retry_after() == math.inf


def test_fixed_window_resets_at_the_boundary():
    clock = FakeClock()
    fixed = FixedWindowCounter(limit=2, window=60, clock=clock)
    decisions = replay(fixed, clock, [59, 59, 59, 60, 60, 60])
    assert [d.allowed for d in decisions] == [True, True, False, True, True, False]
    assert decisions[2].retry_after == 1.0


def test_throttle_waits_instead_of_refusing():
    clock = FakeClock()
    throttle = Throttle(TokenBucket(capacity=1, rate=4, clock=clock), sleep=clock.sleep)
    assert [throttle.wait() for _ in range(5)] == [0.0, 0.25, 0.25, 0.25, 0.25]
    assert clock.now == 1.0


def test_keyed_limiter_keeps_clients_apart():
    clock = FakeClock()
    keyed = KeyedLimiter(lambda: SlidingWindowLog(1, 60, clock=clock))
    assert keyed.try_acquire("a") and keyed.try_acquire("b")
    assert not keyed.try_acquire("a") and keyed.retry_after("a") == 60.0


def test_token_bucket_is_thread_safe():
    bucket = TokenBucket(capacity=2_000, rate=1, clock=FakeClock())
    granted = [0] * 8

    def grab(i: int) -> None:
        for _ in range(1_000):
            granted[i] += bucket.try_acquire()

    threads = [threading.Thread(target=grab, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(granted) == 2_000


@pytest.mark.parametrize("seconds,header", [(0.0, "1"), (0.2, "1"), (1.0, "1"), (59.01, "60")])
def test_retry_after_header_is_whole_seconds_rounded_up(seconds, header):
    assert retry_after_header(seconds) == header


def test_max_in_window_counts_a_half_open_span():
    assert rd.max_in_window([], 10) == 0
    assert rd.max_in_window([0, 5, 10, 10, 19.9], 10) == 3
    assert rd.max_in_window([59, 59, 60, 60], 60) == 4


# --- the apps, in process ---------------------------------------------------------------------


def test_items_app_allow_header_lists_every_method():
    client = rd.in_process(rest_items.create_app())
    client.put("/v2/items/1", json=rd.ITEM)
    refused = client.post("/v2/items/1")
    assert refused.status_code == 405
    assert refused.headers["Allow"] == "DELETE, GET, HEAD, OPTIONS, PATCH, PUT"
    assert client.options("/v2/items").headers["Allow"] == "GET, HEAD, OPTIONS, POST"


def test_items_app_sunset_rules():
    with pytest.raises(ValueError):
        rest_items.create_app(deprecated_at=100, sunset_at=50)
    clock = FakeClock(1_000)
    client = rd.in_process(rest_items.create_app(clock=clock, sunset_at=2_000))
    client.put("/v2/items/1", json=rd.ITEM)
    assert client.get("/v1/items/1").headers["Deprecation"] == "@1000"
    clock.move_to(2_000)
    assert client.get("/v1/items/1").status_code == 410


def test_orders_app_protocol(tmp_path):
    db = str(tmp_path / "orders.db")
    client = rd.in_process(rest_orders.create_app(db, work_seconds=0))
    order, key = {"item": "book", "qty": 1}, {"Idempotency-Key": "k", "X-Client-Id": "a"}
    first = client.post("/orders", json=order, headers=key)
    again = client.post("/orders", json=order, headers=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert "idempotent-replayed" not in first.headers and again.headers["Idempotent-Replayed"]
    assert client.post("/orders", json={**order, "qty": 2}, headers=key).status_code == 422
    assert client.post("/orders", json=order, headers={"X-Client-Id": "a"}).status_code == 400
    other = client.post("/orders", json=order, headers={**key, "X-Client-Id": "b"})
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    with sqlite3.connect(db) as conn:                     # a claim whose work is still running
        conn.execute("INSERT INTO idempotency_keys VALUES ('a', 'busy', ?, 'started', NULL, "
                     "NULL, ?)", (rest_orders.fingerprint("POST", "/orders", order), time.time()))
    busy = client.post("/orders", json=order, headers={**key, "Idempotency-Key": "busy"})
    assert busy.status_code == 409 and busy.headers["Retry-After"] == "1"
    assert client.get("/orders/count", headers={"X-Client-Id": "a"}).json() == {"rows": 1}


def test_limits_app_refuses_with_retry_after():
    client = rd.in_process(rest_limits.create_app(limit=2, window=30))
    for path in ("/hand/quote", "/lib/quote"):
        replies = [client.get(path, headers={"X-Client-Id": "t"}) for _ in range(3)]
        assert [r.status_code for r in replies] == [200, 200, 429], path
        assert 1 <= int(replies[-1].headers["Retry-After"]) <= 30, path
