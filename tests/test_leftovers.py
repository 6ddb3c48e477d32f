"""Unit tests of interview_lab.leftovers: find marked processes and their ports, then end them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest

from interview_lab import leftovers

SLEEPER = "import time; time.sleep(60)"
LISTENER = """
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
print(s.getsockname()[1], flush=True)
time.sleep(60)
"""


@pytest.fixture
def start():
    """Start python -c CODE with a given marker; every process is killed and reaped after."""
    started: list[subprocess.Popen] = []

    def _start(code: str, marker: str) -> subprocess.Popen:
        env = {**os.environ, leftovers.MARKER_ENV: marker}
        proc = subprocess.Popen([sys.executable, "-c", code], env=env,
                                stdout=subprocess.PIPE, text=True)
        started.append(proc)
        return proc

    yield _start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        proc.stdout.close()


def test_find_reports_marked_processes_with_their_listening_port(start):
    marker = uuid.uuid4().hex
    sleeper = start(SLEEPER, marker)
    listener = start(LISTENER, marker)
    port = int(listener.stdout.readline())
    found = {item.pid: item for item in leftovers.find(marker)}
    assert set(found) == {sleeper.pid, listener.pid}
    assert found[listener.pid].listening == (f"127.0.0.1:{port}",)
    assert found[sleeper.pid].listening == ()
    assert "time.sleep(60)" in found[sleeper.pid].cmdline
    assert f"listening on 127.0.0.1:{port}" in str(found[listener.pid])


def test_kill_ends_the_leftovers(start):
    marker = uuid.uuid4().hex
    procs = [start(SLEEPER, marker), start(SLEEPER, marker)]
    leftovers.kill(leftovers.find(marker))
    for proc in procs:
        assert proc.wait(timeout=10) != 0
    assert leftovers.find(marker) == []


def test_kill_ignores_a_process_that_exited_after_it_was_found(start):
    marker = uuid.uuid4().hex
    proc = start(SLEEPER, marker)
    found = leftovers.find(marker)
    proc.kill()
    proc.wait(timeout=10)
    leftovers.kill(found)  # must not raise: the process is already gone
    assert [item.pid for item in found] == [proc.pid]


def test_a_process_with_another_marker_is_not_found(start):
    mine, other = uuid.uuid4().hex, uuid.uuid4().hex
    theirs = start(SLEEPER, other)
    assert leftovers.find(mine) == []
    assert [item.pid for item in leftovers.find(other)] == [theirs.pid]


def test_find_skips_excluded_pids_and_the_caller(start, monkeypatch):
    marker = uuid.uuid4().hex
    monkeypatch.setenv(leftovers.MARKER_ENV, marker)  # the test process itself now carries it
    proc = start(SLEEPER, marker)
    assert [item.pid for item in leftovers.find(marker)] == [proc.pid]
    assert leftovers.find(marker, exclude={proc.pid}) == []


def test_wait_until_gone_returns_empty_once_processes_exit(start):
    marker = uuid.uuid4().hex
    start("import time; time.sleep(0.3)", marker)
    t0 = time.monotonic()
    assert leftovers.wait_until_gone(marker, timeout=10) == []
    assert time.monotonic() - t0 < 5


def test_wait_until_gone_gives_up_after_the_timeout(start):
    marker = uuid.uuid4().hex
    proc = start(SLEEPER, marker)
    t0 = time.monotonic()
    left = leftovers.wait_until_gone(marker, timeout=0.3)
    assert [item.pid for item in left] == [proc.pid]
    assert 0.3 <= time.monotonic() - t0 < 3
