"""Plausible wrong answers for solutions/20_api_performance_logging.ipynb; each must be rejected."""

from __future__ import annotations

import json
import math
import statistics
from datetime import datetime

# --- percentile ---------------------------------------------------------------------------


def percentile_off_by_one(samples, p):
    """int(p/100 * n) as an index: one rank too high (and IndexError at p=100)."""
    if not samples or not 0 < p <= 100:
        raise ValueError(p)
    return sorted(samples)[int(p / 100 * len(samples))]


def percentile_interpolated(samples, p):
    """statistics.quantiles interpolates: an answer that may be no sample at all."""
    if not samples or not 0 < p <= 100:
        raise ValueError(p)
    if p == 100 or len(samples) < 2:
        return max(samples)
    return statistics.quantiles(samples, n=100, method="inclusive")[round(p) - 1]


def percentile_sorts_in_place(samples, p):
    """Right ranks, but list.sort() reorders the caller's samples."""
    if not samples or not 0 < p <= 100:
        raise ValueError(p)
    samples.sort()
    return samples[math.ceil(p * len(samples) / 100) - 1]


def percentile_no_validation(samples, p):
    """Right for good input; p=0 silently returns the maximum (index -1)."""
    ordered = sorted(samples)
    return ordered[math.ceil(p * len(ordered) / 100) - 1]


# --- orders_with_customers ----------------------------------------------------------------


def orders_n_plus_one(conn, limit):
    """Right rows, one query per order: the N+1 the exercise is about."""
    page = []
    for order_id, customer_id, total in conn.execute(
            "SELECT id, customer_id, total_cents FROM orders ORDER BY id DESC LIMIT ?", (limit,)):
        name = None
        if customer_id is not None:
            name = conn.execute("SELECT name FROM customers WHERE id = ?",
                                (customer_id,)).fetchone()[0]
        page.append({"id": order_id, "total_cents": total, "customer": name})
    return page


def orders_inner_join(conn, limit):
    """An inner JOIN drops guest orders (customer_id NULL) from the page."""
    rows = conn.execute("SELECT o.id, o.total_cents, c.name FROM orders o "
                        "JOIN customers c ON c.id = o.customer_id "
                        "ORDER BY o.id DESC LIMIT ?", (limit,)).fetchall()
    return [{"id": i, "total_cents": t, "customer": n} for i, t, n in rows]


def orders_oldest_first(conn, limit):
    """Forgets DESC: the oldest orders instead of the newest."""
    rows = conn.execute("SELECT o.id, o.total_cents, c.name FROM orders o "
                        "LEFT JOIN customers c ON c.id = o.customer_id "
                        "ORDER BY o.id LIMIT ?", (limit,)).fetchall()
    return [{"id": i, "total_cents": t, "customer": n} for i, t, n in rows]


def orders_two_queries(conn, limit):
    """Orders, then all customers in a second query, matched in Python: 2 statements."""
    orders = conn.execute("SELECT id, customer_id, total_cents FROM orders "
                          "ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    names = dict(conn.execute("SELECT id, name FROM customers").fetchall())
    return [{"id": i, "total_cents": t, "customer": names.get(c)} for i, c, t in orders]


# --- redact -------------------------------------------------------------------------------

SECRET = {"password", "token", "authorization", "api_key", "secret", "card_number"}


def _cut(value, max_len):
    return value[:max_len] + "..." if isinstance(value, str) and len(value) > max_len else value


def redact_top_level_only(payload, max_len=100):
    """Masks top-level keys only: nested secrets leak."""
    if not isinstance(payload, dict):
        return _cut(payload, max_len)
    return {k: "***" if k.lower() in SECRET else _cut(v, max_len) for k, v in payload.items()}


def redact_case_sensitive(payload, max_len=100):
    """Compares key names as written: 'Authorization' and 'API_KEY' leak."""
    if isinstance(payload, dict):
        return {k: "***" if k in SECRET else redact_case_sensitive(v, max_len)
                for k, v in payload.items()}
    if isinstance(payload, list):
        return [redact_case_sensitive(v, max_len) for v in payload]
    return _cut(payload, max_len)


def redact_in_place(payload, max_len=100):
    """Right output, but it overwrites the caller's payload."""
    if isinstance(payload, dict):
        for k, v in payload.items():
            payload[k] = "***" if k.lower() in SECRET else redact_in_place(v, max_len)
        return payload
    if isinstance(payload, list):
        payload[:] = [redact_in_place(v, max_len) for v in payload]
        return payload
    return _cut(payload, max_len)


def redact_substring(payload, max_len=100):
    """Any key containing a secret word counts: masks 'password_hint' and 'tokens_used'."""
    if isinstance(payload, dict):
        return {k: "***" if any(s in k.lower() for s in SECRET) else redact_substring(v, max_len)
                for k, v in payload.items()}
    if isinstance(payload, list):
        return [redact_substring(v, max_len) for v in payload]
    return _cut(payload, max_len)


def redact_cut_at_or_over(payload, max_len=100):
    """Off by one: also cuts a string of exactly max_len characters."""
    if isinstance(payload, dict):
        return {k: "***" if k.lower() in SECRET else redact_cut_at_or_over(v, max_len)
                for k, v in payload.items()}
    if isinstance(payload, list):
        return [redact_cut_at_or_over(v, max_len) for v in payload]
    if isinstance(payload, str) and len(payload) >= max_len:
        return payload[:max_len] + "..."
    return payload


# --- request_trail ------------------------------------------------------------------------


def _records(lines):
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and {"time", "service", "request_id", "message"} <= set(record):
            yield record


def trail_sorted_as_text(lines, request_id):
    """Sorts the ISO strings as text: wrong when services log in different time zones."""
    mine = [r for r in _records(lines) if r["request_id"] == request_id]
    return [f"{r['service']}: {r['message']}" for r in sorted(mine, key=lambda r: r["time"])]


def trail_substring_match(lines, request_id):
    """Finds the id anywhere in the line: 'r-1' also matches 'r-10'."""
    mine = [r for line, r in zip(lines, map(_maybe, lines), strict=True)
            if r is not None and request_id in line]
    mine.sort(key=lambda r: datetime.fromisoformat(r["time"]))
    return [f"{r['service']}: {r['message']}" for r in mine]


def _maybe(line):
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) and "time" in record else None


def trail_crashes_on_bad_lines(lines, request_id):
    """json.loads on every line: the first malformed line raises."""
    mine = [r for r in map(json.loads, lines) if r.get("request_id") == request_id]
    mine.sort(key=lambda r: datetime.fromisoformat(r["time"]))
    return [f"{r['service']}: {r['message']}" for r in mine]


def trail_input_order(lines, request_id):
    """Keeps arrival order: logs from several services do not arrive in time order."""
    return [f"{r['service']}: {r['message']}" for r in _records(lines)
            if r["request_id"] == request_id]


WRONG = {
    "percentile": [percentile_off_by_one, percentile_interpolated, percentile_sorts_in_place,
                   percentile_no_validation],
    "orders_with_customers": [orders_n_plus_one, orders_inner_join, orders_oldest_first,
                              orders_two_queries],
    "redact": [redact_top_level_only, redact_case_sensitive, redact_in_place, redact_substring,
               redact_cut_at_or_over],
    "request_trail": [trail_sorted_as_text, trail_substring_match, trail_crashes_on_bad_lines,
                      trail_input_order],
}
