"""Plausible wrong answers for solutions/18_auth_security.ipynb; each must be rejected."""

from __future__ import annotations

import argon2
import bcrypt
import jwt

# --- 1. authorize ----------------------------------------------------------------------


def authorize_substring(claims, required):
    """Checks scopes with `in` on the raw string: 'admin' is found inside 'superadmin'."""
    if claims is None:
        return 401
    return 200 if all(s in claims.get("scope", "") for s in required) else 403


def authorize_any_scope(claims, required):
    """Lets one matching scope do: a read-only token passes a read+write route."""
    if claims is None:
        return 401
    granted = claims.get("scope", "").split()
    return 200 if not required or any(s in granted for s in required) else 403


def authorize_403_without_token(claims, required):
    """Mixes up the two: answers 403 when nobody is authenticated."""
    if claims is None:
        return 403
    return 200 if set(required) <= set(claims.get("scope", "").split()) else 403


def authorize_assumes_scope_claim(claims, required):
    """Indexes claims['scope']: a token without scopes crashes with KeyError."""
    if claims is None:
        return 401
    return 200 if set(required) <= set(claims["scope"].split()) else 403


def authorize_ignores_case(claims, required):
    """Lower-cases scopes: 'Admin' would grant 'admin'."""
    if claims is None:
        return 401
    granted = set(claims.get("scope", "").lower().split())
    return 200 if {s.lower() for s in required} <= granted else 403


# --- 2. verify_and_upgrade ---------------------------------------------------------------


def _bcrypt_ok(stored, password):
    secret = password.encode()
    return len(secret) <= 72 and bcrypt.checkpw(secret, stored.encode())


def upgrade_never(stored, password, hasher):
    """Verifies everything correctly but never hands back a new hash."""
    try:
        if stored.startswith(("$2a$", "$2b$")):
            return _bcrypt_ok(stored, password), None
        hasher.verify(stored, password)
        return True, None
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError, ValueError):
        return False, None


def upgrade_always(stored, password, hasher):
    """Rehashes after every successful login, even when the hash is current."""
    try:
        ok = (_bcrypt_ok(stored, password) if stored.startswith(("$2a$", "$2b$"))
              else hasher.verify(stored, password))
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError, ValueError):
        return False, None
    return (True, hasher.hash(password)) if ok else (False, None)


def upgrade_no_length_guard(stored, password, hasher):
    """Calls bcrypt.checkpw on any password: bcrypt 5 raises ValueError over 72 bytes."""
    if stored.startswith(("$2a$", "$2b$")):
        if bcrypt.checkpw(password.encode(), stored.encode()):
            return True, hasher.hash(password)
        return False, None
    try:
        hasher.verify(stored, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False, None
    return True, (hasher.hash(password) if hasher.check_needs_rehash(stored) else None)


def upgrade_only_catches_mismatch(stored, password, hasher):
    """Catches VerifyMismatchError only: a corrupt or plain-text stored value raises."""
    if stored.startswith(("$2a$", "$2b$")):
        try:
            ok = _bcrypt_ok(stored, password)
        except ValueError:
            return False, None
        return (True, hasher.hash(password)) if ok else (False, None)
    try:
        hasher.verify(stored, password)
    except argon2.exceptions.VerifyMismatchError:
        return False, None
    return True, (hasher.hash(password) if hasher.check_needs_rehash(stored) else None)


def upgrade_to_bcrypt(stored, password, hasher):
    """Re-hashes legacy users with bcrypt again instead of the Argon2 hasher it was given."""
    if stored.startswith(("$2a$", "$2b$")):
        try:
            ok = _bcrypt_ok(stored, password)
        except ValueError:
            return False, None
        if ok:
            return True, bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
        return False, None
    try:
        hasher.verify(stored, password)
    except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
        return False, None
    return True, (hasher.hash(password) if hasher.check_needs_rehash(stored) else None)


# --- 3. verify_access_token --------------------------------------------------------------


def token_unverified(token, key, audience):
    """Reads the claims without checking the signature (and so without checking anything)."""
    return jwt.decode(token, options={"verify_signature": False})


def token_no_audience(token, key, audience):
    """Turns the audience check off 'because it kept failing'."""
    return jwt.decode(token, key, algorithms=["HS256"], leeway=30,
                      options={"verify_aud": False, "require": ["exp", "sub"]})


def token_generous_leeway(token, key, audience):
    """An hour of 'clock skew': tokens keep working long after they expired."""
    return jwt.decode(token, key, algorithms=["HS256"], audience=audience, leeway=3600,
                      options={"require": ["exp", "sub", "aud"]})


def token_exp_optional(token, key, audience):
    """Does not require exp: a token without one never expires."""
    return jwt.decode(token, key, algorithms=["HS256"], audience=audience, leeway=30)


def token_alg_from_header(token, key, audience):
    """Lets the token's header choose the algorithm."""
    alg = jwt.get_unverified_header(token).get("alg", "HS256")
    return jwt.decode(token, key, algorithms=[alg], audience=audience, leeway=30,
                      options={"require": ["exp", "sub", "aud"]})


def token_no_leeway(token, key, audience):
    """Too strict: rejects a token that expired a few seconds ago on the issuer's clock."""
    return jwt.decode(token, key, algorithms=["HS256"], audience=audience,
                      options={"require": ["exp", "sub", "aud"]})


# --- 4. search_products ------------------------------------------------------------------


def search_fstring(conn, text, order_by="name"):
    """Builds the SQL with an f-string: the search box can add a UNION."""
    if order_by not in ("name", "price"):
        raise ValueError(order_by)
    order = "price, name" if order_by == "price" else "name"
    sql = f"SELECT name, price FROM products WHERE name LIKE '%{text}%' ORDER BY {order}"
    return conn.execute(sql).fetchall()


def search_unescaped(conn, text, order_by="name"):
    """Uses a placeholder but does not escape % and _: searching '%' finds everything."""
    if order_by not in ("name", "price"):
        raise ValueError(order_by)
    order = "price, name" if order_by == "price" else "name"
    sql = f"SELECT name, price FROM products WHERE name LIKE ? ORDER BY {order}"
    return conn.execute(sql, (f"%{text}%",)).fetchall()


def search_order_by_unchecked(conn, text, order_by="name"):
    """Pastes order_by into ORDER BY without an allow-list."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    sql = ("SELECT name, price FROM products WHERE name LIKE ? ESCAPE '\\' "
           f"ORDER BY {order_by}, name")
    return conn.execute(sql, (f"%{escaped}%",)).fetchall()


def search_case_sensitive(conn, text, order_by="name"):
    """Uses instr(), which is case-sensitive: 'MOUSE' finds nothing."""
    if order_by not in ("name", "price"):
        raise ValueError(order_by)
    order = "price, name" if order_by == "price" else "name"
    sql = f"SELECT name, price FROM products WHERE instr(name, ?) > 0 ORDER BY {order}"
    return conn.execute(sql, (text,)).fetchall()


def search_backslash_unescaped(conn, text, order_by="name"):
    """Escapes % and _ but not the escape character itself."""
    if order_by not in ("name", "price"):
        raise ValueError(order_by)
    order = "price, name" if order_by == "price" else "name"
    escaped = text.replace("%", "\\%").replace("_", "\\_")
    sql = f"SELECT name, price FROM products WHERE name LIKE ? ESCAPE '\\' ORDER BY {order}"
    return conn.execute(sql, (f"%{escaped}%",)).fetchall()


WRONG = {
    "authorize": [authorize_substring, authorize_any_scope, authorize_403_without_token,
                  authorize_assumes_scope_claim, authorize_ignores_case],
    "verify_and_upgrade": [upgrade_never, upgrade_always, upgrade_no_length_guard,
                           upgrade_only_catches_mismatch, upgrade_to_bcrypt],
    "verify_access_token": [token_unverified, token_no_audience, token_generous_leeway,
                            token_exp_optional, token_alg_from_header, token_no_leeway],
    "search_products": [search_fstring, search_unescaped, search_order_by_unchecked,
                        search_case_sensitive, search_backslash_unescaped],
}
