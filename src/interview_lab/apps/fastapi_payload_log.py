"""Log every request with its payload, secrets redacted and large bodies cut, body left intact.

``RequestLogMiddleware`` is a pure ASGI middleware. It wraps ``receive`` so it
sees each chunk of the request body as the application reads it (a copy of
the first ``capture_bytes`` is kept, everything is passed on unchanged), and
wraps ``send`` to learn the status code. When the response is done (or the
application raised) it writes one JSON line: method, path, redacted query,
status, duration, client, body size and the redacted, truncated payload.

Rules it follows:
- redact first, then truncate: a cut made before redaction can leave half a
  secret in the log, and a cut JSON document can no longer be parsed to find
  the secret keys;
- never log what it cannot redact: a body over the capture limit, invalid JSON,
  or binary and multipart data is logged as its size and type only;
- never read the body itself: it only sees what the application reads, so the
  endpoint's own ``await request.json()`` still gets every byte.

``BodyEatingMiddleware`` is the common mistake, kept for the lesson: it reads
the body from ``receive`` and hands the application the same, now empty,
``receive``; the endpoint then waits for a body that never comes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI, Request
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER_NAME = "interview_lab.requests"
REDACTED = "***"
SECRET_KEYS = frozenset({
    "password", "password_repeat", "new_password", "token", "access_token", "refresh_token",
    "secret", "client_secret", "api_key", "authorization", "cookie", "card_number", "cvv",
})


def _is_secret(key: Any, secret_keys: Iterable[str]) -> bool:
    return isinstance(key, str) and key.lower().replace("-", "_") in secret_keys


def redact(value: Any, secret_keys: Iterable[str] = SECRET_KEYS) -> Any:
    """A copy of a JSON-like value with the value of every secret key replaced by ``***``.

    Keys match case-insensitively, with ``-`` read as ``_`` (``API-Key`` is ``api_key``);
    dicts and lists are walked to any depth; the input is not changed.
    """
    keys = frozenset(secret_keys)
    if isinstance(value, dict):
        return {k: REDACTED if _is_secret(k, keys) else redact(v, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, keys) for v in value]
    return value


def redact_query(query: str, secret_keys: Iterable[str] = SECRET_KEYS) -> str:
    """``token=abc&page=2`` -> ``token=***&page=2`` (secrets in URLs end up in logs too)."""
    keys = frozenset(secret_keys)
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, REDACTED if _is_secret(k, keys) else v) for k, v in pairs], safe="*")


def cut(text: str, max_chars: int) -> str:
    """``text`` if short enough, else its first ``max_chars`` characters and how many were cut."""
    if len(text) <= max_chars:
        return text
    return f"{text[:max_chars]}... (+{len(text) - max_chars} chars)"


def payload_for_log(body: bytes, total: int, content_type: str, *, max_chars: int) -> Any:
    """What the log line shows of a request body: redacted and short, or only its size."""
    if total == 0:
        return None
    if len(body) < total:
        return f"<{total} bytes: over the capture limit, not logged>"
    media = content_type.split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        try:
            data = json.loads(body)
        except ValueError:
            return f"<{total} bytes: invalid JSON, not logged>"
    elif media == "application/x-www-form-urlencoded":
        data = dict(parse_qsl(body.decode("latin-1"), keep_blank_values=True))
    else:
        return f"<{total} bytes of {media or 'unknown type'}>"
    return cut(json.dumps(redact(data), ensure_ascii=False), max_chars)  # redact, then cut


class RequestLogMiddleware:
    """One JSON log line per HTTP request; see the module docstring for the rules."""

    def __init__(self, app: ASGIApp, *, logger_name: str = LOGGER_NAME, max_chars: int = 200,
                 capture_bytes: int = 64 * 1024) -> None:
        self.app = app
        self.logger = logging.getLogger(logger_name)
        self.max_chars = max_chars
        self.capture_bytes = capture_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        chunks: list[bytes] = []
        seen = {"bytes": 0, "kept": 0, "status": 500}

        async def tee_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                body = message.get("body", b"")
                seen["bytes"] += len(body)
                room = self.capture_bytes - seen["kept"]
                if room > 0 and body:
                    chunks.append(body[:room])
                    seen["kept"] += len(chunks[-1])
            return message                          # the app gets every byte, unchanged

        async def status_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            await send(message)

        try:
            await self.app(scope, tee_receive, status_send)
        finally:                                    # also when the app raised: logged as 500
            self.logger.info(json.dumps(self.line(scope, b"".join(chunks), seen, start)))

    def line(self, scope: Scope, body: bytes, seen: dict, start: float) -> dict[str, Any]:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        client = scope.get("client")
        return {
            "method": scope["method"],
            "path": scope["path"],
            "query": redact_query(scope.get("query_string", b"").decode("latin-1")),
            "status": seen["status"],
            "duration_ms": round((time.perf_counter() - start) * 1000, 2),
            "client": client[0] if client else None,
            "body_bytes": seen["bytes"],
            "payload": payload_for_log(body, seen["bytes"], headers.get("content-type", ""),
                                       max_chars=self.max_chars),
        }


class BodyEatingMiddleware:
    """WRONG, on purpose: reads the body and passes on the ``receive`` it emptied."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            body, more = b"", True
            while more:
                message = await receive()
                body += message.get("body", b"")
                more = message.get("more_body", False)
            self.bodies.append(body)
        await self.app(scope, receive, send)       # the app's receive() now waits forever


def log_config(path: str) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` dict: request lines to ``path``, one JSON per line.

    Saved as JSON it is what ``uvicorn --log-config FILE.json`` loads at start-up.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"format": "%(message)s"}},
        "handlers": {"file": {"class": "logging.FileHandler", "filename": path,
                              "formatter": "line", "encoding": "utf-8"}},
        "loggers": {LOGGER_NAME: {"handlers": ["file"], "level": "INFO", "propagate": False}},
    }


# --- a small app that uses it ------------------------------------------------------------

class Signup(BaseModel):
    username: str = Field(min_length=3)
    password: str = Field(min_length=8)


app = FastAPI(title="payload log")
app.add_middleware(RequestLogMiddleware, max_chars=120)


@app.post("/signup", status_code=201)
def signup(form: Signup) -> dict[str, str]:
    return {"username": form.username}


@app.post("/upload")
async def upload(request: Request) -> dict[str, Any]:
    """Reads the body itself, chunk by chunk, and reports what arrived."""
    digest, size, chunks = hashlib.sha256(), 0, 0
    async for chunk in request.stream():
        digest.update(chunk)
        size, chunks = size + len(chunk), chunks + bool(chunk)
    return {"bytes": size, "chunks": chunks, "sha256": digest.hexdigest()}


@app.get("/boom")
def boom() -> None:
    raise RuntimeError("a bug in the endpoint")
