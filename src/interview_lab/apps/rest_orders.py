"""Creating orders three ways, to show how a repeated POST makes duplicates and how to stop it.

Each order "charges a card" first (``work_seconds`` of sleep, standing in for a
payment call), then writes a row to SQLite. The handlers are plain ``def``, so
uvicorn runs them in its thread pool: parallel requests really overlap.

- ``POST /plain/orders``: no protection. A client that times out and retries
  creates a second order.
- ``POST /checked/orders``: looks for an order with the same ``Idempotency-Key``
  first, then inserts. Correct one request at a time, wrong under concurrency:
  two requests both look, both find nothing, both insert (check-then-act race).
- ``POST /orders``: the idempotency-key protocol of the IETF httpapi draft
  (draft-ietf-httpapi-idempotency-key-header). The first request *claims* the key
  with an INSERT into ``idempotency_keys``, whose primary key is
  ``(client, key)``: the database lets exactly one claim in, however many arrive
  at once. The winner does the work, then writes the order and the response in
  one transaction; ``orders`` has ``UNIQUE (client, idempotency_key)`` as a second
  guard. Later requests with the key:

  * same payload, original finished  -> the stored status and body, replayed,
    with ``Idempotent-Replayed: true``;
  * same payload, original still running -> ``409 Conflict`` + ``Retry-After``;
  * different payload -> ``422``; no key at all -> ``400``.

  The key is scoped to the client (``X-Client-Id``, standing in for the
  authenticated user), so one client can never replay another's response.

``create_app(db_path, work_seconds)`` builds the app; ``app_from_env()`` reads
``ORDERS_DB`` and ``ORDERS_WORK_SECONDS`` so uvicorn can start it with ``--factory``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from contextlib import closing
from typing import Any

from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client TEXT NOT NULL,
    idempotency_key TEXT,
    item TEXT NOT NULL,
    qty INTEGER NOT NULL,
    UNIQUE (client, idempotency_key)
);
CREATE TABLE IF NOT EXISTS unguarded_orders (      -- plain and checked: no constraint
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client TEXT NOT NULL,
    idempotency_key TEXT,
    item TEXT NOT NULL,
    qty INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    client TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('started', 'done')),
    status_code INTEGER,
    body TEXT,
    created_at REAL NOT NULL,
    PRIMARY KEY (client, key)
);
"""


class OrderIn(BaseModel):
    item: str = Field(min_length=1)
    qty: int = Field(gt=0)


def connect(db_path: str) -> sqlite3.Connection:
    """One connection per request; autocommit mode, explicit BEGIN where we need a transaction."""
    conn = sqlite3.connect(db_path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def init_db(db_path: str) -> None:
    with closing(connect(db_path)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")   # readers do not block the writer
        conn.executescript(SCHEMA)


def fingerprint(method: str, path: str, payload: dict) -> str:
    """What makes two requests 'the same': method, path and the JSON body, canonicalised."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{method} {path} {canonical}".encode()).hexdigest()


def problem(status: int, title: str, **headers: str) -> JSONResponse:
    return JSONResponse({"title": title, "status": status}, status_code=status,
                        media_type="application/problem+json", headers=headers or None)


def create_app(db_path: str, work_seconds: float = 0.2) -> FastAPI:
    init_db(db_path)
    app = FastAPI(title="rest-orders")

    def charge_card() -> None:
        time.sleep(work_seconds)                   # the slow side effect we must not repeat

    def insert_unguarded(client: str, key: str | None, order: OrderIn) -> int:
        with closing(connect(db_path)) as conn:
            cur = conn.execute(
                "INSERT INTO unguarded_orders (client, idempotency_key, item, qty) "
                "VALUES (?, ?, ?, ?)", (client, key, order.item, order.qty))
            return cur.lastrowid

    @app.post("/plain/orders", status_code=201)
    def plain_order(order: OrderIn, x_client_id: str = Header("anonymous")) -> dict:
        charge_card()
        return {"id": insert_unguarded(x_client_id, None, order), **order.model_dump()}

    @app.post("/checked/orders", status_code=201)
    def checked_order(order: OrderIn, x_client_id: str = Header("anonymous"),
                      idempotency_key: str | None = Header(None)) -> dict:
        with closing(connect(db_path)) as conn:
            found = conn.execute(
                "SELECT id FROM unguarded_orders WHERE client = ? AND idempotency_key = ?",
                (x_client_id, idempotency_key)).fetchone()
        if found:                                   # check ...
            return {"id": found["id"], **order.model_dump()}
        charge_card()                               # ... (time passes) ...
        return {"id": insert_unguarded(x_client_id, idempotency_key, order),  # ... then act
                **order.model_dump()}

    @app.post("/orders", status_code=201)
    def create_order(order: OrderIn, request: Request, x_client_id: str = Header("anonymous"),
                     idempotency_key: str | None = Header(None)) -> Any:
        if not idempotency_key:
            return problem(400, "Idempotency-Key header is required for POST /orders")
        print_ = fingerprint("POST", request.url.path, order.model_dump())
        with closing(connect(db_path)) as conn:
            try:                                    # claim the key: one INSERT wins
                conn.execute(
                    "INSERT INTO idempotency_keys (client, key, fingerprint, state, created_at)"
                    " VALUES (?, ?, ?, 'started', ?)",
                    (x_client_id, idempotency_key, print_, time.time()))
            except sqlite3.IntegrityError:          # someone has it: replay, wait or refuse
                return answer_for_existing_key(conn, x_client_id, idempotency_key, print_)
            try:
                charge_card()
                conn.execute("BEGIN IMMEDIATE")
                cur = conn.execute(
                    "INSERT INTO orders (client, idempotency_key, item, qty) VALUES (?, ?, ?, ?)",
                    (x_client_id, idempotency_key, order.item, order.qty))
                body = {"id": cur.lastrowid, **order.model_dump()}
                conn.execute(
                    "UPDATE idempotency_keys SET state = 'done', status_code = 201, body = ? "
                    "WHERE client = ? AND key = ?",
                    (json.dumps(body), x_client_id, idempotency_key))
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                conn.execute("DELETE FROM idempotency_keys WHERE client = ? AND key = ?",
                             (x_client_id, idempotency_key))   # let the client retry
                raise
        return JSONResponse(body, status_code=201)

    @app.get("/orders/count")
    def count_orders(table: str = "orders", key: str | None = None,
                     x_client_id: str = Header("anonymous")) -> dict[str, int]:
        if table not in {"orders", "unguarded_orders"}:
            raise HTTPException(400, "unknown table")
        with closing(connect(db_path)) as conn:
            (rows,) = conn.execute(
                f"SELECT COUNT(*) FROM {table} WHERE client = ? "  # table name checked above
                "AND (? IS NULL OR idempotency_key = ?)",
                (x_client_id, key, key)).fetchone()
        return {"rows": rows}

    return app


def answer_for_existing_key(conn: sqlite3.Connection, client: str, key: str,
                            print_: str) -> JSONResponse:
    row = conn.execute("SELECT fingerprint, state, status_code, body FROM idempotency_keys "
                       "WHERE client = ? AND key = ?", (client, key)).fetchone()
    if row is None:                                 # the owner failed and released it just now
        return problem(409, "the first request with this key failed; retry", **{"Retry-After": "1"})
    if row["fingerprint"] != print_:
        return problem(422, "Idempotency-Key was already used with a different payload")
    if row["state"] != "done":
        return problem(409, "a request with this Idempotency-Key is still being processed",
                       **{"Retry-After": "1"})
    return JSONResponse(json.loads(row["body"]), status_code=row["status_code"],
                        headers={"Idempotent-Replayed": "true"})


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory interview_lab.apps.rest_orders:app_from_env``."""
    return create_app(os.environ["ORDERS_DB"], float(os.environ.get("ORDERS_WORK_SECONDS", "0.2")))
