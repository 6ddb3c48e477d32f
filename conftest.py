"""Project-wide pytest set-up: local Jupyter dirs, and a leftover-process check per notebook.

After every notebook that nbval ran, an extra test item checks that no process
started during the run (kernel, server, pool worker) is still alive or
listening: a notebook must clean up after itself even when run unattended.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from interview_lab import leftovers

ROOT = Path(__file__).resolve().parent

for var, sub in {
    "JUPYTER_CONFIG_DIR": ".jupyter/config",
    "JUPYTER_DATA_DIR": ".jupyter/data",
    "JUPYTER_RUNTIME_DIR": ".jupyter/runtime",
    "IPYTHONDIR": ".jupyter/ipython",
    "MPLCONFIGDIR": ".cache/matplotlib",
}.items():
    os.environ.setdefault(var, str(ROOT / sub))
    Path(os.environ[var]).mkdir(parents=True, exist_ok=True)
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
os.environ.setdefault(leftovers.MARKER_ENV, uuid.uuid4().hex)


class LeftoverCheck(pytest.Item):
    """Fails if anything the notebook started outlived it."""

    def __init__(self, *, notebook: str, **kwargs):
        super().__init__(**kwargs)
        self.notebook = notebook

    def runtest(self) -> None:
        left = leftovers.wait_until_gone(os.environ[leftovers.MARKER_ENV])
        if left:
            leftovers.kill(left)
            raise AssertionError(
                f"{self.notebook} left {len(left)} process(es) running:\n"
                + "\n".join(f"  {item}" for item in left)
            )

    def reportinfo(self):
        return self.path, None, f"no leftovers after {self.notebook}"


def pytest_collection_modifyitems(session, config, items):
    """Insert a LeftoverCheck after the last cell of each notebook."""
    result, current = [], None
    for item in items + [None]:
        path = getattr(item, "path", None) if item is not None else None
        if current is not None and path != current:
            result.append(LeftoverCheck.from_parent(
                session, name=f"leftovers[{current.name}]", notebook=str(current.relative_to(ROOT)),
            ))
            current = None
        if item is None:
            break
        if path is not None and path.suffix == ".ipynb":
            current = path
        result.append(item)
    items[:] = result
