"""A Flask pricing API with a memory leak, and the same API fixed.

``GET /quote?sku=...&qty=...&ts=...`` returns a price list for one product and
quantity. The leaky app memoizes each answer in a module-level dict keyed by
the full request path. Clients add a cache-busting ``ts`` parameter, so every
request is a new key: the dict gains an entry per request and is never
emptied, for as long as the worker process lives. That is the most common
leak in a web app: an unbounded cache (or list, or registry) at module level.

The fixed app caches on what the answer depends on (sku and quantity) with a
bounded ``functools.lru_cache``, so its memory stops growing once the cache is
full, whatever the clients send.
"""

from __future__ import annotations

import functools

from flask import Flask, request

TIERS = 128  # price points per quote: each cached answer is a few KiB

PRICES = {f"sku-{i}": 1.0 + i * 0.25 for i in range(20)}


def price_list(sku: str, qty: int) -> list[float]:
    """The expensive part of a quote (stands in for a database lookup and some maths)."""
    base = PRICES.get(sku, 9.99) * qty
    return [round(base * (1 - tier / 200), 2) for tier in range(TIERS)]


# --- the leaky app -----------------------------------------------------------------

leaky_app = Flask("leaky_flask")
_quotes: dict[str, list[float]] = {}  # module level: lives as long as the process


@leaky_app.get("/quote")
def quote() -> dict:
    sku, qty = request.args.get("sku", "sku-0"), request.args.get("qty", 1, type=int)
    key = request.full_path  # includes ?ts=...: a new key on every request
    if key not in _quotes:
        _quotes[key] = [round(p * 1.2, 2) for p in price_list(sku, qty)]  # gross prices
    return {"sku": sku, "qty": qty, "prices": _quotes[key][:3]}


def leaked_entries() -> int:
    """How many answers the leaky app is holding on to."""
    return len(_quotes)


def reset() -> None:
    """Empty the leaky cache (what a process restart does in production)."""
    _quotes.clear()


# --- the fixed app -----------------------------------------------------------------

fixed_app = Flask("fixed_flask")


@functools.lru_cache(maxsize=256)
def gross_prices(sku: str, qty: int) -> tuple[float, ...]:
    """Cached on the inputs the answer depends on; at most 256 answers kept."""
    return tuple(round(p * 1.2, 2) for p in price_list(sku, qty))


@fixed_app.get("/quote")
def quote_fixed() -> dict:
    sku, qty = request.args.get("sku", "sku-0"), request.args.get("qty", 1, type=int)
    return {"sku": sku, "qty": qty, "prices": list(gross_prices(sku, qty)[:3])}
