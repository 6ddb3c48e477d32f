"""Unit tests of interview_lab.curriculum on a tiny fake project (never the real README)."""

from __future__ import annotations

import json
import textwrap

import pytest

from interview_lab import curriculum
from interview_lab.curriculum import NAV_MARK, TABLE_END, TABLE_START

CURRICULUM = textwrap.dedent('''
    [[topic]]
    stem = "00_start_here"
    title = "Start here"

    [[topic]]
    stem = "01_alpha"
    title = "Alpha"
    summary = "the first topic"

    [[topic]]
    stem = "02_beta"
    title = "Beta"

    [[topic]]
    stem = "03_gamma"
    title = "Gamma"

    [[question]]
    source = "000"
    number = 6
    text = "What is alpha?"
    notebook = "notebooks/01_alpha.ipynb"
    heading = "What alpha is"
    status = "done"

    [[question]]
    source = "004"
    number = "24"
    text = "Why alpha?"
    notebook = "notebooks/01_alpha.ipynb"
    heading = "Why alpha"
    status = "done"

    [[question]]
    source = "000"
    number = 7
    text = "What is beta?"
    notebook = "notebooks/02_beta.ipynb"
    heading = "What beta is"
    status = "planned"

    [[question]]
    source = "004"
    number = 1
    text = "What is gamma?"
    notebook = "notebooks/03_gamma.ipynb"
    heading = "Gamma"
    status = "planned"
''')

README = f"""# Project

Intro text that must survive.

{TABLE_START}
| old | table |
{TABLE_END}

## After the table
Also kept.
"""


def notebook(*markdown: str) -> dict:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": text} for text in markdown]
    cells.append({"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                  "source": "# not a heading: code\nx = 1"})
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def write_json(path, nb):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


@pytest.fixture
def root(tmp_path):
    (tmp_path / "curriculum.toml").write_text(CURRICULUM, encoding="utf-8")
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    for stem in ("00_start_here", "01_alpha", "02_beta"):
        write_json(tmp_path / "notebooks" / f"{stem}.ipynb",
                   notebook(f"# {stem}", f"{NAV_MARK}\nold links", "## Body"))
    for folder, ext in (("quizzes", ".toml"), ("solutions", ".ipynb"), ("exercises", ".ipynb")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / f"01_alpha{ext}").write_text("{}", encoding="utf-8")
    return tmp_path


def nav_cells(path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c["source"] for c in nb["cells"] if c["source"].startswith(NAV_MARK)]


def test_load_reads_topics_and_questions(root):
    cur = curriculum.load(root)
    assert [t.stem for t in cur.topics] == ["00_start_here", "01_alpha", "02_beta", "03_gamma"]
    assert cur.topics[1].summary == "the first topic" and cur.topics[0].summary == ""
    assert [q.key for q in cur.questions_of("01_alpha")] == ["000:6", "004:24"]
    assert cur.questions[1].number == 24  # a quoted number still becomes an int
    assert cur.questions[0].stem == "01_alpha" and cur.questions[0].heading == "What alpha is"


def test_load_uses_interview_lab_root(root, monkeypatch):
    monkeypatch.setenv("INTERVIEW_LAB_ROOT", str(root))
    assert len(curriculum.load().questions) == 4


def test_status_is_planned_in_progress_or_done_from_files_and_statuses(root):
    cur = curriculum.load(root)
    assert cur.status_of("00_start_here", root) == "done"  # needs no quiz or exercises
    assert cur.status_of("01_alpha", root) == "done"
    assert cur.status_of("02_beta", root) == "in progress"  # built, question still planned
    assert cur.status_of("03_gamma", root) == "planned"  # no notebook yet


@pytest.mark.parametrize("missing", ["quizzes/01_alpha.toml", "solutions/01_alpha.ipynb",
                                     "exercises/01_alpha.ipynb"])
def test_a_topic_missing_quiz_solutions_or_exercises_is_in_progress(root, missing):
    (root / missing).unlink()
    assert curriculum.load(root).status_of("01_alpha", root) == "in progress"


def test_topic_table_lists_every_topic_with_status_and_links(root):
    table = curriculum.topic_table(curriculum.load(root), root).splitlines()
    assert table[0] == "| # | topic | seed questions | status | lesson | exercises |"
    assert table[2] == ("| 00 | Start here | - | done | "
                        "[00_start_here.ipynb](notebooks/00_start_here.ipynb) | - |")
    assert table[3] == ("| 01 | Alpha | 000:6, 004:24 | done | "
                        "[01_alpha.ipynb](notebooks/01_alpha.ipynb) | "
                        "[exercises](exercises/01_alpha.ipynb) |")
    assert table[4] == ("| 02 | Beta | 000:7 | in progress | "
                        "[02_beta.ipynb](notebooks/02_beta.ipynb) | - |")
    assert table[5] == "| 03 | Gamma | 004:1 | planned | - | - |"
    assert len(table) == 6


def test_render_readme_replaces_only_what_is_between_the_markers():
    out = curriculum.render_readme(README, "| new |")
    head, rest = README.split(TABLE_START)
    assert out.startswith(head + TABLE_START + "\n| new |\n" + TABLE_END)
    assert out.endswith(README.split(TABLE_END)[1])
    assert "| old | table |" not in out
    assert curriculum.render_readme(out, "| new |") == out  # idempotent


@pytest.mark.parametrize("readme", ["# no markers", f"only {TABLE_START}", f"only {TABLE_END}"])
def test_render_readme_raises_without_both_markers(readme):
    with pytest.raises(ValueError, match="markers"):
        curriculum.render_readme(readme, "| t |")


def test_nav_bar_links_prev_index_and_next_among_built_lessons(root):
    cur = curriculum.load(root)
    assert curriculum.nav_bar(cur, "00_start_here", root) == (
        f"{NAV_MARK}\nindex | [Alpha →](01_alpha.ipynb)")
    assert curriculum.nav_bar(cur, "01_alpha", root) == (
        f"{NAV_MARK}\n[← Start here](00_start_here.ipynb) | [index](00_start_here.ipynb) | "
        "[Beta →](02_beta.ipynb)")
    # 03_gamma is not built, so Beta is the last lesson.
    assert curriculum.nav_bar(cur, "02_beta", root) == (
        f"{NAV_MARK}\n[← Alpha](01_alpha.ipynb) | [index](00_start_here.ipynb)")
    assert curriculum.nav_bar(cur, "03_gamma", root) == f"{NAV_MARK}\n"


def test_sync_check_reports_stale_readme_and_nav_without_writing(root):
    before = {p: p.read_text(encoding="utf-8") for p in [root / "README.md",
                                                         *(root / "notebooks").glob("*.ipynb")]}
    stale = curriculum.sync(root, check=True)
    assert stale == ["README.md topic table", "00_start_here.ipynb nav bar",
                     "01_alpha.ipynb nav bar", "02_beta.ipynb nav bar"]
    assert {p: p.read_text(encoding="utf-8") for p in before} == before


def test_sync_fixes_readme_and_nav_then_check_is_clean(root):
    assert len(curriculum.sync(root)) == 4
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "| 01 | Alpha | 000:6, 004:24 | done |" in readme
    assert readme.startswith("# Project\n\nIntro text that must survive.")
    assert readme.endswith("## After the table\nAlso kept.\n")
    assert nav_cells(root / "notebooks" / "01_alpha.ipynb") == [
        curriculum.nav_bar(curriculum.load(root), "01_alpha", root)]
    assert curriculum.sync(root, check=True) == []
    assert curriculum.sync(root) == []


def test_sync_only_touches_nav_cells(root):
    curriculum.sync(root)
    nb = json.loads((root / "notebooks" / "02_beta.ipynb").read_text(encoding="utf-8"))
    assert [c["source"] for c in nb["cells"]][0] == "# 02_beta"
    assert nb["cells"][2]["source"] == "## Body"


def test_a_new_lesson_makes_its_neighbours_nav_stale(root):
    curriculum.sync(root)
    write_json(root / "notebooks" / "03_gamma.ipynb", notebook(f"{NAV_MARK}\n"))
    stale = curriculum.sync(root, check=True)
    assert "02_beta.ipynb nav bar" in stale and "03_gamma.ipynb nav bar" in stale
    assert "README.md topic table" in stale


def test_main_check_exit_code(root, monkeypatch, capsys):
    monkeypatch.setenv("INTERVIEW_LAB_ROOT", str(root))
    assert curriculum.main(["--check"]) == 1
    assert "out of date: README.md topic table" in capsys.readouterr().out
    assert curriculum.main([]) == 0
    assert "updated: 01_alpha.ipynb nav bar" in capsys.readouterr().out
    assert curriculum.main(["--check"]) == 0


def test_markdown_headings_finds_headings_at_every_level(tmp_path):
    path = tmp_path / "nb.ipynb"
    write_json(path, notebook(
        "# Title\ntext\n## Section two ##\n### Three\n#### Four\n##### Five\n###### Six",
        ["####### seven is not a heading\n", "#hashtag\n", "## Using C#\n", "## a # b   "],
    ))
    assert curriculum.markdown_headings(path) == [
        "Title", "Section two", "Three", "Four", "Five", "Six", "Using C#", "a # b"]
