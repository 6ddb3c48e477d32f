"""curriculum.toml covers every seed question once and tells the truth about what is built."""

from __future__ import annotations

import collections

import pytest

from interview_lab import curriculum
from tests.notebook_files import NOTEBOOKS, ROOT

CUR = curriculum.load(ROOT)
BRIEF_TOPICS = ["00_start_here", "02_copy_semantics", "04_decorators_generators",
                "10_search_algorithms", "11_gil", "12_threads_vs_processes"]


def test_all_145_seed_questions_appear_exactly_once():
    keys = collections.Counter((q.source, q.number) for q in CUR.questions)
    assert [k for k, n in keys.items() if n > 1] == []
    assert {n for s, n in keys if s == "000"} == set(range(1, 46))
    assert {n for s, n in keys if s == "004"} == set(range(1, 101))
    assert len(CUR.questions) == 145


def test_every_question_maps_to_a_listed_topic_and_a_known_status():
    stems = {t.stem for t in CUR.topics}
    assert len(stems) == len(CUR.topics) == 29
    for q in CUR.questions:
        assert q.stem in stems, f"{q.key} names {q.notebook}, which is not a topic"
        assert q.notebook == f"notebooks/{q.stem}.ipynb"
        assert q.status in {"planned", "done"}, f"{q.key}: status {q.status!r}"


@pytest.mark.parametrize("q", [q for q in CUR.questions if q.status == "done"], ids=lambda q: q.key)
def test_done_question_is_answered_under_its_heading(q):
    notebook = ROOT / q.notebook
    assert notebook.exists(), f"{q.key} is done but {q.notebook} does not exist"
    headings = curriculum.markdown_headings(notebook)
    assert q.heading in headings, f"{q.key}: heading {q.heading!r} not in {q.notebook}"


@pytest.mark.parametrize("stem", BRIEF_TOPICS)
def test_the_topics_the_brief_names_are_done(stem):
    assert CUR.status_of(stem, ROOT) == "done"


def test_every_lesson_notebook_is_a_curriculum_topic():
    stems = {t.stem for t in CUR.topics}
    assert {p.stem for p in NOTEBOOKS.glob("*.ipynb")} <= stems


def test_readme_table_and_nav_bars_match_the_curriculum():
    stale = curriculum.sync(ROOT, check=True)
    assert stale == [], f"out of date: {stale}; run `make sync`"
