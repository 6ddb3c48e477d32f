"""Plausible wrong answers for solutions/15_fastapi_essentials.ipynb; each must be rejected."""

from __future__ import annotations

import re
import uuid
from http import HTTPStatus

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,64}")

# --- redact_payload ------------------------------------------------------------------------


def redact_case_sensitive(data, secret_keys, max_chars):
    """Compares keys as they are: "Password" and "API-Key" slip through."""
    def walk(value):
        if isinstance(value, dict):
            return {k: "***" if k in secret_keys else walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str) and len(value) > max_chars:
            return value[:max_chars] + "…"
        return value
    return walk(data)


def redact_in_place(data, secret_keys, max_chars):
    """Right output, but overwrites the caller's dicts and lists."""
    secrets = {k.lower().replace("-", "_") for k in secret_keys}

    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                value[k] = "***" if k.lower().replace("-", "_") in secrets else walk(v)
        elif isinstance(value, list):
            value[:] = [walk(v) for v in value]
        elif isinstance(value, str) and len(value) > max_chars:
            return value[:max_chars] + "…"
        return value
    return walk(data)


def redact_dicts_only(data, secret_keys, max_chars):
    """Recurses into dicts but not lists: secrets inside a list of objects leak."""
    secrets = {k.lower().replace("-", "_") for k in secret_keys}

    def walk(value):
        if isinstance(value, dict):
            return {k: "***" if k.lower().replace("-", "_") in secrets else walk(v)
                    for k, v in value.items()}
        if isinstance(value, str) and len(value) > max_chars:
            return value[:max_chars] + "…"
        return value
    return walk(data)


def redact_cut_off_by_one(data, secret_keys, max_chars):
    """`>=` instead of `>`: a string of exactly max_chars gets an ellipsis it does not need."""
    secrets = {k.lower().replace("-", "_") for k in secret_keys}

    def walk(value):
        if isinstance(value, dict):
            return {k: "***" if k.lower().replace("-", "_") in secrets else walk(v)
                    for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str) and len(value) >= max_chars:
            return value[:max_chars] + "…"
        return value
    return walk(data)


# --- create_signup_app -------------------------------------------------------------------

class _SignupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(pattern=r"^[a-z0-9_]{3,20}$")
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    password: str = Field(min_length=8)
    password_repeat: str

    @model_validator(mode="after")
    def passwords_match(self):
        if self.password != self.password_repeat:
            raise ValueError("passwords do not match")
        return self


class _SignupNoCrossCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(pattern=r"^[a-z0-9_]{3,20}$")
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    password: str = Field(min_length=8)
    password_repeat: str


class _SignupOut(BaseModel):
    id: int
    username: str
    email: str


def signup_echoes_password():
    """No response model: returns the stored dict, password and all."""
    app, users = FastAPI(), {}

    @app.post("/signup", status_code=201)
    def signup(form: _SignupIn) -> dict:
        if form.username in users:
            raise HTTPException(409, "username taken")
        users[form.username] = {"id": len(users) + 1, **form.model_dump()}
        return users[form.username]
    return app


def signup_without_repeat_check():
    """Forgets the cross-field rule: mismatched passwords are accepted."""
    app, users = FastAPI(), {}

    @app.post("/signup", status_code=201, response_model=_SignupOut)
    def signup(form: _SignupNoCrossCheck) -> dict:
        if form.username in users:
            raise HTTPException(409, "username taken")
        users[form.username] = {"id": len(users) + 1, **form.model_dump()}
        return users[form.username]
    return app


_SHARED_USERS: dict[str, dict] = {}


def signup_shared_storage():
    """Keeps users at module level: a second app sees the first app's users."""
    app = FastAPI()

    @app.post("/signup", status_code=201, response_model=_SignupOut)
    def signup(form: _SignupIn) -> dict:
        if form.username in _SHARED_USERS:
            raise HTTPException(409, "username taken")
        _SHARED_USERS[form.username] = {"id": len(_SHARED_USERS) + 1, **form.model_dump()}
        return _SHARED_USERS[form.username]
    return app


def signup_conflict_as_400():
    """Answers a taken username with 400 instead of 409."""
    app, users = FastAPI(), {}

    @app.post("/signup", status_code=201, response_model=_SignupOut)
    def signup(form: _SignupIn) -> dict:
        if form.username in users:
            raise HTTPException(400, "username taken")
        users[form.username] = {"id": len(users) + 1, **form.model_dump()}
        return users[form.username]
    return app


# --- install_problem_handlers ------------------------------------------------------------

def _problem(status, detail, headers=None, **extra):
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail, **extra}
    return JSONResponse(body, status_code=status, headers=headers,
                        media_type="application/problem+json")


def problems_for_fastapi_http_exception(app):
    """Registers for fastapi.HTTPException: the router's own 404 and 405 keep the default shape."""
    @app.exception_handler(HTTPException)
    async def http_problem(request, exc):
        return _problem(exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_problem(request, exc):
        return _problem(422, "the request is not valid",
                        errors=[{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()])

    @app.exception_handler(Exception)
    async def crash_problem(request, exc):
        return _problem(500, "internal server error")


def problems_echo_input(app):
    """Passes exc.errors() through whole: `input` (a password, here) goes back out."""
    @app.exception_handler(StarletteHTTPException)
    async def http_problem(request, exc):
        return _problem(exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_problem(request, exc):
        errors = [{"loc": list(e["loc"]), "msg": e["msg"], "input": e["input"]}
                  for e in exc.errors()]
        return _problem(422, "the request is not valid", errors=errors)

    @app.exception_handler(Exception)
    async def crash_problem(request, exc):
        return _problem(500, "internal server error")


def problems_drop_headers(app):
    """Forgets exc.headers: 401 loses WWW-Authenticate, 405 loses Allow."""
    @app.exception_handler(StarletteHTTPException)
    async def http_problem(request, exc):
        return _problem(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_problem(request, exc):
        return _problem(422, "the request is not valid",
                        errors=[{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()])

    @app.exception_handler(Exception)
    async def crash_problem(request, exc):
        return _problem(500, "internal server error")


def problems_as_plain_json(app):
    """The right body with the default content type, application/json."""
    @app.exception_handler(StarletteHTTPException)
    async def http_problem(request, exc):
        body = {"type": "about:blank", "title": HTTPStatus(exc.status_code).phrase,
                "status": exc.status_code, "detail": str(exc.detail)}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


# --- add_request_id ---------------------------------------------------------------------------

def request_id_prefix_match(app):
    """re.match accepts a good prefix of a bad value: "abc;rm -rf" is echoed back."""
    @app.middleware("http")
    async def request_id(request: Request, call_next):
        incoming = request.headers.get("x-request-id", "")
        rid = incoming if REQUEST_ID.match(incoming) else str(uuid.uuid4())
        request.state.request_id = rid
        response = await call_next(request)
        response.headers["X-Request-ID"] = rid
        return response


def request_id_once_per_app(app):
    """Makes the id when the middleware is added: every request shares it."""
    rid_for_app = str(uuid.uuid4())

    @app.middleware("http")
    async def request_id(request: Request, call_next):
        incoming = request.headers.get("x-request-id", "")
        rid = incoming if REQUEST_ID.fullmatch(incoming) else rid_for_app
        request.state.request_id = rid
        response = await call_next(request)
        response.headers["X-Request-ID"] = rid
        return response


def request_id_header_only(app):
    """Sets the header but not request.state: the handler cannot log the id (it crashes)."""
    @app.middleware("http")
    async def request_id(request: Request, call_next):
        incoming = request.headers.get("x-request-id", "")
        rid = incoming if REQUEST_ID.fullmatch(incoming) else str(uuid.uuid4())
        response = await call_next(request)
        response.headers["X-Request-ID"] = rid
        return response


WRONG = {
    "redact_payload": [redact_case_sensitive, redact_in_place, redact_dicts_only,
                       redact_cut_off_by_one],
    "create_signup_app": [signup_echoes_password, signup_without_repeat_check,
                          signup_shared_storage, signup_conflict_as_400],
    "install_problem_handlers": [problems_for_fastapi_http_exception, problems_echo_input,
                                 problems_drop_headers, problems_as_plain_json],
    "add_request_id": [request_id_prefix_match, request_id_once_per_app, request_id_header_only],
}
