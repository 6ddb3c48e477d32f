"""Plausible wrong answers for solutions/17_servers_deployment.ipynb; each must be rejected."""

from __future__ import annotations

import fnmatch
import json

# --- health_app ------------------------------------------------------------------


def _health(environ, start_response, *, wrap=True, length=True, not_allowed=405):
    path, method = environ.get("PATH_INFO", ""), environ["REQUEST_METHOD"]
    headers = []
    if path != "/health":
        status, payload = "404 Not Found", {"error": "not found"}
    elif method != "GET" and not_allowed == 405:
        status, payload = "405 Method Not Allowed", {"error": "method not allowed"}
        headers = [("Allow", "GET")]
    else:
        status, payload = "200 OK", {"status": "ok"}
    body = json.dumps(payload).encode()
    headers.insert(0, ("Content-Type", "application/json"))
    if length:
        headers.append(("Content-Length", str(len(body))))
    start_response(status, headers)
    return [body] if wrap else body


def health_returns_bytes(environ, start_response):
    """`return body`: the server iterates bytes and gets ints."""
    return _health(environ, start_response, wrap=False)


def health_without_content_length(environ, start_response):
    """Forgets Content-Length."""
    return _health(environ, start_response, length=False)


def health_any_method(environ, start_response):
    """Answers every method with 200: no 405."""
    return _health(environ, start_response, not_allowed=200)


def health_int_header(environ, start_response):
    """Content-Length as an int: WSGI header values must be str."""
    body = json.dumps({"status": "ok"}).encode()
    if environ.get("PATH_INFO") != "/health":
        body = json.dumps({"error": "not found"}).encode()
        start_response("404 Not Found", [("Content-Type", "application/json"),
                                         ("Content-Length", len(body))])
        return [body]
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", len(body))])
    return [body]


def health_path_with_query(environ, start_response):
    """Builds the path from PATH_INFO + QUERY_STRING, so /health?verbose=1 is a 404."""
    query = environ.get("QUERY_STRING", "")
    environ = dict(environ, PATH_INFO=environ["PATH_INFO"] + (f"?{query}" if query else ""))
    return _health(environ, start_response)


# --- echo_app --------------------------------------------------------------------


async def _lifespan(receive, send):
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _echo(scope, receive, send, *, first_chunk_only=False, str_headers=False,
                lifespan=True):
    if scope["type"] == "lifespan":
        if lifespan:
            await _lifespan(receive, send)
        return
    headers = [(b"content-type", b"application/octet-stream")]
    if scope["path"] != "/echo":
        status, body = 404, b""
    elif scope["method"] != "POST":
        status, body = 405, b""
        headers.append((b"allow", b"POST"))
    else:
        message = await receive()
        chunks = [message.get("body", b"")]
        while message.get("more_body") and not first_chunk_only:
            message = await receive()
            chunks.append(message.get("body", b""))
        status, body = 200, b"".join(chunks)
    headers.append((b"content-length", str(len(body)).encode()))
    if str_headers:
        headers = [(name.decode(), value.decode()) for name, value in headers]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def echo_first_chunk_only(scope, receive, send):
    """Reads one http.request message: a body sent in parts is cut short."""
    await _echo(scope, receive, send, first_chunk_only=True)


async def echo_str_headers(scope, receive, send):
    """Header names and values as str: ASGI wants bytes."""
    await _echo(scope, receive, send, str_headers=True)


async def echo_ignores_lifespan(scope, receive, send):
    """Returns at once for lifespan: the server never hears 'startup complete'."""
    await _echo(scope, receive, send, lifespan=False)


async def echo_any_method(scope, receive, send):
    """Echoes whatever the method: GET /echo answers 200."""
    scope = dict(scope, method="POST") if scope["type"] == "http" else scope
    await _echo(scope, receive, send)


# --- client_ip -------------------------------------------------------------------


def client_ip_leftmost(peer, forwarded_for, trusted):
    """Believes the leftmost entry: whatever the client wrote."""
    if peer in trusted and forwarded_for and forwarded_for.strip():
        return forwarded_for.split(",")[0].strip()
    return peer


def client_ip_any_peer(peer, forwarded_for, trusted):
    """Reads the header from any peer, trusted or not."""
    if not forwarded_for or not forwarded_for.strip():
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return hops[0]


def client_ip_rightmost(peer, forwarded_for, trusted):
    """Takes the rightmost entry without skipping our own proxies."""
    if peer in trusted and forwarded_for and forwarded_for.strip():
        return forwarded_for.split(",")[-1].strip()
    return peer


# --- hostname_matches --------------------------------------------------------------


def hostname_fnmatch(pattern, hostname):
    """fnmatch: its * also matches dots and partial labels."""
    return fnmatch.fnmatch(hostname.lower(), pattern.lower())


def hostname_case_sensitive(pattern, hostname):
    """Right wildcard rules, but compares with case."""
    if "*" not in pattern:
        return pattern == hostname
    first, _, rest = pattern.partition(".")
    if first != "*" or "*" in rest or "." not in rest:
        return False
    label, dot, host_rest = hostname.partition(".")
    return bool(label) and bool(dot) and host_rest == rest


def hostname_endswith(pattern, hostname):
    """Suffix test: *.example.com also accepts a.b.example.com."""
    pattern, hostname = pattern.lower(), hostname.lower()
    if pattern.startswith("*."):
        return hostname.endswith(pattern[1:]) and hostname != pattern[2:]
    return pattern == hostname


def hostname_too_broad(pattern, hostname):
    """Right rules except the two-labels minimum: *.com matches example.com."""
    pattern, hostname = pattern.lower(), hostname.lower()
    if "*" not in pattern:
        return pattern == hostname
    first, _, rest = pattern.partition(".")
    if first != "*" or "*" in rest or not rest:
        return False
    label, dot, host_rest = hostname.partition(".")
    return bool(label) and bool(dot) and host_rest == rest


WRONG = {
    "health_app": [health_returns_bytes, health_without_content_length, health_any_method,
                   health_int_header, health_path_with_query],
    "echo_app": [echo_first_chunk_only, echo_str_headers, echo_ignores_lifespan,
                 echo_any_method],
    "client_ip": [client_ip_leftmost, client_ip_any_peer, client_ip_rightmost],
    "hostname_matches": [hostname_fnmatch, hostname_case_sensitive, hostname_endswith,
                         hostname_too_broad],
}
