"""Lesson 16: the same notes resource in Django, Flask and FastAPI, served for real and compared.

``serve_notes(workdir)`` starts three servers on 127.0.0.1, each the way the
framework is usually deployed: Django and Flask (WSGI) under gunicorn with one
sync worker, FastAPI (ASGI) under uvicorn with one worker. All three are stopped
when the ``with`` block ends, even if a cell fails.

``tour(urls, workdir)`` sends the same HTTP calls to each (``SAME_CALLS``) and a
few calls only one framework understands (Django's class-based view, template
page and admin; Flask's static files and upload), and keeps every answer as a
``Seen`` record, so later cells can assert on them after the servers are gone.
``overlap`` fires concurrent slow requests and reads how many each server held
at once; ``requests_per_second`` times a trivial handler.

Django is never configured in the calling process: lesson 02 configures it
in-process (``django_copy_demo.setup``) and ``settings.configure`` works only
once per process. ``ensure_django`` reuses that configuration for in-process
checks that need settings (a RequestFactory, a JsonResponse).
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import json
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from interview_lab import bench, servers

FRAMEWORKS = ("Django", "Flask", "FastAPI")

DJANGO_APP = "interview_lab.apps.notes_django.wsgi:application"
FLASK_APP = "interview_lab.apps.notes_flask:create_app()"
FASTAPI_APP = "interview_lab.apps.notes_fastapi:app"

# label -> (method, path, httpx keyword arguments). The create call runs first, so note 1 exists.
SAME_CALLS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "create (form fields)": ("POST", "/api/notes/", {"data": {"title": "buy milk",
                                                              "body": "2 litres"}}),
    "list": ("GET", "/api/notes/", {}),
    "get note 1": ("GET", "/api/notes/1", {}),
    "get note 99": ("GET", "/api/notes/99", {}),
    "get note 'abc'": ("GET", "/api/notes/abc", {}),
    "create, blank title": ("POST", "/api/notes/", {"data": {"title": ""}}),
    "create, JSON body": ("POST", "/api/notes/", {"json": {"title": "from json"}}),
    "OpenAPI schema": ("GET", "/openapi.json", {}),
    "admin site": ("GET", "/admin/", {}),
}


@dataclass(frozen=True)
class Seen:
    """One answer, kept after the server is gone: status, headers (lower-case names), body."""

    status: int
    headers: dict[str, str]
    text: str

    def json(self) -> Any:
        return json.loads(self.text)

    @classmethod
    def of(cls, response: httpx.Response) -> Seen:
        return cls(response.status_code, {k.lower(): v for k, v in response.headers.items()},
                   response.text)


@dataclass
class Tour:
    """Everything ``tour`` saw: ``same[label][framework]`` and ``extra[framework][label]``."""

    same: dict[str, dict[str, Seen]] = field(default_factory=dict)
    extra: dict[str, dict[str, Seen]] = field(default_factory=dict)

    def statuses(self) -> str:
        """The status-code matrix of the same calls, one row per call."""
        rows = [f"{'call':<24}{'method path':<24}" + "".join(f"{f:>9}" for f in FRAMEWORKS)]
        for label, (method, path, _kw) in SAME_CALLS.items():
            codes = "".join(f"{self.same[label][f].status:>9}" for f in FRAMEWORKS)
            rows.append(f"{label:<24}{method + ' ' + path:<24}{codes}")
        return "\n".join(rows)


# --- servers -------------------------------------------------------------------------------------

def gunicorn_argv(app: str, port: int, workers: int = 1) -> list[str]:
    """gunicorn with sync workers on 127.0.0.1; no control socket (it would go to $HOME)."""
    return [sys.executable, "-m", "gunicorn", app, "--bind", f"{servers.HOST}:{port}",
            "--workers", str(workers), "--worker-class", "sync", "--no-control-socket",
            "--log-level", "warning"]


def uvicorn_argv(app: str, port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", app, "--host", servers.HOST, "--port", str(port),
            "--workers", "1", "--log-level", "warning"]


def wait_until_ready(url: str, timeout: float = 30.0) -> None:
    """GET /ping until it answers 200: gunicorn listens before its worker has loaded the app."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url + "/ping", timeout=timeout).status_code == 200:
                return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.05)


@contextlib.contextmanager
def serve_notes(workdir: str | Path) -> Iterator[dict[str, str]]:
    """Start the three notes servers; yield ``{framework: base URL}``; stop them all after.

    ``workdir`` (a temp dir the caller removes) holds Django's SQLite file and
    Flask's uploads.
    """
    workdir = Path(workdir)
    (workdir / "uploads").mkdir(exist_ok=True)
    specs = {
        "Django": (gunicorn_argv, DJANGO_APP, {"NOTES_DJANGO_DB": str(workdir / "notes.sqlite3")}),
        "Flask": (gunicorn_argv, FLASK_APP, {"NOTES_UPLOAD_DIR": str(workdir / "uploads")}),
        "FastAPI": (uvicorn_argv, FASTAPI_APP, {}),
    }
    with contextlib.ExitStack() as stack:
        urls = {}
        for name, (argv_of, app, env) in specs.items():
            port = servers.free_port()
            urls[name] = stack.enter_context(servers.process(argv_of(app, port), port, env=env))
        for url in urls.values():
            wait_until_ready(url)
        yield urls


# --- what the lesson sends -----------------------------------------------------------------------

def tour(urls: dict[str, str]) -> Tour:
    """Send ``SAME_CALLS`` to every framework, then the framework-specific calls."""
    seen = Tour()
    for name, url in urls.items():
        with httpx.Client(base_url=url, timeout=30) as client:
            for label, (method, path, kwargs) in SAME_CALLS.items():
                seen.same.setdefault(label, {})[name] = Seen.of(
                    client.request(method, path, **kwargs))
    seen.extra["Django"] = _django_extras(urls["Django"])
    seen.extra["Flask"] = _flask_extras(urls["Flask"])
    return seen


def _django_extras(url: str) -> dict[str, Seen]:
    out: dict[str, Seen] = {}
    with httpx.Client(base_url=url, timeout=30) as client:
        calls = {
            "CBV list": ("GET", "/api/cbv/notes/"),
            "CBV create": ("POST", "/api/cbv/notes/"),
            "CBV PUT": ("PUT", "/api/cbv/notes/"),
            "FBV PUT": ("PUT", "/api/notes/"),
            "CBV HEAD": ("HEAD", "/api/cbv/notes/"),
            "FBV HEAD": ("HEAD", "/api/notes/"),
            "admin login page": ("GET", "/admin/login/"),
            "page form, no CSRF token": ("POST", "/notes/create"),
        }
        for label, (method, path) in calls.items():
            data = {"title": "from the CBV"} if method == "POST" else None
            out[label] = Seen.of(client.request(method, path, data=data))
        page = client.get("/notes/")  # sets the csrftoken cookie; the form carries the token
        out["page"] = Seen.of(page)
        token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        out["page form, with token"] = Seen.of(client.post(
            "/notes/create", data={"title": "from the form", "csrfmiddlewaretoken": token}))
        out["page after"] = Seen.of(client.get("/notes/"))
    return out


def _flask_extras(url: str) -> dict[str, Seen]:
    out: dict[str, Seen] = {}
    with httpx.Client(base_url=url, timeout=30) as client:
        out["page"] = Seen.of(client.get("/"))
        css = client.get("/static/notes.css")
        out["css"] = Seen.of(css)
        out["css again, If-None-Match"] = Seen.of(client.get(
            "/static/notes.css", headers={"If-None-Match": css.headers["etag"]}))
        # httpx removes a literal ../ before sending (as browsers do); %2e%2e goes out as is
        out["css, ../ escape"] = Seen.of(client.get("/static/%2e%2e/blueprint.py"))
        out["upload"] = Seen.of(client.post(
            "/api/notes/1/attachment", files={"file": ("../../notes.txt", b"remember milk\n")}))
        out["upload .py"] = Seen.of(client.post(
            "/api/notes/1/attachment", files={"file": ("run.py", b"print('hi')\n")}))
        out["upload, no file"] = Seen.of(client.post("/api/notes/1/attachment",
                                                     data={"title": "x"}))
    return out


def overlap(urls: dict[str, str], n: int, seconds: float) -> dict[str, dict[str, float]]:
    """Send ``n`` GET /slow at once to each server; wall time and most requests held at once.

    The servers are separate processes, so all three are measured at the same time.
    """
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        found = pool.map(lambda url: _overlap_one(url, n, seconds), urls.values())
        return dict(zip(urls, found, strict=True))


def _overlap_one(url: str, n: int, seconds: float) -> dict[str, float]:
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    with httpx.Client(base_url=url, timeout=60, limits=limits) as client, \
            ThreadPoolExecutor(max_workers=n) as pool:
        client.get("/busy", params={"reset": "true"}).raise_for_status()
        start = time.perf_counter()
        answers = list(pool.map(
            lambda _i: client.get("/slow", params={"seconds": seconds}).status_code, range(n)))
        wall = time.perf_counter() - start
        assert answers == [200] * n, answers
        return {"wall": wall, "peak": client.get("/busy").json()["peak"]}


def requests_per_second(urls: dict[str, str], n: int, rounds: int = 3) -> dict[str, float]:
    """Best-of-``rounds`` requests/second for ``n`` sequential GET /ping, rounds interleaved.

    One client, one request at a time: the figure includes the client's own
    work and, for gunicorn's sync worker (no keep-alive), a new TCP connection
    per request. It is an observation of this machine, not a property of a framework.
    """
    best = dict.fromkeys(urls, 0.0)
    clients = {name: httpx.Client(base_url=url, timeout=30) for name, url in urls.items()}
    try:
        for client in clients.values():
            for _ in range(max(5, n // 10)):  # warm-up: imports, first connections
                client.get("/ping")
        for _ in range(rounds):
            for name, client in clients.items():
                start = time.perf_counter()
                codes = {client.get("/ping").status_code for _ in range(n)}
                elapsed = time.perf_counter() - start
                assert codes == {200}, (name, codes)
                best[name] = max(best[name], n / elapsed)
    finally:
        for client in clients.values():
            client.close()
    return best


def chart_rps(rps: dict[str, float], n: int):
    """Bar chart of requests/second per framework (this machine's figure)."""
    import matplotlib.pyplot as plt

    _fig, ax = plt.subplots(figsize=(6, 3))
    bench.labelled_bars(ax, list(rps), list(rps.values()), [f"{v:,.0f}" for v in rps.values()],
                        color=["#0c4b33", "#4c72b0", "#009688"], fontsize=9)
    ax.set_ylabel("requests / second")
    ax.set_title(f"GET /ping, {n} sequential requests, 1 worker (this machine)")
    return ax


# --- reading code without importing it -----------------------------------------------------------

def source_of(module: str, name: str) -> str:
    """The source of top-level function or class ``name`` in ``module``, decorators included.

    Read from the file with ``ast``, without importing the module: Django views
    cannot be imported in a process whose Django settings belong to another app.
    """
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(module)
    text = Path(spec.origin).read_text(encoding="utf-8")
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) \
                and node.name == name:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            return "\n".join(text.splitlines()[first - 1:node.end_lineno])
    raise LookupError(f"{module} has no top-level {name}")


def show(module: str, *names: str) -> None:
    """Print the source of each named function or class of ``module``."""
    print(f"# {module}")
    print("\n\n".join(source_of(module, name) for name in names))


def file_text(module: str, relative: str) -> str:
    """A data file shipped next to ``module`` (a template, a stylesheet)."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(module)
    return (Path(spec.origin).parent / relative).read_text(encoding="utf-8")


# --- Django in this process ----------------------------------------------------------------------

def ensure_django() -> None:
    """Make Django usable in this process without fighting over its one configuration.

    Lesson 02's ``django_copy_demo.setup()`` is the lab's single in-process
    configuration (no database, no installed apps). If Django is not configured
    yet, use it; if something configured it already, keep what is there.
    """
    import django
    from django.conf import settings

    if not settings.configured:
        from interview_lab import django_copy_demo

        django_copy_demo.setup()
    else:
        django.setup()
