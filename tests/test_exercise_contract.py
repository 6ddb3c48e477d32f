"""The exercise contract: in sync, solutions pass, stubs fail, plausible wrong answers are caught.

Notebook cells are exec'd in order in one namespace, as a kernel would run them;
check cells are the ones calling ``checks.run(stem, name, func)``.
"""

from __future__ import annotations

import contextlib
import importlib
import io

import pytest

from interview_lab import checks, exercises, postgres
from tests.notebook_files import CHECK_CALL, EXERCISES, ROOT, SOLUTIONS, code_cells, load, slug

STEMS = sorted(p.stem for p in SOLUTIONS.glob("*.ipynb"))


@pytest.fixture(scope="module", autouse=True)
def one_postgres_for_all_checks():
    """The PostgreSQL exercises' checks share one server here (a scratch database each).

    Started on the first check that needs it: ~0.02 s per check instead of ~1 s
    for a server of its own. In a notebook each check still starts its own.
    """
    with postgres.shared(fast=True):
        yield


def check_calls(path) -> list[tuple[int, str]]:
    """(cell index, exercise name) for every check cell."""
    calls = []
    for index, code in enumerate(code_cells(load(path))):
        calls += [(index, name) for _stem, name in CHECK_CALL.findall(code)]
    return calls


def run_cells(path, *, replace: dict | None = None, upto: int | None = None,
              skip_checks: bool = False) -> dict:
    """Exec the notebook's code cells before ``upto`` (all if None), quietly.

    ``skip_checks`` leaves out earlier check cells: in an exercise notebook they
    would stop at the first stub before the cell under test is reached.
    """
    namespace: dict = {"__name__": "__notebook__"}
    cells = code_cells(load(path))
    with contextlib.redirect_stdout(io.StringIO()):
        for code in cells[:upto]:
            if skip_checks and CHECK_CALL.search(code):
                continue
            exec(compile(code, str(path), "exec", dont_inherit=True), namespace)
    namespace.update(replace or {})
    return namespace


# dont_inherit=True: this module's `from __future__ import annotations` must not turn the
# notebook's annotations into strings (FastAPI reads a pydantic body type from them).


def run_check(path, cell_index: int, namespace: dict) -> None:
    code = code_cells(load(path))[cell_index]
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, str(path), "exec", dont_inherit=True), namespace)


def test_exercises_are_in_sync_with_solutions():
    outcomes = exercises.sync(ROOT, check=True)
    stale = [o.message for o in outcomes if o.action == "stale"]
    assert stale == [], f"{stale}: run `make exercises`"
    assert sorted(p.stem for p in EXERCISES.glob("*.ipynb")) == STEMS


@pytest.mark.parametrize("stem", STEMS)
def test_topic_has_three_exercises_matching_its_hidden_cases(stem):
    names = [name for _i, name in check_calls(SOLUTIONS / f"{stem}.ipynb")]
    assert len(names) >= 3, f"{stem}: {len(names)} exercises, need 3"
    assert sorted(names) == sorted(checks.exercises_of(stem)), "check cells vs cases module"


@pytest.mark.parametrize("stem", STEMS)
def test_every_solution_passes_its_check(stem):
    path = SOLUTIONS / f"{stem}.ipynb"
    namespace = run_cells(path)  # a check cell that fails raises here
    for _index, name in check_calls(path):
        assert checks.run(stem, name, namespace[name], quiet=True) >= 1


@pytest.mark.parametrize("stem", STEMS)
def test_every_stub_fails_with_not_implemented(stem):
    path = EXERCISES / f"{stem}.ipynb"
    calls = check_calls(path)
    assert calls, f"{stem}: the exercise notebook has no check cells"
    for index, _name in calls:
        namespace = run_cells(path, upto=index, skip_checks=True)
        with pytest.raises(NotImplementedError):
            run_check(path, index, namespace)


WRONG = [
    (stem, name, position, wrong)
    for stem in STEMS
    for name, impls in importlib.import_module(f"tests.wrong_answers.{slug(stem)}").WRONG.items()
    for position, wrong in enumerate(impls)
]


@pytest.mark.parametrize("stem", STEMS)
def test_every_exercise_has_a_plausible_wrong_answer(stem):
    kept = importlib.import_module(f"tests.wrong_answers.{slug(stem)}").WRONG
    missing = set(checks.exercises_of(stem)) - {n for n, impls in kept.items() if impls}
    assert not missing, f"{stem}: no wrong answer kept for {sorted(missing)}"


@pytest.mark.parametrize("stem,name,position,wrong", WRONG,
                         ids=[f"{s}:{n}:{p}" for s, n, p, _w in WRONG])
def test_wrong_answer_is_rejected_by_the_check_cell(stem, name, position, wrong):
    path = SOLUTIONS / f"{stem}.ipynb"
    (index,) = [i for i, n in check_calls(path) if n == name]
    namespace = run_cells(path, upto=index, replace={name: wrong}, skip_checks=True)
    with pytest.raises(checks.CheckFailed):
        run_check(path, index, namespace)
