"""Quiz banks: load and validate `quizzes/<stem>.toml`, grade answers, show widgets.

Grading is the pure function `grade`, so it is unit tested without a browser;
`QuizView` only displays what `grade` returns.

Bank format (one file per lesson)::

    [[question]]
    id = "gil-protects"            # stable, unique in the file
    seeds = ["000:6"]              # seed questions it practises
    prompt = "What does the GIL protect?"
    code = "print(...)"            # optional snippet shown under the prompt
    runnable = true                # optional: tests run `code` as a script; the answer's text must
                                   # equal its stdout (plus the exception's last line if it raises)
    answer = 1                     # index into options, or a list of indices (multiple choice)

    [[question.options]]
    text = "..."
    why = "why this option is right or wrong"
"""

from __future__ import annotations

import html
import random
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from interview_lab import paths


class QuizBankError(ValueError):
    """A bank file breaks the format; the message names the file and question id."""


@dataclass(frozen=True)
class Option:
    text: str
    why: str


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    options: tuple[Option, ...]
    answer: frozenset[int]
    multiple: bool
    seeds: tuple[str, ...] = ()
    code: str = ""
    runnable: bool = False


@dataclass(frozen=True)
class Grade:
    """The verdict on one attempt, with the explanation of every chosen option."""

    correct: bool
    chosen: frozenset[int]
    missed: frozenset[int]
    explanations: tuple[tuple[int, bool, str], ...]  # (option index, is right, why)


def load_bank(path: str | Path) -> list[Question]:
    """Parse and validate a bank; any problem raises QuizBankError naming file and id."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise QuizBankError(f"{path}: not valid TOML: {exc}") from exc
    raw_questions = data.get("question")
    if not raw_questions:
        raise QuizBankError(f"{path}: no [[question]] tables")
    questions: list[Question] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_questions, start=1):
        question = _parse_question(path, position, raw)
        if question.id in seen:
            raise QuizBankError(f"{path}: question {question.id!r}: duplicate id")
        seen.add(question.id)
        questions.append(question)
    return questions


def load(stem: str) -> list[Question]:
    """The bank of one lesson, by its stem (e.g. "11_gil")."""
    return load_bank(paths.quiz_path(stem))


def _parse_question(path: Path, position: int, raw: dict) -> Question:
    qid = raw.get("id")
    if not isinstance(qid, str) or not qid.strip():
        raise QuizBankError(f"{path}: question #{position}: missing id")
    where = f"{path}: question {qid!r}"

    def fail(problem: str) -> QuizBankError:
        return QuizBankError(f"{where}: {problem}")

    prompt = raw.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise fail("missing prompt")
    raw_options = raw.get("options")
    if not isinstance(raw_options, list) or len(raw_options) < 2:
        raise fail("needs at least 2 options")
    options = []
    for index, opt in enumerate(raw_options):
        if not isinstance(opt, dict):
            raise fail(f"option {index} is not a table with text and why")
        text, why = opt.get("text"), opt.get("why")
        if not isinstance(text, str) or not text.strip():
            raise fail(f"option {index} has no text")
        if not isinstance(why, str) or not why.strip():
            raise fail(f"option {index} has no explanation ('why')")
        options.append(Option(text=text.strip(), why=why.strip()))
    if len({o.text for o in options}) != len(options):
        raise fail("two options have the same text")

    answer = raw.get("answer")
    multiple = isinstance(answer, list)
    indices = answer if multiple else [answer]
    if not indices or not all(isinstance(i, int) and not isinstance(i, bool) for i in indices):
        raise fail("answer must be an option index or a non-empty list of indices")
    for i in indices:
        if not 0 <= i < len(options):
            raise fail(f"answer index {i} out of range (0..{len(options) - 1})")
    if multiple and len(set(indices)) != len(indices):
        raise fail("answer lists an index twice")

    code = raw.get("code", "")
    if not isinstance(code, str):
        raise fail("code must be a string")
    runnable = raw.get("runnable", False)
    if not isinstance(runnable, bool):
        raise fail("runnable must be true or false")
    if runnable and not code.strip():
        raise fail("runnable = true but no code")
    if runnable and multiple:
        raise fail("a runnable question has exactly one printed output, so one answer")
    seeds = raw.get("seeds", [])
    if not isinstance(seeds, list) or not all(isinstance(s, str) for s in seeds):
        raise fail("seeds must be a list of strings like '000:6'")
    seeds = tuple(seeds)
    for seed in seeds:
        if not re.fullmatch(r"00[04]:\d+", seed):
            raise fail(f"seed {seed!r} is not like '000:6' or '004:24'")
    return Question(
        id=qid,
        prompt=prompt.strip(),
        options=tuple(options),
        answer=frozenset(indices),
        multiple=multiple,
        seeds=seeds,
        code=code.strip("\n"),
        runnable=runnable,
    )


def grade(question: Question, chosen: int | set[int] | frozenset[int] | None) -> Grade:
    """Judge one attempt. Pure: no widgets, no printing.

    Single choice takes an index; multiple choice takes a set of indices and is
    right only when it is exactly the set of correct options.
    """
    if chosen is None:
        picked: frozenset[int] = frozenset()
    elif isinstance(chosen, int):
        picked = frozenset([chosen])
    else:
        picked = frozenset(chosen)
    for i in picked:
        if not 0 <= i < len(question.options):
            raise IndexError(f"question {question.id!r} has no option {i}")
    explanations = tuple(
        (i, i in question.answer, question.options[i].why) for i in sorted(picked)
    )
    return Grade(
        correct=picked == question.answer,
        chosen=picked,
        missed=question.answer - picked,
        explanations=explanations,
    )


def score(grades: list[Grade | None]) -> tuple[int, int]:
    """(correct, total) over a list of latest grades; None means not answered yet."""
    return sum(1 for g in grades if g is not None and g.correct), len(grades)


# --- display -----------------------------------------------------------------

_FENCE = re.compile(r"```(?:\w+)?\n(.*?)```", re.S)
_INLINE = re.compile(r"`([^`]+)`")


def to_html(text: str) -> str:
    """Tiny markdown subset for prompts: fenced code, inline code, paragraphs.

    Quiz prompts need nothing more, and escaping everything else keeps a bank
    from injecting markup into the page.
    """
    parts: list[str] = []
    last = 0
    for match in _FENCE.finditer(text):
        parts.append(_inline_html(text[last : match.start()]))
        parts.append(f"<pre><code>{html.escape(match.group(1).rstrip())}</code></pre>")
        last = match.end()
    parts.append(_inline_html(text[last:]))
    return "".join(parts)


def _inline_html(text: str) -> str:
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    rendered = []
    for para in paragraphs:
        escaped = html.escape(para)
        escaped = _INLINE.sub(lambda m: f"<code>{m.group(1)}</code>", escaped)
        rendered.append(f"<p>{escaped}</p>")
    return "".join(rendered)


def feedback_html(question: Question, result: Grade) -> str:
    """The text a learner reads after pressing "Check answer"."""
    head = "✔ Correct." if result.correct else "✘ Not quite."
    lines = [f"<b>{head}</b>"]
    for index, right, why in result.explanations:
        mark = "✔" if right else "✘"
        option = html.escape(question.options[index].text)
        lines.append(f"{mark} <code>{option}</code>: {html.escape(why)}")
    if not result.correct and result.missed and question.multiple:
        lines.append(f"You missed {len(result.missed)} correct option(s).")
    return "<br>".join(lines)


class QuizView:
    """ipywidgets front end: every question stacked, a check button each, a score line."""

    def __init__(self, questions: list[Question], *, shuffle: bool = True, seed: int | None = None):
        import ipywidgets as widgets

        self._widgets = widgets
        self.questions = questions
        self.latest: list[Grade | None] = [None] * len(questions)
        rng = random.Random(seed)
        self.orders: list[list[int]] = []
        self.selectors: list = []
        self.feedbacks: list = []
        boxes = []
        for number, question in enumerate(questions, start=1):
            order = list(range(len(question.options)))
            if shuffle:
                rng.shuffle(order)
            self.orders.append(order)
            boxes.append(self._question_box(number, question, order))
        self.score_label = widgets.HTML(self._score_text())
        self.score_label.add_class("il-quiz-score")
        self.widget = widgets.VBox([*boxes, self.score_label])
        self.widget.add_class("il-quiz")

    def _question_box(self, number: int, question: Question, order: list[int]):
        w = self._widgets
        prompt = w.HTML(f"<b>Q{number}.</b> " + to_html(question.prompt))
        parts = [prompt]
        if question.code:
            parts.append(w.HTML(f"<pre><code>{html.escape(question.code)}</code></pre>"))
        labels = [question.options[i].text for i in order]
        layout = w.Layout(width="auto")
        if question.multiple:
            selector = [w.Checkbox(description=t, value=False, indent=False, layout=layout)
                        for t in labels]
            parts.append(w.HTML("<i>Select every correct option.</i>"))
            parts.extend(selector)
        else:
            selector = w.RadioButtons(options=labels, value=None, layout=layout)
            parts.append(selector)
        button = w.Button(description="Check answer", button_style="primary")
        feedback = w.HTML("")
        feedback.add_class("il-quiz-feedback")
        index = len(self.selectors)
        button.on_click(lambda _b: self.check(index))
        parts += [button, feedback]
        self.selectors.append(selector)
        self.feedbacks.append(feedback)
        box = w.VBox(parts)
        box.add_class("il-quiz-question")
        return box

    def chosen(self, index: int) -> int | set[int] | None:
        """Map what is selected on screen back to option indices in the bank."""
        selector, order = self.selectors[index], self.orders[index]
        if isinstance(selector, list):
            return {order[pos] for pos, box in enumerate(selector) if box.value}
        if selector.index is None:
            return None
        return order[selector.index]

    def check(self, index: int) -> Grade | None:
        question, picked = self.questions[index], self.chosen(index)
        if picked is None or picked == set():
            self.feedbacks[index].value = "Pick an answer first."
            return None
        result = grade(question, picked)
        self.latest[index] = result
        self.feedbacks[index].value = feedback_html(question, result)
        self.score_label.value = self._score_text()
        return result

    def _score_text(self) -> str:
        right, total = score(self.latest)
        answered = sum(g is not None for g in self.latest)
        return f"<b>Score: {right} / {total}</b> ({answered} answered)"

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def show(stem: str, *, shuffle: bool = True, seed: int | None = None) -> QuizView:
    """Load `quizzes/<stem>.toml` and return its widget view (the cell displays it)."""
    return QuizView(load(stem), shuffle=shuffle, seed=seed)
