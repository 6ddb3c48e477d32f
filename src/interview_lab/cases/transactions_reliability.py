"""Hidden checks for solutions/23_transactions_reliability.ipynb.

Three exercises: a money transfer on a real PostgreSQL that can neither lose an
update nor deadlock with another well-behaved transfer, a retry wrapper for
serialization failures and deadlocks, and a reconciliation query (sql_checks).

The transfer check needs no luck with thread timing: it holds a row lock on a
second connection, waits until the learner's transaction is blocked on it
(``pg_locks``), and only then commits or asks for the next lock. So a
read-modify-write without a lock loses the concurrent deposit every time, and a
transfer that locks in argument order deadlocks every time. Every wait is
bounded (lock_timeout, statement_timeout, join timeouts) and every connection
is closed. The server runs with ``fast=True`` (no fsync): this check is about
locks, not durability.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import errors

from interview_lab import postgres, sql_checks
from interview_lab.checks import CheckFailed, Exercise

# --- 1. transfer --------------------------------------------------------------------------------

ACCOUNTS = """
DROP TABLE IF EXISTS account;
CREATE TABLE account (id int PRIMARY KEY, balance int NOT NULL CHECK (balance >= 0));
INSERT INTO account VALUES (1, 100), (2, 100), (3, 0);
"""


def _balances(db: postgres.Database) -> dict[int, int]:
    return dict(db.execute("SELECT id, balance FROM account ORDER BY id"))


def _learner_conn(db: postgres.Database) -> psycopg.Connection:
    conn = db.connect(autocommit=True)
    conn.execute("SET lock_timeout = 5000")
    conn.execute("SET statement_timeout = 10000")
    return conn


def _call(func: Callable, conn: psycopg.Connection, *args: Any) -> BaseException | None:
    """Call the learner's transfer; return the exception it raised, or None."""
    try:
        func(conn, *args)
    except BaseException as exc:  # noqa: BLE001 - reported to the learner below
        return exc
    return None


def _in_thread(func: Callable, conn: psycopg.Connection, *args: Any
               ) -> tuple[threading.Thread, list]:
    box: list = []
    thread = threading.Thread(target=lambda: box.append(_call(func, conn, *args)), daemon=True)
    thread.start()
    return thread, box


def _wait_blocked(monitor: psycopg.Connection, pid: int, timeout: float = 3.0) -> bool:
    """True once backend ``pid`` waits for a lock (it may never, if it takes no lock)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = monitor.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted",
                                  (pid,)).fetchone()[0]
        if waiting:
            return True
        time.sleep(0.01)
    return False


def _finish(thread: threading.Thread, box: list, call: str) -> None:
    thread.join(15)
    if thread.is_alive():
        raise CheckFailed(f"{call} did not finish within 15 s")
    if box and box[0] is not None:
        exc = box[0]
        raise CheckFailed(f"{call} raised {type(exc).__name__}: {exc}") from exc


def _expect_value_error(func: Callable, db: postgres.Database, conn: psycopg.Connection,
                        args: tuple, why: str) -> None:
    call = f"transfer(conn, {', '.join(map(repr, args))})"
    before = _balances(db)
    exc = _call(func, conn, *args)
    if not isinstance(exc, ValueError):
        got = "returned normally" if exc is None else f"raised {type(exc).__name__}: {exc}"
        raise CheckFailed(f"{call} ({why}) should raise ValueError, but it {got}")
    if _balances(db) != before:
        raise CheckFailed(f"{call} ({why}) raised ValueError but changed balances: "
                          f"{before} -> {_balances(db)}")
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        raise CheckFailed(f"{call} left a transaction open on the connection "
                          f"({conn.info.transaction_status.name}): "
                          "end it (with conn.transaction())")


def _check_basics(func: Callable, db: postgres.Database, conn: psycopg.Connection) -> None:
    exc = _call(func, conn, 1, 2, 30)
    if isinstance(exc, NotImplementedError):
        raise exc  # an untouched stub
    if exc is not None:
        raise CheckFailed(f"transfer(conn, 1, 2, 30) raised {type(exc).__name__}: {exc}") from exc
    if _balances(db) != {1: 70, 2: 130, 3: 0}:
        raise CheckFailed("after transfer(conn, 1, 2, 30) from {1: 100, 2: 100, 3: 0}, another "
                          f"connection sees {_balances(db)}: was it committed?")
    exc = _call(func, conn, 2, 1, 130)
    if exc is not None or _balances(db) != {1: 200, 2: 0, 3: 0}:
        raise CheckFailed("transfer(conn, 2, 1, 130) should empty account 2 exactly "
                          f"(balance 0 is allowed); got {_balances(db)}"
                          + (f", raised {type(exc).__name__}: {exc}" if exc else ""))
    _expect_value_error(func, db, conn, (3, 1, 1), "account 3 has 0")
    _expect_value_error(func, db, conn, (1, 2, 0), "amount must be positive")
    _expect_value_error(func, db, conn, (1, 2, -5), "amount must be positive")
    _expect_value_error(func, db, conn, (1, 1, 5), "same account")
    _expect_value_error(func, db, conn, (1, 99, 5), "there is no account 99")
    _expect_value_error(func, db, conn, (99, 1, 5), "there is no account 99")


def _check_no_lost_update(func: Callable, db: postgres.Database, conn: psycopg.Connection,
                          other: psycopg.Connection, monitor: psycopg.Connection) -> None:
    db.execute(ACCOUNTS)
    other.execute("BEGIN")
    other.execute("UPDATE account SET balance = balance + 50 WHERE id = 1")  # not committed yet
    thread, box = _in_thread(func, conn, 1, 2, 10)
    _wait_blocked(monitor, conn.info.backend_pid)
    other.execute("COMMIT")  # the concurrent deposit commits while transfer waits
    _finish(thread, box, "transfer(conn, 1, 2, 10) during a concurrent deposit")
    got = _balances(db)
    if got != {1: 140, 2: 110, 3: 0}:
        raise CheckFailed(
            "transfer(conn, 1, 2, 10) ran while another transaction deposited 50 into account 1 "
            f"(100 -> 150). Expected {{1: 140, 2: 110, 3: 0}}, got {got}: the deposit was lost. "
            "A balance read without a lock may be stale by the time you write it.")


def _check_no_deadlock(func: Callable, db: postgres.Database, conn: psycopg.Connection,
                       other: psycopg.Connection, monitor: psycopg.Connection) -> None:
    db.execute(ACCOUNTS)
    other.execute("SET deadlock_timeout = 100")
    other.execute("BEGIN")
    other.execute("SELECT * FROM account WHERE id = 1 FOR UPDATE")  # a transfer 1 -> 2 began
    thread, box = _in_thread(func, conn, 2, 1, 5)
    _wait_blocked(monitor, conn.info.backend_pid)
    try:
        other.execute("UPDATE account SET balance = balance + 7 WHERE id = 2")
        other.execute("UPDATE account SET balance = balance - 7 WHERE id = 1")
        other.execute("COMMIT")
    except (errors.DeadlockDetected, errors.LockNotAvailable) as exc:
        other.execute("ROLLBACK")
        thread.join(15)
        raise CheckFailed(
            "transfer(conn, 2, 1, 5) deadlocked with a transfer 1 -> 2 that locks the lower id "
            f"first ({type(exc).__name__}): take both row locks in one global order (by id), "
            "whatever the direction") from exc
    _finish(thread, box, "transfer(conn, 2, 1, 5) during a transfer 1 -> 2")
    got = _balances(db)
    if got != {1: 98, 2: 102, 3: 0}:
        raise CheckFailed(f"after transfers 1 -> 2 of 7 and 2 -> 1 of 5, expected "
                          f"{{1: 98, 2: 102, 3: 0}}, got {got}")


def _check_transfer(func: Callable) -> None:
    with postgres.server(fast=True) as db:
        db.execute(ACCOUNTS)
        opened: list[psycopg.Connection] = []
        try:
            conn = _learner_conn(db)
            opened.append(conn)
            other = db.connect(autocommit=True)
            opened.append(other)
            other.execute("SET lock_timeout = 3000")
            monitor = db.connect(autocommit=True)
            opened.append(monitor)
            _check_basics(func, db, conn)
            _check_no_lost_update(func, db, conn, other, monitor)
            _check_no_deadlock(func, db, conn, other, monitor)
        finally:
            for c in opened:
                c.close()


TRANSFER = Exercise(check=_check_transfer, time_limit=15.0)

# --- 2. retry_transaction ---------------------------------------------------------------------


class _Script:
    """A fake transaction: raises the given errors in turn, then returns "done"."""

    def __init__(self, *failures: BaseException):
        self.failures = list(failures)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "done"


def _serialization() -> errors.SerializationFailure:
    return errors.SerializationFailure("could not serialize access due to concurrent update")


def _retry_run(func: Callable, work: _Script, **kwargs: Any) -> tuple[Any, list[float]]:
    slept: list[float] = []
    result = func(work, sleep=slept.append, **kwargs)
    return result, slept


def _check_retry(func: Callable) -> None:
    def fail(what: str) -> None:
        raise CheckFailed(what)

    work = _Script()
    result, slept = _retry_run(func, work)
    if (result, work.calls, slept) != ("done", 1, []):
        fail(f"work succeeds at once: expected result 'done' after 1 call and no sleep, "
             f"got {result!r} after {work.calls} call(s), sleeps {slept}")

    work = _Script(_serialization(), errors.DeadlockDetected("deadlock detected"))
    result, slept = _retry_run(func, work, attempts=3, base_delay=0.5)
    if (result, work.calls) != ("done", 3):
        fail(f"40001 then 40P01 then success, attempts=3: expected 'done' after 3 calls, "
             f"got {result!r} after {work.calls}")
    if len(slept) != 2:
        fail(f"2 failures should mean 2 pauses before the retries, got sleeps {slept}")
    for k, delay in enumerate(slept):
        if not 0 <= delay <= 0.5 * 2 ** k:
            fail(f"pause {k + 1} was {delay!r}: expected a random delay between 0 and "
                 f"base_delay * 2**{k} = {0.5 * 2 ** k} (exponential backoff with jitter)")

    many = [_Script(*[_serialization()] * 6) for _ in range(20)]
    delays = [_retry_run(func, w, attempts=7, base_delay=1.0)[1] for w in many]
    if len({d for run in delays for d in run}) < 10:
        fail("the pauses are always the same: add random jitter, or clients that collided "
             "retry in lockstep and collide again")

    for exc in (errors.UniqueViolation("duplicate key"), ValueError("bad input"),
                errors.lookup("40003")("statement completion unknown")):
        work = _Script(exc)
        try:
            _retry_run(func, work, attempts=3)
        except type(exc):
            pass
        else:
            fail(f"{type(exc).__name__} ({getattr(exc, 'sqlstate', None) or 'not SQL'}) from "
                 "work() should propagate unchanged, but the call returned")
        if work.calls != 1:
            fail(f"{type(exc).__name__} was retried ({work.calls} calls): only 40001 and "
                 "40P01 are safe to retry blindly")

    work = _Script(*[_serialization() for _ in range(5)])
    try:
        slept = []
        func(work, attempts=4, sleep=slept.append)
    except errors.SerializationFailure:
        if work.calls != 4 or len(slept) != 3:
            fail(f"always failing with attempts=4: expected 4 calls and 3 pauses, got "
                 f"{work.calls} calls and {len(slept)} pauses")
    else:
        fail("when every attempt fails, the last SerializationFailure must be raised, "
             "not swallowed")

    work = _Script(_serialization())
    try:
        func(work, attempts=1, sleep=lambda s: None)
    except errors.SerializationFailure:
        if work.calls != 1:
            fail(f"attempts=1 means one call, got {work.calls}")
    else:
        fail("attempts=1 and a failure: the SerializationFailure must be raised")


RETRY = Exercise(check=_check_retry)

# --- 3. ledger_mismatches (SQL) -----------------------------------------------------------------

SCHEMA = """
CREATE TABLE account (id int PRIMARY KEY, balance int NOT NULL);
CREATE TABLE ledger (
    id         int PRIMARY KEY,
    account_id int NOT NULL REFERENCES account,
    amount     int NOT NULL
);
"""

FIXTURES = [
    SCHEMA + """
    INSERT INTO account VALUES (1, 70), (2, 130), (3, 55);
    INSERT INTO ledger VALUES (1, 1, 100), (2, 1, -30), (3, 2, 100), (4, 2, 30),
                              (5, 3, 100), (6, 3, -40);
    """,
    SCHEMA + """
    INSERT INTO account VALUES (1, 0), (2, 50), (3, 10);
    INSERT INTO ledger VALUES (1, 3, 10);
    """,
    SCHEMA + """
    INSERT INTO account VALUES (1, 20), (2, 10), (3, -5);
    INSERT INTO ledger VALUES (1, 1, 10), (2, 1, 10), (3, 2, 10), (4, 2, 10), (5, 3, -5);
    """,
    SCHEMA,
]

REFERENCE = """
SELECT a.id, a.balance, COALESCE(SUM(l.amount), 0) AS ledger_total
FROM account a
LEFT JOIN ledger l ON l.account_id = a.id
GROUP BY a.id, a.balance
HAVING a.balance <> COALESCE(SUM(l.amount), 0)
"""

EXERCISES = {
    "transfer": TRANSFER,
    "retry_transaction": RETRY,
    "ledger_mismatches": sql_checks.exercise(fixtures=FIXTURES, reference=REFERENCE,
                                             database="postgres"),
}
