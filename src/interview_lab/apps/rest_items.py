"""A small REST resource, ``items``, served in two API versions (lesson 19, REST design).

- ``/v2/items`` is current: GET and HEAD read, POST creates (201 + Location), PUT
  creates or replaces at a known id (201 or 200), PATCH merges fields (JSON
  Merge Patch, RFC 7396), DELETE removes (204, then 404).
- ``/v1/items`` is the old version of the same resources: price was a float in
  euros, v2 made it ``{"amount": cents, "currency": "EUR"}`` (a breaking change).
  Every v1 response says so: ``Deprecation: @<unix time>`` (RFC 9745), ``Sunset:
  <HTTP-date>`` (RFC 8594) and ``Link`` to the successor and to a migration
  guide. After the sunset, v1 answers ``410 Gone``. FastAPI marks the v1
  operations ``deprecated`` in the OpenAPI document too.
- ``/items/{id}`` picks the version from the ``API-Version`` request header
  (default 1, unknown -> 400) and answers with ``Vary: API-Version`` so caches
  keep the versions apart.
- ``/admin/version-usage`` counts calls per version and client (``X-Client-Id``):
  who still has to migrate.

Both versions read and write one store: a version is a representation, not a
second copy of the data. Starlette's own 405 lists only the methods of the
first route whose path matched; with ``complete_allow=True`` (the default) a
handler lists every method the path supports, as RFC 9110 asks, and answers
OPTIONS with them. The store lives in this process's memory: fine for one
uvicorn process in a lesson, not for replicas (see the statelessness section).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from email.utils import formatdate
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, Header, HTTPException, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

DAY = 86_400
SUPPORTED_VERSIONS = (1, 2)
DEFAULT_VERSION = 1  # clients that never sent the header keep what they had
MIGRATION_GUIDE = "/docs/migrate-to-v2"


class Money(BaseModel):
    amount: int = Field(ge=0, description="in cents")
    currency: str = "EUR"


class ItemV2(BaseModel):
    name: str
    price: Money


class ItemV1(BaseModel):
    name: str
    price: float = Field(ge=0, description="in euros")


def as_v1(item_id: int, stored: dict) -> dict:
    return {"id": item_id, "name": stored["name"], "price": stored["cents"] / 100}


def as_v2(item_id: int, stored: dict) -> dict:
    return {"id": item_id, "name": stored["name"],
            "price": {"amount": stored["cents"], "currency": "EUR"}}


def create_app(*, clock: Callable[[], float] = time.time, deprecated_at: float | None = None,
               sunset_at: float | None = None, complete_allow: bool = True) -> FastAPI:
    """Build the app; ``clock`` is injectable so a test can step past the sunset date."""
    deprecated_at = clock() if deprecated_at is None else deprecated_at
    sunset_at = deprecated_at + 90 * DAY if sunset_at is None else sunset_at
    if sunset_at < deprecated_at:
        raise ValueError("RFC 9745: the sunset must not come before the deprecation")
    items: dict[int, dict] = {}
    usage: Counter[tuple[str, str]] = Counter()
    next_id = [1]
    app = FastAPI(title="rest-items")

    def new_id() -> int:
        next_id[0] += 1
        return next_id[0] - 1

    def find(item_id: int) -> dict:
        if item_id not in items:
            raise HTTPException(404, f"item {item_id} not found")
        return items[item_id]

    def count(version: str, client: str | None) -> None:
        usage[(version, client or "anonymous")] += 1

    # --- v2: the current version -------------------------------------------------
    v2 = APIRouter(prefix="/v2")

    @v2.head("/items")                       # FastAPI's GET routes do not answer HEAD alone
    @v2.get("/items")
    async def list_items(x_client_id: str | None = Header(None)) -> list[dict]:
        count("v2", x_client_id)
        return [as_v2(i, items[i]) for i in sorted(items)]

    @v2.head("/items/{item_id}")
    @v2.get("/items/{item_id}")
    async def get_item(item_id: int, x_client_id: str | None = Header(None)) -> dict:
        count("v2", x_client_id)
        return as_v2(item_id, find(item_id))

    @v2.post("/items", status_code=201)
    async def create_item(item: ItemV2, response: Response) -> dict:
        item_id = new_id()
        items[item_id] = {"name": item.name, "cents": item.price.amount}
        response.headers["Location"] = f"/v2/items/{item_id}"
        return as_v2(item_id, items[item_id])

    @v2.put("/items/{item_id}")
    async def put_item(item_id: int, item: ItemV2, response: Response) -> dict:
        created = item_id not in items
        items[item_id] = {"name": item.name, "cents": item.price.amount}
        next_id[0] = max(next_id[0], item_id + 1)
        if created:
            response.status_code = 201
            response.headers["Location"] = f"/v2/items/{item_id}"
        return as_v2(item_id, items[item_id])

    @v2.patch("/items/{item_id}")
    async def patch_item(item_id: int, patch: Annotated[dict[str, Any], Body()]) -> dict:
        stored = find(item_id)
        if "name" in patch:
            stored["name"] = str(patch["name"])
        if isinstance(patch.get("price"), dict) and "amount" in patch["price"]:
            stored["cents"] = int(patch["price"]["amount"])
        return as_v2(item_id, stored)

    @v2.delete("/items/{item_id}", status_code=204)
    async def delete_item(item_id: int) -> Response:
        find(item_id)
        del items[item_id]
        return Response(status_code=204)

    # --- v1: deprecated, same data, old representation ---------------------------
    def v1_lifecycle(request: Request, response: Response) -> None:
        successor = request.url.path.replace("/v1/", "/v2/", 1)
        links = f'<{successor}>; rel="successor-version", <{MIGRATION_GUIDE}>; rel="deprecation"'
        if clock() >= sunset_at:
            raise HTTPException(410, "v1 was switched off at its sunset date; use /v2",
                                headers={"Link": links})
        response.headers["Deprecation"] = f"@{int(deprecated_at)}"
        response.headers["Sunset"] = formatdate(sunset_at, usegmt=True)
        response.headers["Link"] = links

    v1 = APIRouter(prefix="/v1", deprecated=True, dependencies=[Depends(v1_lifecycle)])

    @v1.get("/items/{item_id}")
    async def get_item_v1(item_id: int, x_client_id: str | None = Header(None)) -> dict:
        count("v1", x_client_id)
        return as_v1(item_id, find(item_id))

    @v1.post("/items", status_code=201)
    async def create_item_v1(item: ItemV1, response: Response,
                             x_client_id: str | None = Header(None)) -> dict:
        count("v1", x_client_id)
        item_id = new_id()
        items[item_id] = {"name": item.name, "cents": round(item.price * 100)}
        response.headers["Location"] = f"/v1/items/{item_id}"
        return as_v1(item_id, items[item_id])

    # --- header versioning: one URL, the version in a request header --------------
    @app.get("/items/{item_id}")
    async def get_item_by_header(item_id: int, response: Response,
                                 api_version: str | None = Header(None),
                                 x_client_id: str | None = Header(None)) -> dict:
        response.headers["Vary"] = "API-Version"
        wanted = api_version or str(DEFAULT_VERSION)
        if wanted not in {str(v) for v in SUPPORTED_VERSIONS}:
            raise HTTPException(400, f"unknown API-Version {wanted!r}; "
                                     f"supported: {', '.join(map(str, SUPPORTED_VERSIONS))}")
        response.headers["API-Version"] = wanted
        count(f"v{wanted}", x_client_id)
        render = as_v1 if wanted == "1" else as_v2
        return render(item_id, find(item_id))

    @app.get(MIGRATION_GUIDE, response_class=PlainTextResponse)
    async def migration_guide() -> str:
        return ("v1 -> v2: `price` is now {\"amount\": <cents>, \"currency\": \"EUR\"}; "
                "change /v1/ to /v2/ in every URL.")

    @app.get("/admin/version-usage")
    async def version_usage() -> dict[str, dict[str, int]]:
        report: dict[str, dict[str, int]] = {}
        for (version, client), calls in sorted(usage.items()):
            report.setdefault(version, {})[client] = calls
        return report

    app.include_router(v2)
    app.include_router(v1)

    if complete_allow:
        @app.exception_handler(StarletteHTTPException)
        async def allow_every_method(request: Request, exc: StarletteHTTPException):
            if exc.status_code != 405:
                return await http_exception_handler(request, exc)
            headers = {"Allow": ", ".join(allowed_methods(app, request.scope))}
            if request.method == "OPTIONS":
                return Response(status_code=204, headers=headers)
            return JSONResponse({"detail": "Method Not Allowed"}, 405, headers=headers)

    return app


def allowed_methods(app: FastAPI, scope: dict) -> list[str]:
    """Every method the app documents for the request's path, plus OPTIONS.

    Read from the OpenAPI document (public API) rather than ``app.routes``:
    FastAPI 0.16x keeps included routers as nested objects there.
    """
    methods = {"OPTIONS"}
    for template, operations in app.openapi()["paths"].items():
        regex, _format, _convertors = compile_path(template)
        if regex.match(scope["path"]):
            methods |= {name.upper() for name in operations}
    return sorted(methods)


app = create_app()
