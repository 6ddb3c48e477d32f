"""Hidden checks for solutions/16_frameworks_compared.ipynb.

Every exercise returns a piece of a web app (a Flask blueprint, a Django view,
a FastAPI app) or saves an upload, so each check drives it in-process with the
framework's own tools: Flask's test client, Django's RequestFactory (no
middleware, no URLconf, no database) and httpx's ASGITransport for FastAPI. No
server or port is involved. Each step names the request it sent, what was
expected and what came back.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from interview_lab.checks import CheckFailed, Exercise, call_learner


def _fail(step: str, expected: str, got: Any) -> CheckFailed:
    return CheckFailed(f"{step}\n  expected: {expected}\n  got:      {got!r}")


def _body(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return data[:120]


# --- Exercise 1: a Flask blueprint with form data ------------------------------------------------

def check_notes_blueprint(make: Callable[[], Any]) -> None:
    from flask import Blueprint, Flask

    first = call_learner(make, "make_notes_blueprint()")
    second = call_learner(make, "make_notes_blueprint() (second call)")
    for bp in (first, second):
        if not isinstance(bp, Blueprint):
            raise CheckFailed(f"make_notes_blueprint() returned {type(bp).__name__}, "
                              "expected a flask.Blueprint")
    if first is second:
        raise CheckFailed("two calls returned the same Blueprint object: make a new one per call")
    app = Flask("check_notes")
    app.register_blueprint(first, url_prefix="/notes", name="notes_check")
    app.register_blueprint(second, url_prefix="/other", name="other_check")
    client = app.test_client()

    def expect(step: str, response, status: int, body: Any = None) -> Any:
        got = _body(response.data)
        if response.status_code != status:
            raise _fail(step, f"status {status}", f"status {response.status_code}, body {got!r}")
        if body is not None and got != body:
            raise _fail(step, repr(body), got)
        return got

    expect("GET /notes/ on a new blueprint", client.get("/notes/"), 200, {"notes": []})
    milk = {"id": 1, "title": "milk", "body": "2 litres", "tags": ["shop", "today"]}
    expect("POST /notes/ form title='  milk ', body='2 litres', tag=shop, tag=today",
           client.post("/notes/", data={"title": "  milk ", "body": "2 litres",
                                        "tag": ["shop", "today"]}), 201, milk)
    bread = {"id": 2, "title": "bread", "body": "", "tags": []}
    expect("POST /notes/ form title='bread' (no body, no tag)",
           client.post("/notes/", data={"title": "bread"}), 201, bread)
    expect("GET /notes/ after two creates", client.get("/notes/"), 200,
           {"notes": [milk, bread]})
    for step, kwargs in [
        ("POST /notes/ with no title field", {"data": {"body": "x"}}),
        ("POST /notes/ form title='   ' (blank)", {"data": {"title": "   "}}),
        ("POST /notes/ form title of 101 characters", {"data": {"title": "x" * 101}}),
        ("POST /notes/ as JSON {'title': 'json'} (not form data)", {"json": {"title": "json"}}),
    ]:
        expect(step, client.post("/notes/", **kwargs), 400)
    expect("POST /notes/ form title of exactly 100 characters",
           client.post("/notes/", data={"title": "y" * 100}), 201)
    expect("GET /other/ (a blueprint from a second call keeps its own notes)",
           client.get("/other/"), 200, {"notes": []})


# --- Exercise 2: save an upload safely -----------------------------------------------------------

def _upload(name: str, content: bytes):
    from werkzeug.datastructures import FileStorage

    return FileStorage(stream=io.BytesIO(content), filename=name, name="file")


def check_save_upload(save: Callable[..., str]) -> None:
    allowed = {".txt", ".png", ".gz"}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = root / "site" / "data" / "uploads"
        folder.mkdir(parents=True)

        def files() -> dict[str, bytes]:
            return {str(p.relative_to(root)): p.read_bytes()
                    for p in sorted(root.rglob("*")) if p.is_file()}

        def saves(name: str, content: bytes, expected: str) -> None:
            call = f"save_upload(<file {name!r}>, folder, {sorted(allowed)})"
            before = files()
            got = call_learner(save, call, _upload(name, content), folder, set(allowed))
            if got != expected:
                raise _fail(call, f"the saved name {expected!r}", got)
            after = files()
            new = {k: v for k, v in after.items() if k not in before}
            want = {f"site/data/uploads/{expected}": content}
            if new != want or any(after[k] != v for k, v in before.items()):
                raise _fail(call, f"exactly one new file, uploads/{expected}, with the upload's "
                            "bytes, and no other file touched", sorted(new) or "no new file")

        def refuses(name: str, why: str) -> None:
            call = f"save_upload(<file {name!r}>, folder, {sorted(allowed)})"
            before = files()
            try:
                got = save(_upload(name, b"data"), folder, set(allowed))
            except ValueError:
                got = None
            except NotImplementedError:
                raise
            except Exception as exc:  # noqa: BLE001 - reported as the learner's mistake
                raise _fail(call, "ValueError", f"{type(exc).__name__}: {exc}") from exc
            if got is not None:
                raise _fail(f"{call} ({why})", "ValueError", got)
            if files() != before:
                written = sorted(set(files()) - set(before))
                raise _fail(f"{call} ({why})", "nothing written", written)

        saves("notes.txt", b"first", "notes.txt")
        saves("notes.txt", b"second", "notes-1.txt")          # never overwrite
        saves("notes.txt", b"third", "notes-2.txt")
        saves("../../evil.txt", b"climb", "evil.txt")          # stays in the folder
        saves("My Report (final).TXT", b"r", "My_Report_final.TXT")   # case-insensitive type
        saves("logo.png", b"\x89PNG", "logo.png")
        saves("backup.tar.gz", b"gz", "backup.tar.gz")
        refuses("run.py", "a type not in allowed")
        refuses("notes.txt.exe", "the last extension is what counts")
        refuses("..", "nothing left after secure_filename")
        refuses("", "no file name at all")
        refuses("README", "no extension")


# --- Exercise 3: a Django class-based view --------------------------------------------------------

def check_notes_view(make: Callable[[list], Any]) -> None:
    from interview_lab.frameworks_demo import ensure_django

    ensure_django()
    from django.test import RequestFactory

    rf = RequestFactory()
    store: list = []
    other: list = []
    view = call_learner(make, "make_notes_view(store)", store)
    other_view = call_learner(make, "make_notes_view(other)", other)
    if not callable(view):
        raise CheckFailed(f"make_notes_view(store) returned {type(view).__name__}, "
                          "expected a view (a callable: request -> response)")

    def send(step: str, request, status: int, body: Any = None, the_view=None) -> Any:
        response = call_learner(the_view or view, step, request)
        got = _body(response.content)
        if response.status_code != status:
            raise _fail(step, f"status {status}", f"status {response.status_code}, body {got!r}")
        if body is not None and got != body:
            raise _fail(step, repr(body), got)
        return response

    send("GET on an empty store", rf.get("/notes/"), 200, {"notes": []})
    milk = {"id": 1, "title": "milk", "body": "2 litres"}
    send("POST form title='  milk ', body='2 litres'",
         rf.post("/notes/", {"title": "  milk ", "body": "2 litres"}), 201, milk)
    if store != [milk]:
        raise _fail("the caller's store list after one create", repr([milk]), store)
    send("POST form title='bread'", rf.post("/notes/", {"title": "bread"}), 201,
         {"id": 2, "title": "bread", "body": ""})
    for step, data in [("POST with no title", {"body": "x"}),
                       ("POST form title='  ' (blank)", {"title": "  "}),
                       ("POST form title of 101 characters", {"title": "x" * 101})]:
        send(step, rf.post("/notes/", data), 400)
    if len(store) != 2:
        raise _fail("the store after two good and three bad creates", "2 notes", store)
    send("GET after the creates", rf.get("/notes/"), 200, {"notes": store})
    put = send("PUT /notes/", rf.put("/notes/"), 405)
    allow = {m.strip() for m in put.get("Allow", "").split(",") if m.strip()}
    if not {"GET", "POST"} <= allow or allow & {"PUT", "PATCH", "DELETE"}:
        raise _fail("PUT /notes/: the Allow header", "GET and POST (and HEAD, OPTIONS)",
                    put.get("Allow"))
    send("HEAD /notes/ (answered like GET)", rf.head("/notes/"), 200)
    options = send("OPTIONS /notes/", rf.options("/notes/"), 200)
    if not {"GET", "POST"} <= {m.strip() for m in options.get("Allow", "").split(",")}:
        raise _fail("OPTIONS /notes/: the Allow header", "GET and POST listed",
                    options.get("Allow"))
    send("GET on a second view made with its own list", rf.get("/notes/"), 200,
         {"notes": []}, the_view=other_view)
    if other:
        raise _fail("the second view's list", "[] (views must not share notes)", other)


# --- Exercise 4: the notes API in FastAPI ---------------------------------------------------------

FASTAPI_CALLS: tuple[tuple[str, str, str, dict, int, Any], ...] = (
    ("GET /notes on a new app", "GET", "/notes", {}, 200, {"notes": []}),
    ("POST /notes JSON {'title': 'milk', 'body': '2 litres'}", "POST", "/notes",
     {"json": {"title": "milk", "body": "2 litres"}}, 201,
     {"id": 1, "title": "milk", "body": "2 litres"}),
    ("POST /notes JSON {'title': 'bread'}", "POST", "/notes", {"json": {"title": "bread"}}, 201,
     {"id": 2, "title": "bread", "body": ""}),
    ("GET /notes/2", "GET", "/notes/2", {}, 200, {"id": 2, "title": "bread", "body": ""}),
    ("GET /notes/99 (no such note)", "GET", "/notes/99", {}, 404, {"detail": "note not found"}),
    ("GET /notes/abc (not an int)", "GET", "/notes/abc", {}, 422, None),
    ("POST /notes JSON {'title': ''}", "POST", "/notes", {"json": {"title": ""}}, 422, None),
    ("POST /notes JSON with a 101-character title", "POST", "/notes",
     {"json": {"title": "x" * 101}}, 422, None),
    ("POST /notes JSON {'body': 'no title'}", "POST", "/notes", {"json": {"body": "no title"}},
     422, None),
    ("GET /notes after two creates", "GET", "/notes", {}, 200,
     {"notes": [{"id": 1, "title": "milk", "body": "2 litres"},
                {"id": 2, "title": "bread", "body": ""}]}),
)


def _asgi_session(apps: list, calls: list[tuple[int, str, str, dict]]) -> list[tuple[int, Any]]:
    """Send ``calls`` (app index, method, path, kwargs) in order; (status, body) of each."""
    import httpx

    from interview_lab.async_demo import run_in_thread

    async def session() -> list[tuple[int, Any]]:
        clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://notes.test") for app in apps]
        try:
            answers = []
            for index, method, path, kwargs in calls:
                response = await clients[index].request(method, path, **kwargs)
                answers.append((response.status_code, _body(response.content)))
            return answers
        finally:
            for client in clients:
                await client.aclose()

    return run_in_thread(session, timeout=20)


def check_notes_api(make: Callable[[], Any]) -> None:
    from fastapi import FastAPI

    first = call_learner(make, "make_notes_api()")
    second = call_learner(make, "make_notes_api() (second call)")
    for app in (first, second):
        if not isinstance(app, FastAPI):
            raise CheckFailed(f"make_notes_api() returned {type(app).__name__}, expected FastAPI")
    calls = [(0, method, path, kwargs) for _s, method, path, kwargs, _st, _b in FASTAPI_CALLS]
    calls.append((1, "GET", "/notes", {}))
    try:
        answers = _asgi_session([first, second], calls)
    except CheckFailed:
        raise
    except Exception as exc:
        raise CheckFailed(f"the app raised {type(exc).__name__}: {exc}") from exc
    for (step, _m, _p, _k, status, body), (got_status, got) in zip(FASTAPI_CALLS, answers,
                                                                   strict=False):
        if got_status != status:
            raise _fail(step, f"status {status}", f"status {got_status}, body {got!r}")
        if body is not None and got != body:
            raise _fail(step, repr(body), got)
    if answers[-1] != (200, {"notes": []}):
        raise _fail("GET /notes on an app from a second call (its own notes)",
                    "status 200, {'notes': []}", answers[-1])


EXERCISES = {
    "make_notes_blueprint": Exercise(check=check_notes_blueprint),
    "save_upload": Exercise(check=check_save_upload),
    "make_notes_view": Exercise(check=check_notes_view),
    "make_notes_api": Exercise(check=check_notes_api),
}
