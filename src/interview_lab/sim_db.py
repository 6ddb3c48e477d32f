"""A "remote" database for the API-performance lesson: SQLite plus a simulated round trip.

SQLite runs inside the process, so a query costs microseconds. A real database
server (PostgreSQL, MySQL) sits across a network, and every statement costs at
least one round trip: roughly 0.1-1 ms inside one data centre, more across
zones. That per-statement cost is what makes an N+1 query pattern slow.

To make it visible, and to make the lesson's speed-up ratios depend on the
number of round trips rather than on how busy the laptop is, every statement
here first waits ``latency`` seconds: ``time.sleep`` for sync callers,
``await asyncio.sleep`` for async ones. **That wait is simulated.** What is
real is the SQL, the rows, and the count of statements, which comes from
SQLite itself (``sqlite3.Connection.set_trace_callback`` is called for each
statement SQLite executes).

Per-request bookkeeping lives in a context variable, ``current``: a middleware
(or a test) opens ``track()``, and every statement run in that context, even in
a worker thread that copied the context, is added to the same ``QueryLog``.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

DEFAULT_LATENCY = 0.005  # seconds per statement: a slow-ish network hop, made obvious

SCHEMA = """
CREATE TABLE customers (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    tier TEXT NOT NULL
);
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER REFERENCES customers(id),
    total_cents INTEGER NOT NULL
);
CREATE INDEX orders_customer ON orders(customer_id);
"""

ORDERS_SQL = "SELECT id, customer_id, total_cents FROM orders ORDER BY id DESC LIMIT ?"
CUSTOMER_SQL = "SELECT id, name, tier FROM customers WHERE id = ?"
JOINED_SQL = """
SELECT o.id, o.total_cents, c.id, c.name, c.tier
FROM orders AS o LEFT JOIN customers AS c ON c.id = o.customer_id
ORDER BY o.id DESC LIMIT ?
"""


@dataclass
class QueryLog:
    """What one request (or one ``track()`` block) sent to the database."""

    statements: list[str] = field(default_factory=list)
    waited: float = 0.0  # simulated round-trip seconds, summed

    @property
    def count(self) -> int:
        return len(self.statements)


current: contextvars.ContextVar[QueryLog | None] = contextvars.ContextVar("sim_db_log",
                                                                           default=None)


@contextlib.contextmanager
def track() -> Iterator[QueryLog]:
    """Collect every statement run in this context (and contexts copied from it)."""
    log = QueryLog()
    token = current.set(log)
    try:
        yield log
    finally:
        current.reset(token)


def _normalise(sql: str) -> str:
    return " ".join(sql.split())


class SimulatedDB:
    """SQLite in memory behind a simulated network round trip of ``latency`` seconds."""

    def __init__(self, latency: float = DEFAULT_LATENCY, *, customers: int = 50,
                 orders: int = 500, seed: int = 20) -> None:
        self.latency = latency
        self.total_statements = 0
        self._lock = threading.Lock()  # one connection shared by the server's threads
        self.conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self.conn.executescript(SCHEMA)
        fill(self.conn, customers=customers, orders=orders, seed=seed)
        self.conn.set_trace_callback(self._traced)

    def _traced(self, sql: str) -> None:
        self.total_statements += 1
        log = current.get()
        if log is not None:
            log.statements.append(_normalise(sql))

    def _execute(self, sql: str, params: tuple) -> list[tuple]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run one statement from sync code: a blocking (simulated) round trip first."""
        time.sleep(self.latency)
        self._add_wait()
        return self._execute(sql, params)

    async def aquery(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run one statement from async code: the (simulated) round trip is awaited.

        A real async driver needs one connection per statement in flight (a pool);
        this simulation lets statements overlap on one connection.
        """
        await asyncio.sleep(self.latency)
        self._add_wait()
        return self._execute(sql, params)

    def _add_wait(self) -> None:
        log = current.get()
        if log is not None:
            log.waited += self.latency

    def close(self) -> None:
        self.conn.close()


def fill(conn: sqlite3.Connection, *, customers: int, orders: int, seed: int = 20,
         guests: bool = False) -> None:
    """Deterministic rows: ``customers`` customers and ``orders`` orders.

    With ``guests=True`` every seventh order has no customer (``customer_id`` NULL).
    """
    rng = random.Random(seed)
    tiers = ("free", "pro", "enterprise")
    conn.executemany("INSERT INTO customers (id, name, tier) VALUES (?, ?, ?)",
                     [(i, f"customer-{i}", rng.choice(tiers)) for i in range(1, customers + 1)])
    rows = []
    for i in range(1, orders + 1):
        owner = None if guests and i % 7 == 0 else rng.randint(1, customers)
        rows.append((i, owner, rng.randint(100, 50_000)))
    conn.executemany("INSERT INTO orders (id, customer_id, total_cents) VALUES (?, ?, ?)", rows)


def make_connection(*, customers: int = 20, orders: int = 60, seed: int = 20,
                    guests: bool = False) -> sqlite3.Connection:
    """A fresh in-memory database with the lesson's schema (no simulated latency)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(SCHEMA)
    fill(conn, customers=customers, orders=orders, seed=seed, guests=guests)
    return conn


@contextlib.contextmanager
def counting(conn: sqlite3.Connection) -> Iterator[list[str]]:
    """Collect the statements SQLite executes on ``conn`` inside the block."""
    seen: list[str] = []
    conn.set_trace_callback(lambda sql: seen.append(_normalise(sql)))
    try:
        yield seen
    finally:
        conn.set_trace_callback(None)


# --- one page of orders, four ways ------------------------------------------------------


def _order(row: tuple, customer: tuple | None) -> dict:
    order_id, total_cents = row
    who = None if customer is None else {"id": customer[0], "name": customer[1],
                                         "tier": customer[2]}
    return {"id": order_id, "total_cents": total_cents, "customer": who}


def page_n_plus_one(db: SimulatedDB, limit: int) -> list[dict]:
    """1 query for the orders, then 1 per order for its customer: 1 + N round trips."""
    page = []
    for order_id, customer_id, total in db.query(ORDERS_SQL, (limit,)):
        found = db.query(CUSTOMER_SQL, (customer_id,)) if customer_id is not None else []
        page.append(_order((order_id, total), found[0] if found else None))
    return page


def page_joined(db: SimulatedDB, limit: int) -> list[dict]:
    """One JOIN: the database matches orders to customers, 1 round trip."""
    return [_order((oid, total), None if cid is None else (cid, name, tier))
            for oid, total, cid, name, tier in db.query(JOINED_SQL, (limit,))]


async def apage_joined(db: SimulatedDB, limit: int) -> list[dict]:
    """``page_joined`` for async code: the one round trip is awaited."""
    return [_order((oid, total), None if cid is None else (cid, name, tier))
            for oid, total, cid, name, tier in await db.aquery(JOINED_SQL, (limit,))]


async def apage_n_plus_one(db: SimulatedDB, limit: int) -> list[dict]:
    """The N+1 pattern with an async driver, one await after another: 1 + N waits in a row."""
    page = []
    for order_id, customer_id, total in await db.aquery(ORDERS_SQL, (limit,)):
        found = await db.aquery(CUSTOMER_SQL, (customer_id,)) if customer_id is not None else []
        page.append(_order((order_id, total), found[0] if found else None))
    return page


async def apage_gathered(db: SimulatedDB, limit: int) -> list[dict]:
    """Still 1 + N statements, but the N customer lookups are in flight together."""
    orders = await db.aquery(ORDERS_SQL, (limit,))

    async def customer(customer_id: int | None) -> list[tuple]:
        return [] if customer_id is None else await db.aquery(CUSTOMER_SQL, (customer_id,))

    found = await asyncio.gather(*(customer(cid) for _oid, cid, _total in orders))
    return [_order((oid, total), rows[0] if rows else None)
            for (oid, _cid, total), rows in zip(orders, found, strict=True)]
