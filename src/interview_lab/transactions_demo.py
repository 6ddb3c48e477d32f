"""Helpers for lesson 23 (transactions and reliability) on a real PostgreSQL.

Everything that waits for a lock here waits with a bound: ``lock_timeout`` and
``statement_timeout`` on the connection, ``timeout=`` on every thread join, and
every connection is closed in ``finally``. A bug therefore shows up as a failed
assert or a SQLSTATE, never as a notebook that hangs.
"""

from __future__ import annotations

import random
import subprocess
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from psycopg import errors

from interview_lab import postgres

T = TypeVar("T")
RETRYABLE: tuple[type[Exception], ...] = (errors.SerializationFailure, errors.DeadlockDetected)

ACCOUNTS = """
DROP TABLE IF EXISTS account CASCADE;
CREATE TABLE account (
    id      int PRIMARY KEY,
    owner   text NOT NULL,
    balance int  NOT NULL CHECK (balance >= 0)
);
INSERT INTO account VALUES (1, 'ada', 100), (2, 'bob', 100);
"""


def bounded(conn: psycopg.Connection, *, lock_ms: int = 3000, statement_ms: int = 10000,
            deadlock_ms: int | None = None) -> psycopg.Connection:
    """Give ``conn`` a lock_timeout and statement_timeout (and a short deadlock_timeout).

    ``deadlock_timeout`` may only be changed by a superuser: on a DATABASE_URL
    server without that right the default (1 s) stays, which is only slower.
    """
    conn.execute(f"SET lock_timeout = {int(lock_ms)}")
    conn.execute(f"SET statement_timeout = {int(statement_ms)}")
    if deadlock_ms is not None:
        try:
            conn.execute(f"SET deadlock_timeout = {int(deadlock_ms)}")
        except errors.InsufficientPrivilege:
            if not conn.autocommit:
                conn.rollback()
    return conn


@contextmanager
def connections(db: postgres.Database, n: int = 2, **timeouts: int) -> Iterator[list]:
    """``n`` autocommit connections with bounded waits, all closed at the end."""
    opened: list[psycopg.Connection] = []
    try:
        for _ in range(n):
            opened.append(bounded(db.connect(autocommit=True), **timeouts))
        yield opened
    finally:
        for conn in opened:
            conn.close()


def balances(db: postgres.Database) -> dict[int, int]:
    """{account id: balance}, read in a fresh connection (what is committed)."""
    return dict(db.execute("SELECT id, balance FROM account ORDER BY id"))


# ---- retries -----------------------------------------------------------------------------------


def run_with_retries(work: Callable[[], T], *, attempts: int = 5, base_delay: float = 0.01,
                     sleep: Callable[[float], None] = time.sleep,
                     retry_on: tuple[type[Exception], ...] = RETRYABLE) -> T:
    """Call ``work()`` until it does not raise a retryable error, at most ``attempts`` times.

    ``work`` must run a whole transaction (from BEGIN to COMMIT) each time: after
    a serialization failure or a deadlock the transaction was rolled back, so
    only a fresh run with fresh reads can succeed. Between attempts it sleeps a
    random time up to ``base_delay * 2**k`` (exponential backoff, full jitter),
    so two clients that collided do not collide again in lockstep.
    """
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except retry_on:
            if attempt == attempts:
                raise
            sleep(random.uniform(0, base_delay * 2 ** (attempt - 1)))
    raise ValueError("attempts must be >= 1")


# ---- deadlock ------------------------------------------------------------------------------


def transfer_pair(db: postgres.Database, *, ordered: bool, timeout: float = 10.0
                  ) -> dict[str, Any]:
    """Two transfers at once, 1 -> 2 and 2 -> 1, each in its own thread and connection.

    Each transaction updates its source row, waits until the other has done the
    same (at most 5 s), then updates its destination row. With ``ordered=False``
    they lock in argument order and deadlock; with ``ordered=True`` both lock the
    lower id first, so the second one simply waits for the first (which, finding
    the other blocked, goes on after 0.3 s). Returns {"A": outcome, "B": outcome,
    "detail": text}, an outcome being "committed" or the SQLSTATE of the error.
    """
    hold = 0.3 if ordered else 5.0
    got_first = {"A": threading.Event(), "B": threading.Event()}
    outcome: dict[str, Any] = {"detail": ""}
    conns: dict[str, psycopg.Connection] = {}

    def worker(name: str, other: str, src: int, dst: int) -> None:
        first, second = (sorted((src, dst)) if ordered else (src, dst))
        conn = conns[name]
        try:
            with conn.transaction():
                conn.execute("UPDATE account SET balance = balance + %s WHERE id = %s",
                             (-1 if first == src else 1, first))
                got_first[name].set()
                got_first[other].wait(hold)
                conn.execute("UPDATE account SET balance = balance + %s WHERE id = %s",
                             (-1 if second == src else 1, second))
            outcome[name] = "committed"
        except psycopg.Error as error:
            outcome[name] = error.sqlstate
            if isinstance(error, errors.DeadlockDetected):
                outcome["detail"] = error.diag.message_detail or ""
        finally:
            got_first[name].set()

    try:
        for name in ("A", "B"):  # connect first, so both threads start on an equal footing
            conns[name] = bounded(db.connect(autocommit=True), lock_ms=int(timeout * 500),
                                  statement_ms=int(timeout * 1000), deadlock_ms=100)
        threads = [threading.Thread(target=worker, args=("A", "B", 1, 2)),
                   threading.Thread(target=worker, args=("B", "A", 2, 1))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout)
        if any(thread.is_alive() for thread in threads):
            raise TimeoutError("a transfer thread did not finish; the lock timeouts should "
                               "have prevented that")
    finally:
        for conn in conns.values():
            conn.close()
    return outcome


def blocked_backends(conn: psycopg.Connection) -> int:
    """How many backends wait for a heavyweight lock right now."""
    return conn.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0]


# ---- durability ----------------------------------------------------------------------------


def wal_fsyncs(conn: psycopg.Connection) -> int:
    """WAL fsyncs this backend has done so far (PostgreSQL 18: pg_stat_get_backend_io)."""
    conn.execute("SELECT pg_stat_force_next_flush()")
    row = conn.execute("SELECT coalesce(sum(fsyncs), 0)::bigint FROM "
                       "pg_stat_get_backend_io(pg_backend_pid()) WHERE object = 'wal'").fetchone()
    return int(row[0])


def commits(db: postgres.Database, n: int, synchronous_commit: str) -> tuple[float, int]:
    """Seconds for ``n`` one-row INSERT transactions, and the WAL fsyncs the backend did."""
    with db.connect(autocommit=True) as conn:
        conn.execute(f"SET synchronous_commit = {synchronous_commit}")
        before = wal_fsyncs(conn)
        began = time.perf_counter()
        for i in range(n):
            conn.execute("INSERT INTO event_log (payload) VALUES (%s)", (f"event {i}",))
        seconds = time.perf_counter() - began
        return seconds, wal_fsyncs(conn) - before


# ---- backups ------------------------------------------------------------------------------


def pg_tool(name: str, *args: str, input_bytes: bytes | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
    """Run a client program shipped with the embedded PostgreSQL (pg_dump, pg_restore, ...).

    Raises CalledProcessError (with the tool's stderr) if it fails.
    """
    tool = postgres.shipped_bin_dir() / name
    return subprocess.run([str(tool), *args], input=input_bytes, capture_output=True,
                          timeout=timeout, check=True)


# ---- Alembic -------------------------------------------------------------------------------

REVISIONS: dict[str, str] = {
    "0001": '''
        """create customer"""
        import sqlalchemy as sa
        from alembic import op

        revision = "0001"
        down_revision = None


        def upgrade() -> None:
            op.create_table(
                "customer",
                sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("full_name", sa.Text, nullable=False),
            )


        def downgrade() -> None:
            op.drop_table("customer")
        ''',
    "0002": '''
        """split full_name into first_name and last_name (schema + data migration)"""
        import sqlalchemy as sa
        from alembic import op

        revision = "0002"
        down_revision = "0001"


        def upgrade() -> None:
            op.add_column("customer", sa.Column("first_name", sa.Text))
            op.add_column("customer", sa.Column("last_name", sa.Text))
            op.execute("""
                UPDATE customer
                   SET first_name = split_part(full_name, ' ', 1),
                       last_name  = nullif(substring(full_name FROM position(' ' IN full_name) + 1),
                                           full_name)
            """)
            op.alter_column("customer", "first_name", nullable=False)
            op.drop_column("customer", "full_name")


        def downgrade() -> None:
            op.add_column("customer", sa.Column("full_name", sa.Text))
            op.execute("UPDATE customer SET full_name = concat_ws(' ', first_name, last_name)")
            op.alter_column("customer", "full_name", nullable=False)
            op.drop_column("customer", "last_name")
            op.drop_column("customer", "first_name")
        ''',
    "0003": '''
        """add an email column, then fail half-way (a bug in the migration)"""
        import sqlalchemy as sa
        from alembic import op

        revision = "0003"
        down_revision = "0002"


        def upgrade() -> None:
            op.add_column("customer", sa.Column("email", sa.Text))
            op.execute("UPDATE customer SET email = lower(first_name) || '@example.com'")
            op.create_unique_constraint("customer_email_key", "customer", ["email"])


        def downgrade() -> None:
            op.drop_column("customer", "email")
        ''',
}


@contextmanager
def alembic_project(sqlalchemy_url: str, revisions: Sequence[str] = ("0001", "0002")
                    ) -> Iterator[Any]:
    """A throwaway Alembic project (``alembic init`` + revision files) in a temp dir.

    Yields the ``alembic.config.Config``; pass it to ``alembic.command.upgrade``
    and friends. The folder is deleted at the end.
    """
    from alembic import command
    from alembic.config import Config

    with tempfile.TemporaryDirectory(prefix="alembic-") as tmp:
        root = Path(tmp)
        cfg = Config(str(root / "alembic.ini"))
        command.init(cfg, str(root / "migrations"))  # writes env.py, script.py.mako, versions/
        cfg = Config(str(root / "alembic.ini"))
        cfg.set_main_option("script_location", str(root / "migrations"))
        cfg.set_main_option("sqlalchemy.url", sqlalchemy_url.replace("%", "%%"))
        add_revisions(cfg, revisions)
        yield cfg


def add_revisions(cfg: Any, revisions: Sequence[str]) -> None:
    """Write the named revision files into the project's versions/ folder."""
    versions = Path(cfg.get_main_option("script_location")) / "versions"
    for rev in revisions:
        text = textwrap.dedent(REVISIONS[rev]).lstrip()
        (versions / f"{rev}.py").write_text(text, encoding="utf-8")


# ---- isolation: write skew -------------------------------------------------------------------

ON_CALL = """
DROP TABLE IF EXISTS on_call;
CREATE TABLE on_call (doctor text PRIMARY KEY, on_duty bool NOT NULL);
INSERT INTO on_call VALUES ('alice', true), ('bob', true);
"""


def write_skew(db: postgres.Database, level: str) -> tuple[list[str], int]:
    """Alice and Bob each go off duty if the other is still on: the classic write skew.

    Both transactions check "at least two on duty", then each updates a
    different row, so no row-level conflict exists. Returns the outcome of
    each transaction ("committed" or a SQLSTATE) and how many stay on duty.
    """
    db.execute(ON_CALL)
    outcomes: list[str] = []
    with connections(db) as (alice, bob):
        for conn in (alice, bob):
            conn.execute(f"BEGIN ISOLATION LEVEL {level}")
            on_duty = conn.execute("SELECT count(*) FROM on_call WHERE on_duty").fetchone()[0]
            if on_duty < 2:
                raise AssertionError("both transactions should see two doctors on duty")
        for conn, name in ((alice, "alice"), (bob, "bob")):
            try:
                conn.execute("UPDATE on_call SET on_duty = false WHERE doctor = %s", (name,))
                conn.execute("COMMIT")
                outcomes.append("committed")
            except errors.SerializationFailure as error:
                outcomes.append(error.sqlstate)
                conn.execute("ROLLBACK")
    left = db.execute("SELECT count(*) FROM on_call WHERE on_duty")[0][0]
    return outcomes, left


# ---- DELETE vs TRUNCATE --------------------------------------------------------------------

ITEMS = """
DROP TABLE IF EXISTS item, audit;
CREATE TABLE item (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v int);
CREATE TABLE audit (op text, at timestamptz DEFAULT now());
CREATE OR REPLACE FUNCTION log_op() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit (op) VALUES (TG_OP);
    RETURN NULL;
END $$;
CREATE TRIGGER item_deleted AFTER DELETE ON item FOR EACH ROW EXECUTE FUNCTION log_op();
CREATE TRIGGER item_truncated AFTER TRUNCATE ON item FOR EACH STATEMENT EXECUTE FUNCTION log_op();
"""


def make_items(db: postgres.Database, n: int, *, triggers: bool = True) -> None:
    """A fresh ``item`` table with ``n`` rows (ids 1..n), triggers, and an empty ``audit``.

    ``triggers=False`` drops the audit triggers (for a fair speed comparison:
    a row trigger makes every deleted row cost more).
    """
    db.execute(ITEMS)
    if not triggers:
        db.execute("DROP TRIGGER item_deleted ON item; DROP TRIGGER item_truncated ON item")
    db.execute("INSERT INTO item (v) SELECT g FROM generate_series(1, %s) g", (n,))
    db.execute("ANALYZE item", autocommit=True)


def lock_modes(db: postgres.Database, statement: str, table: str = "item") -> set[str]:
    """The locks ``statement`` holds on ``table`` until its transaction ends (rolled back here)."""
    with db.connect() as conn:
        conn.execute(statement)
        rows = conn.execute("SELECT mode FROM pg_locks WHERE relation = %s::regclass "
                            "AND pid = pg_backend_pid()", (table,)).fetchall()
        conn.rollback()
    return {row[0] for row in rows}


def wal_bytes(conn: psycopg.Connection, statement: str) -> int:
    """Bytes of WAL that ``statement`` writes (run in a transaction that is rolled back)."""
    conn.execute("BEGIN")
    start = conn.execute("SELECT pg_current_wal_insert_lsn()").fetchone()[0]
    conn.execute(statement)
    written = conn.execute("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), %s)::bigint",
                           (start,)).fetchone()[0]
    conn.execute("ROLLBACK")
    return int(written)


def rolled_back(conn: psycopg.Connection, statement: str) -> Callable[[], None]:
    """A callable that runs ``statement`` in a transaction and rolls it back (for timing)."""
    def run() -> None:
        conn.execute("BEGIN")
        conn.execute(statement)
        conn.execute("ROLLBACK")
    return run


# ---- avoiding data loss ----------------------------------------------------------------------

SHOP = """
DROP TABLE IF EXISTS order_line, orders, outbox, payment;
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer text NOT NULL);
CREATE TABLE order_line (
    order_id bigint NOT NULL REFERENCES orders,
    sku      text   NOT NULL,
    qty      int    NOT NULL CHECK (qty > 0)
);
CREATE TABLE outbox (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic   text  NOT NULL,
    payload jsonb NOT NULL,
    sent_at timestamptz
);
CREATE TABLE payment (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key text UNIQUE NOT NULL,
    amount_cents    int  NOT NULL CHECK (amount_cents > 0)
);
"""


def place_order(conn: psycopg.Connection, customer: str, lines: list[tuple[str, int]]) -> int:
    """Order, its lines and an outbox event in ONE transaction: all of them or none."""
    with conn.transaction():
        order_id = conn.execute("INSERT INTO orders (customer) VALUES (%s) RETURNING id",
                                (customer,)).fetchone()[0]
        for sku, qty in lines:
            conn.execute("INSERT INTO order_line VALUES (%s, %s, %s)", (order_id, sku, qty))
        conn.execute("INSERT INTO outbox (topic, payload) VALUES ('order_placed', "
                     "jsonb_build_object('order_id', %s::bigint))", (order_id,))
    return order_id


def claim_outbox(conn: psycopg.Connection, limit: int) -> list[int]:
    """Lock up to ``limit`` unsent events that no other relay has locked (the caller commits)."""
    rows = conn.execute("SELECT id FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT %s "
                        "FOR UPDATE SKIP LOCKED", (limit,)).fetchall()
    return [row[0] for row in rows]


def mark_sent(conn: psycopg.Connection, ids: list[int]) -> None:
    conn.execute("UPDATE outbox SET sent_at = now() WHERE id = ANY(%s)", (ids,))


def create_payment(conn: psycopg.Connection, key: str, amount_cents: int) -> tuple[int, bool]:
    """Create a payment once per idempotency key; a retry gets the first one back.

    Returns (payment id, created now?). INSERT ... ON CONFLICT DO NOTHING is
    atomic, so two concurrent retries cannot both insert.
    """
    with conn.transaction():
        row = conn.execute("INSERT INTO payment (idempotency_key, amount_cents) VALUES (%s, %s) "
                           "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
                           (key, amount_cents)).fetchone()
        if row is not None:
            return row[0], True
        existing = conn.execute("SELECT id FROM payment WHERE idempotency_key = %s",
                                (key,)).fetchone()
        return existing[0], False


# ---- connection pooling ----------------------------------------------------------------------


def requests(engine: Any, n: int) -> Callable[[], set[int]]:
    """``n`` sequential "requests", each checking a connection out of ``engine``, one query.

    Returns the set of server process ids that served them.
    """
    import sqlalchemy as sa

    def run() -> set[int]:
        pids = set()
        for _ in range(n):
            with engine.connect() as conn:
                pids.add(conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())
        return pids
    return run
