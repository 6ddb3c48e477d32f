"""Helpers for lesson 24 (choosing a datastore): a decision table, JSONB data, a blob store
stand-in, and cache-aside with a real Redis.

- ``choose(need)`` maps a requirement profile to a kind of store, with the reason.
- ``JSONB_SCHEMA`` / ``load_products`` build a seeded product catalogue whose ``attrs``
  column is JSONB with a different shape per kind of product; ``plan_nodes`` reads an
  ``EXPLAIN (FORMAT JSON)`` plan into its node types.
- ``LocalBucket`` is a LOCAL DIRECTORY STANDING IN FOR AN S3-COMPATIBLE BUCKET (no
  network here): content-addressed keys (SHA-256 of the bytes), streaming upload and
  download in chunks, and ``upload``/``orphans`` keep a metadata row per file in PostgreSQL.
- ``cache_aside``, ``invalidate_after_commit`` and ``get_with_lock`` are the caching
  patterns the lesson measures on Redis; ``run_stampede`` races threads at a cold key.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import psycopg
import redis

CHUNK = 1 << 20  # 1 MiB: what streaming reads and writes at a time

# --- 1. the decision table ---------------------------------------------------------------


@dataclass(frozen=True)
class Need:
    """A requirement profile, the questions to ask before naming a product.

    access: "relational" (joins, ad-hoc filters, aggregates), "by_key" (get/put by id),
    "document" (read/write one nested aggregate whole), "text_search" (relevance, typos),
    "blob" (files, images, video).
    consistency: "strict" (transactions, constraints) or "eventual" (stale reads are OK).
    scale: "one_node" (fits a primary + replicas) or "partitioned" (must shard writes).
    schema: "fixed", "evolving" (columns added over time) or "per_record" (shape varies).
    """

    access: str
    consistency: str = "strict"
    scale: str = "one_node"
    schema: str = "fixed"


ACCESS = ("relational", "by_key", "document", "text_search", "blob")


def choose(need: Need) -> tuple[str, str]:
    """(store, reason) for a requirement profile: the default is PostgreSQL."""
    if need.access not in ACCESS:
        raise ValueError(f"unknown access pattern {need.access!r}; one of {ACCESS}")
    if need.access == "blob":
        return ("object storage + metadata row in PostgreSQL",
                "bytes streamed to a bucket, queryable facts (owner, size, hash) in SQL")
    if need.access == "text_search":
        if need.scale == "one_node":
            return ("PostgreSQL full-text (tsvector + GIN)",
                    "good enough ranking, no second system to keep in sync")
        return ("search engine (OpenSearch/Elasticsearch) fed from PostgreSQL",
                "relevance, fuzzy matching, facets, scaled out; not the source of truth")
    if need.access == "by_key" and need.consistency == "eventual":
        return ("key-value store (Redis)",
                "sub-millisecond get/set with TTL: cache, sessions, rate limits")
    if need.access == "by_key" and need.scale == "partitioned":
        return ("partitioned key-value store (DynamoDB, Cassandra)",
                "writes spread by key over many nodes; queries only by key")
    if need.access == "document" and need.scale == "partitioned":
        return ("document store (MongoDB)",
                "one aggregate per document, built-in sharding and failover")
    if need.access == "document" or need.schema == "per_record":
        return ("PostgreSQL with JSONB",
                "flexible shape per row, still SQL, joins, constraints, transactions")
    return ("PostgreSQL", "relations, constraints and transactions; add replicas first")


# --- 2. JSONB in PostgreSQL --------------------------------------------------------------

JSONB_SCHEMA = """
CREATE TABLE product (
    id          int PRIMARY KEY,
    name        text NOT NULL,
    price_cents int  NOT NULL,
    attrs       jsonb NOT NULL DEFAULT '{}'
);
"""

# Three kinds of product, three shapes of attrs. 1 in 200 shirts is XL, 1 in 3 laptops has 32 GB.
_LOAD = """
INSERT INTO product
SELECT g, 'product ' || g, 100 + (g * 37) %% 10000,
       CASE g %% 3
         WHEN 0 THEN jsonb_build_object(
                'kind', 'shirt', 'color', (ARRAY['red', 'blue', 'green'])[1 + (g / 3) %% 3],
                'sizes', CASE WHEN g %% 600 = 0 THEN '["M", "XL"]'::jsonb ELSE '["S", "M"]' END)
         WHEN 1 THEN jsonb_build_object(
                'kind', 'book', 'isbn', '978' || lpad(g::text, 10, '0'), 'pages', 50 + g %% 700)
         ELSE jsonb_build_object(
                'kind', 'laptop', 'ram_gb', (ARRAY[8, 16, 32])[1 + (g / 3) %% 3],
                'ports', '["usb-c", "hdmi"]'::jsonb)
       END
FROM generate_series(1, %s) AS g
"""


def load_products(conn: psycopg.Connection, rows: int) -> None:
    """Create and fill ``product`` (generate_series, deterministic), then ANALYZE it."""
    conn.execute(JSONB_SCHEMA)
    conn.execute(_LOAD, (rows,))
    conn.execute("ANALYZE product")


def plan(conn: psycopg.Connection, query: str, params: Any = None) -> dict:
    """The top plan node of ``EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)``."""
    row = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {query}", params).fetchone()
    return row[0][0]["Plan"]


def plan_nodes(node: dict) -> list[str]:
    """Node types of a plan tree, depth first (e.g. ['Bitmap Heap Scan', 'Bitmap Index Scan'])."""
    found = [node["Node Type"]]
    for child in node.get("Plans", []):
        found += plan_nodes(child)
    return found


def filenode(conn: psycopg.Connection, table: str) -> int:
    """The table's file on disk: a new number means PostgreSQL rewrote the whole table."""
    return conn.execute("SELECT pg_relation_filenode(%s::regclass)", (table,)).fetchone()[0]


# --- 3. blobs: a local directory standing in for an S3-compatible bucket ------------------

FILES_SCHEMA = """
CREATE TABLE IF NOT EXISTS stored_file (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id     int    NOT NULL,
    filename     text   NOT NULL CHECK (filename <> ''),
    content_type text   NOT NULL,
    size_bytes   bigint NOT NULL,
    object_key   text   NOT NULL,           -- where the bytes are: the bucket key
    uploaded_at  timestamptz NOT NULL DEFAULT now()
);
"""


class LocalBucket:
    """A local directory STANDING IN FOR an S3-compatible bucket (no network in this lab).

    Keys are content addresses, ``sha256/ab/abcdef...``: the same bytes get the same key,
    so a second upload stores nothing new, and a reader can verify what it got. Uploads
    stream in ``CHUNK``-sized pieces to a temp file and are renamed into place only when
    complete (an object is never visible half-written, like an S3 PUT).
    """

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / key

    def put_stream(self, stream: BinaryIO) -> tuple[str, int]:
        """Store everything ``stream`` yields; return (key, size). Memory use: one chunk."""
        digest, size = hashlib.sha256(), 0
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
            key = f"sha256/{digest.hexdigest()[:2]}/{digest.hexdigest()}"
            target = self._path(key)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)  # atomic: readers see no object or the whole object
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return key, size

    def get_stream(self, key: str) -> Iterator[bytes]:
        """Yield the object's bytes chunk by chunk, checking them against the key at the end."""
        digest = hashlib.sha256()
        with open(self._path(key), "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                yield chunk
        if not key.endswith(digest.hexdigest()):
            raise OSError(f"object {key} is corrupt: its bytes hash to {digest.hexdigest()}")

    def keys(self) -> set[str]:
        return {str(p.relative_to(self.root)) for p in self.root.glob("sha256/*/*")}


def upload(conn: psycopg.Connection, bucket: LocalBucket, stream: BinaryIO, *, owner_id: int,
           filename: str, content_type: str) -> int:
    """Bytes to the bucket first, then the metadata row in one transaction; returns its id.

    If the INSERT fails, the object stays behind unreferenced (an orphan, found by
    ``orphans`` and deleted by a periodic sweep); the other order would leave a row
    pointing at bytes that were never stored.
    """
    key, size = bucket.put_stream(stream)
    with conn.transaction():
        return conn.execute(
            "INSERT INTO stored_file (owner_id, filename, content_type, size_bytes, object_key)"
            " VALUES (%s, %s, %s, %s, %s) RETURNING id",
            (owner_id, filename, content_type, size, key)).fetchone()[0]


def orphans(conn: psycopg.Connection, bucket: LocalBucket) -> set[str]:
    """Objects no metadata row points at (what a garbage-collection sweep would delete)."""
    referenced = {k for (k,) in conn.execute("SELECT DISTINCT object_key FROM stored_file")}
    return bucket.keys() - referenced


class PatternStream:
    """A readable stream of ``size`` pseudo-random bytes made on the fly (no file, no RAM)."""

    def __init__(self, size: int, seed: int = 0):
        self.left, self._block = size, random.Random(seed).randbytes(64 * 1024)
        self.largest_read = 0

    def read(self, n: int = -1) -> bytes:
        n = self.left if n is None or n < 0 else min(n, self.left)
        self.largest_read = max(self.largest_read, n)
        whole, rest = divmod(n, len(self._block))
        data = self._block * whole + self._block[:rest]
        self.left -= n
        return data


# --- 4. caching with Redis ---------------------------------------------------------------


class CountingLoader:
    """Wraps a loader and counts calls (thread-safe): the 'database reads' of a cache demo."""

    def __init__(self, load: Callable[..., Any], delay: float = 0.0):
        self.load, self.delay, self.calls = load, delay, 0
        self._lock = threading.Lock()

    def __call__(self, *args: Any) -> Any:
        with self._lock:
            self.calls += 1
        if self.delay:
            time.sleep(self.delay)
        return self.load(*args)


def cache_aside(r: redis.Redis, key: str, load: Callable[[], Any], ttl: int) -> Any:
    """Cache-aside read: Redis first; on a miss load from the database and keep it ``ttl`` s.

    Values are stored as JSON text; a ``None`` from the loader is not cached.
    """
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)
    value = load()
    if value is not None:
        r.set(key, json.dumps(value), ex=ttl)
    return value


PRODUCT_SQL = """
SELECT p.id, p.name, p.price_cents, count(v.id), round(avg(v.stars), 2)::float
FROM product p LEFT JOIN review v ON v.product_id = p.id
WHERE p.id = %s GROUP BY p.id
"""

REVIEWS_SETUP = (
    "CREATE TABLE review (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " product_id int NOT NULL REFERENCES product, stars int NOT NULL)",
    "SELECT setseed(0.24)",
    # Skewed like the traffic: product 1 gets the most reviews, the tail gets few or none.
    "INSERT INTO review (product_id, stars)"
    " SELECT 1 + floor(%(products)s * power(random(), 3))::int, 1 + floor(random() * 5)::int"
    " FROM generate_series(1, %(reviews)s) g",
    "CREATE INDEX ON review (product_id)",
    "ANALYZE review",
)


def load_reviews(conn: psycopg.Connection, products: int, reviews: int) -> None:
    """``reviews`` reviews, seeded, skewed to low product ids (the popular ones), indexed."""
    for statement in REVIEWS_SETUP:
        conn.execute(statement, {"products": products, "reviews": reviews})


def product_page(conn: psycopg.Connection, product_id: int) -> dict | None:
    """The product page's data: one aggregate query (what the cache saves us)."""
    row = conn.execute(PRODUCT_SQL, (product_id,)).fetchone()
    if row is None:
        return None
    return {"id": row[0], "name": row[1], "price_cents": row[2], "reviews": row[3],
            "stars": row[4]}


def zipf_ids(n: int, products: int, *, s: float = 1.1, seed: int = 24) -> list[int]:
    """``n`` product ids, a few very popular and a long tail (Zipf-like), seeded."""
    weights = [1 / (rank ** s) for rank in range(1, products + 1)]
    return random.Random(seed).choices(range(1, products + 1), weights=weights, k=n)


def keyspace_stats(r: redis.Redis) -> tuple[int, int]:
    """(keyspace_hits, keyspace_misses) from INFO stats: Redis's own count of GET results."""
    stats = r.info("stats")
    return stats["keyspace_hits"], stats["keyspace_misses"]


def invalidate_after_commit(conn: psycopg.Connection, r: redis.Redis, product_id: int,
                            price_cents: int) -> None:
    """The write path: update and COMMIT, then delete the cached copy (never before)."""
    with conn.transaction():
        conn.execute("UPDATE product SET price_cents = %s WHERE id = %s",
                     (price_cents, product_id))
    r.delete(f"product:{product_id}")


_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


def get_with_lock(r: redis.Redis, key: str, load: Callable[[], Any], ttl: int, *,
                  lock_ms: int = 5000, poll: float = 0.01, max_wait: float = 5.0) -> Any:
    """Cache-aside with stampede protection: on a miss only the holder of a short lock loads.

    The lock is ``SET lock:key token NX PX lock_ms`` (it expires by itself if the holder
    dies); it is released only by its holder (a Lua compare-and-delete). The holder reads
    the cache once more before loading; everyone else polls the cache, and after
    ``max_wait`` loads by itself rather than fail.
    """
    deadline = time.monotonic() + max_wait
    token = secrets.token_hex(8)
    while True:
        cached = r.get(key)
        if cached is not None:
            return json.loads(cached)
        if r.set(f"lock:{key}", token, nx=True, px=lock_ms):
            try:
                # Check again: the previous holder may have filled the cache and let go of
                # the lock between our miss above and our SET NX (double-checked locking).
                cached = r.get(key)
                if cached is not None:
                    return json.loads(cached)
                value = load()
                r.set(key, json.dumps(value), ex=ttl)
                return value
            finally:
                r.eval(_RELEASE, 1, f"lock:{key}", token)
        if time.monotonic() > deadline:
            return load()
        time.sleep(poll)


def run_stampede(r: redis.Redis, key: str, *, threads: int, protected: bool,
                 load_seconds: float = 0.2) -> int:
    """``threads`` requests hit a cold key at the same instant; returns database loads."""
    loader = CountingLoader(lambda: {"hot": True}, delay=load_seconds)
    start = threading.Barrier(threads, timeout=10)
    r.delete(key, f"lock:{key}")

    def request() -> Any:
        start.wait()
        if protected:
            return get_with_lock(r, key, loader, ttl=60)
        return cache_aside(r, key, loader, ttl=60)

    with ThreadPoolExecutor(threads) as pool:
        results = [f.result(timeout=30) for f in [pool.submit(request) for _ in range(threads)]]
    assert all(result == {"hot": True} for result in results)
    return loader.calls
