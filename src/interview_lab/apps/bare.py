"""A WSGI app and an ASGI app written by hand: no framework, only the interface.

Lesson 17 serves ``wsgi_app`` with gunicorn and ``asgi_app`` with uvicorn, and
calls both directly, the way a server does. Each answers every request with a
small JSON report of what the server handed it: method, path, scheme (http or
https, as the server saw it), the client address, and the worker's pid.
"""

from __future__ import annotations

import json
import os


def wsgi_app(environ, start_response):
    """WSGI (PEP 3333): called once per request; returns an iterable of bytes."""
    report = {"interface": "WSGI", "method": environ["REQUEST_METHOD"],
              "path": environ["PATH_INFO"], "scheme": environ["wsgi.url_scheme"],
              "pid": os.getpid()}
    body = json.dumps(report).encode()
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]  # a list of bytes chunks, not bytes: iterating bytes gives ints


async def asgi_app(scope, receive, send):
    """ASGI: one coroutine per connection event; it receives and sends messages (dicts)."""
    if scope["type"] == "lifespan":  # server start-up and shutdown, once per worker
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    assert scope["type"] == "http", scope["type"]  # this app speaks no websocket
    client = scope.get("client") or ("?", 0)
    report = {"interface": "ASGI", "method": scope["method"], "path": scope["path"],
              "scheme": scope["scheme"], "client": client[0], "pid": os.getpid()}
    body = json.dumps(report).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
