"""Hidden checks for solutions/24_choosing_datastores.ipynb.

Four exercises: a cache-aside read with a TTL on a real Redis, a price update that
invalidates the cache only after the commit (real PostgreSQL and Redis), a JSONB
containment query (checked by ``sql_checks`` on PostgreSQL), and a streaming
content-addressed key for a blob. The server-backed checks start their own
servers (embedded, or DATABASE_URL / REDIS_URL) and stop them before returning.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from typing import Any

from interview_lab import sql_checks
from interview_lab.checks import CheckFailed, Exercise, call_learner

# --- 1. cache_get -----------------------------------------------------------------------


class _Loader:
    def __init__(self, value: Any):
        self.value, self.calls = value, 0

    def __call__(self) -> Any:
        self.calls += 1
        return self.value


def _check_cache_get(func: Callable) -> None:
    from interview_lab import redis_server

    with redis_server.server() as r:
        prefix = f"ex24:{random.randrange(10**9)}:"
        try:
            _cache_get_scenarios(func, r, prefix)
        finally:
            keys = list(r.scan_iter(f"{prefix}*"))
            if keys:
                r.delete(*keys)


def _cache_get_scenarios(func: Callable, r, prefix: str) -> None:
    def call(key: str, loader: _Loader, ttl: int) -> Any:
        return call_learner(func, f"cache_get(r, {key!r}, loader, ttl={ttl})", r, key, loader, ttl)

    page = {"id": 1, "name": "lamp", "tags": ["sale"]}
    key, loader = prefix + "product:1", _Loader(page)
    got = call(key, loader, 60)
    if got != page or loader.calls != 1:
        raise CheckFailed(f"a miss should call the loader once and return its value: got {got!r} "
                          f"after {loader.calls} loader calls")
    ttl = r.ttl(key)
    if not 0 < ttl <= 60:
        raise CheckFailed(f"after a miss with ttl=60, TTL of the key is {ttl} (-1 means no expiry, "
                          f"-2 not stored): store it with SET ... EX ttl")
    stored = r.get(key)
    try:
        decoded = json.loads(stored)
    except (TypeError, ValueError):
        decoded = object()
    if decoded != page:
        raise CheckFailed(f"the cached text should be the value as JSON, Redis holds {stored!r}")
    again = call(key, loader, 60)
    if again != page or loader.calls != 1:
        raise CheckFailed(f"a hit must not call the loader: {loader.calls} calls after two reads, "
                          f"second read returned {again!r}")
    for falsy in (0, [], ""):
        fkey, floader = prefix + f"falsy:{falsy!r}", _Loader(falsy)
        first, second = call(fkey, floader, 30), call(fkey, floader, 30)
        same = first == falsy and second == falsy and type(second) is type(falsy)
        if not same or floader.calls != 1:
            raise CheckFailed(f"a loader value of {falsy!r} is a real value and should be cached: "
                              f"got {first!r} then {second!r} with {floader.calls} loader calls")
    nkey, nloader = prefix + "missing", _Loader(None)
    first = call(nkey, nloader, 30)
    if first is not None or r.exists(nkey):
        raise CheckFailed(f"a loader result of None should be returned and not cached: got "
                          f"{first!r}, key stored: {bool(r.exists(nkey))}")
    call(nkey, nloader, 30)
    if nloader.calls != 2:
        raise CheckFailed("None is not cached, so a second read should call the loader again")
    pkey, ploader = prefix + "product:2", _Loader({"other": True})
    r.set(pkey, json.dumps({"id": 2, "cached": True}), ex=30)
    got = call(pkey, ploader, 30)
    if got != {"id": 2, "cached": True} or ploader.calls:
        raise CheckFailed(f"a value cached by another process should be returned as is: "
                          f"got {got!r}")
    tkey, tloader = prefix + "ttl", _Loader("x")
    call(tkey, tloader, 5)
    if not 0 < r.ttl(tkey) <= 5:
        raise CheckFailed(f"ttl=5 should give the key a TTL of at most 5 s, it is {r.ttl(tkey)}")


# --- 2. update_price --------------------------------------------------------------------

_PRODUCTS = [(1, "lamp", 1999), (2, "desk", 15900), (3, "chair", 8900)]


class _SpyRedis:
    """Passes everything to a real client; records, at each delete, whether the new price
    was already committed (seen from another connection)."""

    def __init__(self, real, committed: Callable[[], bool]):
        self._real, self._committed, self.deletes = real, committed, []

    def delete(self, *keys):
        self.deletes.append((keys, self._committed()))
        return self._real.delete(*keys)

    def unlink(self, *keys):
        self.deletes.append((keys, self._committed()))
        return self._real.unlink(*keys)

    def __getattr__(self, name):
        return getattr(self._real, name)


def _check_update_price(func: Callable) -> None:
    from interview_lab import postgres, redis_server

    with postgres.server(fast=True) as db, redis_server.server() as r, \
            db.connect(autocommit=True) as observer:
        observer.execute("CREATE TABLE product (id int PRIMARY KEY, name text NOT NULL,"
                         " price_cents int NOT NULL)")
        observer.cursor().executemany("INSERT INTO product VALUES (%s, %s, %s)", _PRODUCTS)
        try:
            _update_price_scenarios(func, db, r, observer)
        finally:
            r.delete(*[f"product:{pid}" for pid, _, _ in _PRODUCTS], "product:99")


def _price(observer, product_id: int):
    query = "SELECT price_cents FROM product WHERE id = %s"
    row = observer.execute(query, (product_id,)).fetchone()
    return row and row[0]


def _update_price_scenarios(func: Callable, db, r, observer) -> None:
    for pid, name, price in _PRODUCTS:
        r.set(f"product:{pid}", json.dumps({"id": pid, "name": name, "price_cents": price}), ex=300)
    new = 2499
    spy = _SpyRedis(r, lambda: _price(observer, 1) == new)
    conn = db.connect()  # not autocommit: the function must commit
    try:
        got = call_learner(func, f"update_price(conn, r, 1, {new})", conn, spy, 1, new)
    finally:
        conn.close()  # rolls back whatever was not committed
    if got is not True:
        raise CheckFailed(f"update_price(conn, r, 1, {new}) should return True for an existing "
                          f"product, got {got!r}")
    if _price(observer, 1) != new:
        raise CheckFailed(f"after update_price(conn, r, 1, {new}) another connection sees price "
                          f"{_price(observer, 1)}: the change was not committed")
    if r.exists("product:1"):
        raise CheckFailed("after the update, the cached copy 'product:1' is still in Redis: "
                          "readers get the old price until the TTL ends")
    if not spy.deletes or not all(committed for _, committed in spy.deletes):
        raise CheckFailed("the cache key was deleted before the new price was committed: a reader "
                          "in between re-caches the old price. Commit first, then delete")
    if not (r.exists("product:2") and r.exists("product:3")):
        raise CheckFailed("updating product 1 removed other products' cache entries: delete only "
                          "'product:1'")
    r.set("product:99", json.dumps({"id": 99}), ex=300)
    conn = db.connect()
    try:
        got = call_learner(func, "update_price(conn, r, 99, 100)", conn, _SpyRedis(r, lambda: True),
                           99, 100)
    finally:
        conn.close()
    if got is not False:
        raise CheckFailed(f"update_price(conn, r, 99, 100) for a product that does not exist "
                          f"should return False, got {got!r}")
    if observer.execute("SELECT count(*) FROM product WHERE id = 99").fetchone()[0]:
        raise CheckFailed("update_price created product 99: an update must not insert")
    if _price(observer, 2) != 15900 or _price(observer, 3) != 8900:
        raise CheckFailed("other products' prices changed: the UPDATE needs WHERE id = product_id")


# --- 3. red_sale_products (SQL, PostgreSQL) ---------------------------------------------

_SCHEMA = "CREATE TABLE product (id int PRIMARY KEY, name text NOT NULL, attrs jsonb);\n"


def _rows(*rows: tuple[int, str, str | None]) -> str:
    values = ", ".join(
        f"({pid}, '{name}', {'NULL' if attrs is None else repr(attrs) + '::jsonb'})"
        for pid, name, attrs in rows)
    return _SCHEMA + (f"INSERT INTO product VALUES {values};" if rows else "")


RED_SALE = sql_checks.exercise(
    fixtures=[
        _rows((1, "mug", '{"color": "red", "tags": ["sale"]}'),
              (2, "cap", '{"color": "blue", "tags": ["sale"]}'),
              (3, "scarf", '{"color": "red", "tags": ["new", "sale"], "size": "M"}'),
              (4, "sock", '{"color": "red", "tags": ["new"]}')),
        _rows((1, "hat", '{"color": "Red", "tags": ["sale"]}'),
              (2, "bag", '{"color": "red", "tags": ["wholesale"]}'),
              (3, "kit", '{"variant": {"color": "red"}, "tags": ["sale"]}'),
              (4, "pen", '{"color": "red"}'),
              (5, "pad", None),
              (6, "cup", '{"color": "red", "tags": "sale"}'),
              (7, "bowl", '{"color": "red", "tags": ["sale"], "note": "color red"}')),
        _rows(),
        _rows((1, "mug", '{"color": "red", "tags": ["sale"]}'),
              (2, "mug", '{"tags": ["sale", "gift"], "color": "red"}'),
              (3, "mug", '{"color": ["red"], "tags": ["sale"]}')),
    ],
    reference="""SELECT id, name FROM product
                 WHERE attrs @> '{"color": "red", "tags": ["sale"]}'""",
    database="postgres",
)

# --- 4. content_key ---------------------------------------------------------------------

MAX_READ = 1 << 20


class _Stream:
    """A readable stream that refuses reads larger than 1 MiB and may return short reads."""

    def __init__(self, data: bytes, short: int | None = None):
        self.data, self.pos, self.short, self.reads = data, 0, short, 0

    def read(self, n: int = -1) -> bytes:
        self.reads += 1
        if n is None or n < 0 or n > MAX_READ:
            raise CheckFailed(f"content_key read with size {n!r}: read at most {MAX_READ} bytes "
                              f"at a time, never the whole stream")
        if self.short:
            n = min(n, self.short)
        chunk = self.data[self.pos:self.pos + n]
        self.pos += len(chunk)
        return chunk


def _expected_key(data: bytes) -> tuple[str, int]:
    hexdigest = hashlib.sha256(data).hexdigest()
    return f"sha256/{hexdigest[:2]}/{hexdigest}", len(data)


def _check_content_key(func: Callable) -> None:
    rng = random.Random(24)
    samples = [
        ("an empty stream", b"", None),
        ("5 bytes", b"hello", None),
        ("exactly 1 MiB", rng.randbytes(MAX_READ), None),
        ("3 MiB + 5 bytes", rng.randbytes(3 * MAX_READ + 5), None),
        ("a stream that returns at most 1000 bytes per read (like a socket)",
         rng.randbytes(250_000), 1000),
    ]
    for label, data, short in samples:
        stream = _Stream(data, short)
        got = call_learner(func, f"content_key(<{label}>)", stream)
        want = _expected_key(data)
        if got != want:
            raise CheckFailed(f"content_key(<{label}>)\n  expected: {want!r}\n  got:      {got!r}")
        if stream.pos != len(data):
            raise CheckFailed(f"content_key(<{label}>) stopped after {stream.pos} of {len(data)} "
                              f"bytes: keep reading until read() returns b''")


EXERCISES = {
    "cache_get": Exercise(check=_check_cache_get, time_limit=10.0),
    "update_price": Exercise(check=_check_update_price, time_limit=15.0),
    "red_sale_products": RED_SALE,
    "content_key": Exercise(check=_check_content_key),
}
