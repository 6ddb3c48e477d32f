"""curriculum.toml: every seed question mapped to a notebook heading, and what follows.

The README's topic table and every notebook's navigation bar are generated
from it, so they cannot drift from what is built:

    python -m interview_lab.curriculum            # rewrite README table and nav bars
    python -m interview_lab.curriculum --check    # exit 1 if either is out of date
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from interview_lab import paths

TABLE_START = "<!-- topics:start (generated from curriculum.toml) -->"
TABLE_END = "<!-- topics:end -->"
NAV_MARK = "<!-- nav (generated from curriculum.toml) -->"


@dataclass(frozen=True)
class Topic:
    stem: str
    title: str
    summary: str
    serial: bool = False  # benchmarks need every core: the suite runs it alone


@dataclass(frozen=True)
class SeedQuestion:
    source: str
    number: int
    text: str
    notebook: str
    heading: str
    status: str

    @property
    def key(self) -> str:
        return f"{self.source}:{self.number}"

    @property
    def stem(self) -> str:
        return Path(self.notebook).stem


@dataclass(frozen=True)
class Curriculum:
    topics: tuple[Topic, ...]
    questions: tuple[SeedQuestion, ...]

    def serial_stems(self) -> set[str]:
        """Topics whose benchmarks need every core: the test suite runs them alone."""
        return {t.stem for t in self.topics if t.serial}

    def questions_of(self, stem: str) -> list[SeedQuestion]:
        return [q for q in self.questions if q.stem == stem]

    def status_of(self, stem: str, root: Path) -> str:
        """done: lesson, quiz, solutions and every seed answered; else in progress/planned."""
        questions = self.questions_of(stem)
        built = (root / "notebooks" / f"{stem}.ipynb").exists()
        if not built:
            return "planned"
        complete = all(q.status == "done" for q in questions)
        if stem != "00_start_here":
            complete = complete and all(
                (root / folder / f"{stem}{ext}").exists()
                for folder, ext in (("quizzes", ".toml"), ("solutions", ".ipynb"),
                                    ("exercises", ".ipynb"))
            )
        return "done" if complete else "in progress"


def load(root: Path | None = None) -> Curriculum:
    root = root or paths.project_root()
    data = tomllib.loads((root / "curriculum.toml").read_text(encoding="utf-8"))
    topics = tuple(Topic(t["stem"], t["title"], t.get("summary", ""), bool(t.get("serial", False)))
                   for t in data["topic"])
    questions = tuple(
        SeedQuestion(q["source"], int(q["number"]), q["text"], q["notebook"], q["heading"],
                     q["status"])
        for q in data["question"]
    )
    return Curriculum(topics, questions)


def markdown_headings(notebook: Path) -> list[str]:
    """Every markdown heading text in a notebook (any level), without the #s."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in _source(cell).splitlines():
            match = re.match(r"^#{1,6}\s+(.*?)(?:\s+#+)?\s*$", line)
            if match:
                found.append(match.group(1))
    return found


def topic_table(cur: Curriculum, root: Path) -> str:
    lines = [
        "| # | topic | seed questions | status | lesson | exercises |",
        "|---|---|---|---|---|---|",
    ]
    for topic in cur.topics:
        number, _slug = topic.stem.split("_", 1)
        seeds = ", ".join(q.key for q in cur.questions_of(topic.stem)) or "-"
        status = cur.status_of(topic.stem, root)
        lesson = (f"[{topic.stem}.ipynb](notebooks/{topic.stem}.ipynb)"
                  if (root / "notebooks" / f"{topic.stem}.ipynb").exists() else "-")
        exercise = (f"[exercises](exercises/{topic.stem}.ipynb)"
                    if (root / "exercises" / f"{topic.stem}.ipynb").exists() else "-")
        lines.append(f"| {number} | {topic.title} | {seeds} | {status} | {lesson} | {exercise} |")
    return "\n".join(lines)


def render_readme(readme: str, table: str) -> str:
    if TABLE_START not in readme or TABLE_END not in readme:
        raise ValueError(f"README lacks the markers {TABLE_START!r} ... {TABLE_END!r}")
    head, rest = readme.split(TABLE_START, 1)
    _old, tail = rest.split(TABLE_END, 1)
    return f"{head}{TABLE_START}\n{table}\n{TABLE_END}{tail}"


def nav_bar(cur: Curriculum, stem: str, root: Path) -> str:
    """prev | index | next links between built lessons, for a notebook's nav cell."""
    built = [t for t in cur.topics if (root / "notebooks" / f"{t.stem}.ipynb").exists()]
    stems = [t.stem for t in built]
    parts = []
    if stem in stems:
        i = stems.index(stem)
        if i > 0:
            parts.append(f"[← {built[i - 1].title}]({stems[i - 1]}.ipynb)")
        parts.append("[index](00_start_here.ipynb)" if stem != "00_start_here" else "index")
        if i + 1 < len(built):
            parts.append(f"[{built[i + 1].title} →]({stems[i + 1]}.ipynb)")
    return f"{NAV_MARK}\n" + " | ".join(parts)


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def update_nav(nb_path: Path, bar: str, *, write: bool = True) -> bool:
    """Rewrite every nav cell (marked by NAV_MARK) in one notebook; True if any differed."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    changed = False
    for cell in nb["cells"]:
        text = _source(cell)
        if cell["cell_type"] == "markdown" and text.startswith(NAV_MARK) and text != bar:
            cell["source"] = bar
            changed = True
    if changed and write:
        nb_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


def sync(root: Path | None = None, *, check: bool = False) -> list[str]:
    """Regenerate README table and nav bars; return what is (or was) out of date."""
    root = root or paths.project_root()
    cur = load(root)
    stale = []
    readme_path = root / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    wanted = render_readme(readme, topic_table(cur, root))
    if wanted != readme:
        stale.append("README.md topic table")
        if not check:
            readme_path.write_text(wanted, encoding="utf-8")
    for nb_path in sorted((root / "notebooks").glob("*.ipynb")):
        if update_nav(nb_path, nav_bar(cur, nb_path.stem, root), write=not check):
            stale.append(f"{nb_path.name} nav bar")
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="README table and nav bars from curriculum.toml")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    stale = sync(check=args.check)
    for item in stale:
        print(("out of date: " if args.check else "updated: ") + item)
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
