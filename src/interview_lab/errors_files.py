"""Helpers for the errors, files and context managers lesson (06).

Log files to read lazily or all at once, peak memory of each way of reading
them (measured with ``tracemalloc``, which counts bytes and so gives the same
answer on a busy machine), and child interpreters started with a different
locale or warning flags, to show what the default text encoding and
``ResourceWarning`` depend on.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interview_lab.bench import peak_bytes  # noqa: F401  (used by lesson 06)

LEVELS = ("INFO",) * 12 + ("DEBUG",) * 4 + ("WARNING",) * 2 + ("ERROR",)
MESSAGES = (
    "GET /api/users 200 12ms",
    "POST /api/orders 201 48ms",
    "user Zoë logged in from São Paulo",
    "cache miss for key product:42",
    "retrying payment after timeout",
    "GET /health 200 1ms",
)


def log_line(rng: random.Random, second: int) -> str:
    """One line: ISO timestamp, level, message (some messages are not ASCII)."""
    hh, rest = divmod(second % 86_400, 3600)
    mm, ss = divmod(rest, 60)
    return f"2026-05-01T{hh:02d}:{mm:02d}:{ss:02d} {rng.choice(LEVELS)} {rng.choice(MESSAGES)}\n"


def write_log(path: str | Path, n_lines: int, *, seed: int = 0) -> int:
    """Write ``n_lines`` log lines as UTF-8; return how many have level ERROR."""
    rng = random.Random(seed)
    errors = 0
    with open(path, "w", encoding="utf-8") as f:
        for second in range(n_lines):
            line = log_line(rng, second)
            errors += line.split(maxsplit=2)[1] == "ERROR"
            f.write(line)
    return errors


def is_error(line: str) -> bool:
    """True when the level field (the second word) is exactly ERROR."""
    fields = line.split(maxsplit=2)
    return len(fields) >= 2 and fields[1] == "ERROR"


def count_lazy(path: str | Path) -> int:
    """``for line in f``: the file object hands out one line at a time."""
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if is_error(line))


def count_read(path: str | Path) -> int:
    """``f.read().splitlines()``: the whole text, then a list of every line, at once."""
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f.read().splitlines() if is_error(line))


def count_readlines(path: str | Path) -> int:
    """``for line in f.readlines()``: looks lazy, but builds the full list first."""
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f.readlines() if is_error(line))


WAYS: dict[str, Callable[[str | Path], int]] = {
    "for line in f": count_lazy,
    "f.read().splitlines()": count_read,
    "f.readlines()": count_readlines,
}


# peak_bytes lives in bench (one implementation for every lesson); re-exported here.
@dataclass(frozen=True)
class ReadRow:
    """Peak bytes of each way of counting ERROR lines in one file."""

    lines: int
    file_bytes: int
    peaks: dict[str, int]
    errors: int


def memory_rows(sizes: list[int], folder: str | Path, *, repeat: int = 2,
                progress: bool = True) -> list[ReadRow]:
    """For each line count: write a log in ``folder``, then measure every way in ``WAYS``.

    Each peak is the smallest of ``repeat`` runs. Every way must find the same
    number of errors as the writer counted.
    """
    rows = []
    for n in sizes:
        path = Path(folder) / f"app-{n}.log"
        errors = write_log(path, n)
        peaks = {}
        for name, way in WAYS.items():
            peak, found = peak_bytes(lambda way=way, path=path: way(path), repeat=repeat)
            if found != errors:
                raise AssertionError(f"{name} counted {found} errors, expected {errors}")
            peaks[name] = peak
        rows.append(ReadRow(lines=n, file_bytes=path.stat().st_size, peaks=peaks, errors=errors))
        path.unlink()
        if progress:
            print(f"  {n:>9,} lines measured", flush=True)
    return rows


def memory_table(rows: list[ReadRow]) -> str:
    """A text table: file size, then the peak of each way in MiB."""
    names = list(rows[0].peaks)
    head = f"{'lines':>10}{'file MiB':>10}" + "".join(f"{n:>24}" for n in names)
    body = [f"{r.lines:>10,}{r.file_bytes / 2**20:>10.2f}"
            + "".join(f"{r.peaks[n] / 2**20:>24.3f}" for n in names) for r in rows]
    return "peak memory while counting ERROR lines, MiB (tracemalloc)\n" + "\n".join([head, *body])


def memory_chart(rows: list[ReadRow], ax=None):
    """Peak MiB against file MiB, one line per way of reading."""
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=(6, 3.2))
    sizes = [r.file_bytes / 2**20 for r in rows]
    for name in rows[0].peaks:
        ax.plot(sizes, [r.peaks[name] / 2**20 for r in rows], marker="o", label=name)
    ax.set_xlabel("file size, MiB")
    ax.set_ylabel("peak memory, MiB")
    ax.set_title("Reading a log: whole file vs line by line")
    ax.legend(fontsize=8)
    return ax


# --- child interpreters -------------------------------------------------------------

_OPEN_IN_CHILD = """
import json, locale, sys
path = sys.argv[1]
out = {"utf8_mode": sys.flags.utf8_mode, "preferred": locale.getpreferredencoding(False)}
with open(path) as f:
    out["default_encoding"] = f.encoding
try:
    with open(path) as f:
        out["default"] = f.read()
except UnicodeDecodeError as err:
    out["default"] = f"UnicodeDecodeError: {err.reason}"
with open(path, encoding="utf-8") as f:
    out["explicit"] = f.read()
print(json.dumps(out))
"""


def _child_env(overrides: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONUTF8", "PYTHONWARNDEFAULTENCODING", "PYTHONDEVMODE",
                        "PYTHONWARNINGS"}}
    env.update(overrides)
    return env


def open_in_child(path: str | Path, **env: str) -> dict[str, Any]:
    """Read ``path`` in a fresh interpreter with extra environment variables.

    Returns the child's UTF-8 mode flag, its ``locale.getpreferredencoding(False)``,
    the encoding ``open()`` picked without ``encoding=``, what that read gave
    (the text, or the UnicodeDecodeError), and what ``encoding="utf-8"`` gave.
    """
    run = subprocess.run([sys.executable, "-c", _OPEN_IN_CHILD, str(path)],
                         capture_output=True, text=True, encoding="utf-8",
                         env=_child_env(env), timeout=60, check=True)
    return json.loads(run.stdout)


def stderr_of_child(code: str, *flags: str) -> str:
    """Run ``code`` in a fresh interpreter with interpreter ``flags``; return its stderr."""
    run = subprocess.run([sys.executable, *flags, "-c", code], capture_output=True, text=True,
                         encoding="utf-8", env=_child_env({}), timeout=60, check=True)
    return run.stderr
