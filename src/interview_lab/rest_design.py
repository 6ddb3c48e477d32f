"""Helpers for lesson 19 (REST design): probe HTTP methods, send duplicate POSTs, plot limiters.

The lesson's apps live in ``interview_lab.apps.rest_items`` (methods and
versions), ``rest_orders`` (idempotency keys), ``rest_limits`` (429 and
Retry-After) and ``rest_sessions`` (stateful vs stateless). This module holds
the client side: what a test or a careful API client does.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from interview_lab import servers
from interview_lab.rate_limit import Decision

# RFC 9110 section 9.2 (Table 4), plus PATCH from RFC 5789: (safe, idempotent).
RFC_METHODS: dict[str, tuple[bool, bool]] = {
    "GET": (True, True), "HEAD": (True, True), "OPTIONS": (True, True), "TRACE": (True, True),
    "PUT": (False, True), "DELETE": (False, True),
    "POST": (False, False), "PATCH": (False, False), "CONNECT": (False, False),
}


def in_process(app: Any):
    """Starlette's TestClient for ``app``: requests go straight to the app, no socket.

    Starlette 1.x warns that its TestClient wants the ``httpx2`` package and
    falls back to ``httpx``, which is what is pinned here; the warning is
    silenced for that import only.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    return TestClient(app)


# --- methods ------------------------------------------------------------------------

@dataclass(frozen=True)
class ProbeRow:
    method: str
    statuses: tuple[int, int]          # first and second identical request
    changed_by_first: bool             # did the collection change after one request?
    changed_by_second: bool            # ... and again after the identical second one?

    @property
    def looks_safe(self) -> bool:
        return not self.changed_by_first and not self.changed_by_second

    @property
    def looks_idempotent(self) -> bool:
        return not self.changed_by_second


ITEM = {"name": "pen", "price": {"amount": 250, "currency": "EUR"}}


def probe_methods(client: httpx.Client, base: str = "/v2/items") -> list[ProbeRow]:
    """Send each method twice, identically, and see what the server's state did each time."""
    def state() -> list:
        return client.get(base).json()

    def seed() -> str:
        return client.post(base, json=ITEM).headers["Location"]

    plans = {
        "GET": lambda url: ("GET", url, None), "HEAD": lambda url: ("HEAD", url, None),
        "OPTIONS": lambda url: ("OPTIONS", url, None),
        "POST": lambda url: ("POST", base, ITEM),
        "PUT": lambda url: ("PUT", f"{base}/100", {"name": "cap", "price": {"amount": 300}}),
        "PATCH": lambda url: ("PATCH", url, {"price": {"amount": 275}}),
        "DELETE": lambda url: ("DELETE", url, None),
    }
    rows = []
    for method, plan in plans.items():
        verb, url, body = plan(seed())
        before = state()
        first = client.request(verb, url, json=body)
        middle = state()
        second = client.request(verb, url, json=body)
        after = state()
        rows.append(ProbeRow(method, (first.status_code, second.status_code),
                             middle != before, after != middle))
    return rows


def probe_table(rows: Sequence[ProbeRow]) -> str:
    lines = [f"{'method':<8}{'statuses':>12}{'state changed':>16}{'changed again':>15}"
             f"{'RFC safe':>10}{'RFC idem.':>11}"]
    for r in rows:
        safe, idem = RFC_METHODS[r.method]
        lines.append(f"{r.method:<8}{str(r.statuses):>12}{str(r.changed_by_first):>16}"
                     f"{str(r.changed_by_second):>15}{str(safe):>10}{str(idem):>11}")
    return "\n".join(lines)


def warn_if_deprecated(response: httpx.Response) -> httpx.Response:
    """What a careful client does: surface ``Deprecation``/``Sunset`` headers as a warning."""
    if "deprecation" in response.headers:
        warnings.warn(f"{response.request.method} {response.request.url.path} is deprecated "
                      f"(Deprecation: {response.headers['deprecation']}, "
                      f"Sunset: {response.headers.get('sunset', 'not announced')}, "
                      f"Link: {response.headers.get('link', '-')})", DeprecationWarning,
                      stacklevel=2)
    return response


# --- the orders server and duplicate requests ------------------------------------------

@contextlib.contextmanager
def orders_server(work_seconds: float = 0.3) -> Iterator[str]:
    """uvicorn serving ``rest_orders`` on a fresh SQLite file; both gone when the block ends."""
    with tempfile.TemporaryDirectory(prefix="orders-") as folder:
        port = servers.free_port()
        argv = [sys.executable, "-m", "uvicorn", "interview_lab.apps.rest_orders:app_from_env",
                "--factory", "--host", servers.HOST, "--port", str(port), "--log-level", "warning"]
        env = {"ORDERS_DB": os.path.join(folder, "orders.db"),
               "ORDERS_WORK_SECONDS": str(work_seconds)}
        with servers.process(argv, port, env=env) as url:
            yield url


@dataclass(frozen=True)
class Reply:
    status: int | str                  # an HTTP status, or "timeout"
    body: Any = None
    replayed: bool = False
    retry_after: str | None = None

    @classmethod
    def of(cls, response: httpx.Response) -> Reply:
        return cls(response.status_code, response.json(),
                   response.headers.get("idempotent-replayed") == "true",
                   response.headers.get("retry-after"))


def headers_for(client_id: str, key: str | None) -> dict[str, str]:
    headers = {"X-Client-Id": client_id}
    if key is not None:
        headers["Idempotency-Key"] = key
    return headers


def post_with_retries(client: httpx.Client, path: str, order: dict, *, client_id: str,
                      key: str | None, timeout: float = 0.1, attempts: int = 30,
                      max_wait: float = 0.1) -> list[Reply]:
    """A client that retries on a timeout or a 409, reusing ONE idempotency key for all tries.

    The first attempt's ``timeout`` is shorter than the server's work on purpose:
    its answer is lost, as when a network drops a response. Retries wait up to
    30 s. Waits honour ``Retry-After``, capped at ``max_wait`` so the lesson
    stays quick. Returns every attempt.
    """
    tries: list[Reply] = []
    for attempt in range(attempts):
        try:
            reply = Reply.of(client.post(path, json=order, headers=headers_for(client_id, key),
                                         timeout=timeout if attempt == 0 else 30))
        except httpx.TimeoutException:
            tries.append(Reply("timeout"))
            time.sleep(0.05)
            continue
        tries.append(reply)
        if reply.status != 409:
            break
        time.sleep(min(float(reply.retry_after or 1), max_wait))
    return tries


def post_once(client: httpx.Client, path: str, order: dict, *, client_id: str,
              key: str | None) -> Reply:
    """One POST with a generous timeout."""
    return Reply.of(client.post(path, json=order, headers=headers_for(client_id, key),
                                timeout=30))


def post_parallel(client: httpx.Client, path: str, order: dict, *, client_id: str,
                  key: str | None, n: int) -> list[Reply]:
    """``n`` identical POSTs from ``n`` threads, released together by a barrier.

    The threads share one ``httpx.Client`` (it is thread-safe); its pool opens
    a connection per request in flight, so the server sees ``n`` connections.
    """
    start = threading.Barrier(n)

    def one(_: int) -> Reply:
        start.wait(timeout=30)
        return post_once(client, path, order, client_id=client_id, key=key)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


def count_rows(client: httpx.Client, *, client_id: str, table: str = "orders",
               key: str | None = None) -> int:
    """How many rows ``client_id`` has in ``table`` (optionally for one idempotency key)."""
    params = {"table": table, **({"key": key} if key else {})}
    response = client.get("/orders/count", params=params, headers={"X-Client-Id": client_id})
    response.raise_for_status()
    return response.json()["rows"]


# --- statelessness ------------------------------------------------------------------------

@dataclass
class RoundRobin:
    """A toy load balancer: each request goes to the next replica in turn."""

    replicas: Sequence[Any]
    served_by: list[int] = field(default_factory=list)

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        index = len(self.served_by) % len(self.replicas)
        self.served_by.append(index)
        return self.replicas[index].request(method, url, **kwargs)


# --- rate limits: traces and charts -------------------------------------------------------

def max_in_window(times: Sequence[float], window: float) -> int:
    """The most timestamps inside any half-open span [t, t + window)."""
    ordered, best, start = sorted(times), 0, 0
    for end, t in enumerate(ordered):
        while ordered[start] <= t - window:
            start += 1
        best = max(best, end - start + 1)
    return best


def accepted_times(decisions: Sequence[Decision]) -> list[float]:
    return [d.at for d in decisions if d.allowed]


def plot_decisions(runs: dict[str, list[Decision]], *, title: str, limit: int, window: float):
    """One row per limiter: accepted requests as dots on a time line, refused ones as crosses."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 0.6 + 0.6 * len(runs)))
    for row, decisions in enumerate(runs.values()):
        ok = [d.at for d in decisions if d.allowed]
        no = [d.at for d in decisions if not d.allowed]
        ax.scatter(ok, [row] * len(ok), marker="o", color="#4c72b0", label="accepted" if not row
                   else None)
        ax.scatter(no, [row] * len(no), marker="x", color="#c44e52", label="refused" if not row
                   else None)
    ax.set_yticks(range(len(runs)), list(runs))
    ax.set_xlabel(f"time, s (policy: {limit} requests per {window:g} s)")
    ax.set_title(title)
    ax.invert_yaxis()                        # first limiter on top, as in the table
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    return ax
