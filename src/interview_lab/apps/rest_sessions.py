"""Two ways to remember who a client is: server-side sessions vs self-contained tokens (lesson 19).

Run two instances of one app behind a load balancer (the lesson uses two
in-process instances and sends requests to them in turn):

- ``create_stateful_app()`` keeps each login in this instance's memory and hands
  out a session id. The next request must land on the same instance (sticky
  sessions), or it is a stranger there: 401. A restart forgets everyone.
- ``create_stateless_app(secret, carts)`` hands out a signed token (a JWT, HS256)
  that carries the user and an expiry; any instance that knows the secret can
  check it without remembering anything. Data that must outlive a request (the
  cart) goes to a store every instance shares (``carts``, a dict standing in
  for the database).

Each request to the stateless app carries everything needed to serve it: the
token says who, the URL and body say what.
"""

from __future__ import annotations

import secrets
import time

import jwt
from fastapi import FastAPI, Header, HTTPException
from pydantic import BaseModel

TOKEN_SECONDS = 15 * 60


class Login(BaseModel):
    user: str


class CartItem(BaseModel):
    sku: str


def create_stateful_app() -> FastAPI:
    sessions: dict[str, str] = {}          # session id -> user, in THIS process only
    carts: dict[str, list[str]] = {}       # per session, in THIS process only
    app = FastAPI(title="stateful")

    def user_of(session: str | None) -> str:
        if session not in sessions:
            raise HTTPException(401, "unknown session")
        return sessions[session]

    @app.post("/login")
    def login(body: Login) -> dict[str, str]:
        session = secrets.token_urlsafe(16)
        sessions[session] = body.user
        carts[session] = []
        return {"session": session}

    @app.get("/me")
    def me(x_session: str | None = Header(None)) -> dict[str, str]:
        return {"user": user_of(x_session)}

    @app.post("/cart")
    def add(item: CartItem, x_session: str | None = Header(None)) -> dict[str, list[str]]:
        user_of(x_session)
        carts[x_session].append(item.sku)
        return {"cart": carts[x_session]}

    return app


def create_stateless_app(secret: str, carts: dict[str, list[str]]) -> FastAPI:
    app = FastAPI(title="stateless")

    def user_of(authorization: str | None) -> str:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
        try:
            claims = jwt.decode(token, secret, algorithms=["HS256"])
        except jwt.InvalidTokenError as exc:
            raise HTTPException(401, f"invalid token: {exc}",
                                headers={"WWW-Authenticate": "Bearer"}) from exc
        return claims["sub"]

    @app.post("/login")
    def login(body: Login) -> dict[str, str]:
        claims = {"sub": body.user, "exp": int(time.time()) + TOKEN_SECONDS}
        return {"token": jwt.encode(claims, secret, algorithm="HS256")}

    @app.get("/me")
    def me(authorization: str | None = Header(None)) -> dict[str, str]:
        return {"user": user_of(authorization)}

    @app.post("/cart")
    def add(item: CartItem, authorization: str | None = Header(None)) -> dict[str, list[str]]:
        user = user_of(authorization)
        carts.setdefault(user, []).append(item.sku)   # the shared store, not this process
        return {"cart": carts[user]}

    return app
