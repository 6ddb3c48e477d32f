"""Every lesson has a valid quiz bank, and every runnable snippet prints the marked answer."""

from __future__ import annotations

import subprocess
import sys

import pytest

from interview_lab import curriculum, quiz
from tests.notebook_files import NOTEBOOKS, QUIZZES, ROOT, stems

BANKS = sorted(p.stem for p in QUIZZES.glob("*.toml"))
CUR = curriculum.load(ROOT)
RUNNABLE = [(stem, q) for stem in BANKS for q in quiz.load(stem) if q.runnable]


def test_every_lesson_has_a_bank_and_every_bank_a_lesson():
    assert BANKS == stems(NOTEBOOKS)


@pytest.mark.parametrize("stem", BANKS)
def test_bank_is_valid_and_big_enough(stem):
    questions = quiz.load(stem)
    minimum = 2 if stem == "00_start_here" else 6
    assert len(questions) >= minimum, f"{stem}: {len(questions)} questions, need {minimum}"
    if stem != "00_start_here":
        assert any(q.multiple for q in questions), f"{stem}: no multiple-choice question"


@pytest.mark.parametrize("stem", BANKS)
def test_bank_seeds_belong_to_its_topic(stem):
    own = {q.key for q in CUR.questions_of(stem)}
    for question in quiz.load(stem):
        stray = set(question.seeds) - own
        assert not stray, f"{stem}: question {question.id!r} cites {stray}, not seeds of this topic"


@pytest.mark.parametrize("stem,question", RUNNABLE, ids=[f"{s}:{q.id}" for s, q in RUNNABLE])
def test_runnable_snippet_prints_the_marked_answer(stem, question):
    """Run the snippet as a fresh script: what it prints must be the answer's text."""
    run = subprocess.run([sys.executable, "-c", question.code], capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    error = run.stderr.strip().splitlines()[-1] if run.returncode else ""  # e.g. "TypeError: ..."
    printed = "\n".join(part for part in (run.stdout.strip(), error) if part)
    (answer,) = question.answer
    assert printed == question.options[answer].text, (
        f"{stem}:{question.id}: Python printed {printed!r}, the bank marks "
        f"{question.options[answer].text!r}")
