"""interview_lab.query_plans against a real embedded PostgreSQL."""

from __future__ import annotations

import pytest

from interview_lab import postgres
from interview_lab import query_plans as qp


@pytest.fixture(scope="module")
def db():
    with postgres.start(fast=True) as server:
        with server.connect(autocommit=True) as conn:
            qp.load_orders(conn, 2_000)
        yield server


def test_plain_create_index_blocks_writes_behind_an_open_transaction(db):
    seen = qp.build_behind_open_write(db.url, concurrently=False)
    assert (seen.build_lock, seen.insert_error, seen.index_valid) == (
        "ShareLock", "LockNotAvailable", True)


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_build_is_seen_waiting_for_writers_and_lets_inserts_through(db, attempt):
    seen = qp.build_behind_open_write(db.url, concurrently=True)
    assert (seen.build_lock, seen.build_phase, seen.insert_error, seen.index_valid) == (
        "ShareUpdateExclusiveLock", qp.WAITING_FOR_WRITERS, None, True)
