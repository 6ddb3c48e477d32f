"""Start real servers for a lesson, on 127.0.0.1 and a free port, and always stop them.

A lesson shows a real HTTP server answering real requests, so it runs the
server as a separate process (exactly how it runs in production) and talks to it
over a socket. The context manager stops the process, and its children, when the
``with`` block ends, even when a cell fails, so no port or process outlives the
notebook.

    with servers.uvicorn("interview_lab.apps.slow:app") as base_url:
        httpx.get(base_url + "/health")
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import psutil

HOST = "127.0.0.1"


# Ports for our servers come from below the OS's ephemeral range (Linux: 32768-60999,
# macOS: 49152-65535). Kernels and clients get their ports from that range by binding to
# port 0; a server port taken from it could be handed to a starting Jupyter kernel between
# our check and the server's bind (or the other way round), and one of them would die.
SERVER_PORTS = range(20_000, 32_000)


def _ephemeral_range() -> range:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range", encoding="ascii") as handle:
            low, high = map(int, handle.read().split())
    except (OSError, ValueError):
        low, high = 32_768, 65_535
    return range(low, high + 1)


def free_port() -> int:
    """A TCP port nothing listens on right now, outside the ephemeral range."""
    ephemeral = _ephemeral_range()
    for port in random.sample(SERVER_PORTS, 100):
        if port in ephemeral:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:  # let the OS pick
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float, log_path: str) -> None:
    """Block until something accepts connections on ``port``, or explain why not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before listening:\n"
                               + log_tail(log_path))
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"server not listening on {HOST}:{port} after {timeout:g} s:\n"
                       + log_tail(log_path))


def log_tail(path: str | os.PathLike, lines: int = 20) -> str:
    """The last ``lines`` lines of a server's log, for an error message ("" if unreadable)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except OSError:
        return ""


def sweep_dead_runs(folder: Path, prefix: str = "") -> None:
    """Delete ``[prefix]...-PID-HEX`` run dirs whose process no longer exists (a killed kernel).

    The embedded PostgreSQL and Redis keep one such dir per server; a kernel
    killed mid-lesson cannot remove its own, so the next start does.
    """
    for entry in folder.iterdir():
        if not entry.name.startswith(prefix):
            continue
        with contextlib.suppress(ValueError, IndexError):
            pid = int(entry.name.split("-")[-2])
            if pid != os.getpid() and not psutil.pid_exists(pid):
                shutil.rmtree(entry, ignore_errors=True)


def stop(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """SIGTERM the process and its children, then SIGKILL what is still alive."""
    try:
        family = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        family = []
    for member in family:  # children too: a worker must not outlive its server
        with contextlib.suppress(psutil.NoSuchProcess):
            member.send_signal(signal.SIGTERM)
    if not family:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
    alive = _wait_exited(family, grace)
    for leftover in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            leftover.kill()
    _wait_exited(alive, grace)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace)


def _exited(member: psutil.Process) -> bool:
    """Gone, or a zombie: it has exited and only waits for its parent (or init) to reap it."""
    try:
        return member.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _wait_exited(family: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait until every member has exited; return those still running after ``timeout``.

    psutil.wait_procs would wait the whole grace period for a worker that
    already exited but whose parent is gone (init reaps it when it gets to it).
    """
    deadline = time.monotonic() + timeout
    running = [member for member in family if not _exited(member)]
    while running and time.monotonic() < deadline:
        time.sleep(0.02)
        running = [member for member in running if not _exited(member)]
    return running


@contextlib.contextmanager
def process(argv: Sequence[str], port: int, *, timeout: float = 30.0,
            env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``argv`` (a server that will listen on ``port``); yield its base URL."""
    with tempfile.NamedTemporaryFile("w+", prefix="server-", suffix=".log", delete=False) as log:
        log_path = log.name
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(list(argv), stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})})
    try:
        wait_for_port(port, proc, timeout, log_path)
        yield f"http://{HOST}:{port}"
    finally:
        stop(proc)
        os.unlink(log_path)


@contextlib.contextmanager
def uvicorn(app: str, *, workers: int = 1, args: Sequence[str] = (),
            timeout: float = 30.0) -> Iterator[str]:
    """Serve the ASGI app at ``"module:attribute"`` with uvicorn; yield the base URL."""
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", app, "--host", HOST, "--port", str(port),
            "--workers", str(workers), "--log-level", "warning", *args]
    with process(argv, port, timeout=timeout) as url:
        yield url
