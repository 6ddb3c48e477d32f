"""The versions cell every lesson starts with: what ran this notebook."""

from __future__ import annotations

import platform
import sys
from importlib import metadata

from interview_lab import bench

MIN_PYTHON = (3, 11)


def report(packages: list[str] | tuple[str, ...] = ()) -> None:
    """Print Python, the given packages, cores and quick mode; assert Python >= 3.11.

    Returns nothing, so the cell shows only the printed lines.
    """
    assert sys.version_info >= MIN_PYTHON, f"Interview Lab needs Python 3.11+, not {sys.version}"
    found = {"python": platform.python_version()}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    print(" · ".join(f"{k} {v}" for k, v in found.items()))
    print(f"{bench.cores()} cores · GIL {'enabled' if gil else 'disabled'} · "
          f"quick mode {'on' if bench.is_quick() else 'off'} ({bench.QUICK_ENV})")
    missing = [k for k, v in found.items() if v == "not installed"]
    assert not missing, f"missing packages: {missing}; run `make lab` to install them"
