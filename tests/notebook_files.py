"""Shared helpers for tests that read notebooks as data (not by running a kernel)."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
QUIZZES = ROOT / "quizzes"
CHECK_CALL = re.compile(r"checks\.run\(\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]+)['\"]")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def code_cells(nb: dict) -> list[str]:
    return [source(c) for c in nb["cells"] if c["cell_type"] == "code"]


def stems(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.ipynb"))


def slug(stem: str) -> str:
    return stem.split("_", 1)[1]
