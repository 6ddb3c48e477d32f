"""Generate exercises/NN_slug.ipynb from solutions/NN_slug.ipynb.

Each ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` block becomes
``raise NotImplementedError("your code here")`` at the same indentation.

The learner types into the exercise notebooks, so regeneration must never lose
their work: each generated notebook records a hash of the cell sources it was
written with. If the sources on disk no longer match that hash, the learner
edited it, and we refuse to overwrite (or, with ``--force``, move it to
``exercises/.backup/`` first and say where). Running cells changes outputs
only, which is not an edit.

    python -m interview_lab.exercises            # write what is missing or stale
    python -m interview_lab.exercises --check    # exit 1 if anything is out of sync
    python -m interview_lab.exercises --force    # back up edited notebooks, then regenerate
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from interview_lab import paths

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB = 'raise NotImplementedError("your code here")'
META_KEY = "interview_lab"
CHECK_CALL = re.compile(r"checks\.run\(\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]+)['\"]")


class MarkerError(ValueError):
    """BEGIN/END markers do not pair up in a solution cell."""


def strip_solutions(source: str, where: str = "cell") -> str:
    """Replace every marked solution block in one cell's source with the stub."""
    out: list[str] = []
    inside = False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise MarkerError(f"{where}: {BEGIN} inside another solution block")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}{STUB}")
        elif stripped == END:
            if not inside:
                raise MarkerError(f"{where}: {END} without {BEGIN}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError(f"{where}: {BEGIN} without {END}")
    return "\n".join(out)


def _cell_text(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def sources_hash(nb: dict) -> str:
    """Hash of cell types and sources only: what a learner edits, not what running changes."""
    digest = hashlib.sha256()
    for cell in nb["cells"]:
        digest.update(cell["cell_type"].encode())
        digest.update(b"\0")
        digest.update(_cell_text(cell).encode())
        digest.update(b"\1")
    return digest.hexdigest()


def banner(stem: str) -> dict:
    text = (
        f"> **Exercise notebook, generated from `solutions/{stem}.ipynb`.** Replace each "
        "`raise NotImplementedError(...)` with your code and run the check cell below it. "
        "Your edits are safe: `make exercises` never overwrites a notebook you changed."
    )
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def generate(solution: dict, stem: str) -> dict:
    """The exercise notebook for one solution notebook (pure: no files)."""
    nb = copy.deepcopy(solution)
    cells = [banner(stem)]
    for number, cell in enumerate(nb["cells"], start=1):
        cell = copy.deepcopy(cell)
        if cell["cell_type"] == "code":
            cell["source"] = strip_solutions(_cell_text(cell), f"solutions/{stem} cell {number}")
            cell["outputs"] = []
            cell["execution_count"] = None
        else:
            cell["source"] = _cell_text(cell)
            if number == 1:  # the title: this copy is the exercises, not the solutions
                cell["source"] = cell["source"].replace(" (solutions)", "", 1)
        cell.pop("id", None)
        cells.append(cell)
    for index, cell in enumerate(cells):
        cell["id"] = f"{stem[:2]}-ex-{index:03d}"
    nb["cells"] = cells
    nb.setdefault("metadata", {})[META_KEY] = {
        "generated_from": f"solutions/{stem}.ipynb",
        "sources_hash": sources_hash(nb),
    }
    return nb


def learner_edited(existing: dict) -> bool:
    """True when the notebook's sources differ from what we generated into it."""
    recorded = existing.get("metadata", {}).get(META_KEY, {}).get("sources_hash")
    return recorded is None or recorded != sources_hash(existing)


def dumps(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


@dataclass
class Outcome:
    stem: str
    action: str  # "written", "unchanged", "refused", "backed-up+written", "stale"
    message: str


def sync(root: Path | None = None, *, check: bool = False, force: bool = False) -> list[Outcome]:
    """Bring exercises/ in line with solutions/ (or only report, with ``check``)."""
    root = root or paths.project_root()
    outcomes = []
    for solution_path in sorted((root / "solutions").glob("*.ipynb")):
        stem = solution_path.stem
        target = root / "exercises" / f"{stem}.ipynb"
        wanted = generate(json.loads(solution_path.read_text(encoding="utf-8")), stem)
        if not target.exists():
            outcomes.append(_write(target, wanted, stem, check, "missing"))
            continue
        existing = json.loads(target.read_text(encoding="utf-8"))
        if sources_hash(existing) == sources_hash(wanted):
            outcomes.append(Outcome(stem, "unchanged", f"{target.name} is up to date"))
            continue
        if learner_edited(existing):
            recorded = existing.get("metadata", {}).get(META_KEY, {}).get("sources_hash")
            if not check and recorded == sources_hash(wanted):
                # Generated from the current solutions, then worked on: nothing to update.
                outcomes.append(Outcome(stem, "unchanged",
                                        f"{target.name} is up to date; your edits are kept"))
                continue
            if check:
                outcomes.append(Outcome(stem, "stale", f"{target.name} was edited by hand"))
            elif force:
                backup = _backup(root, target)
                target.write_text(dumps(wanted), encoding="utf-8")
                outcomes.append(Outcome(stem, "backed-up+written",
                                        f"your edited {target.name} was moved to {backup}; "
                                        "a fresh copy was written"))
            else:
                outcomes.append(Outcome(stem, "refused",
                                        f"not overwriting {target}: you edited it. Your work "
                                        "is untouched; run `make exercises FORCE=1` to back it "
                                        "up to exercises/.backup/ and regenerate"))
            continue
        outcomes.append(_write(target, wanted, stem, check, "out of date"))
    return outcomes


def _write(target: Path, nb: dict, stem: str, check: bool, why: str) -> Outcome:
    if check:
        return Outcome(stem, "stale", f"{target.name} is {why}: run `make exercises`")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dumps(nb), encoding="utf-8")
    return Outcome(stem, "written", f"wrote {target.name} ({why})")


def _backup(root: Path, target: Path) -> Path:
    folder = root / "exercises" / ".backup"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = folder / f"{target.stem}.{stamp}.ipynb"
    counter = 1
    while backup.exists():  # two forced runs in one second must not overwrite a backup
        backup = folder / f"{target.stem}.{stamp}-{counter}.ipynb"
        counter += 1
    shutil.copy2(target, backup)
    return backup.relative_to(root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report only; exit 1 if stale")
    parser.add_argument("--force", action="store_true",
                        help="back up hand-edited exercise notebooks, then regenerate")
    args = parser.parse_args(argv)
    outcomes = sync(check=args.check, force=args.force)
    for o in outcomes:
        print(f"{o.stem}: {o.message}")
    bad = {"stale"} if args.check else {"refused"}
    return 1 if any(o.action in bad for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
