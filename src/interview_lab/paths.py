"""Where the project's files live, found from the package itself.

Notebooks run with their own folder as the working directory, so nothing here
may depend on the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The checkout's top folder (the one holding curriculum.toml).

    `INTERVIEW_LAB_ROOT` overrides it, which the tests use to point the tools
    at a temporary copy.
    """
    override = os.environ.get("INTERVIEW_LAB_ROOT")
    if override:
        return Path(override).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "curriculum.toml").exists():
            return parent
    raise FileNotFoundError(
        f"cannot find curriculum.toml above {here}; set INTERVIEW_LAB_ROOT to the checkout"
    )


def quiz_path(stem: str) -> Path:
    return project_root() / "quizzes" / f"{stem}.toml"


def cache_dir() -> Path:
    """A scratch folder inside the project (never the user's home)."""
    path = project_root() / ".cache" / "interview_lab"
    path.mkdir(parents=True, exist_ok=True)
    return path
