"""Helpers for lesson 17 (app servers and HTTPS): drive WSGI/ASGI apps by hand,
run gunicorn and uvicorn with several worker processes, load them, and make certificates.

The notebook shows the interfaces and the claims; this module holds what would
make its cells long: the full ASGI scope a server builds, starting gunicorn on a
free port and finding its worker processes, a small loopback load generator that
counts which worker answered and how much CPU the server used, and a local
certificate authority (trustme) that writes PEM files for uvicorn.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import ssl
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import httpx
import psutil

from interview_lab import bench, servers

# --- calling the interfaces by hand, as a server does ------------------------------


def call_wsgi(app: Callable, method: str = "GET", path: str = "/", body: bytes = b"", *,
              query: str = "", headers: dict[str, str] | None = None
              ) -> tuple[str, list[tuple[str, str]], bytes]:
    """Call a WSGI app once, like a server: build ``environ``, collect status, headers, body."""
    environ = {"REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": path,
               "QUERY_STRING": query, "CONTENT_LENGTH": str(len(body)),
               "wsgi.input": BytesIO(body)}
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    setup_testing_defaults(environ)  # the CGI keys and wsgi.* keys every server sets
    started: list[tuple[str, list[tuple[str, str]]]] = []
    result = app(environ, lambda status, response_headers, exc_info=None:
                 started.append((status, response_headers)))
    try:
        chunks = list(result)  # the server iterates the return value and writes each chunk
    finally:
        if hasattr(result, "close"):
            result.close()
    status, response_headers = started[-1]
    return status, response_headers, b"".join(chunks)


def http_scope(method: str = "GET", path: str = "/", *, scheme: str = "http",
               headers: Sequence[tuple[bytes, bytes]] = (), query: bytes = b"",
               client: tuple[str, int] = ("127.0.0.1", 50000)) -> dict[str, Any]:
    """The ``scope`` an ASGI server builds for one HTTP request (ASGI 3.0, HTTP spec 2.x)."""
    return {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1", "method": method, "scheme": scheme, "path": path,
            "raw_path": path.encode(), "query_string": query, "root_path": "",
            "headers": [(b"host", b"testserver"), *headers], "client": client,
            "server": ("testserver", 443 if scheme == "https" else 80), "state": {}}


async def call_asgi(app: Callable, scope: dict[str, Any],
                    body_chunks: Sequence[bytes] = (b"",)) -> list[dict[str, Any]]:
    """Await an ASGI app once, like a server: feed it request messages, collect what it sends."""
    incoming = [{"type": "http.request", "body": chunk, "more_body": i < len(body_chunks) - 1}
                for i, chunk in enumerate(body_chunks)]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


def asgi_body(messages: list[dict[str, Any]]) -> bytes:
    """The response body an ASGI app sent, joined from its ``http.response.body`` messages."""
    return b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")


# --- servers with worker processes --------------------------------------------------


@dataclass
class Server:
    """A running server: its base URL and its process tree (the manager and its workers)."""

    url: str
    manager: psutil.Process

    def workers(self) -> list[psutil.Process]:
        """The manager's live child processes that serve requests."""
        kids = []
        for kid in self.manager.children():
            with contextlib.suppress(psutil.Error):
                cmd = " ".join(kid.cmdline())
                if "resource_tracker" not in cmd and kid.status() != psutil.STATUS_ZOMBIE:
                    kids.append(kid)
        return kids

    def worker_pids(self) -> set[int]:
        return {kid.pid for kid in self.workers()}

    def wait_for_workers(self, count: int, timeout: float = 30.0) -> set[int]:
        """Send requests (a new connection each) until ``count`` distinct workers answered."""
        seen: set[int] = set()
        deadline = time.monotonic() + timeout
        with _client(self.url) as client:
            while len(seen) < count:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"only {len(seen)} of {count} workers answered: {seen}")
                seen.add(client.get("/pid").json()["pid"])
        return seen


def _find_manager(port: int) -> psutil.Process:
    """Our child process that was started to listen on ``port`` (found by its command line)."""
    for kid in psutil.Process().children():
        with contextlib.suppress(psutil.Error):
            if any(part == str(port) or part.endswith(f":{port}") for part in kid.cmdline()):
                return kid
    raise LookupError(f"no child process was started for port {port}")


@contextlib.contextmanager
def gunicorn(app: str, *, workers: int = 1, worker_class: str = "uvicorn_worker.UvicornWorker",
             args: Sequence[str] = ()) -> Iterator[Server]:
    """Run ``gunicorn app -k worker_class -w workers`` on 127.0.0.1 and a free port."""
    port = servers.free_port()
    argv = [sys.executable, "-m", "gunicorn", app, "--worker-class", worker_class,
            "--workers", str(workers), "--bind", f"{servers.HOST}:{port}",
            "--log-level", "warning",
            "--no-control-socket",  # else gunicorn 27 creates one in $HOME/.gunicorn
            *args]
    with servers.process(argv, port) as url:
        yield Server(url=url, manager=_find_manager(port))


@contextlib.contextmanager
def uvicorn(app: str, *, workers: int = 1, args: Sequence[str] = ()) -> Iterator[Server]:
    """``servers.uvicorn`` with the process tree at hand (``--workers N`` starts N children).

    On the way out the manager is stopped first and waited for: it stops and
    reaps its own workers, which is quicker than signalling the whole tree at once
    (its multiprocessing helper ignores SIGTERM and is left for init to reap).
    """
    with servers.uvicorn(app, workers=workers, args=args) as url:
        server = Server(url=url, manager=_find_manager(int(url.rsplit(":", 1)[1])))
        try:
            yield server
        finally:
            with contextlib.suppress(psutil.Error):
                server.manager.terminate()
                server.manager.wait(timeout=10)


@dataclass(frozen=True)
class Replacement:
    """What happened when one worker was killed."""

    killed: int
    before: set[int]
    after: set[int]
    seconds: float

    @property
    def new(self) -> set[int]:
        return self.after - self.before


def kill_one_worker(server: Server, timeout: float = 30.0) -> Replacement:
    """SIGKILL one worker (as the OOM killer or a segfault would) and wait for its replacement."""
    before = server.worker_pids()
    victim = min(before)
    start = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    while True:
        after = server.worker_pids()
        if victim not in after and len(after) == len(before):
            server.wait_for_workers(len(before), timeout=timeout)  # the new one serves too
            return Replacement(victim, before, after, time.monotonic() - start)
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"worker {victim} was not replaced within {timeout:g} s")
        time.sleep(0.05)


# --- loopback load -----------------------------------------------------------------


def _client(url: str, **kwargs: Any) -> httpx.Client:
    # No keep-alive: each request opens a new connection, so the kernel hands it to
    # whichever worker is free to accept it at that moment.
    limits = httpx.Limits(max_connections=32, max_keepalive_connections=0)
    return httpx.Client(base_url=url, limits=limits, timeout=60, **kwargs)


@dataclass
class Load:
    """One burst of requests against one server."""

    requests: int
    wall: float
    server_cpu: float
    other_cores: float = 0.0  # cores that programs other than this kernel and the server used
    by_worker: Counter = field(default_factory=Counter)     # pid -> requests it answered
    worker_counters: dict[int, int] = field(default_factory=dict)  # pid -> its own `served`

    @property
    def per_second(self) -> float:
        return self.requests / self.wall

    @property
    def server_parallelism(self) -> float:
        """Server CPU seconds per wall second: ~1 means one core busy, ~2 means two."""
        return self.server_cpu / self.wall


def load(server: Server, path: str, requests: int, concurrency: int = 3) -> Load:
    """Send ``requests`` GETs to ``path``, ``concurrency`` at a time; count who answered."""
    with _client(server.url) as client:
        def one(_: int) -> dict[str, int]:
            return client.get(path).raise_for_status().json()

        # the server's CPU is part of the work (others.ours_cpu), not another program's
        with bench.OtherLoad(ours=[server.manager.pid]) as others, \
                ThreadPoolExecutor(concurrency) as pool:
            answers = list(pool.map(one, range(requests)))
    counters: dict[int, int] = {}
    for answer in answers:
        counters[answer["pid"]] = max(counters.get(answer["pid"], 0), answer.get("served", 0))
    return Load(requests=requests, wall=others.wall, server_cpu=others.ours_cpu,
                other_cores=others.cores,
                by_worker=Counter(a["pid"] for a in answers), worker_counters=counters)


@dataclass
class WorkerComparison(bench.TableAndChart):
    """Best-of-N loads of the same endpoint on servers that differ in worker count."""

    title: str
    best: dict[str, Load]
    repeat: int

    def quiet(self, limit: float = 0.5) -> bool:
        """True when the best runs had the cores to themselves; otherwise say why not.

        A worker-count ratio needs idle cores: if other programs kept more than
        ``limit`` cores busy during a best run, the ratio is noise, not a result.
        """
        busiest = max(run.other_cores for run in self.best.values())
        if busiest > limit:
            print(f"skipped: other programs kept {busiest:.1f} cores busy during the runs, so "
                  "the worker ratio says nothing; run the cell again when the machine is idle")
            return False
        return True

    def ratio(self, faster: str, slower: str) -> float:
        """Requests per second of ``faster`` over those of ``slower``."""
        return self.best[faster].per_second / self.best[slower].per_second

    def table(self) -> str:
        lines = [f"{self.title}",
                 f"best of {self.repeat} · {bench.cores()} cores · quick={bench.is_quick()}"
                 " · this machine's figures",
                 f"{'variant':<14}{'requests':>9}{'wall s':>8}{'req/s':>8}"
                 f"{'server CPU/wall':>17}  requests per worker pid"]
        for name, run in self.best.items():
            spread = ", ".join(str(n) for _pid, n in run.by_worker.most_common())
            lines.append(f"{name:<14}{run.requests:>9}{run.wall:>8.2f}{run.per_second:>8.1f}"
                         f"{run.server_parallelism:>17.2f}  {spread}")
        return "\n".join(lines)

    def chart(self, ax=None):
        import matplotlib.pyplot as plt

        if ax is None:
            _fig, ax = plt.subplots(figsize=(6, 3))
        names = list(self.best)
        bench.labelled_bars(ax, names, [self.best[n].per_second for n in names],
                            [f"server CPU/wall {self.best[n].server_parallelism:.2f}"
                             for n in names])
        ax.set_ylabel(f"requests per second (best of {self.repeat})")
        ax.set_title(self.title)
        return ax


def compare_workers(variants: dict[str, Server], path: str, *, requests: int, repeat: int = 3,
                    concurrency: int = 3, title: str = "") -> WorkerComparison:
    """Load each server ``repeat`` times, interleaved; keep each one's fastest run."""
    for server in variants.values():  # warm-up: imports, first connections, caches
        load(server, path, requests=max(4, requests // 8), concurrency=concurrency)
    runs: dict[str, list[Load]] = {name: [] for name in variants}
    for round_number in range(1, repeat + 1):
        for name, server in variants.items():
            runs[name].append(load(server, path, requests, concurrency))
        print(f"round {round_number}/{repeat} done", end="\n" if round_number == repeat else "\r")
    best = {name: min(loads, key=lambda r: r.wall) for name, loads in runs.items()}
    return WorkerComparison(title=title or path, best=best, repeat=repeat)


# --- certificates ------------------------------------------------------------------


@dataclass(frozen=True)
class TlsFiles:
    """PEM files of a local CA and of a server certificate it signed."""

    ca_pem: Path       # the CA certificate: what a client must trust
    cert_pem: Path     # the server's certificate chain: sent in every handshake
    key_pem: Path      # the server's private key: never leaves the server


@contextlib.contextmanager
def local_ca(*hostnames: str) -> Iterator[TlsFiles]:
    """A throwaway certificate authority and a server certificate for ``hostnames``.

    trustme makes both in memory (nothing is sent anywhere); the PEM files live in
    a temp dir that is removed when the block ends.
    """
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert(*(hostnames or ("127.0.0.1", "localhost")))
    with tempfile.TemporaryDirectory(prefix="tls-") as tmp:
        folder = Path(tmp)
        files = TlsFiles(ca_pem=folder / "ca.pem", cert_pem=folder / "server.pem",
                         key_pem=folder / "server.key")
        ca.cert_pem.write_to_path(str(files.ca_pem))
        for position, pem in enumerate(cert.cert_chain_pems):
            pem.write_to_path(str(files.cert_pem), append=position > 0)
        cert.private_key_pem.write_to_path(str(files.key_pem))
        yield files


def tls_args(files: TlsFiles, server: str = "uvicorn") -> list[str]:
    """The command-line options that make uvicorn or gunicorn serve HTTPS with these files."""
    if server == "uvicorn":
        return ["--ssl-certfile", str(files.cert_pem), "--ssl-keyfile", str(files.key_pem)]
    return ["--certfile", str(files.cert_pem), "--keyfile", str(files.key_pem)]


def stranger_ca_context() -> ssl.SSLContext:
    """A client context that trusts only a different, freshly made CA."""
    import trustme

    return ssl.create_default_context(cadata=trustme.CA().cert_pem.bytes().decode())


def handshake(url: str, context: ssl.SSLContext, server_hostname: str) -> dict[str, Any]:
    """Do only the TLS handshake with the server at ``url``, checking ``server_hostname``.

    Returns the protocol version and the names in the server's certificate;
    raises ``ssl.SSLCertVerificationError`` when the certificate does not check out.
    """
    host, port = url.split("//", 1)[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as raw, \
            context.wrap_socket(raw, server_hostname=server_hostname) as tls:
        names = [value for _kind, value in tls.getpeercert()["subjectAltName"]]
        return {"version": tls.version(), "names": names}
