"""Two small "services" in one app, to follow one request id through both of them.

``POST /checkout`` (the front service) logs, calls ``POST /inventory/reserve``
(the back service) over real HTTP on the server's own address, forwarding the
``x-request-id`` header, and logs again. ``RequestIdMiddleware`` (pure ASGI) takes
the caller's id, or makes one, keeps it in ``log_setup.request_id`` (a context
variable) for the whole request, returns it in the response header, and writes one
access line per request with method, path, status and duration. The inventory
endpoint is a plain ``def``, so it runs in Starlette's thread pool: its log lines
carry the id too, because the pool copies the context.

Both services are one process here so the lesson starts a single server; across
real services only the header crosses the wire, exactly as below. Logging is
configured by whoever starts the server (``uvicorn --log-config file.json`` with
``log_setup.service_config``), never by the app at import time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI, Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interview_lab import log_setup

log = logging.getLogger("shop.checkout")
inventory_log = logging.getLogger("shop.inventory")
access_log = logging.getLogger("shop.access")


class RequestIdMiddleware:
    """One id per request: from the ``x-request-id`` header or new; logged and echoed back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        given = headers.get(log_setup.REQUEST_ID_HEADER.encode())
        token = log_setup.request_id.set(
            log_setup.accept_request_id(given.decode("latin-1") if given else None))
        start, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[log_setup.REQUEST_ID_HEADER] = (
                    log_setup.request_id.get())
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            access_log.info("request finished", extra={
                "method": scope["method"], "path": scope["path"], "status": status,
                "duration_ms": round((time.perf_counter() - start) * 1e3, 2)})
            log_setup.request_id.reset(token)


async def _forward_request_id(request: httpx.Request) -> None:
    """httpx event hook: every outgoing call carries the current request's id."""
    request.headers[log_setup.REQUEST_ID_HEADER] = log_setup.request_id.get()


_client: dict[str, httpx.AsyncClient] = {}


@contextlib.asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    yield
    if "client" in _client:
        await _client.pop("client").aclose()


app = FastAPI(title="traced service", lifespan=_lifespan)
app.add_middleware(RequestIdMiddleware)


def _upstream(base_url: str) -> httpx.AsyncClient:
    """One shared client (connection pool) per process, created on first use."""
    if "client" not in _client:
        _client["client"] = httpx.AsyncClient(
            base_url=base_url, timeout=5, event_hooks={"request": [_forward_request_id]})
    return _client["client"]


@app.post("/checkout")
async def checkout(request: Request, items: int = 1) -> dict:
    log.info("checkout started", extra={"items": items})
    upstream = _upstream(str(request.base_url))
    reserved = (await upstream.post("/inventory/reserve", params={"items": items})).json()
    log.info("charging card", extra={"payment": {"card_number": "4111111111111111",
                                                 "amount_cents": 4200 * items}})
    await asyncio.sleep(0.01)  # stands in for the payment call
    log.info("checkout done", extra={"reservation": reserved["reservation"]})
    return {"ok": True, "reservation": reserved["reservation"],
            "request_id": log_setup.request_id.get()}


@app.post("/inventory/reserve")
def reserve(items: int = 1) -> dict:
    """A plain def: runs in the thread pool, and still sees the request id."""
    inventory_log.info("reserving stock", extra={"items": items})
    return {"reservation": f"r-{log_setup.request_id.get()[:8]}-{items}"}
