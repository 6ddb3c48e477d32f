"""Unit tests of interview_lab.servers: servers start, answer, and always stop.

Tiny stdlib HTTP servers stand in for real ones (``servers.process``), so these
tests are fast; one test runs the real uvicorn app the lessons use.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import psutil
import pytest

from interview_lab import servers

# Serves GET /: {"pid": its pid, "child": the pid of a child process it started, or None}.
TINY_SERVER = """
import http.server, json, os, subprocess, sys
port, with_child = int(sys.argv[1]), sys.argv[2] == "child"
sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
child = subprocess.Popen(sleeper) if with_child else None

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"pid": os.getpid(), "child": child and child.pid}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""


def tiny_server(port: int, *, child: bool = False) -> list[str]:
    return [sys.executable, "-c", TINY_SERVER, str(port), "child" if child else "alone"]


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection((servers.HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def gone(pid: int, wait: float = 5.0) -> bool:
    """True once no live process has this pid (zombies count as gone)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def test_free_port_is_a_port_nothing_listens_on_and_that_can_be_bound():
    port = servers.free_port()
    assert 1024 <= port <= 65535
    assert not accepts_connections(port)
    with socket.socket() as sock:
        sock.bind((servers.HOST, port))


def test_process_serves_then_stops_the_server():
    port = servers.free_port()
    with servers.process(tiny_server(port), port) as url:
        assert url == f"http://127.0.0.1:{port}"
        pid = get_json(url + "/")["pid"]
        assert psutil.pid_exists(pid)
    assert not accepts_connections(port)
    assert gone(pid, wait=0)


def test_process_stops_the_server_even_when_the_block_raises():
    port = servers.free_port()
    with pytest.raises(ZeroDivisionError):
        with servers.process(tiny_server(port), port) as url:
            pid = get_json(url + "/")["pid"]
            1 / 0  # noqa: B018 - the failure under test
    assert not accepts_connections(port)
    assert gone(pid, wait=0)


def test_process_also_stops_the_children_of_the_server():
    """A child that ignores its parent's exit is killed too (after the grace period)."""
    port = servers.free_port()
    with servers.process(tiny_server(port, child=True), port) as url:
        pids = get_json(url + "/")
        assert psutil.pid_exists(pids["child"])
    assert gone(pids["pid"], wait=0) and gone(pids["child"], wait=0)


def test_a_server_that_crashes_at_start_gives_runtime_error_with_its_output():
    port = servers.free_port()
    crash = [sys.executable, "-c", "import sys; print('bad setting: DATABASE_URL'); sys.exit(3)"]
    with pytest.raises(RuntimeError) as raised:
        with servers.process(crash, port):
            pytest.fail("the block must not run when the server never started")
    message = str(raised.value)
    assert "exited with code 3" in message and "bad setting: DATABASE_URL" in message


def test_a_server_that_never_listens_times_out_with_a_clear_message_and_is_stopped():
    port = servers.free_port()
    silent = [sys.executable, "-u", "-c",
              "import os, time; print('pid', os.getpid()); print('warming up'); time.sleep(60)"]
    start = time.monotonic()
    with pytest.raises(TimeoutError) as raised:
        with servers.process(silent, port, timeout=1.0):
            pytest.fail("the block must not run when nothing listens")
    assert time.monotonic() - start < 10
    message = str(raised.value)
    assert f"not listening on 127.0.0.1:{port} after 1 s" in message
    assert "warming up" in message                       # the server's own output, to debug it
    pid = int(message.split("pid ", 1)[1].split()[0])
    assert gone(pid)


def test_the_log_file_is_removed(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    port = servers.free_port()
    with servers.process(tiny_server(port), port):
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("server-")]
    assert list(tmp_path.iterdir()) == []


def test_stop_kills_a_process_that_ignores_sigterm():
    stubborn = subprocess.Popen(
        [sys.executable, "-c", "import signal, time\n"
         "signal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('ready', flush=True)\n"
         "time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    assert stubborn.stdout.readline().strip() == "ready"   # the handler is in place
    start = time.monotonic()
    servers.stop(stubborn, grace=0.5)
    took = time.monotonic() - start
    assert gone(stubborn.pid, wait=0)
    assert 0.5 <= took < 5                  # SIGTERM ignored, so SIGKILL after the grace period
    stubborn.stdout.close()


def test_uvicorn_serves_the_hello_app_and_then_the_port_is_closed():
    with servers.uvicorn("interview_lab.apps.hello:app") as url:
        port = int(url.rsplit(":", 1)[1])
        assert get_json(url + "/health") == {"status": "ok"}
        assert get_json(url + "/wait?seconds=0") == {"waited": 0.0}
    assert not accepts_connections(port)


def test_free_port_is_outside_the_range_kernels_and_clients_draw_from():
    ports = {servers.free_port() for _ in range(20)}
    assert not ports & set(servers._ephemeral_range())
    for port in ports:
        with socket.socket() as sock:
            sock.bind((servers.HOST, port))  # free: binding works


def test_sweep_removes_run_dirs_of_dead_processes_only(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / f"{dead.pid}-abcdef").mkdir()
    (tmp_path / f"{os.getpid()}-abcdef").mkdir()
    (tmp_path / "template-18").mkdir()
    servers.sweep_dead_runs(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{os.getpid()}-abcdef", "template-18"])
