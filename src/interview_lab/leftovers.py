"""Find processes (and their listening ports) that a test run left behind.

The test session puts a unique marker in its environment; every process it
starts, directly or through a kernel, a server or a pool, inherits it, even if
it is later re-parented to init. After a notebook ran, any live process still
carrying the marker (other than the test runner itself) is a leftover.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import psutil

MARKER_ENV = "INTERVIEW_LAB_RUN_ID"


@dataclass(frozen=True)
class Leftover:
    pid: int
    cmdline: str
    listening: tuple[str, ...]

    def __str__(self) -> str:
        ports = f" listening on {', '.join(self.listening)}" if self.listening else ""
        return f"pid {self.pid}: {self.cmdline}{ports}"


def _listening(proc: psutil.Process) -> tuple[str, ...]:
    try:
        conns = proc.net_connections(kind="inet")
    except (psutil.Error, OSError):
        return ()
    return tuple(sorted(f"{c.laddr.ip}:{c.laddr.port}" for c in conns
                        if c.status == psutil.CONN_LISTEN))


def find(marker: str, *, exclude: set[int] | None = None) -> list[Leftover]:
    """Live processes whose environment carries ``MARKER_ENV=marker``."""
    exclude = (exclude or set()) | {os.getpid()}
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "status"]):
        if proc.pid in exclude or proc.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        try:
            if proc.environ().get(MARKER_ENV) != marker:
                continue
        except (psutil.Error, OSError):
            continue
        cmd = " ".join(proc.info["cmdline"] or [])[:160]
        found.append(Leftover(proc.pid, cmd, _listening(proc)))
    return found


def wait_until_gone(marker: str, timeout: float = 10.0) -> list[Leftover]:
    """Give shutting-down processes ``timeout`` seconds, then report what is left."""
    deadline = time.monotonic() + timeout
    while True:
        left = find(marker)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def kill(leftovers: list[Leftover]) -> None:
    for item in leftovers:
        try:
            psutil.Process(item.pid).kill()
        except psutil.Error:
            pass
