"""Hidden cases for solutions/17_servers_deployment.ipynb.

The two app exercises are called the way a server calls them, in this process:
``health_app`` through ``wsgiref.validate.validator`` (the standard library's
WSGI conformance checker) and ``echo_app`` on a fresh event loop in its own
thread (a Jupyter kernel's loop is busy running the notebook). ``client_ip``
follows uvicorn's ProxyHeadersMiddleware and ``hostname_matches`` follows
Python's ``ssl`` module with OpenSSL's default flags; every expected value below
was checked against those two implementations when the cases were written (for
the host name ``.example.com`` Python's ``ssl`` refuses the name before any
check, which is a "no match" too).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from wsgiref.validate import validator

from interview_lab.async_demo import run_in_thread
from interview_lab.checks import Case, CheckFailed, Exercise
from interview_lab.deploy_demo import call_wsgi, http_scope

# --- 1. health_app ---------------------------------------------------------------

_OK = ("200 OK", {"status": "ok"})
_NOT_FOUND = ("404 Not Found", {"error": "not found"})
_NOT_ALLOWED = ("405 Method Not Allowed", {"error": "method not allowed"})

_HEALTH_CASES = [  # (method, path, query string, expected status line and JSON body)
    ("GET", "/health", "", _OK),
    ("GET", "/health", "verbose=1", _OK),
    ("POST", "/health", "", _NOT_ALLOWED),
    ("DELETE", "/health", "", _NOT_ALLOWED),
    ("HEAD", "/health", "", _NOT_ALLOWED),
    ("GET", "/", "", _NOT_FOUND),
    ("GET", "/health/", "", _NOT_FOUND),
    ("GET", "/healthz", "", _NOT_FOUND),
    ("POST", "/orders", "", _NOT_FOUND),
]


def _check_health_app(func: Callable) -> None:
    for method, path, query, (status, payload) in _HEALTH_CASES:
        call = f"health_app for {method} {path}{'?' + query if query else ''}"
        try:
            got_status, headers, body = call_wsgi(validator(func), method, path, query=query)
        except (CheckFailed, NotImplementedError):
            raise
        except AssertionError as exc:  # wsgiref.validate found a protocol violation
            raise CheckFailed(f"{call} breaks the WSGI protocol: {exc}") from exc
        except Exception as exc:
            raise CheckFailed(f"{call} raised {type(exc).__name__}: {exc}") from exc
        if got_status != status:
            raise CheckFailed(f"{call}\n  expected status: {status!r}\n  got:             "
                              f"{got_status!r}")
        named = {name.lower(): value for name, value in headers}
        if not named.get("content-type", "").startswith("application/json"):
            raise CheckFailed(f"{call}: Content-Type is {named.get('content-type')!r}, "
                              "expected 'application/json'")
        if named.get("content-length") != str(len(body)):
            raise CheckFailed(f"{call}: Content-Length is {named.get('content-length')!r} but "
                              f"the body has {len(body)} bytes")
        try:
            parsed = json.loads(body)
        except ValueError as exc:
            raise CheckFailed(f"{call}: the body {body[:60]!r} is not JSON") from exc
        if parsed != payload:
            raise CheckFailed(f"{call}\n  expected body: {payload!r}\n  got:           {parsed!r}")
        if status.startswith("405") and named.get("allow") != "GET":
            raise CheckFailed(f"{call}: a 405 must say what is allowed: header Allow: GET "
                              f"(got {named.get('allow')!r})")


# --- 2. echo_app -----------------------------------------------------------------


async def _drive(func: Callable, scope: dict[str, Any], incoming: list[dict[str, Any]]
                 ) -> list[dict[str, Any]]:
    queue, sent = list(incoming), []

    async def receive() -> dict[str, Any]:
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await func(scope, receive, send)
    return sent


def _request_messages(chunks: list[bytes]) -> list[dict[str, Any]]:
    return [{"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
            for i, chunk in enumerate(chunks)]


def _response(call: str, sent: list[dict[str, Any]]) -> tuple[int, dict[bytes, bytes], bytes]:
    """Check the shape of an HTTP response in ASGI messages; return status, headers, body."""
    if not sent or sent[0].get("type") != "http.response.start":
        raise CheckFailed(f"{call}: the first message sent must be 'http.response.start', "
                          f"got {[m.get('type') for m in sent]!r}")
    start, bodies = sent[0], sent[1:]
    headers = start.get("headers", [])
    for pair in headers:
        if len(pair) != 2 or not all(isinstance(part, bytes) for part in pair):
            raise CheckFailed(f"{call}: header {pair!r} must be a (bytes, bytes) pair, "
                              "e.g. (b'content-length', b'5')")
    if not bodies or any(m.get("type") != "http.response.body" for m in bodies):
        raise CheckFailed(f"{call}: after the start message send 'http.response.body' "
                          f"messages, got {[m.get('type') for m in sent]!r}")
    if bodies[-1].get("more_body", False):
        raise CheckFailed(f"{call}: the last body message still says more_body=True")
    body = b"".join(m.get("body", b"") for m in bodies)
    if not isinstance(body, bytes):
        raise CheckFailed(f"{call}: the body must be bytes")
    named = {name.lower(): value for name, value in headers}
    if named.get(b"content-length") != str(len(body)).encode():
        raise CheckFailed(f"{call}: content-length is {named.get(b'content-length')!r} but the "
                          f"body has {len(body)} bytes")
    return start.get("status"), named, body


_ECHO_CASES = [  # (method, path, body chunks, expected status, expected body)
    ("POST", "/echo", [b"hello"], 200, b"hello"),
    ("POST", "/echo", [b"hel", b"lo", b", world"], 200, b"hello, world"),
    ("POST", "/echo", [b"", b"late", b""], 200, b"late"),
    ("POST", "/echo", [b""], 200, b""),
    ("POST", "/echo", [bytes(range(256))], 200, bytes(range(256))),
    ("GET", "/echo", [b""], 405, b""),
    ("PUT", "/echo", [b"x"], 405, b""),
    ("POST", "/other", [b"x"], 404, b""),
    ("GET", "/", [b""], 404, b""),
]


async def _echo_scenario(func: Callable) -> None:
    for method, path, chunks, status, expected in _ECHO_CASES:
        call = f"echo_app for {method} {path} with the body sent as {chunks!r}"
        sent = await _drive(func, http_scope(method, path), _request_messages(chunks))
        got_status, headers, body = _response(call, sent)
        if got_status != status:
            raise CheckFailed(f"{call}\n  expected status: {status}\n  got:             "
                              f"{got_status!r}")
        if body != expected:
            raise CheckFailed(f"{call}\n  expected body: {expected!r}\n  got:           {body!r}")
        if status == 200 and headers.get(b"content-type") != b"application/octet-stream":
            raise CheckFailed(f"{call}: content-type is {headers.get(b'content-type')!r}, "
                              "expected b'application/octet-stream'")
        if status == 405 and headers.get(b"allow") != b"POST":
            raise CheckFailed(f"{call}: a 405 must carry (b'allow', b'POST')")
    lifespan = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent = await _drive(func, {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}},
                        lifespan)
    kinds = [m.get("type") for m in sent]
    if kinds != ["lifespan.startup.complete", "lifespan.shutdown.complete"]:
        raise CheckFailed("echo_app for a 'lifespan' scope receiving startup, then shutdown\n"
                          "  expected to send: ['lifespan.startup.complete', "
                          f"'lifespan.shutdown.complete']\n  sent:             {kinds!r}")


def _check_echo_app(func: Callable) -> None:
    import inspect

    if not inspect.iscoroutinefunction(func):
        raise CheckFailed("echo_app must be defined with `async def`: the server awaits it")
    try:
        run_in_thread(_echo_scenario, func, timeout=10)
    except TimeoutError as exc:
        raise CheckFailed("echo_app did not finish within 10 s: does a loop wait for a "
                          "message that never comes?") from exc


# --- 3. client_ip ----------------------------------------------------------------

_PROXY, _EDGE = "10.0.0.2", "10.0.0.3"
_OURS = {_PROXY, _EDGE}
_CLIENT_IP_CASES = [  # (peer, X-Forwarded-For, trusted, expected, note)
    (_PROXY, "203.0.113.7", _OURS, "203.0.113.7", "one trusted proxy"),
    (_PROXY, "203.0.113.7, 10.0.0.3", _OURS, "203.0.113.7", "two trusted proxies"),
    (_PROXY, "203.0.113.7 ,10.0.0.3", _OURS, "203.0.113.7", "spaces around the comma"),
    (_PROXY, "6.6.6.6, 203.0.113.7", _OURS, "203.0.113.7",
     "the client wrote 6.6.6.6 itself: the rightmost untrusted entry counts"),
    (_PROXY, "6.6.6.6, 203.0.113.7, 10.0.0.3", _OURS, "203.0.113.7",
     "a forged entry, then two of our proxies"),
    ("198.51.100.4", "1.2.3.4", _OURS, "198.51.100.4",
     "the peer is not a proxy of ours: ignore its header"),
    ("198.51.100.4", None, _OURS, "198.51.100.4", "no header"),
    (_PROXY, None, _OURS, _PROXY, "no header from a trusted proxy"),
    (_PROXY, "", _OURS, _PROXY, "empty header"),
    (_PROXY, "   ", _OURS, _PROXY, "header of spaces"),
    (_PROXY, "10.0.0.3", _OURS, _EDGE, "only trusted addresses: the client is one of ours"),
    (_PROXY, "10.0.0.3, 10.0.0.2", _OURS, _EDGE, "only trusted addresses: leftmost"),
    (_PROXY, "203.0.113.7", set(), _PROXY, "nothing is trusted"),
    ("127.0.0.1", "203.0.113.7", {"127.0.0.1"}, "203.0.113.7", "a proxy on the same host"),
    (_PROXY, "2001:db8::7", _OURS, "2001:db8::7", "an IPv6 client"),
]

# --- 4. hostname_matches ---------------------------------------------------------

_HOSTNAME_CASES = [  # (pattern, hostname, expected); checked with ssl + OpenSSL handshakes
    ("api.example.com", "api.example.com", True),
    ("api.example.com", "API.Example.COM", True),
    ("API.EXAMPLE.COM", "api.example.com", True),
    ("api.example.com", "www.example.com", False),
    ("api.example.com", "example.com", False),
    ("example.com", "api.example.com", False),
    ("localhost", "localhost", True),
    ("*.example.com", "api.example.com", True),
    ("*.EXAMPLE.com", "api.example.COM", True),
    ("*.example.com", "example.com", False),
    ("*.example.com", ".example.com", False),
    ("*.example.com", "a.b.example.com", False),
    ("*.example.com", "api.example.org", False),
    ("*.example.com", "api.example.com.evil.net", False),
    ("*.example.com", "evilexample.com", False),
    ("*.api.example.com", "v1.api.example.com", True),
    ("*.api.example.com", "api.example.com", False),
    ("*.co.uk", "shop.co.uk", True),
    ("*.com", "example.com", False),
    ("*.localhost", "a.localhost", False),
    ("*", "localhost", False),
    ("f*.example.com", "foo.example.com", False),
    ("*oo.example.com", "foo.example.com", False),
    ("api.*.com", "api.example.com", False),
    ("*.*.example.com", "a.b.example.com", False),
    ("**.example.com", "api.example.com", False),
]

EXERCISES = {
    "health_app": Exercise(check=_check_health_app),
    "echo_app": Exercise(check=_check_echo_app),
    "client_ip": Exercise(cases=tuple(
        Case(args=(peer, header, set(trusted)), expected=expected, note=note)
        for peer, header, trusted, expected, note in _CLIENT_IP_CASES)),
    "hostname_matches": Exercise(cases=tuple(
        Case(args=(pattern, hostname), expected=expected)
        for pattern, hostname, expected in _HOSTNAME_CASES)),
}
