"""Indexes and query plans on a real PostgreSQL: seeded data, EXPLAIN as JSON, lesson 22 demos.

Everything a lesson cell asserts about a plan comes from
``EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)``: ``explain`` returns the top plan
node as a dict, ``node_types``/``nodes`` walk its tree, ``indexes_used`` and
``buffers`` read what an interviewer asks about (which index, how many 8 kB
pages). ``load_orders`` builds the lesson's table with ``generate_series``
(seeded with ``setseed``, so every run has the same rows).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql as pgsql

Plan = dict[str, Any]

ORDERS_DDL = """
DROP TABLE IF EXISTS orders CASCADE;
CREATE TABLE orders (
    id          bigint PRIMARY KEY,
    customer_id int NOT NULL,
    status      text NOT NULL,
    email       text NOT NULL,
    created_at  timestamptz NOT NULL,
    total_cents int NOT NULL,
    attrs       jsonb NOT NULL
);
"""

# 90% paid, 9% pending, 1% refunded; customers have ~5 orders each, spread over the table.
ORDERS_FILL = """
SELECT setseed(0.22);
INSERT INTO orders
SELECT g,
       1 + (random() * (%(n)s / 5 - 1))::int,
       CASE WHEN r < 0.90 THEN 'paid' WHEN r < 0.99 THEN 'pending' ELSE 'refunded' END,
       'Customer' || g || '@Example.com',
       timestamptz '2024-01-01' + g * interval '1 minute',
       (random() * 100000)::int,
       jsonb_build_object('channel', (ARRAY['web', 'app', 'phone'])[1 + g %% 3],
                          'coupon', CASE WHEN g %% 50 = 0 THEN 'SPRING' END)
FROM (SELECT g, random() AS r FROM generate_series(1, %(n)s) AS g) AS s;
ANALYZE orders;
"""


def load_orders(conn: psycopg.Connection, n: int) -> None:
    """(Re)create ``orders`` with ``n`` seeded rows and fresh planner statistics."""
    conn.execute(ORDERS_DDL)
    conn.execute(ORDERS_FILL.replace("%(n)s", str(int(n))).replace("%%", "%"))


def explain(conn: psycopg.Connection, query: str, params: Sequence | None = None, *,
            analyze: bool = True) -> Plan:
    """The top plan node of ``query`` (dict) from ``EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)``.

    With ``analyze=True`` the query really runs (a write is rolled back only if
    the caller's transaction is). The returned dict has the root's keys plus
    ``"Execution Time"`` and ``"Planning Time"`` copied from the envelope.
    """
    options = "ANALYZE, BUFFERS, FORMAT JSON" if analyze else "FORMAT JSON"
    (document,) = conn.execute(f"EXPLAIN ({options}) {query}", params).fetchone()
    top = document[0]
    plan = dict(top["Plan"])
    for key in ("Execution Time", "Planning Time"):
        if key in top:
            plan[key] = top[key]
    return plan


def server_ms(conn: psycopg.Connection, query: str, params: Sequence | Mapping | None = None, *,
              calls: int = 20, repeat: int = 3, drop_index: str | None = None) -> float:
    """Best-of-``repeat`` total of the server's own "Execution Time" over ``calls`` runs.

    Measured by PostgreSQL itself (EXPLAIN ANALYZE), so client round trips and a
    busy machine's scheduling between calls do not blur an index-vs-scan ratio.
    ``drop_index`` drops that index inside a rolled-back transaction first.
    """
    best = float("inf")
    for _ in range(repeat):
        with conn.transaction(force_rollback=True):
            if drop_index:
                conn.execute(f"DROP INDEX {drop_index}")
            total = sum(explain(conn, query, params)["Execution Time"] for _ in range(calls))
        best = min(best, total)
    return best


def nodes(plan: Plan) -> Iterator[Plan]:
    """Every node of a plan tree, parent before children (depth first)."""
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def node_types(plan: Plan) -> list[str]:
    """``["Limit", "Index Scan", ...]``: the node types, depth first."""
    return [node["Node Type"] for node in nodes(plan)]


def indexes_used(plan: Plan) -> set[str]:
    """Names of the indexes any node of the plan reads."""
    return {node["Index Name"] for node in nodes(plan) if "Index Name" in node}


def buffers(plan: Plan) -> int:
    """8 kB pages the whole query touched (shared hit + read), from the root node."""
    return int(plan.get("Shared Hit Blocks", 0)) + int(plan.get("Shared Read Blocks", 0))


def summary(plan: Plan) -> str:
    """One line per node: type, relation/index, actual rows, buffers (indented like the tree)."""
    lines = []

    def walk(node: Plan, depth: int) -> None:
        where = node.get("Index Name") or node.get("Relation Name") or ""
        rows = node.get("Actual Rows", node.get("Plan Rows"))
        lines.append(f"{'  ' * depth}{node['Node Type']}"
                     f"{' on ' + where if where else ''} · rows={rows}"
                     f" · buffers={buffers(node)}")
        for child in node.get("Plans", ()):
            walk(child, depth + 1)

    walk(plan, 0)
    return "\n".join(lines)


def relation_bytes(conn: psycopg.Connection, name: str) -> int:
    """Size on disk of one table or index (main fork), in bytes."""
    return int(conn.execute("SELECT pg_relation_size(%s::regclass)", (name,)).fetchone()[0])


def indexes_on(conn: psycopg.Connection, table: str) -> dict[str, str]:
    """{index name: definition} for a table, from ``pg_indexes``."""
    rows = conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                        "ORDER BY indexname", (table,)).fetchall()
    return dict(rows)


# ---- the cost of an index on writes ----------------------------------------------------------


@dataclass(frozen=True)
class WriteCost:
    """One bulk INSERT into a table with ``indexes`` indexes: WAL bytes written and seconds."""

    indexes: int
    wal_bytes: int
    seconds: float


def insert_cost(conn: psycopg.Connection, rows: int, index_columns: Sequence[str]) -> WriteCost:
    """Insert ``rows`` rows into a fresh table shaped like ``orders``, B-trees on ``index_columns``.

    The copy has no primary key, so ``index_columns=()`` means no index at all.
    WAL bytes (``pg_current_wal_insert_lsn`` before and after) count what every
    index adds to each write; they barely depend on how busy the machine is.
    The rows come in random order from a temp table shuffled once per
    connection, outside the timing: only the INSERT and its index updates are
    timed, not the sort that picks the rows.
    """
    source = f"write_source_{rows}"
    conn.execute(pgsql.SQL("CREATE TEMP TABLE IF NOT EXISTS {} AS "
                           "SELECT * FROM orders ORDER BY random() LIMIT {}")
                 .format(pgsql.Identifier(source), pgsql.Literal(rows)))
    conn.execute("DROP TABLE IF EXISTS write_probe")
    conn.execute("CREATE TABLE write_probe (LIKE orders)")
    for column in index_columns:
        conn.execute(f"CREATE INDEX ON write_probe ({column})")
    before = conn.execute("SELECT pg_current_wal_insert_lsn()").fetchone()[0]
    began = time.perf_counter()
    conn.execute(pgsql.SQL("INSERT INTO write_probe SELECT * FROM {}")
                 .format(pgsql.Identifier(source)))
    seconds = time.perf_counter() - began
    wal = conn.execute("SELECT pg_current_wal_insert_lsn() - %s::pg_lsn", (str(before),))
    wal_bytes = int(wal.fetchone()[0])
    conn.execute("DROP TABLE write_probe")
    return WriteCost(len(index_columns), wal_bytes, seconds)


# ---- CREATE INDEX vs CREATE INDEX CONCURRENTLY -----------------------------------------------


@dataclass(frozen=True)
class BuildObservation:
    """What a second session saw while an index was being built behind an open write."""

    concurrently: bool
    insert_error: str | None     # SQLSTATE name of the blocked INSERT, None if it went through
    build_phase: str | None      # pg_stat_progress_create_index.phase while the build waited
    build_lock: str | None       # the table lock the build held or waited for
    index_valid: bool            # pg_index.indisvalid once everything finished


WAITING_FOR_WRITERS = "waiting for writers before build"


def build_behind_open_write(url: str, *, concurrently: bool, wait: float = 0.3) -> BuildObservation:
    """Build an index on ``orders`` while another transaction has an uncommitted INSERT.

    Session A inserts and stays open. Session B runs CREATE INDEX [CONCURRENTLY]
    in a thread: both must wait for A. Session C then tries one INSERT with
    ``lock_timeout``: behind a plain CREATE INDEX (SHARE lock queued) it times
    out; beside CONCURRENTLY (SHARE UPDATE EXCLUSIVE) it goes through. A then
    commits, the build finishes. Every wait is bounded; every connection closed.
    """
    keyword = "CONCURRENTLY " if concurrently else ""
    name = "orders_total_cc" if concurrently else "orders_total_plain"
    outcome: dict[str, Any] = {}
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP INDEX IF EXISTS {name}")
        a = psycopg.connect(url)
        b = psycopg.connect(url, autocommit=True)
        try:
            a.execute("INSERT INTO orders VALUES (-1, 1, 'paid', 'a@x', now(), 1, '{}')")
            b.execute("SET statement_timeout = '20s'")

            def build() -> None:
                try:
                    b.execute(f"CREATE INDEX {keyword}{name} ON orders (total_cents)")
                except psycopg.Error as error:  # reported, never left hanging
                    outcome["build_error"] = type(error).__name__

            thread = threading.Thread(target=build, daemon=True)
            thread.start()
            phase = lock = None
            deadline = time.monotonic() + 5

            def settled() -> bool:
                # CONCURRENTLY takes its lock while still "initializing": on a busy
                # machine a first look can come before it reaches the wait for A.
                return lock is not None and (not concurrently or phase == WAITING_FOR_WRITERS)

            while time.monotonic() < deadline and not settled():
                time.sleep(0.02)
                row = admin.execute(
                    "SELECT l.mode, p.phase FROM pg_locks l "
                    "LEFT JOIN pg_stat_progress_create_index p ON p.pid = l.pid "
                    "WHERE l.pid = %s AND l.relation = 'orders'::regclass",
                    (b.info.backend_pid,)).fetchone()
                if row:
                    lock, phase = row
            insert_error = None
            with psycopg.connect(url, autocommit=True) as c:
                c.execute(f"SET lock_timeout = '{int(wait * 1000)}ms'")
                try:
                    c.execute("INSERT INTO orders VALUES (-2, 2, 'paid', 'c@x', now(), 2, '{}')")
                except psycopg.errors.LockNotAvailable as error:
                    insert_error = type(error).__name__
            a.commit()
            thread.join(timeout=20)
        finally:
            a.close()
            b.close()
        valid = admin.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = %s::regclass",
                              (name,)).fetchone()[0]
        admin.execute(f"DROP INDEX IF EXISTS {name}")
        admin.execute("DELETE FROM orders WHERE id < 0")
    return BuildObservation(concurrently, insert_error, phase, lock, bool(valid))


# ---- slow-query checklist: pg_stat_statements, the slow-query log, N+1, pagination -----------


def stat_statements_ready(conn: psycopg.Connection) -> bool:
    """True when pg_stat_statements is loaded (shared_preload_libraries) and created here."""
    loaded = conn.execute("SELECT current_setting('shared_preload_libraries')").fetchone()[0]
    if "pg_stat_statements" not in loaded:
        return False
    conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    return True


def top_statements(conn: psycopg.Connection, limit: int = 5,
                   like: str = "%") -> list[tuple[str, int, float]]:
    """(query, calls, total ms) of the statements that took the most time in total."""
    rows = conn.execute(
        "SELECT query, calls, total_exec_time FROM pg_stat_statements "
        "WHERE query LIKE %s AND dbid = (SELECT oid FROM pg_database "
        "WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT %s",
        (like, limit)).fetchall()
    return [(" ".join(q.split()), int(c), float(t)) for q, c, t in rows]


def orm_engine(url: str, customers: int = 50, orders: int = 500):
    """SQLAlchemy engine on schema ``shop`` with ``orm_loading``'s models and seeded rows.

    ``url`` is the libpq URL (``db.url``); the engine uses the psycopg 3 driver.
    """
    from sqlalchemy import create_engine

    from interview_lab import orm_loading

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS shop CASCADE; CREATE SCHEMA shop")
    engine = create_engine("postgresql+psycopg" + url.removeprefix("postgresql"),
                           connect_args={"options": "-c search_path=shop"})
    orm_loading.Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"INSERT INTO customers SELECT g, 'customer-' || g, 'free' "
            f"FROM generate_series(1, {customers}) g;"
            f"INSERT INTO orders SELECT g, 1 + mod(g * 7, {customers}), g * 10 "
            f"FROM generate_series(1, {orders}) g")
    return engine


OFFSET_PAGE = ("SELECT id, created_at FROM orders ORDER BY created_at, id "
               "LIMIT 20 OFFSET %(offset)s")
KEYSET_PAGE = ("SELECT id, created_at FROM orders WHERE (created_at, id) > (%(after)s, %(id)s) "
               "ORDER BY created_at, id LIMIT 20")
