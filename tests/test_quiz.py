"""Unit tests of interview_lab.quiz: bank validation, grading, HTML, and the widget view."""

from __future__ import annotations

import textwrap

import pytest

from interview_lab import quiz
from interview_lab.quiz import Option, Question, QuizBankError

VALID_BANK = textwrap.dedent('''
    [[question]]
    id = "gil-protects"
    seeds = ["000:6", "004:24"]
    prompt = "What does the GIL protect?"
    answer = 1

    [[question.options]]
    text = "  Your own data structures  "
    why = "No: your invariants need your own locks."

    [[question.options]]
    text = "The interpreter's internal state"
    why = "Yes: reference counts and interpreter structures."

    [[question]]
    id = "prints"
    prompt = "What does this print?"
    code = """
    print(1 + 1)
    """
    runnable = true
    answer = 0

    [[question.options]]
    text = "2"
    why = "1 + 1 is 2."

    [[question.options]]
    text = "11"
    why = "That would be string concatenation."

    [[question]]
    id = "immutable"
    prompt = "Which are immutable?"
    answer = [0, 2]

    [[question.options]]
    text = "tuple"
    why = "Immutable."

    [[question.options]]
    text = "list"
    why = "Mutable: append changes it in place."

    [[question.options]]
    text = "frozenset"
    why = "Immutable."
''')


def write(tmp_path, text: str, name: str = "01_demo.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def bank_question(qid: str = "q1", **fields) -> str:
    """One [[question]] in TOML; fields override or (with None) drop the defaults."""
    values = {"id": qid, "prompt": "Pick one", "answer": 0}
    values.update(fields)
    options = values.pop("options", [("yes", "because"), ("no", "because not")])
    lines = ["[[question]]"]
    lines += [f"{key} = {_toml(value)}" for key, value in values.items() if value is not None]
    for text, why in options:
        lines += ["[[question.options]]", f"text = {_toml(text)}"]
        if why is not None:
            lines.append(f"why = {_toml(why)}")
    return "\n".join(lines) + "\n"


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)


def make_question(answer=1, multiple=False, n=3) -> Question:
    return Question(
        id="q",
        prompt="Pick",
        options=tuple(Option(text=f"opt{i}", why=f"why{i}") for i in range(n)),
        answer=frozenset(answer if multiple else [answer]),
        multiple=multiple,
    )


# --- load_bank ---------------------------------------------------------------

def test_load_bank_parses_a_valid_bank(tmp_path):
    questions = quiz.load_bank(write(tmp_path, VALID_BANK))
    assert [q.id for q in questions] == ["gil-protects", "prints", "immutable"]
    first, runnable, multi = questions
    assert first.answer == frozenset({1}) and not first.multiple
    assert first.seeds == ("000:6", "004:24")
    assert first.options[0] == Option("Your own data structures",
                                      "No: your invariants need your own locks.")
    assert runnable.runnable and runnable.code == "print(1 + 1)"
    assert multi.multiple and multi.answer == frozenset({0, 2})
    assert multi.code == "" and not multi.runnable and multi.seeds == ()


def test_load_reads_the_bank_of_a_stem_from_the_project_root(tmp_path, monkeypatch):
    (tmp_path / "quizzes").mkdir()
    write(tmp_path / "quizzes", VALID_BANK, "07_demo.toml")
    monkeypatch.setenv("INTERVIEW_LAB_ROOT", str(tmp_path))
    assert [q.id for q in quiz.load("07_demo")][0] == "gil-protects"


BAD_BANKS = {
    "missing explanation": (bank_question("no-why", options=[("a", "ok"), ("b", None)]),
                            "no-why", "option 1 has no explanation"),
    "answer out of range": (bank_question("too-far", answer=2), "too-far",
                            "answer index 2 out of range"),
    "negative answer": (bank_question("negative", answer=-1), "negative", "out of range"),
    "missing prompt": (bank_question("no-prompt", prompt=None), "no-prompt", "missing prompt"),
    "blank prompt": (bank_question("blank", prompt="   "), "blank", "missing prompt"),
    "runnable without code": (bank_question("run-nothing", runnable=True), "run-nothing",
                              "runnable = true but no code"),
    "runnable multiple choice": (bank_question("run-multi", runnable=True, code="print(1)",
                                               answer=[0, 1]), "run-multi", "one answer"),
    "bad seed format": (bank_question("bad-seed", seeds=["6"]), "bad-seed", "seed '6'"),
    "seed from an unknown list": (bank_question("seed-list", seeds=["001:6"]), "seed-list",
                                  "seed '001:6'"),
    "one option": (bank_question("lonely", options=[("a", "b")]), "lonely",
                   "at least 2 options"),
    "same option twice": (bank_question("twins", options=[("a", "x"), ("a", "y")]), "twins",
                          "same text"),
    "option without text": (bank_question("mute", options=[("a", "x"), ("  ", "y")]), "mute",
                            "option 1 has no text"),
    "answer missing": (bank_question("no-answer", answer=None), "no-answer", "answer must be"),
    "answer is a bool": (bank_question("boolish", answer=True), "boolish", "answer must be"),
    "empty answer list": (bank_question("empty", answer=[]), "empty", "answer must be"),
    "answer listed twice": (bank_question("dup-answer", answer=[0, 0]), "dup-answer", "twice"),
    "option not a table": ('[[question]]\nid = "plain"\nprompt = "p"\nanswer = 0\n'
                           'options = ["a", "b"]\n', "plain", "option 0 is not a table"),
    "code not a string": (bank_question("code-num", code=5), "code-num", "code must be"),
    "runnable as a string": (bank_question("run-str", runnable="false", code="print(1)"),
                             "run-str", "runnable must be"),
    "seeds not a list": (bank_question("seed-str", seeds="000:6"), "seed-str",
                         "seeds must be a list"),
    "seed not a string": (bank_question("seed-int", seeds=[6]), "seed-int",
                          "seeds must be a list"),
}


@pytest.mark.parametrize("text,qid,problem", BAD_BANKS.values(), ids=BAD_BANKS.keys())
def test_bad_bank_fails_naming_file_and_question_id(tmp_path, text, qid, problem):
    path = write(tmp_path, bank_question("fine-before") + text)
    with pytest.raises(QuizBankError) as info:
        quiz.load_bank(path)
    message = str(info.value)
    assert str(path) in message
    assert repr(qid) in message
    assert problem in message


def test_duplicate_id_fails_naming_file_and_id(tmp_path):
    path = write(tmp_path, bank_question("twice") + bank_question("other") + bank_question("twice"))
    with pytest.raises(QuizBankError, match="duplicate id") as info:
        quiz.load_bank(path)
    assert str(path) in str(info.value) and "'twice'" in str(info.value)


def test_question_without_id_is_named_by_its_position(tmp_path):
    path = write(tmp_path, bank_question("first") + bank_question(None))
    with pytest.raises(QuizBankError, match="question #2: missing id") as info:
        quiz.load_bank(path)
    assert str(path) in str(info.value)


def test_invalid_toml_fails_naming_the_file(tmp_path):
    path = write(tmp_path, '[[question]]\nid = "broken\n')
    with pytest.raises(QuizBankError, match="not valid TOML") as info:
        quiz.load_bank(path)
    assert str(path) in str(info.value)


def test_bank_without_questions_fails(tmp_path):
    path = write(tmp_path, 'title = "nothing here"\n')
    with pytest.raises(QuizBankError, match="no \\[\\[question\\]\\] tables"):
        quiz.load_bank(path)


def test_quiz_bank_error_is_a_value_error():
    assert issubclass(QuizBankError, ValueError)


# --- grade / score -----------------------------------------------------------

def test_grade_single_choice_right_answer_is_correct_with_its_explanation():
    result = quiz.grade(make_question(answer=1), 1)
    assert result.correct
    assert result.chosen == frozenset({1}) and result.missed == frozenset()
    assert result.explanations == ((1, True, "why1"),)


def test_grade_single_choice_wrong_answer_explains_only_the_chosen_option():
    result = quiz.grade(make_question(answer=1), 2)
    assert not result.correct
    assert result.explanations == ((2, False, "why2"),)
    assert result.missed == frozenset({1})


def test_grade_multiple_choice_needs_exactly_the_correct_set():
    question = make_question(answer={0, 2}, multiple=True, n=4)
    assert quiz.grade(question, {0, 2}).correct
    assert quiz.grade(question, frozenset({2, 0})).correct
    assert not quiz.grade(question, {0, 1, 2}).correct  # a superset is wrong


def test_grade_multiple_choice_partial_answer_reports_what_was_missed():
    question = make_question(answer={0, 2}, multiple=True, n=4)
    result = quiz.grade(question, {2, 3})
    assert not result.correct
    assert result.missed == frozenset({0})
    assert result.explanations == ((2, True, "why2"), (3, False, "why3"))  # sorted, chosen only


def test_grade_nothing_chosen_is_not_correct_and_explains_nothing():
    result = quiz.grade(make_question(answer=0), None)
    assert not result.correct and result.chosen == frozenset()
    assert result.explanations == () and result.missed == frozenset({0})


@pytest.mark.parametrize("bad", [3, -1, {0, 7}])
def test_grade_rejects_a_nonexistent_option(bad):
    with pytest.raises(IndexError, match="has no option"):
        quiz.grade(make_question(answer=0, n=3), bad)


def test_grade_is_pure_and_prints_nothing(capsys):
    question = make_question(answer=0)
    assert quiz.grade(question, 0) == quiz.grade(question, 0)
    assert capsys.readouterr().out == ""


def test_score_counts_correct_latest_grades_over_all_questions():
    question = make_question(answer=0)
    grades = [None, quiz.grade(question, 0), quiz.grade(question, 1), quiz.grade(question, 0)]
    assert quiz.score(grades) == (2, 4)
    assert quiz.score([]) == (0, 0)


# --- HTML ----------------------------------------------------------------------

def test_to_html_escapes_markup_in_prompts():
    out = quiz.to_html('Is <script>alert("x")</script> & co safe?')
    assert "<script>" not in out
    assert "&lt;script&gt;" in out and "&amp;" in out
    assert out.startswith("<p>") and out.endswith("</p>")


def test_to_html_renders_fenced_code_escaped_inside_pre():
    out = quiz.to_html("Look:\n\n```python\nprint('<i>')\nx = 1\n```\nThen answer.")
    assert "<pre><code>print(&#x27;&lt;i&gt;&#x27;)\nx = 1</code></pre>" in out
    assert out.index("<p>Look:</p>") < out.index("<pre>") < out.index("<p>Then answer.</p>")
    assert "```" not in out


def test_to_html_renders_inline_code_and_paragraphs():
    out = quiz.to_html("Why does `a < b` hold?\n\nSecond `x`.")
    assert out == "<p>Why does <code>a &lt; b</code> hold?</p><p>Second <code>x</code>.</p>"


def test_feedback_html_marks_each_chosen_option_and_counts_missed_ones():
    question = make_question(answer={0, 2}, multiple=True, n=4)
    text = quiz.feedback_html(question, quiz.grade(question, {0, 3}))
    assert "Not quite" in text
    assert "✔ <code>opt0</code>: why0" in text and "✘ <code>opt3</code>: why3" in text
    assert "why2" not in text  # never chosen, so not explained
    assert "You missed 1 correct option(s)." in text
    right = quiz.feedback_html(question, quiz.grade(question, {0, 2}))
    assert "✔ Correct." in right and "missed" not in right


def test_feedback_html_escapes_option_text():
    question = Question("q", "p", (Option("<b>x</b>", "a<b"), Option("y", "z")),
                        frozenset({1}), False)
    text = quiz.feedback_html(question, quiz.grade(question, 0))
    assert "&lt;b&gt;x&lt;/b&gt;" in text and "a&lt;b" in text


# --- QuizView --------------------------------------------------------------------

def shuffled_seed(questions) -> int:
    """A seed whose order for question 0 puts the correct option off its bank position."""
    for seed in range(200):
        view = quiz.QuizView(questions, seed=seed)
        correct = next(iter(questions[0].answer))
        if view.orders[0].index(correct) != correct:
            return seed
    raise AssertionError("no seed shuffles the first question")


@pytest.fixture
def bank(tmp_path):
    return quiz.load_bank(write(tmp_path, VALID_BANK))


def find_button(view, index):
    import ipywidgets as widgets

    box = view.widget.children[index]
    (button,) = [w for w in box.children if isinstance(w, widgets.Button)]
    return button


def test_quiz_view_maps_shuffled_positions_back_to_bank_indices(bank):
    view = quiz.QuizView(bank, seed=shuffled_seed(bank))
    question, selector = bank[0], view.selectors[0]
    correct_text = question.options[1].text
    assert sorted(view.orders[0]) == list(range(len(question.options)))
    selector.index = list(selector.options).index(correct_text)
    result = view.check(0)
    assert result is not None and result.correct
    assert "Correct" in view.feedbacks[0].value
    # Picking the widget at the bank index of the answer is now the wrong option.
    selector.index = 1
    assert not view.check(0).correct


def test_quiz_view_asks_for_an_answer_when_nothing_is_selected(bank):
    view = quiz.QuizView(bank, seed=1)
    assert view.check(0) is None
    assert view.feedbacks[0].value == "Pick an answer first."
    assert view.latest[0] is None
    assert "Score: 0 / 3" in view.score_label.value and "(0 answered)" in view.score_label.value


def test_quiz_view_score_label_follows_the_latest_grades(bank):
    view = quiz.QuizView(bank, shuffle=False)
    view.selectors[0].index = 1
    view.check(0)
    assert "Score: 1 / 3" in view.score_label.value and "(1 answered)" in view.score_label.value
    view.selectors[1].index = 1
    view.check(1)
    assert "Score: 1 / 3" in view.score_label.value and "(2 answered)" in view.score_label.value
    view.selectors[0].index = 0  # changing an answer replaces the earlier grade
    view.check(0)
    assert "Score: 0 / 3" in view.score_label.value


def test_quiz_view_multiple_choice_uses_checkboxes(bank):
    import ipywidgets as widgets

    view = quiz.QuizView(bank, seed=3)
    boxes = view.selectors[2]
    assert isinstance(boxes, list) and all(isinstance(b, widgets.Checkbox) for b in boxes)
    assert view.check(2) is None and view.feedbacks[2].value == "Pick an answer first."
    right = {"tuple", "frozenset"}
    for box in boxes:
        box.value = box.description in right
    assert view.chosen(2) == {0, 2}
    assert view.check(2).correct
    for box in boxes:
        box.value = box.description == "tuple"
    result = view.check(2)
    assert not result.correct and result.missed == frozenset({2})
    assert "You missed 1" in view.feedbacks[2].value


def test_quiz_view_button_checks_its_own_question(bank):
    view = quiz.QuizView(bank, shuffle=False)
    view.selectors[1].index = 0
    find_button(view, 1).click()
    assert "Correct" in view.feedbacks[1].value
    assert view.feedbacks[0].value == ""
    find_button(view, 0).click()
    assert view.feedbacks[0].value == "Pick an answer first."


def test_quiz_view_without_shuffle_keeps_bank_order_and_seed_is_deterministic(bank):
    plain = quiz.QuizView(bank, shuffle=False)
    assert plain.orders == [list(range(len(q.options))) for q in bank]
    assert list(plain.selectors[0].options) == [o.text for o in bank[0].options]
    assert quiz.QuizView(bank, seed=5).orders == quiz.QuizView(bank, seed=5).orders


def test_quiz_view_shows_code_and_escaped_prompt(tmp_path):
    questions = quiz.load_bank(write(tmp_path, bank_question(
        "code", prompt="Is `a<b`?", code="print('<x>')")))
    view = quiz.QuizView(questions, shuffle=False)
    html_parts = [w.value for w in view.widget.children[0].children if hasattr(w, "value")
                  and isinstance(w.value, str)]
    assert any("<code>a&lt;b</code>" in part for part in html_parts)
    assert any("<pre><code>print(&#x27;&lt;x&gt;&#x27;)</code></pre>" in part
               for part in html_parts)
