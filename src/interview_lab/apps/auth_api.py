"""A small orders API with real authentication and authorization (lesson 18).

It plays two roles that production splits between two systems:

- **authorization server** (a toy one): ``POST /token`` issues JWT access tokens for the
  OAuth 2.0 *password* grant and the *authorization code* grant with PKCE, and
  ``POST /authorize`` stands in for the login page that hands out authorization codes;
- **resource server**: every other route checks the bearer token (signature, algorithm,
  expiry, issuer, audience) and the scopes it carries. No token or a bad one: 401 with
  ``WWW-Authenticate: Bearer``. A good token without the needed scope, or someone else's
  order: 403 / 404.

Everything secret comes from the environment (``Settings.from_env``), passwords are
stored as Argon2id hashes, every response carries security headers, CORS allows only
listed origins, and request bodies reject unknown fields. Serve it with
``uvicorn --factory interview_lab.apps.auth_api:create_app``; in-process tests call
``create_app(Settings(...))``.

In production the authorization server is a product (Keycloak, Auth0, Entra ID, Okta,
or a library such as Authlib), not code you write; this one exists to be read.
(No ``from __future__ import annotations`` here: FastAPI must resolve the annotations of
routes defined inside ``create_app``, which name local objects.)
"""

import base64
import hashlib
import hmac
import os
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import argon2
import jwt
from fastapi import Depends, FastAPI, Form, HTTPException, Request, Security
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.security import OAuth2PasswordBearer, SecurityScopes
from pydantic import BaseModel, ConfigDict, Field

ALGORITHM = "HS256"
SCOPES = {
    "orders:read": "Read your own orders.",
    "orders:write": "Create and delete your own orders.",
    "admin": "List every user.",
}
# Demo accounts: the passwords are here only so the lesson can log in with them.
DEMO_USERS = {
    "alice": ("alice-correct-horse", ("orders:read", "orders:write")),
    "bob": ("bob-battery-staple", ("orders:read",)),
    "root": ("root-tr0ub4dor-and-3", ("orders:read", "admin")),
}
DEMO_ORDERS = {1: {"id": 1, "owner": "alice", "item": "keyboard", "quantity": 1},
               2: {"id": 2, "owner": "bob", "item": "monitor", "quantity": 2}}
SECURITY_HEADERS = {  # OWASP REST Security Cheat Sheet, "Security Headers"
    "Cache-Control": "no-store",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
MIN_SECRET_BYTES = 32  # RFC 7518 3.2: an HS256 key at least as long as the hash output


def key_id(secret: str) -> str:
    """A short public name for a signing key (goes in the JWT header as ``kid``)."""
    return hashlib.sha256(secret.encode()).hexdigest()[:8]


def s256(verifier: str) -> str:
    """PKCE S256 (RFC 7636 4.2): BASE64URL(SHA256(ASCII(code_verifier))), no padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class Settings:
    """Configuration; ``secret`` signs new tokens, ``previous_secrets`` still verify old ones."""

    secret: str
    previous_secrets: tuple[str, ...] = ()
    issuer: str = "https://auth.interview-lab.test"
    audience: str = "orders-api"
    token_seconds: int = 900
    allowed_origins: tuple[str, ...] = ("https://app.example.com",)
    clients: dict[str, str] = field(  # public OAuth clients: client_id -> redirect URI
        default_factory=lambda: {"spa": "https://app.example.com/callback"})
    hash_profile: str = "RFC_9106_LOW_MEMORY"  # an argon2.profiles name
    check_owner: bool = True  # False reproduces a broken-object-level-authorization bug

    def __post_init__(self) -> None:
        for secret in (self.secret, *self.previous_secrets):
            if len(secret.encode()) < MIN_SECRET_BYTES:
                raise ValueError(f"signing secrets need >= {MIN_SECRET_BYTES} bytes")

    def __repr__(self) -> str:  # never print a secret, not even in a traceback
        return f"Settings(issuer={self.issuer!r}, audience={self.audience!r}, secret=***)"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """Read the settings from environment variables; refuse to start without a secret."""
        env = os.environ if environ is None else environ
        secret = env.get("AUTH_API_SECRET")
        if not secret:
            raise RuntimeError("AUTH_API_SECRET is not set: refusing to start without a key")
        previous = tuple(s for s in env.get("AUTH_API_PREVIOUS_SECRETS", "").split(",") if s)
        origins = tuple(o for o in env.get("AUTH_API_ORIGINS", "").split(",") if o)
        extra: dict[str, Any] = {"allowed_origins": origins} if origins else {}
        if "AUTH_API_HASH_PROFILE" in env:
            extra["hash_profile"] = env["AUTH_API_HASH_PROFILE"]
        return cls(secret=secret, previous_secrets=previous, **extra)

    @property
    def verify_keys(self) -> dict[str, str]:
        """kid -> secret for every key whose tokens are still accepted."""
        return {key_id(s): s for s in (self.secret, *self.previous_secrets)}


class OrderIn(BaseModel):
    """What a client may send: unknown fields (``owner``, ``price``...) are rejected."""

    model_config = ConfigDict(extra="forbid")
    item: str = Field(min_length=1, max_length=50)
    quantity: int = Field(ge=1, le=100)


class OrderOut(BaseModel):
    id: int
    item: str
    quantity: int


def _bearer_error(code: int, error: str, description: str, scope: str = "") -> HTTPException:
    challenge = f'Bearer error="{error}", error_description="{description}"'
    if scope:
        challenge += f', scope="{scope}"'
    return HTTPException(code, detail=description, headers={"WWW-Authenticate": challenge})


def _token_error(error: str, description: str) -> JSONResponse:
    """RFC 6749 5.2: token endpoint errors are 400 with an ``error`` code."""
    return JSONResponse({"error": error, "error_description": description}, status_code=400,
                        headers={"Cache-Control": "no-store"})


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; with no argument (``uvicorn --factory``) read the environment."""
    settings = settings or Settings.from_env()
    hasher = argon2.PasswordHasher.from_parameters(getattr(argon2.profiles,
                                                           settings.hash_profile))
    users = {name: {"hash": hasher.hash(pw), "scopes": scopes}
             for name, (pw, scopes) in DEMO_USERS.items()}
    dummy_hash = hasher.hash(secrets.token_urlsafe(16))  # verified when the user is unknown
    orders = {k: dict(v) for k, v in DEMO_ORDERS.items()}
    codes: dict[str, dict[str, Any]] = {}

    app = FastAPI(title="orders API (lesson 18)")
    app.state.settings, app.state.users, app.state.orders = settings, users, orders
    app.state.audit_log = []  # (who, action, order id, owner): what an incident review reads
    app.add_middleware(CORSMiddleware, allow_origins=list(settings.allowed_origins),
                       allow_methods=["GET", "POST", "DELETE"],
                       allow_headers=["Authorization", "Content-Type"])

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    password_flow = OAuth2PasswordBearer(tokenUrl="token", scopes=SCOPES)

    def check_password(username: str, password: str) -> dict | None:
        user = users.get(username)
        try:  # an unknown user costs a hash too, so timing does not reveal who exists
            hasher.verify(user["hash"] if user else dummy_hash, password)
        except argon2.exceptions.VerificationError:
            return None
        if user and hasher.check_needs_rehash(user["hash"]):
            user["hash"] = hasher.hash(password)  # parameters changed: upgrade on login
        return user

    def issue(username: str, scopes: list[str]) -> dict[str, Any]:
        now = int(time.time())
        claims = {"iss": settings.issuer, "aud": settings.audience, "sub": username,
                  "scope": " ".join(scopes), "iat": now, "exp": now + settings.token_seconds,
                  "jti": uuid.uuid4().hex}
        token = jwt.encode(claims, settings.secret, algorithm=ALGORITHM,
                           headers={"kid": key_id(settings.secret)})
        return {"access_token": token, "token_type": "bearer",
                "expires_in": settings.token_seconds, "scope": claims["scope"]}

    def granted(requested: str, allowed: tuple[str, ...]) -> list[str]:
        asked = requested.split()
        return [s for s in allowed if not asked or s in asked]

    def current_claims(security_scopes: SecurityScopes,
                       token: Annotated[str, Depends(password_flow)]) -> dict[str, Any]:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = settings.verify_keys.get(kid)
            if key is None:
                raise jwt.InvalidTokenError("unknown signing key")
            claims = jwt.decode(token, key, algorithms=[ALGORITHM],  # pinned: never from header
                                audience=settings.audience, issuer=settings.issuer,
                                options={"require": ["exp", "iat", "sub", "aud", "iss"]})
        except jwt.InvalidTokenError as exc:
            raise _bearer_error(401, "invalid_token", type(exc).__name__) from exc
        missing = [s for s in security_scopes.scopes if s not in claims["scope"].split()]
        if missing:
            raise _bearer_error(403, "insufficient_scope", "token lacks a scope",
                                security_scopes.scope_str)
        return claims

    def owned_order(order_id: int, claims: dict[str, Any], action: str) -> dict[str, Any]:
        order = orders.get(order_id)
        if order is not None:
            app.state.audit_log.append((claims["sub"], action, order_id, order["owner"]))
        if order is None or (settings.check_owner and order["owner"] != claims["sub"]):
            raise HTTPException(404, "no such order")  # 404, not 403: do not confirm it exists
        return order

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/token")
    def token(grant_type: Annotated[str, Form()],
              username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
              scope: Annotated[str, Form()] = "", code: Annotated[str, Form()] = "",
              redirect_uri: Annotated[str, Form()] = "", client_id: Annotated[str, Form()] = "",
              code_verifier: Annotated[str, Form()] = ""):
        if grant_type == "password":
            user = check_password(username, password)
            if user is None:
                return _token_error("invalid_grant", "wrong username or password")
            body = issue(username, granted(scope, user["scopes"]))
        elif grant_type == "authorization_code":
            grant = codes.pop(code, None)  # single use: a replayed code finds nothing
            if (grant is None or grant["expires"] < time.time()
                    or grant["client_id"] != client_id or grant["redirect_uri"] != redirect_uri
                    or not hmac.compare_digest(s256(code_verifier), grant["challenge"])):
                return _token_error("invalid_grant", "code invalid, used, or verifier wrong")
            body = issue(grant["sub"], grant["scopes"])
        else:
            return _token_error("unsupported_grant_type", grant_type)
        return JSONResponse(body, headers={"Cache-Control": "no-store"})  # RFC 6749 5.1

    @app.post("/authorize")
    def authorize(response_type: Annotated[Literal["code"], Form()],
                  client_id: Annotated[str, Form()], redirect_uri: Annotated[str, Form()],
                  code_challenge: Annotated[str, Form(min_length=43, max_length=128)],
                  code_challenge_method: Annotated[Literal["S256"], Form()],
                  username: Annotated[str, Form()], password: Annotated[str, Form()],
                  state: Annotated[str, Form()] = "", scope: Annotated[str, Form()] = ""):
        """Stands in for the login page: the user types the password here, not into the app."""
        if settings.clients.get(client_id) != redirect_uri:  # exact match, never a prefix
            raise HTTPException(400, "unknown client or redirect_uri")  # and do not redirect
        user = check_password(username, password)
        if user is None:
            query = {"error": "access_denied", "state": state}
        else:
            code = secrets.token_urlsafe(32)
            codes[code] = {"sub": username, "scopes": granted(scope, user["scopes"]),
                           "client_id": client_id, "redirect_uri": redirect_uri,
                           "challenge": code_challenge, "expires": time.time() + 60}
            query = {"code": code, "state": state}
        return RedirectResponse(f"{redirect_uri}?{urlencode(query)}", status_code=303)

    Reader = Annotated[dict, Security(current_claims, scopes=["orders:read"])]
    Writer = Annotated[dict, Security(current_claims, scopes=["orders:write"])]
    Admin = Annotated[dict, Security(current_claims, scopes=["admin"])]

    @app.get("/me")
    def me(claims: Annotated[dict, Security(current_claims)]) -> dict[str, Any]:
        return {"sub": claims["sub"], "scopes": claims["scope"].split()}

    @app.get("/orders/{order_id}", response_model=OrderOut)
    def read_order(order_id: int, claims: Reader):
        return owned_order(order_id, claims, "read")

    @app.post("/orders", response_model=OrderOut, status_code=201)
    def create_order(order: OrderIn, claims: Writer):
        new = {"id": max(orders, default=0) + 1, "owner": claims["sub"], **order.model_dump()}
        orders[new["id"]] = new  # the owner comes from the token, never from the body
        return new

    @app.delete("/orders/{order_id}", status_code=204)
    def delete_order(order_id: int, claims: Writer) -> None:
        orders.pop(owned_order(order_id, claims, "delete")["id"])

    @app.get("/admin/users")
    def list_users(claims: Admin) -> list[str]:
        return sorted(users)

    return app
