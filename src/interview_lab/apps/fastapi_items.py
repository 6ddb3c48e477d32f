"""A small items-and-users API: path, query and body parameters, validation, response_model.

Lesson 15 serves it with uvicorn and calls it over a socket. Everything FastAPI
needs to know is in the signatures: a name in the path is a path parameter, a
plain typed parameter is a query parameter, a Pydantic model parameter is the
JSON body, and the return annotation (or ``response_model``) is what goes back.

The ``/sleep/...`` endpoints show where FastAPI runs a handler: a ``def``
handler runs in a worker thread (so a blocking call there blocks one thread),
an ``async def`` handler runs on the event loop (so a blocking call there
blocks every request).

State lives in this process's memory: each uvicorn worker has its own copy.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import secrets
import threading
import time
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

app = FastAPI(title="items")


# --- models ---------------------------------------------------------------------------

class ItemIn(BaseModel):
    """What a client sends to create an item."""

    name: str = Field(min_length=1, max_length=50)
    price: float = Field(gt=0, description="in euros")
    tags: list[str] = Field(default_factory=list, max_length=5)

    @field_validator("tags")
    @classmethod
    def normalise_tags(cls, tags: list[str]) -> list[str]:
        """Lower-case the tags and drop duplicates, keeping the first occurrence."""
        return list(dict.fromkeys(tag.strip().lower() for tag in tags))


class Item(ItemIn):
    """What the API returns: the input plus the id the server gave it."""

    id: int


class UserIn(BaseModel):
    """A sign-up form. ``extra="forbid"``: unknown fields are an error, not ignored."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=20, pattern=r"^[a-z0-9_]+$")
    password: str = Field(min_length=8)
    password_repeat: str

    @model_validator(mode="after")
    def passwords_match(self) -> UserIn:
        """A rule over two fields: runs after each field passed its own checks."""
        if self.password != self.password_repeat:
            raise ValueError("passwords do not match")
        return self


class UserOut(BaseModel):
    """The public view of a user: no password, no hash."""

    id: int
    username: str


# --- storage ----------------------------------------------------------------------------

_ids = itertools.count(2)
ITEMS: dict[int, Item] = {1: Item(id=1, name="pen", price=1.5, tags=["office"])}
USERS: dict[int, dict] = {}


def hash_password(password: str) -> str:
    """scrypt with a random salt (lesson 18 compares password hashes properly)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


# --- endpoints ----------------------------------------------------------------------------

@app.get("/items/{item_id}")
def read_item(item_id: int) -> Item:
    if item_id not in ITEMS:
        raise HTTPException(status_code=404, detail=f"item {item_id} not found")
    return ITEMS[item_id]


@app.get("/items")
def list_items(q: str | None = None,
               limit: Annotated[int, Query(ge=1, le=100)] = 10) -> list[Item]:
    found = [i for i in ITEMS.values() if q is None or q.lower() in i.name.lower()]
    return found[:limit]


@app.post("/items", status_code=201)
def create_item(item: ItemIn) -> Item:
    new = Item(id=next(_ids), **item.model_dump())
    ITEMS[new.id] = new
    return new


@app.post("/users", status_code=201, response_model=UserOut)
def create_user(user: UserIn) -> dict:
    record = {"id": next(_ids), "username": user.username,
              "password_hash": hash_password(user.password)}
    USERS[record["id"]] = record
    return record          # has password_hash: response_model drops it on the way out


# --- where handlers run --------------------------------------------------------------------

def where() -> dict[str, str | int]:
    """The thread running the handler: its name, and its id (pool threads share one name)."""
    return {"thread": threading.current_thread().name, "thread_id": threading.get_ident()}


@app.get("/sleep/async-blocking")
async def sleep_async_blocking(seconds: float = 0.1) -> dict[str, str | int]:
    time.sleep(seconds)    # a blocking call on the event loop: every request waits
    return where()


@app.get("/sleep/sync")
def sleep_sync(seconds: float = 0.1) -> dict[str, str | int]:
    time.sleep(seconds)    # blocks one worker thread of the pool only
    return where()


@app.get("/sleep/async")
async def sleep_async(seconds: float = 0.1) -> dict[str, str | int]:
    await asyncio.sleep(seconds)   # gives the loop back while it waits
    return where()
