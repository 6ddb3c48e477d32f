"""Helpers for lesson 18 (authentication and security): servers, benchmarks, forgeries.

The lesson's cells stay short by calling these. Some functions here are deliberately
wrong (``naive_jwt_decode``, ``search_products_unsafe``, ``naive_login``): each is the
mistake a section takes apart, named and documented as such. Never copy them.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import math
import os
import re
import sqlite3
import ssl
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import argon2
import bcrypt
import httpx
import trustme

from interview_lab import bench, servers

# --- servers -------------------------------------------------------------------------


@contextlib.contextmanager
def serve_https(factory: str, env: dict[str, str], *,
                args: tuple[str, ...] = ()) -> Iterator[tuple[str, ssl.SSLContext]]:
    """Serve an app factory (``"module:function"``) with uvicorn over TLS on 127.0.0.1.

    A throwaway certificate authority (trustme) signs a certificate for 127.0.0.1; the
    server gets the key and certificate as files, the caller gets an SSLContext that
    trusts that CA and nothing else. ``env`` is added to the server's environment only
    (that is how its secrets reach it). Yields ``(base_url, ssl_context)``; the server,
    its certificate files and the CA are gone when the block ends.
    """
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1")
    port = servers.free_port()
    with leaf.private_key_pem.tempfile() as key, leaf.cert_chain_pems[0].tempfile() as cert:
        argv = [sys.executable, "-m", "uvicorn", factory, "--factory", "--host", servers.HOST,
                "--port", str(port), "--log-level", "warning", "--ssl-keyfile", key,
                "--ssl-certfile", cert, *args]
        with servers.process(argv, port, env=env) as url:
            context = ssl.create_default_context()
            ca.configure_trust(context)
            yield url.replace("http://", "https://"), context


def bearer(token: str) -> dict[str, str]:
    """The request header that carries an OAuth 2.0 bearer token (RFC 6750 2.1)."""
    return {"Authorization": f"Bearer {token}"}


def asgi_client(app) -> httpx.AsyncClient:
    """An httpx client that calls the ASGI app in this process (no socket, no server)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def status_table(responses: dict[str, httpx.Response]) -> str:
    """One line per request: label, status code, and the WWW-Authenticate challenge."""
    lines = [f"{'request':<34}{'status':>7}  WWW-Authenticate"]
    for label, r in responses.items():
        lines.append(f"{label:<34}{r.status_code:>7}  {r.headers.get('www-authenticate', '')}")
    return "\n".join(lines)


# --- password hashing --------------------------------------------------------------


def seconds_per_hash(hash_once: Callable[[], Any], repeat: int, *,
                     clock: Callable[[], float] = time.process_time) -> float:
    """Best of ``repeat`` single calls (for hashes slow enough to time one by one).

    The default clock is this process's CPU time (all its threads: Argon2 computes its
    lanes in threads), which is what a guess costs an attacker, and which other programs
    on a busy machine do not inflate the way they inflate wall time.
    """
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        hash_once()
        best = min(best, clock() - start)
    return best


def hash_speeds(password: bytes, *, slow_repeat: int, bcrypt_rounds: int = 12) -> dict[str, float]:
    """CPU seconds per hash: salted SHA-256 (fast) vs Argon2id and bcrypt at their defaults.

    SHA-256 is timed over many calls (``bench.seconds_per_call``); the slow ones call by
    call, best of ``slow_repeat``; all in CPU time (see ``seconds_per_hash``). Argon2id
    runs with argon2-cffi's defaults, ``PasswordHasher()`` (the RFC 9106 low-memory
    profile: t=3, m=64 MiB, p=4); bcrypt with ``bcrypt_rounds`` (its default is 12).
    """
    salt = os.urandom(16)
    argon = argon2.PasswordHasher()
    bsalt = bcrypt.gensalt(rounds=bcrypt_rounds)
    return {
        "sha256(salt + pw)": bench.seconds_per_call(
            lambda: hashlib.sha256(salt + password).digest(), clock=time.process_time),
        "argon2id (default)": seconds_per_hash(lambda: argon.hash(password), slow_repeat),
        f"bcrypt (cost {bcrypt_rounds})": seconds_per_hash(
            lambda: bcrypt.hashpw(password, bsalt), slow_repeat),
    }


def show_hash_speeds(speeds: dict[str, float]) -> None:
    """Print guesses per second per core for each hash and draw them on a log scale."""
    import matplotlib.pyplot as plt

    print(f"{'hash':<22}{'CPU s / hash':>14}{'guesses / CPU s':>18}   (this machine)")
    for name, seconds in speeds.items():
        print(f"{name:<22}{seconds:>14.2e}{1 / seconds:>18,.0f}")
    _fig, ax = plt.subplots(figsize=(6, 2.6))
    ax.barh(list(speeds), [1 / s for s in speeds.values()], color="#4c72b0")
    ax.set_xscale("log")
    ax.set_xlabel("password guesses per CPU second (log scale)")
    ax.set_title("what an attacker with your hash table gets per CPU second")
    plt.tight_layout()
    plt.show()


def bcrypt_cost_slope(costs: range, repeat: int) -> tuple[dict[int, float], float]:
    """Seconds per bcrypt hash at each cost, and the slope of log2(seconds) against cost.

    bcrypt runs 2**cost rounds, so each +1 should double the time: a slope near 1.
    The costs are timed in interleaved sweeps, best of ``repeat`` per cost, in CPU time
    of the calling thread (bcrypt hashes in the thread that calls it).
    """
    password = b"correct horse"
    salts = {cost: bcrypt.gensalt(rounds=cost) for cost in costs}
    best = dict.fromkeys(costs, float("inf"))
    for _ in range(repeat):
        for cost in costs:
            best[cost] = min(best[cost], seconds_per_hash(
                lambda cost=cost: bcrypt.hashpw(password, salts[cost]), 1,
                clock=time.thread_time))
    fit = statistics.linear_regression(list(costs), [math.log2(best[c]) for c in costs])
    return best, fit.slope


# --- timing side channels ----------------------------------------------------------


def comparison_timings(size: int, repeat: int) -> dict[str, float]:
    """CPU seconds per comparison: ``==`` vs ``hmac.compare_digest``, wrong early vs late.

    The secret is ``size`` random bytes; one guess differs in its first byte, the other in
    its last. ``==`` stops at the first difference (CPython compares bytes with memcmp);
    compare_digest always reads every byte. The four are timed in interleaved rounds,
    best of ``repeat``, in this thread's CPU time (immune to other programs' load).
    """
    secret = os.urandom(size)
    early = bytes([secret[0] ^ 1]) + secret[1:]
    late = secret[:-1] + bytes([secret[-1] ^ 1])
    variants = {  # name: (comparison, guess, calls per sample: enough to dwarf the clock)
        "== wrong 1st byte": (bytes.__eq__, early, 200),
        "== wrong last byte": (bytes.__eq__, late, 200),
        "compare_digest wrong 1st": (hmac.compare_digest, early, 10),
        "compare_digest wrong last": (hmac.compare_digest, late, 10),
    }
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(repeat):
        for name, (compare, guess, loops) in variants.items():
            start = time.thread_time()
            for _ in range(loops):
                compare(secret, guess)
            best[name] = min(best[name], (time.thread_time() - start) / loops)
    return best


def show_comparison_timings(timings: dict[str, float], size: int) -> None:
    """Print microseconds per comparison and draw them on a log scale."""
    import matplotlib.pyplot as plt

    print(f"comparing a {size:,}-byte secret with a wrong guess (this machine)")
    for name, seconds in timings.items():
        print(f"{name:<28}{seconds * 1e6:>12.2f} µs")
    _fig, ax = plt.subplots(figsize=(6, 2.6))
    ax.barh(list(timings), [s * 1e6 for s in timings.values()], color="#4c72b0")
    ax.set_xscale("log")
    ax.set_xlabel("µs per comparison (log scale)")
    ax.set_title("== leaks where the guess goes wrong; compare_digest does not")
    plt.tight_layout()
    plt.show()


def naive_login(users: dict[str, str], hasher: argon2.PasswordHasher,
                username: str, password: str) -> bool:
    """WRONG: returns at once for an unknown user, so timing tells who has an account."""
    stored = users.get(username)
    if stored is None:
        return False
    try:
        return hasher.verify(stored, password)
    except argon2.exceptions.VerificationError:
        return False


def safe_login(users: dict[str, str], hasher: argon2.PasswordHasher, dummy_hash: str,
               username: str, password: str) -> bool:
    """Verifies against a dummy hash for unknown users: same work either way."""
    stored = users.get(username)
    try:
        hasher.verify(stored if stored is not None else dummy_hash, password)
    except argon2.exceptions.VerificationError:
        return False
    return stored is not None


def login_timing_ratio(login: Callable[[str, str], bool], known: str, unknown: str,
                       repeat: int) -> float:
    """CPU time of a wrong password for a known user over that for an unknown user.

    An attacker sees wall time; CPU time is the same signal without the noise of a busy
    machine (the work is what differs).
    """
    t_known = seconds_per_hash(lambda: login(known, "wrong password"), repeat)
    t_unknown = seconds_per_hash(lambda: login(unknown, "wrong password"), repeat)
    return t_known / t_unknown


# --- JWT -------------------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_json(obj: dict) -> str:
    return b64url(json.dumps(obj, separators=(",", ":")).encode())


def read_segment(segment: str) -> dict:
    """Decode one base64url JSON part of a JWT: no key needed, it is only encoded."""
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def unsigned_token(claims: dict) -> str:
    """An ``alg: none`` token: header and claims, empty signature. Anyone can make one."""
    return f"{b64url_json({'alg': 'none', 'typ': 'JWT'})}.{b64url_json(claims)}."


def hs256_token(key: bytes, claims: dict) -> str:
    """HS256 by hand: an attacker signs with the server's *public* RSA key as HMAC secret."""
    signing_input = f"{b64url_json({'alg': 'HS256', 'typ': 'JWT'})}.{b64url_json(claims)}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def naive_jwt_decode(token: str, key: bytes) -> dict:
    """WRONG: lets the token's own header choose the algorithm.

    With ``alg: none`` it checks nothing; with ``HS256`` it uses whatever key it was
    given as an HMAC secret, even an RSA public key that everyone can download.
    """
    header_b64, claims_b64, signature_b64 = token.split(".")
    alg = read_segment(header_b64)["alg"]
    if alg == "none":
        return read_segment(claims_b64)
    if alg == "HS256":
        expected = hmac.new(key, f"{header_b64}.{claims_b64}".encode(), hashlib.sha256).digest()
        if hmac.compare_digest(b64url(expected), signature_b64):
            return read_segment(claims_b64)
        raise ValueError("bad signature")
    raise ValueError(f"unsupported alg {alg}")


# --- SQL -------------------------------------------------------------------------


def shop_db(path: str = ":memory:") -> sqlite3.Connection:
    """A shop with a products table and, next to it, a users table with password hashes."""
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE products (name TEXT, price REAL);
        INSERT INTO products VALUES ('keyboard', 49.0), ('monitor', 199.0), ('mouse', 19.0);
        CREATE TABLE users (username TEXT, password_hash TEXT);
        INSERT INTO users VALUES ('alice', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA'),
                                 ('root',  '$argon2id$v=19$m=65536,t=3,p=4$c2FsdDI$aGFzaDI');
    """)
    conn.commit()
    return conn


def search_products_unsafe(conn: sqlite3.Connection, name: str) -> list[tuple]:
    """WRONG: pastes user input into the SQL text, so the input can rewrite the query."""
    return conn.execute(f"SELECT name, price FROM products WHERE name = '{name}'").fetchall()


def search_products_safe(conn: sqlite3.Connection, name: str) -> list[tuple]:
    """A ``?`` placeholder: the driver sends the value separately; it is never parsed as SQL."""
    return conn.execute("SELECT name, price FROM products WHERE name = ?", (name,)).fetchall()


def read_only(path: str) -> sqlite3.Connection:
    """Open an SQLite file read-only (URI ``mode=ro``): least privilege for a reporting job."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


# --- audits --------------------------------------------------------------------------


async def anonymous_statuses(app, public: set[str]) -> dict[str, int]:
    """Call every operation of a FastAPI app without credentials: 'METHOD path' -> status.

    The list of operations comes from the app's OpenAPI schema, built fresh (FastAPI
    0.16x keeps included routers as lazy branches, so ``app.routes`` alone misses their
    routes; the schema has them all). Routes hidden with ``include_in_schema=False`` are
    not in the schema: audit those by hand. Path parameters get the value 1 and bodies
    ``{}``, enough to reach the auth check, which answers before the body is validated.
    """
    from fastapi.openapi.utils import get_openapi

    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    found: dict[str, int] = {}
    async with asgi_client(app) as client:
        for path, operations in schema.get("paths", {}).items():
            if path in public:
                continue
            concrete = re.sub(r"\{[^}]+\}", "1", path)
            for method in sorted(operations):
                body = {} if method in {"post", "put", "patch"} else None
                response = await client.request(method.upper(), concrete, json=body)
                found[f"{method.upper()} {path}"] = response.status_code
    return found


OWASP_API_TOP10_2023 = {
    "API1": "Broken Object Level Authorization",
    "API2": "Broken Authentication",
    "API3": "Broken Object Property Level Authorization",
    "API4": "Unrestricted Resource Consumption",
    "API5": "Broken Function Level Authorization",
    "API6": "Unrestricted Access to Sensitive Business Flows",
    "API7": "Server Side Request Forgery",
    "API8": "Security Misconfiguration",
    "API9": "Improper Inventory Management",
    "API10": "Unsafe Consumption of APIs",
}

AFTER_A_REPORT = [  # (step, what you do, OWASP API Top 10 (2023) risks it answers)
    ("1 triage", "confirm, rate severity (CVSS), name an owner; classify by OWASP category",
     ()),
    ("2 reproduce", "write the failing test first: it proves the bug and guards the fix",
     ("API1", "API5")),
    ("3 contain", "feature flag, WAF/gateway rule, tighter firewall or IAM until patched",
     ("API4", "API8")),
    ("4 patch", "fix the code; upgrade vulnerable dependencies (pip-audit)",
     ("API1", "API3", "API5", "API10")),
    ("5 rotate", "rotate every secret that may have leaked: keys, tokens, DB passwords",
     ("API2",)),
    ("6 harden", "security headers, strict CORS, TLS, rate limits, least privilege",
     ("API4", "API8")),
    ("7 audit", "search logs for past exploitation; list forgotten endpoints and versions",
     ("API9",)),
    ("8 disclose", "tell affected users and the reporter; regulators if data leaked",
     ()),
    ("9 prevent", "regression test in CI, scanners (bandit, pip-audit, ZAP), post-mortem",
     ("API8", "API9")),
]


def checklist_text() -> str:
    """The after-a-report checklist as an aligned table, OWASP ids spelled out."""
    lines = []
    for step, action, risks in AFTER_A_REPORT:
        names = ", ".join(f"{r} {OWASP_API_TOP10_2023[r]}" for r in risks) or "-"
        lines.append(f"{step:<11} {action}\n{'':<11} OWASP: {names}")
    return "\n".join(lines)


# --- in-process calls to the lesson's API --------------------------------------------


def demo_password(username: str) -> str:
    """The password of a demo account of ``interview_lab.apps.auth_api``."""
    from interview_lab.apps.auth_api import DEMO_USERS

    return DEMO_USERS[username][0]


async def password_token(app, username: str, *, scope: str = "") -> str:
    """Log in with the OAuth 2.0 password grant (in process) and return the access token."""
    form = {"grant_type": "password", "username": username,
            "password": demo_password(username), "scope": scope}
    async with asgi_client(app) as client:
        response = await client.post("/token", data=form)
    response.raise_for_status()
    return response.json()["access_token"]


async def call(app, method: str, path: str, token: str | None = None,
               **kwargs: Any) -> httpx.Response:
    """One request to the app in process, with the bearer token if one is given."""
    headers = {**(bearer(token) if token else {}), **kwargs.pop("headers", {})}
    async with asgi_client(app) as client:
        return await client.request(method, path, headers=headers, **kwargs)
