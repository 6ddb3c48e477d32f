"""Hidden cases for solutions/20_api_performance_logging.ipynb.

Four exercises: a nearest-rank percentile, a page of orders in one SQL statement
(counted with SQLite's trace callback), a payload made safe to log, and one
request's trail through JSON log lines from several services. Where a function
must raise, or must leave its input alone, or must send exactly one statement, a
``check`` function tests it; the rest are plain cases.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Callable
from typing import Any

from interview_lab import sim_db
from interview_lab.checks import Case, CheckFailed, Exercise, call_learner

# --- 1. percentile ------------------------------------------------------------------------

FIVE = [15, 20, 35, 40, 50]
HUNDRED = [float(i) for i in range(100, 0, -1)]  # 100.0 ... 1.0, descending on purpose
TAIL = [3.0] * 96 + [250.0, 180.0, 400.0, 210.0]


def _check_percentile(func: Callable) -> None:
    samples = [9.0, 1.0, 5.0]
    call_learner(func, "percentile([9.0, 1.0, 5.0], 50)", samples, 50)
    if samples != [9.0, 1.0, 5.0]:
        raise CheckFailed(f"percentile([9.0, 1.0, 5.0], 50) changed the caller's list to "
                          f"{samples!r}: sort a copy (sorted()), not the list itself")
    for samples, p in (([], 50), ([1.0], 0), ([1.0], 101), ([1.0, 2.0], -5)):
        try:
            func(list(samples), p)
        except ValueError:
            continue
        except NotImplementedError:
            raise
        except Exception as exc:
            raise CheckFailed(f"percentile({samples!r}, {p}) raised {type(exc).__name__}: "
                              "expected ValueError") from exc
        raise CheckFailed(f"percentile({samples!r}, {p}) returned without raising ValueError "
                          "(empty samples, or p outside (0, 100])")


PERCENTILE = Exercise(check=_check_percentile, cases=(
    Case(args=(FIVE, 30), expected=20, note="rank ceil(0.3 * 5) = 2"),
    Case(args=(FIVE, 40), expected=20, note="rank ceil(0.4 * 5) = 2 exactly"),
    Case(args=(FIVE, 50), expected=35),
    Case(args=(FIVE, 100), expected=50, note="p100 is the maximum"),
    Case(args=(FIVE, 1), expected=15),
    Case(args=([40, 15, 50, 20, 35], 50), expected=35, note="unsorted input"),
    Case(args=([7.5], 99), expected=7.5, note="one sample"),
    Case(args=(HUNDRED, 99), expected=99.0),
    Case(args=(HUNDRED, 95), expected=95.0),
    Case(args=(HUNDRED, 99.5), expected=100.0, note="rank ceil(99.5) = 100"),
    Case(args=(TAIL, 95), expected=3.0, note="4 slow requests in 100: p95 misses them"),
    Case(args=(TAIL, 99), expected=250.0, note="...p99 does not"),
))

# --- 2. orders_with_customers ---------------------------------------------------------------


def reference_orders(conn: sqlite3.Connection, limit: int) -> list[dict]:
    rows = conn.execute("SELECT o.id, o.total_cents, c.name FROM orders o "
                        "LEFT JOIN customers c ON c.id = o.customer_id "
                        "ORDER BY o.id DESC LIMIT ?", (limit,)).fetchall()
    return [{"id": i, "total_cents": t, "customer": name} for i, t, name in rows]


def _check_orders(func: Callable) -> None:
    for limit, guests in ((5, False), (10, True), (0, True), (500, True)):
        conn = sim_db.make_connection(customers=12, orders=40, guests=guests, seed=limit + 3)
        expected = reference_orders(conn, limit)
        call = f"orders_with_customers(conn, {limit})" + (" with guest orders" if guests else "")
        with sim_db.counting(conn) as statements:
            got = call_learner(func, call, conn, limit)
        conn.close()
        if got != expected:
            missing = [o for o in expected if o not in (got or [])][:2]
            raise CheckFailed(f"{call}\n  expected: {expected[:3]!r}... ({len(expected)} orders, "
                              f"newest first)\n  got:      {str(got)[:200]}"
                              + (f"\n  missing, e.g.: {missing!r}" if missing else ""))
        selects = [s for s in statements if s.upper().startswith("SELECT")]
        if limit and len(selects) != 1:
            raise CheckFailed(f"{call} sent {len(selects)} SELECT statements; one is the point "
                              f"of the exercise. The first two:\n  " + "\n  ".join(selects[:2]))


ORDERS = Exercise(check=_check_orders)

# --- 3. redact ------------------------------------------------------------------------------

LONG = "x" * 150


def _check_redact(func: Callable) -> None:
    payload = {"user": "ada", "password": "hunter2", "items": [{"sku": "a", "Token": "t"}]}
    original = copy.deepcopy(payload)
    got = call_learner(func, "redact(payload)", payload)
    if payload != original:
        raise CheckFailed(f"redact(payload) changed the caller's payload to {payload!r}: the "
                          "request handler still needs the real values; build a new structure")
    if got is payload:
        raise CheckFailed("redact(payload) returned the same object: return a new one")


REDACT = Exercise(check=_check_redact, cases=(
    Case(args=({},), expected={}),
    Case(args=({"user": "ada", "password": "hunter2"},),
         expected={"user": "ada", "password": "***"}),
    Case(args=({"Authorization": "Bearer abc", "API_KEY": "k"},),
         expected={"Authorization": "***", "API_KEY": "***"}, note="names are case-insensitive"),
    Case(args=({"user": {"name": "ada", "card_number": "4111111111111111"}},),
         expected={"user": {"name": "ada", "card_number": "***"}}, note="nested dict"),
    Case(args=({"logins": [{"token": "a"}, {"token": "b"}, "plain"]},),
         expected={"logins": [{"token": "***"}, {"token": "***"}, "plain"]}, note="lists"),
    Case(args=({"secret": {"nested": "value"}},), expected={"secret": "***"},
         note="a secret key hides its whole value"),
    Case(args=({"password_hint": "pet's name", "tokens_used": 3},),
         expected={"password_hint": "pet's name", "tokens_used": 3},
         note="only exact key names are secret"),
    Case(args=({"note": LONG},), expected={"note": "x" * 100 + "..."},
         note="strings over max_len are cut to max_len characters plus '...'"),
    Case(args=({"note": "y" * 100},), expected={"note": "y" * 100}, note="exactly max_len: kept"),
    Case(args=({"note": "abcdef"},), kwargs={"max_len": 3}, expected={"note": "abc..."}),
    Case(args=([{"password": "p"}, LONG],), expected=[{"password": "***"}, "x" * 100 + "..."],
         note="a list at the top"),
    Case(args=({"n": 1, "ok": True, "none": None, "ratio": 0.5},),
         expected={"n": 1, "ok": True, "none": None, "ratio": 0.5}, note="other values kept"),
    Case(args=(LONG,), expected="x" * 100 + "...", note="a bare string"),
))

# --- 4. request_trail -----------------------------------------------------------------------


def _line(time: str, service: str, request_id: str, message: str) -> str:
    return json.dumps({"time": time, "service": service, "request_id": request_id,
                       "message": message})


LINES = [
    _line("2026-05-01T10:00:00.300+00:00", "orders", "r-1", "order saved"),
    _line("2026-05-01T10:00:00.100+00:00", "gateway", "r-1", "POST /orders"),
    _line("2026-05-01T10:00:00.150+00:00", "gateway", "r-10", "GET /health"),
    "not json at all",
    _line("2026-05-01T12:00:00.200+02:00", "payments", "r-1", "card charged"),
    json.dumps({"time": "2026-05-01T10:00:00.250+00:00", "service": "payments",
                "message": "no request id here"}),
    _line("2026-05-01T10:00:00.400+00:00", "gateway", "r-1", "201 Created"),
    _line("2026-05-01T10:00:00.400+00:00", "orders", "r-1", "event published"),
    "",
]
TRAIL = ["gateway: POST /orders", "payments: card charged", "orders: order saved",
         "gateway: 201 Created", "orders: event published"]

REQUEST_TRAIL = Exercise(cases=(
    Case(args=(LINES, "r-1"), expected=TRAIL,
         note="times in different zones, a bad line, a tie kept in input order"),
    Case(args=(LINES, "r-10"), expected=["gateway: GET /health"],
         note="'r-1' is not 'r-10'"),
    Case(args=(LINES, "r-404"), expected=[], note="unknown id"),
    Case(args=([], "r-1"), expected=[]),
    Case(args=([_line("2026-05-01T10:00:00Z", "a", "x", "z time")], "x"),
         expected=["a: z time"], note="'Z' means UTC"),
    Case(args=(list(reversed(LINES)), "r-1"),
         expected=["gateway: POST /orders", "payments: card charged", "orders: order saved",
                   "orders: event published", "gateway: 201 Created"],
         note="reversed input: the tie keeps the new input order"),
))


EXERCISES: dict[str, Any] = {
    "percentile": PERCENTILE,
    "orders_with_customers": ORDERS,
    "redact": REDACT,
    "request_trail": REQUEST_TRAIL,
}
