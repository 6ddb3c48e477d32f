"""Hidden cases for solutions/18_auth_security.ipynb.

- ``authorize``: 401 without claims, whole-name scope matching (no substrings, case
  sensitive, any whitespace), every required scope, a missing ``scope`` claim.
- ``verify_and_upgrade``: current, outdated and other-variant Argon2 hashes, legacy bcrypt
  hashes, wrong passwords, a password over bcrypt's 72 bytes, corrupt and plain-text
  "hashes". Every new hash must verify with today's hasher and need no further rehash.
  Hashes use tiny parameters so the check runs in milliseconds.
- ``verify_access_token``: tokens minted at check time (expiry is relative to now): valid,
  audience in a list, expired within and beyond the 30 s leeway, wrong audience, missing
  claims, ``alg: none``, HS512, wrong key, tampering and garbage.
- ``search_products``: a fresh in-memory shop per call; substring and case rules, literal
  ``%``, ``_`` and backslash, ties, injection attempts that must find nothing, and sort
  columns outside the allow-list (``ValueError``); the users table must survive.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import time
from collections.abc import Callable
from typing import Any

import argon2
import bcrypt
import jwt

from interview_lab.checks import Case, CheckFailed, Exercise, call_learner

# --- 1. authorize --------------------------------------------------------------------

RW = {"sub": "alice", "scope": "orders:read orders:write"}
RO = {"sub": "bob", "scope": "orders:read"}

_AUTHORIZE = (
    Case(args=(None, ["orders:read"]), expected=401, note="no verified token: 401"),
    Case(args=(None, []), expected=401, note="no token is 401 even on a route needing no scope"),
    Case(args=(RW, ["orders:write"]), expected=200),
    Case(args=(RO, ["orders:write"]), expected=403, note="authenticated, scope missing: 403"),
    Case(args=(RW, ["orders:read", "orders:write"]), expected=200),
    Case(args=(RO, ["orders:read", "orders:write"]), expected=403,
         note="every required scope is needed"),
    Case(args=({"sub": "eve", "scope": "superadmin"}, ["admin"]), expected=403,
         note="'admin' is not granted by 'superadmin': compare whole names"),
    Case(args=({"sub": "eve", "scope": "admin:read"}, ["admin"]), expected=403,
         note="'admin:read' is a different scope from 'admin'"),
    Case(args=({"sub": "eve", "scope": "Admin"}, ["admin"]), expected=403,
         note="scopes are case-sensitive"),
    Case(args=({"sub": "carol"}, ["orders:read"]), expected=403,
         note="no scope claim means no scopes"),
    Case(args=({"sub": "carol"}, []), expected=200, note="no scope needed, caller authenticated"),
    Case(args=({"sub": "carol", "scope": ""}, []), expected=200),
    Case(args=({"sub": "root", "scope": "  orders:read\tadmin  "}, ["admin"]), expected=200,
         note="scopes are separated by any whitespace"),
)

# --- 2. verify_and_upgrade -----------------------------------------------------------

TODAY = argon2.PasswordHasher(time_cost=2, memory_cost=256, parallelism=1)
LAST_YEAR = argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
ARGON2I = argon2.PasswordHasher(type=argon2.Type.I, time_cost=2, memory_cost=256, parallelism=1)


def _fail(message: str) -> None:
    raise CheckFailed(message)


def _check_result(got: Any, call: str, ok: bool, upgraded: bool, password: str) -> None:
    if not (isinstance(got, tuple) and len(got) == 2):
        _fail(f"{call} returned {got!r}: expected a tuple (ok, new_hash)")
    got_ok, new_hash = got
    if got_ok is not ok:
        _fail(f"{call} returned ok={got_ok!r}, expected {ok!r}")
    if not upgraded:
        if new_hash is not None:
            why = ("the check failed, so there is nothing to store" if not ok
                   else "the stored hash is already current: rehashing every login wastes work")
            _fail(f"{call} returned a new hash, expected None ({why})")
        return
    if not isinstance(new_hash, str) or not new_hash.startswith("$argon2id$"):
        _fail(f"{call} returned new_hash={new_hash!r}: expected a fresh Argon2id hash "
              "made with the hasher you were given")
    try:
        TODAY.verify(new_hash, password)
    except argon2.exceptions.Argon2Error:
        _fail(f"{call}: the new hash does not verify the password")
    if TODAY.check_needs_rehash(new_hash):
        _fail(f"{call}: the new hash was not made with the given hasher's parameters")


def _check_verify_and_upgrade(func: Callable) -> None:
    pw = "correct horse battery staple"
    long_pw = "x" * 73                                   # over bcrypt's limit
    legacy = bcrypt.hashpw(pw.encode(), bcrypt.gensalt(rounds=4)).decode()
    legacy_2a = bcrypt.hashpw("pässwörd".encode(), bcrypt.gensalt(rounds=4, prefix=b"2a")).decode()
    legacy_72 = bcrypt.hashpw(long_pw[:72].encode(), bcrypt.gensalt(rounds=4)).decode()
    scenarios = [  # (label, stored, password, ok, upgraded)
        ("current Argon2id hash, right password", TODAY.hash(pw), pw, True, False),
        ("current Argon2id hash, wrong password", TODAY.hash(pw), "wrong", False, False),
        ("last year's parameters, right password", LAST_YEAR.hash(pw), pw, True, True),
        ("last year's parameters, wrong password", LAST_YEAR.hash(pw), "wrong", False, False),
        ("an argon2i hash, right password", ARGON2I.hash(pw), pw, True, True),
        ("legacy bcrypt $2b$, right password", legacy, pw, True, True),
        ("legacy bcrypt $2b$, wrong password", legacy, "wrong", False, False),
        ("legacy bcrypt $2a$, non-ASCII password", legacy_2a, "pässwörd", True, True),
        ("bcrypt hash of the first 72 bytes, 73-byte password", legacy_72, long_pw, False, False),
        ("corrupt Argon2 hash", "$argon2id$v=19$garbage", pw, False, False),
        ("corrupt bcrypt hash", "$2b$12$garbage", pw, False, False),
        ("empty stored value", "", pw, False, False),
        ("plain text stored by mistake", pw, pw, False, False),
    ]
    for label, stored, password, ok, upgraded in scenarios:
        call = f"verify_and_upgrade(<{label}>, {password[:12]!r}..., hasher)"
        got = call_learner(func, call, stored, password, TODAY)
        _check_result(got, call, ok, upgraded, password)


# --- 3. verify_access_token ---------------------------------------------------------

KEY = "k3y-for-the-lesson-18-checks-" + "0123456789abcdef" * 3  # 77 bytes: fine for HS512 too


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _token(claims: dict, *, key: str = KEY, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def _unsigned(claims: dict) -> str:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{_b64(json.dumps(claims).encode())}."


def _tampered(claims: dict) -> str:
    header, _payload, signature = _token(claims).split(".")
    forged = _b64(json.dumps({**claims, "sub": "root"}).encode())
    return f"{header}.{forged}.{signature}"


def _check_verify_access_token(func: Callable) -> None:
    now = int(time.time())
    good = {"sub": "alice", "aud": "orders-api", "exp": now + 300, "scope": "orders:read"}
    valid = [
        ("a valid token", _token(good), good),
        ("aud given as a list", _token({**good, "aud": ["billing-api", "orders-api"]}),
         {**good, "aud": ["billing-api", "orders-api"]}),
        ("expired 10 s ago (within the 30 s leeway)", _token({**good, "exp": now - 10}),
         {**good, "exp": now - 10}),
    ]
    for label, token, expected in valid:
        call = f"verify_access_token(<{label}>, key, 'orders-api')"
        got = call_learner(func, call, token, KEY, "orders-api")
        if got != expected:
            _fail(f"{call}\n  expected: {expected!r}\n  got:      {got!r}")
    no_exp = {k: v for k, v in good.items() if k != "exp"}
    no_sub = {k: v for k, v in good.items() if k != "sub"}
    no_aud = {k: v for k, v in good.items() if k != "aud"}
    invalid = [
        ("expired 5 minutes ago", _token({**good, "exp": now - 300}), "beyond the leeway"),
        ("audience billing-api", _token({**good, "aud": "billing-api"}), "meant for another API"),
        ("no aud claim", _token(no_aud), "the audience is required"),
        ("no exp claim", _token(no_exp), "a token without exp would never expire"),
        ("no sub claim", _token(no_sub), "sub is required"),
        ("alg none, no signature", _unsigned(good), "pin algorithms=['HS256']"),
        ("signed with HS512", _token(good, algorithm="HS512"), "only HS256 is allowed"),
        ("signed with another key", _token(good, key="another-key-" + "0" * 32), "bad signature"),
        ("payload changed after signing", _tampered(good), "bad signature"),
        ("not a JWT", "not-a-token", "malformed"),
    ]
    for label, token, why in invalid:
        call = f"verify_access_token(<{label}>, key, 'orders-api')"
        try:
            got = func(token, KEY, "orders-api")
        except NotImplementedError:
            raise
        except jwt.InvalidTokenError:
            continue
        except Exception as exc:
            _fail(f"{call} raised {type(exc).__name__}: {exc}; expected jwt.InvalidTokenError "
                  f"({why})")
        _fail(f"{call} returned {got!r}; expected jwt.InvalidTokenError ({why})")


# --- 4. search_products --------------------------------------------------------------

PRODUCTS = [("mouse", 19.0), ("mouse pad", 9.0), ("Keyboard", 49.0), ("50% off mug", 5.0),
            ("USB_C cable", 12.0), ("USB-C hub", 30.0), ("cable tie", 9.0),
            ("back\\slash poster", 3.0)]


def _shop() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE products (name TEXT, price REAL)")
    conn.executemany("INSERT INTO products VALUES (?, ?)", PRODUCTS)
    conn.execute("CREATE TABLE users (username TEXT, password_hash TEXT)")
    conn.execute("INSERT INTO users VALUES ('root', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aA')")
    conn.commit()
    return conn


def _by_name(rows):
    return sorted(rows, key=lambda r: r[0])


def _by_price(rows):
    return sorted(rows, key=lambda r: (r[1], r[0]))


def _matching(text: str):
    return [p for p in PRODUCTS if text.lower() in p[0].lower()]


def _check_search_products(func: Callable) -> None:
    cases = [  # (text, order_by, note)
        ("mouse", "name", "substring match"),
        ("MOUSE", "price", "case-insensitive; sorted by price"),
        ("key", "name", "case-insensitive"),
        ("%", "name", "% matches only a literal %"),
        ("_", "name", "_ matches only a literal _, not any character"),
        ("usb_c", "price", "_ is literal: 'USB-C hub' does not match"),
        ("\\", "name", "a backslash matches itself"),
        ("", "price", "empty text: everything; equal prices sorted by name"),
        ("' OR '1'='1", "name", "an injection attempt is just text"),
        ("%' UNION SELECT username, password_hash FROM users --", "name",
         "an injection attempt is just text"),
    ]
    for text, order_by, note in cases:
        conn = _shop()
        try:
            call = f"search_products(conn, {text!r}, {order_by!r})"
            got = call_learner(func, call, conn, text, order_by)
            rows = _matching(text)
            expected = _by_price(rows) if order_by == "price" else _by_name(rows)
            if isinstance(got, list):
                got = [tuple(r) if isinstance(r, (tuple, sqlite3.Row)) else r for r in got]
            if got != expected:
                _fail(f"{call} ({note})\n  expected: {expected!r}\n  got:      {got!r}")
        finally:
            conn.close()
    for order_by in ("price DESC", "name; DROP TABLE users", "(SELECT 1)", "password_hash"):
        conn = _shop()
        call = f"search_products(conn, 'mouse', {order_by!r})"
        try:
            try:
                got = func(conn, "mouse", order_by)
            except NotImplementedError:
                raise
            except ValueError:
                got = None
            except Exception as exc:
                _fail(f"{call} raised {type(exc).__name__}: {exc}; expected ValueError "
                      "(only 'name' or 'price' may be sorted on)")
            else:
                _fail(f"{call} returned {got!r}; expected ValueError (only 'name' or 'price')")
            users = conn.execute("SELECT count(*) FROM users").fetchone()
            if users != (1,):
                _fail(f"{call} changed the users table")
        finally:
            conn.close()


EXERCISES = {
    "authorize": Exercise(cases=_AUTHORIZE),
    "verify_and_upgrade": Exercise(check=_check_verify_and_upgrade),
    "verify_access_token": Exercise(check=_check_verify_access_token),
    "search_products": Exercise(check=_check_search_products),
}
