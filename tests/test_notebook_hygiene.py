"""Notebooks are committed clean and follow the lesson pattern the tooling relies on."""

from __future__ import annotations

import re
import subprocess
import sys

import nbformat
import pytest

from interview_lab.curriculum import NAV_MARK
from tests.notebook_files import EXERCISES, NOTEBOOKS, ROOT, SOLUTIONS, code_cells, load, source

ALL = sorted([*NOTEBOOKS.glob("*.ipynb"), *SOLUTIONS.glob("*.ipynb"), *EXERCISES.glob("*.ipynb")])
LESSONS = sorted(NOTEBOOKS.glob("*.ipynb"))
ids = lambda p: f"{p.parent.name}/{p.stem}"  # noqa: E731
LINK = re.compile(r"\]\(([^)\s]+)\)")
MAX_CELL_LINES = 15


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_committed_with_outputs_cleared_and_the_lab_kernel(path):
    nb = load(path)
    nbformat.validate(nbformat.from_dict(nb))
    dirty = [i for i, c in enumerate(nb["cells"])
             if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert dirty == [], f"{path.name}: cells {dirty} have outputs; clear them before committing"
    assert nb["metadata"]["kernelspec"]["name"] == "interview-lab"


@pytest.mark.parametrize("path", LESSONS, ids=ids)
def test_lesson_follows_the_pattern(path):
    nb, stem = load(path), path.stem
    cells = nb["cells"]
    assert cells[0]["cell_type"] == "markdown"
    assert source(cells[0]).startswith(f"# {stem[:2]} · "), "first cell: '# NN · Topic'"
    marks = [i for i, c in enumerate(cells) if source(c).startswith(NAV_MARK)]
    assert len(marks) == 2 and marks[0] == 1, "nav bar right after the title and at the end"
    assert "versions.report(" in code_cells(nb)[0], "first code cell prints versions"
    text = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    assert re.search(r"^## Next", text, re.M)
    assert f'quiz.show("{stem}")' in "\n".join(code_cells(nb))
    if stem != "00_start_here":
        assert re.search(r"^## Say it in the interview", text, re.M)
        assert re.search(r"^## Quiz", text, re.M)
        assert f"../exercises/{stem}.ipynb" in text


@pytest.mark.parametrize("path", LESSONS, ids=ids)
def test_lesson_cells_stay_short(path):
    long = [(i, len(s.strip().splitlines())) for i, s in enumerate(code_cells(load(path)))
            if len(s.strip().splitlines()) > MAX_CELL_LINES]
    assert long == [], f"code cells over {MAX_CELL_LINES} lines (index, lines): {long}"


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_relative_links_resolve(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for target in LINK.findall(source(cell)):
            assert not re.match(r"https?://(nbviewer|colab|github)", target), target
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            resolved = (path.parent / target.split("#")[0]).resolve()
            assert resolved.exists(), f"{path.name}: broken link {target}"


@pytest.mark.parametrize("path", sorted(SOLUTIONS.glob("*.ipynb")), ids=ids)
def test_solution_code_is_plain_python(path):
    """The exercise contract execs these cells, so no magics or top-level await."""
    for index, code in enumerate(code_cells(load(path))):
        compile(code, f"{path.name}[{index}]", "exec")


def test_python_code_is_ruff_clean():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests", "tools",
                          "conftest.py"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
