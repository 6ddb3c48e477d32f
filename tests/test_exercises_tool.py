"""Unit tests of interview_lab.exercises: stubbing solutions and syncing exercises/ safely."""

from __future__ import annotations

import copy
import json

import pytest

from interview_lab import exercises
from interview_lab.exercises import BEGIN, END, STUB, MarkerError

STEM = "01_demo"

SOLVED_CELL = f"""def double(xs):
    \"\"\"Return xs twice.\"\"\"
    {BEGIN}
    result = xs * 2
    return result
    {END}


print(double([1]))"""


def solution_nb(extra_markdown: str | None = None) -> dict:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Demo\n", "Double a list."]},
        {"cell_type": "code", "metadata": {}, "id": "keep-me-not", "execution_count": 7,
         "outputs": [{"output_type": "stream", "name": "stdout", "text": "[1, 1]\n"}],
         "source": SOLVED_CELL},
        {"cell_type": "code", "metadata": {}, "execution_count": 8, "outputs": [],
         "source": "checks.run('01_demo', 'double', double)"},
    ]
    if extra_markdown:
        cells.append({"cell_type": "markdown", "metadata": {}, "source": extra_markdown})
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture
def root(tmp_path):
    (tmp_path / "solutions").mkdir()
    write_solution(tmp_path)
    return tmp_path


def write_solution(root, nb=None, stem=STEM):
    path = root / "solutions" / f"{stem}.ipynb"
    path.write_text(json.dumps(nb or solution_nb()), encoding="utf-8")
    return path


def exercise_path(root, stem=STEM):
    return root / "exercises" / f"{stem}.ipynb"


def read(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def learner_edits(root) -> str:
    """The learner replaces the stub with an answer; returns the file's new text."""
    path = exercise_path(root)
    nb = read(path)
    nb["cells"][2]["source"] = nb["cells"][2]["source"].replace(STUB, "return xs + xs")
    text = exercises.dumps(nb)
    path.write_text(text, encoding="utf-8")
    return text


# --- strip_solutions -------------------------------------------------------------

def test_strip_solutions_replaces_the_block_with_the_stub_at_its_indentation():
    out = exercises.strip_solutions(SOLVED_CELL)
    assert out == (
        "def double(xs):\n"
        '    """Return xs twice."""\n'
        f"    {STUB}\n"
        "\n\n"
        "print(double([1]))"
    )


def test_strip_solutions_handles_several_blocks_and_top_level_ones():
    source = "\n".join(["import math", BEGIN, "x = 1", END, "def f():", f"        {BEGIN}  ",
                        "        return 2", f"        {END}", "y = 3"])
    assert exercises.strip_solutions(source).splitlines() == [
        "import math", STUB, "def f():", f"        {STUB}", "y = 3"]


def test_strip_solutions_leaves_a_cell_without_markers_alone():
    assert exercises.strip_solutions("a = 1\n\nb = 2") == "a = 1\n\nb = 2"


@pytest.mark.parametrize("source,problem", [
    (f"{BEGIN}\nx = 1", "without"),
    (f"x = 1\n{END}", "without"),
    (f"{BEGIN}\n{BEGIN}\n{END}", "inside another"),
])
def test_strip_solutions_rejects_unbalanced_markers(source, problem):
    with pytest.raises(MarkerError, match=problem) as info:
        exercises.strip_solutions(source, "solutions/01_demo cell 3")
    assert "solutions/01_demo cell 3" in str(info.value)


# --- generate --------------------------------------------------------------------

def test_generate_clears_outputs_adds_the_banner_and_records_the_hash():
    solution = solution_nb()
    original = copy.deepcopy(solution)
    nb = exercises.generate(solution, STEM)
    assert solution == original  # pure: the solution notebook is not modified
    banner, title, code, check = nb["cells"]
    assert banner["cell_type"] == "markdown" and f"solutions/{STEM}.ipynb" in banner["source"]
    assert title["source"] == "# Demo\nDouble a list."
    assert STUB in code["source"] and "xs * 2" not in code["source"]
    for cell in (code, check):
        assert cell["outputs"] == [] and cell["execution_count"] is None
    assert [c["id"] for c in nb["cells"]] == ["01-ex-000", "01-ex-001", "01-ex-002", "01-ex-003"]
    meta = nb["metadata"]["interview_lab"]
    assert meta["generated_from"] == f"solutions/{STEM}.ipynb"
    assert meta["sources_hash"] == exercises.sources_hash(nb)
    assert nb["metadata"]["kernelspec"] == {"name": "python3"}


def test_generate_names_the_cell_with_broken_markers():
    solution = solution_nb()
    solution["cells"][1]["source"] = f"{BEGIN}\nx = 1"
    with pytest.raises(MarkerError, match=f"solutions/{STEM} cell 2"):
        exercises.generate(solution, STEM)


def test_sources_hash_ignores_outputs_but_not_sources():
    nb = exercises.generate(solution_nb(), STEM)
    ran = copy.deepcopy(nb)
    ran["cells"][2]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    ran["cells"][2]["execution_count"] = 3
    assert exercises.sources_hash(ran) == exercises.sources_hash(nb)
    assert not exercises.learner_edited(ran)
    ran["cells"][2]["source"] += "\n# my note"
    assert exercises.sources_hash(ran) != exercises.sources_hash(nb)
    assert exercises.learner_edited(ran)


def test_notebook_without_a_recorded_hash_counts_as_edited():
    assert exercises.learner_edited({"cells": [], "metadata": {}})


# --- sync ------------------------------------------------------------------------

def test_sync_writes_a_missing_exercise(root):
    (outcome,) = exercises.sync(root)
    assert (outcome.stem, outcome.action) == (STEM, "written")
    assert "missing" in outcome.message
    assert read(exercise_path(root)) == exercises.generate(solution_nb(), STEM)


def test_sync_leaves_an_up_to_date_exercise_alone(root):
    exercises.sync(root)
    before = exercise_path(root).stat().st_mtime_ns
    (outcome,) = exercises.sync(root)
    assert outcome.action == "unchanged"
    assert exercise_path(root).stat().st_mtime_ns == before


def test_sync_regenerates_an_unedited_stale_exercise(root):
    exercises.sync(root)
    write_solution(root, solution_nb(extra_markdown="## A new hint"))
    (outcome,) = exercises.sync(root)
    assert outcome.action == "written" and "out of date" in outcome.message
    assert read(exercise_path(root))["cells"][-1]["source"] == "## A new hint"


def test_executing_cells_is_not_an_edit(root):
    exercises.sync(root)
    nb = read(exercise_path(root))
    nb["cells"][2]["outputs"] = [{"output_type": "error", "ename": "NotImplementedError",
                                  "evalue": "your code here", "traceback": []}]
    nb["cells"][2]["execution_count"] = 1
    exercise_path(root).write_text(exercises.dumps(nb), encoding="utf-8")
    (outcome,) = exercises.sync(root)
    assert outcome.action == "unchanged"
    write_solution(root, solution_nb(extra_markdown="## More"))
    (outcome,) = exercises.sync(root)
    assert outcome.action == "written"  # only run, never edited: safe to regenerate


def test_sync_refuses_to_overwrite_an_edited_stale_exercise(root):
    exercises.sync(root)
    edited = learner_edits(root)
    write_solution(root, solution_nb(extra_markdown="## A new hint"))
    (outcome,) = exercises.sync(root)
    assert outcome.action == "refused"
    assert "FORCE=1" in outcome.message and "untouched" in outcome.message
    assert exercise_path(root).read_text(encoding="utf-8") == edited
    assert not (root / "exercises" / ".backup").exists()


def test_sync_keeps_an_edited_exercise_whose_solution_did_not_change(root):
    exercises.sync(root)
    edited = learner_edits(root)
    (outcome,) = exercises.sync(root)
    assert outcome.action == "unchanged" and "kept" in outcome.message
    assert exercise_path(root).read_text(encoding="utf-8") == edited
    (outcome,) = exercises.sync(root, force=True)  # nothing new to write, so nothing to move
    assert outcome.action == "unchanged"
    assert not (root / "exercises" / ".backup").exists()


def test_sync_force_backs_up_the_edited_exercise_then_writes_the_new_one(root):
    exercises.sync(root)
    edited = learner_edits(root)
    write_solution(root, solution_nb(extra_markdown="## A new hint"))
    (outcome,) = exercises.sync(root, force=True)
    assert outcome.action == "backed-up+written"
    (backup,) = (root / "exercises" / ".backup").glob(f"{STEM}.*.ipynb")
    assert backup.read_text(encoding="utf-8") == edited
    assert str(backup.relative_to(root)) in outcome.message
    assert read(exercise_path(root))["cells"][-1]["source"] == "## A new hint"


def test_two_forced_backups_in_one_second_keep_both(root):
    exercises.sync(root)
    texts = []
    for hint in ("## first", "## second"):
        texts.append(learner_edits(root))
        write_solution(root, solution_nb(extra_markdown=hint))
        assert exercises.sync(root, force=True)[0].action == "backed-up+written"
    backups = sorted((root / "exercises" / ".backup").glob(f"{STEM}.*.ipynb"))
    assert sorted(b.read_text(encoding="utf-8") for b in backups) == sorted(texts)


def test_check_mode_reports_stale_and_writes_nothing(root):
    (missing,) = exercises.sync(root, check=True)
    assert missing.action == "stale" and not exercise_path(root).exists()
    exercises.sync(root)
    text = exercise_path(root).read_text(encoding="utf-8")
    write_solution(root, solution_nb(extra_markdown="## A new hint"))
    (stale,) = exercises.sync(root, check=True)
    assert stale.action == "stale" and "make exercises" in stale.message
    assert exercise_path(root).read_text(encoding="utf-8") == text


def test_check_mode_reports_a_hand_edited_exercise(root):
    exercises.sync(root)
    learner_edits(root)
    (outcome,) = exercises.sync(root, check=True)
    assert outcome.action == "stale" and "edited by hand" in outcome.message


def test_sync_handles_every_solution_in_order(root):
    write_solution(root, solution_nb(), stem="02_other")
    assert [o.stem for o in exercises.sync(root)] == [STEM, "02_other"]
    assert exercise_path(root, "02_other").exists()


# --- main ------------------------------------------------------------------------

def test_main_exit_codes_follow_check_and_refusal(root, monkeypatch, capsys):
    monkeypatch.setenv("INTERVIEW_LAB_ROOT", str(root))
    assert exercises.main(["--check"]) == 1  # missing
    assert not exercise_path(root).exists()
    assert exercises.main([]) == 0
    assert f"{STEM}: wrote" in capsys.readouterr().out
    assert exercises.main(["--check"]) == 0
    learner_edits(root)
    write_solution(root, solution_nb(extra_markdown="## A new hint"))
    assert exercises.main([]) == 1  # refused
    assert "not overwriting" in capsys.readouterr().out
    assert exercises.main(["--force"]) == 0
    assert exercises.main(["--check"]) == 0


def test_generate_drops_the_solutions_label_from_the_title_only():
    solution = {
        "cells": [
            {"cell_type": "markdown", "metadata": {},
             "source": "# 99 · Topic: exercises (solutions)"},
            {"cell_type": "markdown", "metadata": {},
             "source": "See the (solutions) folder."},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    cells = exercises.generate(solution, "99_topic")["cells"]
    assert cells[1]["source"] == "# 99 · Topic: exercises"
    assert cells[2]["source"] == "See the (solutions) folder."
