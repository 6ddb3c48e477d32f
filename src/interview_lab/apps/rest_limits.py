"""One rate-limit policy, "N requests per window per client", enforced two ways (lesson 19).

- ``GET /hand/quote``: a FastAPI dependency around the hand-written
  ``SlidingWindowLog`` from ``interview_lab.rate_limit``, one log per client.
- ``GET /lib/quote``: slowapi (which wraps the ``limits`` library) with its
  ``moving-window`` strategy, the same exact sliding window.

Both refuse with ``429 Too Many Requests`` and a ``Retry-After`` header (whole
seconds). slowapi writes ``Retry-After`` and ``X-RateLimit-*`` only with
``headers_enabled=True``; then an endpoint that returns a dict must also take a
``response: Response`` parameter, where slowapi puts the headers.

The client is the ``X-Client-Id`` header (standing in for an API key or user
id), else the peer's IP address. Pass ``shared=`` a ``KeyedLimiter`` to make
several app instances (replicas) share one set of counters, as a Redis store
would in production; by default each instance counts on its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from fastapi import Depends, FastAPI, HTTPException, Request, Response
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from interview_lab.rate_limit import KeyedLimiter, SlidingWindowLog, retry_after_header

LIMIT, WINDOW = 5, 60


def client_key(request: Request) -> str:
    """Who is being limited: the API client if it says so, else its address."""
    return request.headers.get("x-client-id") or get_remote_address(request)


def create_app(*, limit: int = LIMIT, window: int = WINDOW,
               clock: Callable[[], float] = time.monotonic,
               shared: KeyedLimiter | None = None) -> FastAPI:
    hand = shared or KeyedLimiter(lambda: SlidingWindowLog(limit, window, clock=clock))
    library = Limiter(key_func=client_key, strategy="moving-window", headers_enabled=True,
                      storage_uri="memory://")
    app = FastAPI(title="rest-limits")
    app.state.limiter = library
    app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)

    def hand_limit(request: Request) -> None:
        key = client_key(request)
        if not hand.try_acquire(key):
            raise HTTPException(429, f"rate limit: {limit} per {window} s",
                                headers={"Retry-After": retry_after_header(hand.retry_after(key))})

    @app.get("/hand/quote", dependencies=[Depends(hand_limit)])
    async def hand_quote() -> dict[str, str]:
        return {"quote": "hand-written limiter says yes"}

    @app.get("/lib/quote")
    @library.limit(f"{limit} per {window} seconds")
    async def lib_quote(request: Request, response: Response) -> dict[str, str]:
        return {"quote": "slowapi says yes"}

    return app



def create_minimal_slowapi_app(*, headers_enabled: bool, response_param: bool) -> FastAPI:
    """The two slowapi set-ups that bite: no ``headers_enabled`` (then a 429 has no
    Retry-After), and ``headers_enabled`` without a ``response`` parameter (then a
    dict-returning endpoint raises on every request)."""
    limiter = Limiter(key_func=client_key, strategy="moving-window",
                      headers_enabled=headers_enabled, storage_uri="memory://")
    app = FastAPI(title="slowapi-minimal")
    app.state.limiter = limiter
    app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)
    if response_param:
        @app.get("/quote")
        @limiter.limit("1/minute")
        async def quote(request: Request, response: Response) -> dict[str, str]:
            return {"quote": "yes"}
    else:
        @app.get("/quote")
        @limiter.limit("1/minute")
        async def quote_without_response(request: Request) -> dict[str, str]:
            return {"quote": "yes"}
    return app


app = create_app()
