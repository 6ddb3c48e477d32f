"""Hidden checks for solutions/15_fastapi_essentials.ipynb.

``redact_payload`` is a pure function, checked with plain cases plus one check
that the input is left unchanged. The three FastAPI exercises return or change
an app, so their checks build small apps, call them in this process with
FastAPI's ``TestClient`` and inspect status codes, headers and bodies; each
failure names the request, what was expected and what came back.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, Field

from interview_lab import checks
from interview_lab.checks import CheckFailed
from interview_lab.fastapi_demo import TestClient

Case = checks.Case
_call = checks.call_learner

ELLIPSIS = "…"


def _fail(message: str) -> None:
    raise CheckFailed(message)


def _show(response) -> str:
    kind = response.headers.get("content-type", "")
    return f"{response.status_code} {kind} {response.text[:300]}"


# --- 1. redact_payload -----------------------------------------------------------------

def _check_redact_leaves_input_alone(func: Callable) -> None:
    data = {"password": "p", "profile": {"token": "t", "bio": "a long biography"},
            "tags": ["a long tag"]}
    before = copy.deepcopy(data)
    call = "redact_payload(data, {'password', 'token'}, 4)"
    got = _call(func, call, data, {"password", "token"}, 4)
    if data != before:
        _fail(f"{call} changed its input: data is now {data!r}; return a new structure instead")
    expected = {"password": "***", "profile": {"token": "***", "bio": "a lo" + ELLIPSIS},
                "tags": ["a lo" + ELLIPSIS]}
    if got != expected:
        _fail(f"{call}\n  expected: {expected!r}\n  got:      {got!r}")


REDACT_CASES = (
    Case(args=({"user": "ada", "password": "hunter2"}, {"password"}, 50),
         expected={"user": "ada", "password": "***"}),
    Case(args=({"Password": "x", "API-Key": "k", "apikey": "kept"}, {"password", "api_key"}, 50),
         expected={"Password": "***", "API-Key": "***", "apikey": "kept"},
         note="keys match case-insensitively, with '-' read as '_'"),
    Case(args=({"token": "t"}, {"TOKEN"}, 50), expected={"token": "***"},
         note="the secret names are normalised too"),
    Case(args=({"user": {"name": "ada", "token": "t"},
                "items": [{"card_number": "4111", "sku": "pen"}]}, {"token", "card_number"}, 50),
         expected={"user": {"name": "ada", "token": "***"},
                   "items": [{"card_number": "***", "sku": "pen"}]},
         note="dicts inside dicts and lists"),
    Case(args=({"auth": {"scheme": "basic", "user": "ada"}, "x": 1}, {"auth"}, 50),
         expected={"auth": "***", "x": 1}, note="a secret key's whole value is replaced"),
    Case(args=({"note": "abcdefgh"}, set(), 3), expected={"note": "abc" + ELLIPSIS}),
    Case(args=({"note": "abc"}, set(), 3), expected={"note": "abc"},
         note="exactly max_chars: kept"),
    Case(args=(["abcdef", 12, None, True, 2.5], set(), 2),
         expected=["ab" + ELLIPSIS, 12, None, True, 2.5], note="strings in lists are cut too"),
    Case(args=({"a_very_long_key": "v"}, set(), 3), expected={"a_very_long_key": "v"},
         note="keys are never cut"),
    Case(args=({"password": "x" * 100}, {"password"}, 2), expected={"password": "***"},
         note="'***' itself is not cut"),
    Case(args=("hello", {"password"}, 10), expected="hello"),
    Case(args=({}, {"password"}, 5), expected={}),
    Case(args=({"items": []}, {"password"}, 5), expected={"items": []}),
)


# --- 2. create_signup_app ----------------------------------------------------------------

GOOD = {"username": "ada_l", "email": "ada@example.com", "password": "correct horse",
        "password_repeat": "correct horse"}

INVALID = {
    "username too short": {"username": "ad"},
    "username too long": {"username": "a" * 21},
    "upper-case username": {"username": "Ada"},
    "hyphen in username": {"username": "ada-l"},
    "e-mail without @": {"email": "ada.example.com"},
    "e-mail with two @": {"email": "ada@b@example.com"},
    "nothing before @": {"email": "@example.com"},
    "nothing after @": {"email": "ada@"},
    "space in e-mail": {"email": "ada @example.com"},
    "7-character password": {"password": "seven77", "password_repeat": "seven77"},
    "passwords differ": {"password_repeat": "correct horse!"},
    "unknown field": {"is_admin": True},
}


def _post_signup(client, body: dict, expected_status: int, what: str):
    response = client.post("/signup", json=body)
    if response.status_code != expected_status:
        _fail(f"POST /signup ({what}) with {body!r}\n  expected: status {expected_status}\n"
              f"  got:      {_show(response)}")
    return response


def _check_signup(func: Callable) -> None:
    app = _call(func, "create_signup_app()")
    if not isinstance(app, FastAPI):
        _fail(f"create_signup_app() returned {type(app).__name__}, expected a FastAPI app")
    client = TestClient(app)
    first = _post_signup(client, GOOD, 201, "a valid sign-up")
    expected = {"id": 1, "username": "ada_l", "email": "ada@example.com"}
    if first.json() != expected:
        _fail(f"POST /signup with {GOOD!r}\n  expected: {expected!r}\n  got:      {first.json()!r}"
              "\n  (exactly id, username and email: never the password)")
    again = _post_signup(client, GOOD, 409, "the same username again")
    if again.json() != {"detail": "username taken"}:
        _fail(f"POST /signup with a taken username: expected {{'detail': 'username taken'}}, "
              f"got {again.json()!r}")
    for what, change in INVALID.items():
        _post_signup(client, GOOD | {"username": "someone"} | change, 422, what)
    missing = {k: v for k, v in GOOD.items() if k != "email"} | {"username": "no_mail"}
    _post_signup(client, missing, 422, "no e-mail field")
    edges = {"abc": "3-character username", "a" * 20: "20-character username"}
    for number, (name, what) in enumerate(edges.items(), start=2):
        body = GOOD | {"username": name, "password": "exactly8", "password_repeat": "exactly8"}
        got = _post_signup(client, body, 201, f"{what}, 8-character password").json()
        if got != {"id": number, "username": name, "email": GOOD["email"]}:
            _fail(f"sign-up number {number} ({name!r}) answered {got!r}; expected id {number}")
    fresh = _call(func, "create_signup_app()")
    got = _post_signup(TestClient(fresh), GOOD, 201, "a second app: its own users").json()
    if got.get("id") != 1:
        _fail(f"a second app from create_signup_app() gave the first user id {got.get('id')!r}; "
              "each app must keep its own users (ids start at 1)")


# --- 3. install_problem_handlers ---------------------------------------------------------

class _Item(BaseModel):
    name: str = Field(min_length=1)
    price: float = Field(gt=0)


def _problem_app() -> FastAPI:
    app = FastAPI()

    @app.get("/items/{item_id}")
    def read_item(item_id: int) -> dict:
        if item_id == 0:
            raise HTTPException(403, "item 0 is private")
        if item_id == 1:
            raise HTTPException(401, "log in first", headers={"WWW-Authenticate": "Bearer"})
        if item_id == 2:
            raise RuntimeError("database password is hunter2")
        return {"id": item_id}

    @app.post("/items", status_code=201)
    def create_item(item: _Item) -> _Item:
        return item

    return app


def _expect_problem(client, method: str, path: str, status: int, detail: str, *,
                    json: Any = None, headers: dict | None = None) -> dict:
    response = client.request(method, path, json=json)
    what = f"{method} {path}" + (f" with {json!r}" if json is not None else "")
    if response.status_code != status:
        _fail(f"{what}\n  expected: status {status}\n  got:      {_show(response)}")
    if not response.headers.get("content-type", "").startswith("application/problem+json"):
        _fail(f"{what}: content-type is {response.headers.get('content-type')!r}, expected "
              "'application/problem+json'")
    body = response.json()
    want = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail}
    got_core = {k: body.get(k) for k in want}
    if got_core != want:
        _fail(f"{what}\n  expected: {want!r}\n  got:      {body!r}")
    extra = set(body) - set(want) - ({"errors"} if status == 422 else set())
    if extra:
        _fail(f"{what}: unexpected fields {sorted(extra)} in {body!r}")
    for name, value in (headers or {}).items():
        if response.headers.get(name) != value:
            _fail(f"{what}: header {name} is {response.headers.get(name)!r}, expected {value!r}")
    return body


def _check_problems(func: Callable) -> None:
    app = _problem_app()
    _call(func, "install_problem_handlers(app)", app)
    client = TestClient(app, raise_server_exceptions=False)
    ok = client.get("/items/5")
    if ok.status_code != 200 or ok.json() != {"id": 5}:
        _fail(f"GET /items/5 should still answer 200 {{'id': 5}}; got {_show(ok)}")
    _expect_problem(client, "GET", "/items/0", 403, "item 0 is private")
    _expect_problem(client, "GET", "/items/1", 401, "log in first",
                    headers={"www-authenticate": "Bearer"})
    _expect_problem(client, "GET", "/no/such/route", 404, "Not Found")
    _expect_problem(client, "DELETE", "/items/5", 405, "Method Not Allowed",
                    headers={"allow": "GET"})
    crash = _expect_problem(client, "GET", "/items/2", 500, "internal server error")
    if "hunter2" in str(crash) or "RuntimeError" in str(crash):
        _fail(f"GET /items/2: the 500 answer reveals the exception: {crash!r}")
    bad_path = _expect_problem(client, "GET", "/items/abc", 422, "the request is not valid")
    errors = bad_path.get("errors")
    if (not isinstance(errors, list) or [sorted(e) for e in errors] != [["loc", "msg"]]
            or errors[0]["loc"] != ["path", "item_id"] or not errors[0]["msg"]):
        _fail(f"GET /items/abc: 'errors' should be [{{'loc': ['path', 'item_id'], 'msg': ...}}] "
              f"with exactly loc and msg; got {errors!r}")
    body = {"name": "", "price": -1, "password": "hunter2"}
    bad_body = _expect_problem(client, "POST", "/items", 422, "the request is not valid", json=body)
    locs = [e.get("loc") for e in bad_body.get("errors", [])]
    if locs != [["body", "name"], ["body", "price"]]:
        _fail(f"POST /items with {body!r}: expected one error per problem at "
              f"[['body', 'name'], ['body', 'price']], got locs {locs!r}")
    if "hunter2" in str(bad_body) or any("input" in e for e in bad_body["errors"]):
        _fail(f"POST /items: the 422 answer repeats the rejected input: {bad_body!r}")


# --- 4. add_request_id --------------------------------------------------------------------

def _request_id_app() -> FastAPI:
    app = FastAPI()

    @app.get("/whoami")
    def whoami(request: Request) -> dict:
        return {"request_id": request.state.request_id}

    @app.get("/denied")
    def denied() -> None:
        raise HTTPException(403, "no")

    return app


def _is_uuid4(value: str | None) -> bool:
    try:
        parsed = uuid.UUID(value or "")
    except ValueError:
        return False
    return parsed.version == 4 and str(parsed) == value


def _get(client, path: str, incoming: str | None = None):
    headers = {} if incoming is None else {"X-Request-ID": incoming}
    response = client.get(path, headers=headers)
    return response, response.headers.get("x-request-id")


def _check_request_id(func: Callable) -> None:
    app = _request_id_app()
    _call(func, "add_request_id(app)", app)
    client = TestClient(app)
    first, rid = _get(client, "/whoami")
    if first.status_code != 200:
        _fail(f"GET /whoami answered {_show(first)}; the handler reads request.state.request_id")
    if not _is_uuid4(rid):
        _fail(f"GET /whoami without an id: X-Request-ID is {rid!r}, expected str(uuid.uuid4())")
    if first.json() != {"request_id": rid}:
        _fail(f"GET /whoami: the handler saw {first.json()!r}, the header says {rid!r}")
    _second, other = _get(client, "/whoami")
    if other == rid:
        _fail(f"two requests got the same id {rid!r}; make a new one per request")
    for good in ("abc-123", "a" * 64, "X"):
        response, echoed = _get(client, "/whoami", good)
        if echoed != good or response.json() != {"request_id": good}:
            _fail(f"GET /whoami with X-Request-ID {good!r}: expected it reused, got header "
                  f"{echoed!r} and body {response.json()!r}")
    for bad in ("abc;rm -rf", "a" * 65, "abc 123", "ab_c", ""):
        _response, echoed = _get(client, "/whoami", bad)
        if not _is_uuid4(echoed):
            _fail(f"GET /whoami with X-Request-ID {bad!r} (not 1-64 letters, digits or hyphens): "
                  f"expected a new uuid4, got {echoed!r}")
    for path, status in (("/no/such/route", 404), ("/denied", 403)):
        response, rid = _get(client, path)
        if response.status_code != status or not _is_uuid4(rid):
            _fail(f"GET {path} answered {response.status_code} with X-Request-ID {rid!r}; every "
                  "response needs the header, errors included")


EXERCISES = {
    "redact_payload": checks.Exercise(check=_check_redact_leaves_input_alone, cases=REDACT_CASES),
    "create_signup_app": checks.Exercise(check=_check_signup),
    "install_problem_handlers": checks.Exercise(check=_check_problems),
    "add_request_id": checks.Exercise(check=_check_request_id),
}
