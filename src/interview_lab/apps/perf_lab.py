"""The endpoints the API-performance lesson measures (notebooks/20_api_performance_logging.ipynb).

One page of orders with their customers, loaded four ways from a database whose
every statement costs a simulated network round trip (see ``interview_lab.sim_db``;
the latency comes from ``PERF_LAB_DB_LATENCY``, default 5 ms):

- ``/orders/n-plus-one``: a query for the orders, then one per order (1 + N statements);
- ``/orders/joined``: one JOIN (1 statement);
- ``/orders/cached``: the page from an in-process cache (0 statements on a hit); with
  ``refresh_every=k`` every k-th request reloads it through the N+1 code, standing in
  for a cache entry that expires;
- ``/orders/async``: the N+1 statements, but the N lookups awaited together.

Every response carries ``x-db-statements`` (counted by SQLite's trace callback) and
``server-timing: app;dur=<ms>`` (time inside the app). Three ways to wait 50 ms show
what blocks the event loop (``/wait/...``; ``POST /wait/peak`` says how many were
waiting at once), ``/cpu`` burns CPU, ``/info`` gives the
worker's pid and the simulated latency, and ``/orders/export`` hides a hot spot for
the profiler: add ``?profile=1`` to any URL to get a pyinstrument profile (JSON)
instead of the response.
Never expose that switch in production without authentication.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qs

from fastapi import FastAPI
from pyinstrument import Profiler
from pyinstrument.renderers import JSONRenderer
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interview_lab import sim_db

log = logging.getLogger("interview_lab.perf_lab")


class QueryStatsMiddleware:
    """Pure ASGI middleware: count this request's SQL statements, time the app, add headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        with sim_db.track() as queries:  # a context variable: threadpool endpoints see it too

            async def send_with_stats(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = MutableHeaders(scope=message)
                    headers["x-db-statements"] = str(queries.count)
                    headers["server-timing"] = f"app;dur={(time.perf_counter() - start) * 1e3:.2f}"
                await send(message)

            await self.app(scope, receive, send_with_stats)


class ProfileMiddleware:
    """With ``?profile=1``, run the request under pyinstrument and return the profile as JSON."""

    def __init__(self, app: ASGIApp, interval: float = 0.0005) -> None:
        self.app = app
        self.interval = interval

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = parse_qs(scope.get("query_string", b"").decode()) if scope["type"] == "http" else {}
        if query.get("profile") != ["1"]:
            await self.app(scope, receive, send)
            return

        async def discard(_message: Message) -> None:
            return None

        profiler = Profiler(interval=self.interval, async_mode="enabled")
        profiler.start()
        try:
            await self.app(scope, receive, discard)
        finally:
            profiler.stop()
        body = profiler.output(JSONRenderer(show_all=True))
        await Response(body, media_type="application/json")(scope, receive, send)


def create_app(latency: float = sim_db.DEFAULT_LATENCY) -> FastAPI:
    """The app, with its own simulated database (``latency`` seconds per statement)."""
    db = sim_db.SimulatedDB(latency, orders=2000)
    app = FastAPI(title="perf lab")
    app.state.db = db
    app.add_middleware(QueryStatsMiddleware)
    app.add_middleware(ProfileMiddleware)  # outermost: profiles the stats middleware too
    cache: dict[int, list[dict]] = {}
    hits = {"requests": 0}
    waiting = {"now": 0, "peak": 0}
    waiting_lock = threading.Lock()  # the def endpoint counts from worker threads

    @contextlib.contextmanager
    def counted_wait() -> Iterator[None]:
        with waiting_lock:
            waiting["now"] += 1
            waiting["peak"] = max(waiting["peak"], waiting["now"])
        try:
            yield
        finally:
            with waiting_lock:
                waiting["now"] -= 1

    @app.get("/orders/n-plus-one")
    def orders_n_plus_one(limit: int = 20) -> list[dict]:
        return sim_db.page_n_plus_one(db, limit)

    @app.get("/orders/joined")
    def orders_joined(limit: int = 20) -> list[dict]:
        return sim_db.page_joined(db, limit)

    @app.get("/orders/cached")
    async def orders_cached(limit: int = 20, refresh_every: int = 0) -> list[dict]:
        hits["requests"] += 1
        due = refresh_every > 0 and hits["requests"] % refresh_every == 0
        if limit not in cache or due:
            cache[limit] = await sim_db.apage_n_plus_one(db, limit)  # the slow path, cached
        return cache[limit]

    @app.get("/orders/async")
    async def orders_async(limit: int = 20) -> list[dict]:
        return await sim_db.apage_gathered(db, limit)

    @app.post("/orders/cached/clear")
    async def clear_cache() -> dict[str, int]:
        cache.clear()
        hits["requests"] = 0
        return {"cleared": 1}

    @app.get("/orders/export")
    async def export(limit: int = 200) -> dict[str, int]:
        return {"lines": len(export_lines(await sim_db.apage_joined(db, limit)))}

    @app.get("/orders/export-fixed")
    async def export_fixed(limit: int = 200) -> dict[str, int]:
        return {"lines": len(export_lines_fixed(await sim_db.apage_joined(db, limit)))}

    @app.get("/wait/blocking")
    async def wait_blocking(seconds: float = 0.05) -> dict[str, float]:
        with counted_wait():
            time.sleep(seconds)  # a sync call inside async def: the whole event loop stops
        return {"waited": seconds}

    @app.get("/wait/threadpool")
    def wait_threadpool(seconds: float = 0.05) -> dict[str, float]:
        with counted_wait():
            time.sleep(seconds)  # plain def: FastAPI runs it in a worker thread
        return {"waited": seconds}

    @app.get("/wait/async")
    async def wait_async(seconds: float = 0.05) -> dict[str, float]:
        with counted_wait():
            await asyncio.sleep(seconds)  # the loop serves other requests meanwhile
        return {"waited": seconds}

    @app.post("/wait/peak")
    async def wait_peak() -> dict[str, int]:
        """The most ``/wait/...`` requests that were waiting at the same moment; then reset."""
        with waiting_lock:
            peak, waiting["peak"] = waiting["peak"], waiting["now"]
        return {"peak": peak}

    @app.get("/cpu")
    async def cpu(ms: float = 20) -> dict[str, float]:
        return {"cpu_ms": burn_cpu(ms / 1000) * 1000}

    @app.get("/info")
    async def info() -> dict[str, float]:
        return {"pid": os.getpid(), "db_latency": db.latency}

    return app


def burn_cpu(seconds: float) -> float:
    """Compute until this thread has used ``seconds`` of CPU (whatever else the machine does)."""
    start = time.thread_time()
    while time.thread_time() - start < seconds:
        sum(i * i for i in range(2_000))
    return time.thread_time() - start


def export_lines(page: list[dict]) -> list[str]:
    """CSV lines for a page of orders, with a debug line per row that costs more than the row.

    ``log.debug("... %s", json.dumps(...))`` defers only the %-formatting: the argument,
    ``json.dumps``, is evaluated before ``debug`` is even called, DEBUG on or off.
    """
    lines = []
    for order in page:
        log.debug("exporting %s", json.dumps(order, indent=2, sort_keys=True))
        lines.append(_csv_line(order))
    return lines


def export_lines_fixed(page: list[dict]) -> list[str]:
    """The same lines; the expensive debug argument is built only when DEBUG is enabled."""
    debug = log.isEnabledFor(logging.DEBUG)
    lines = []
    for order in page:
        if debug:
            log.debug("exporting %s", json.dumps(order, indent=2, sort_keys=True))
        lines.append(_csv_line(order))
    return lines


def _csv_line(order: dict) -> str:
    customer = order["customer"] or {"name": "", "tier": ""}
    return f"{order['id']},{customer['name']},{customer['tier']},{order['total_cents'] / 100:.2f}"


app = create_app(float(os.environ.get("PERF_LAB_DB_LATENCY", sim_db.DEFAULT_LATENCY)))
