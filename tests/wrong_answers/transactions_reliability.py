"""Plausible wrong answers for solutions/23_transactions_reliability.ipynb: each is rejected."""

from __future__ import annotations

import time

from psycopg import errors

# --- transfer -----------------------------------------------------------------------------------


def transfer_read_then_write(conn, src, dst, amount):
    """Reads balances without a lock and writes computed values: loses a concurrent deposit."""
    if amount <= 0 or src == dst:
        raise ValueError("bad transfer")
    with conn.transaction():
        rows = dict(conn.execute("SELECT id, balance FROM account WHERE id = ANY(%s)",
                                 ([src, dst],)).fetchall())
        if src not in rows or dst not in rows:
            raise ValueError("unknown account")
        if rows[src] < amount:
            raise ValueError("insufficient funds")
        conn.execute("UPDATE account SET balance = %s WHERE id = %s", (rows[src] - amount, src))
        conn.execute("UPDATE account SET balance = %s WHERE id = %s", (rows[dst] + amount, dst))


def transfer_argument_order(conn, src, dst, amount):
    """Locks source then destination: safe from lost updates, deadlocks with a reverse transfer."""
    if amount <= 0 or src == dst:
        raise ValueError("bad transfer")
    with conn.transaction():
        found = {}
        for account in (src, dst):
            row = conn.execute("SELECT balance FROM account WHERE id = %s FOR UPDATE",
                               (account,)).fetchone()
            if row is None:
                raise ValueError("unknown account")
            found[account] = row[0]
        if found[src] < amount:
            raise ValueError("insufficient funds")
        conn.execute("UPDATE account SET balance = balance - %s WHERE id = %s", (amount, src))
        conn.execute("UPDATE account SET balance = balance + %s WHERE id = %s", (amount, dst))


def transfer_ignores_missing_account(conn, src, dst, amount):
    """Atomic relative updates, but never checks that both rows exist: money vanishes."""
    if amount <= 0 or src == dst:
        raise ValueError("bad transfer")
    with conn.transaction():
        rows = conn.execute("SELECT balance FROM account WHERE id = ANY(%s) ORDER BY id "
                            "FOR UPDATE", ([src, dst],)).fetchall()
        balance = conn.execute("SELECT balance FROM account WHERE id = %s", (src,)).fetchone()
        if balance is None or balance[0] < amount or not rows:
            raise ValueError("insufficient funds")
        conn.execute("UPDATE account SET balance = balance - %s WHERE id = %s", (amount, src))
        conn.execute("UPDATE account SET balance = balance + %s WHERE id = %s", (amount, dst))


def transfer_no_transaction(conn, src, dst, amount):
    """Each statement autocommits; the CHECK constraint is the only overdraft guard."""
    if amount <= 0 or src == dst:
        raise ValueError("bad transfer")
    conn.execute("UPDATE account SET balance = balance + %s WHERE id = %s", (amount, dst))
    try:
        conn.execute("UPDATE account SET balance = balance - %s WHERE id = %s", (amount, src))
    except errors.CheckViolation as exc:
        raise ValueError("insufficient funds") from exc


# --- retry_transaction --------------------------------------------------------------------------


def retry_everything(work, attempts=3, base_delay=0.05, sleep=time.sleep):
    """Retries any exception: a duplicate key or a bad input is run again and again."""
    import random

    for attempt in range(1, attempts + 1):
        try:
            return work()
        except Exception:
            if attempt == attempts:
                raise
            sleep(random.uniform(0, base_delay * 2 ** (attempt - 1)))


def retry_off_by_one(work, attempts=3, base_delay=0.05, sleep=time.sleep):
    """Counts retries, not attempts: one call too many."""
    import random

    for attempt in range(attempts + 1):
        try:
            return work()
        except (errors.SerializationFailure, errors.DeadlockDetected):
            if attempt == attempts:
                raise
            sleep(random.uniform(0, base_delay * 2 ** attempt))


def retry_swallows_last(work, attempts=3, base_delay=0.05, sleep=time.sleep):
    """Gives up quietly: returns None when every attempt failed."""
    import random

    for attempt in range(1, attempts + 1):
        try:
            return work()
        except (errors.SerializationFailure, errors.DeadlockDetected):
            if attempt < attempts:
                sleep(random.uniform(0, base_delay * 2 ** (attempt - 1)))
    return None


def retry_fixed_delay(work, attempts=3, base_delay=0.05, sleep=time.sleep):
    """Retries the right errors, but always waits exactly base_delay: clients stay in lockstep."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except (errors.SerializationFailure, errors.DeadlockDetected):
            if attempt == attempts:
                raise
            sleep(base_delay)


def retry_operational_errors(work, attempts=3, base_delay=0.05, sleep=time.sleep):
    """Retries every psycopg OperationalError: also 40003 'statement completion unknown'."""
    import random

    import psycopg

    for attempt in range(1, attempts + 1):
        try:
            return work()
        except psycopg.OperationalError:
            if attempt == attempts:
                raise
            sleep(random.uniform(0, base_delay * 2 ** (attempt - 1)))


# --- ledger_mismatches --------------------------------------------------------------------------


def ledger_inner_join():
    """INNER JOIN: an account with a balance but no ledger entries disappears."""
    return """SELECT a.id, a.balance, SUM(l.amount) FROM account a JOIN ledger l
              ON l.account_id = a.id GROUP BY a.id, a.balance HAVING a.balance <> SUM(l.amount)"""


def ledger_no_coalesce():
    """LEFT JOIN but compares with a NULL sum: balance <> NULL is never true."""
    return """SELECT a.id, a.balance, COALESCE(SUM(l.amount), 0) FROM account a LEFT JOIN ledger l
              ON l.account_id = a.id GROUP BY a.id, a.balance HAVING a.balance <> SUM(l.amount)"""


def ledger_sum_distinct():
    """SUM(DISTINCT amount): two equal movements count once."""
    return """SELECT a.id, a.balance, COALESCE(SUM(DISTINCT l.amount), 0) FROM account a
              LEFT JOIN ledger l ON l.account_id = a.id GROUP BY a.id, a.balance
              HAVING a.balance <> COALESCE(SUM(DISTINCT l.amount), 0)"""


WRONG = {
    "transfer": [transfer_read_then_write, transfer_argument_order,
                 transfer_ignores_missing_account, transfer_no_transaction],
    "retry_transaction": [retry_everything, retry_off_by_one, retry_swallows_last,
                          retry_fixed_delay, retry_operational_errors],
    "ledger_mismatches": [ledger_inner_join, ledger_no_coalesce, ledger_sum_distinct],
}
