"""Authoring aid: turn a percent-format script into a lesson notebook.

    python tools/pct2nb.py draft.py notebooks/11_gil.ipynb

Cells start at lines `# %%` (code) or `# %% [markdown]` (markdown; each line's
leading `# ` is removed). The notebook gets the lab's kernelspec, cleared
outputs and stable cell ids, as the hygiene tests require. The .ipynb is the
source of truth afterwards; the draft need not be kept.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

KERNELSPEC = {"name": "interview-lab", "display_name": "Interview Lab (Python 3)",
              "language": "python"}
HEADER = re.compile(r"^# %%(?P<md>\s*\[markdown\])?\s*$")


def convert(text: str, stem: str) -> dict:
    cells: list[dict] = []
    kind, lines = None, []

    def flush():
        if kind is None:
            return
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(re.sub(r"^# ?", "", line) for line in body.splitlines())
            cells.append({"cell_type": "markdown", "metadata": {}, "source": body})
        else:
            cells.append({"cell_type": "code", "metadata": {}, "source": body,
                          "outputs": [], "execution_count": None})

    for line in text.splitlines():
        match = HEADER.match(line)
        if match:
            flush()
            kind, lines = ("markdown" if match.group("md") else "code"), []
        else:
            lines.append(line)
    flush()
    for index, cell in enumerate(cells):
        cell["id"] = f"{stem.replace('_', '-')}-{index:03d}"
    return {
        "cells": cells,
        "metadata": {"kernelspec": KERNELSPEC,
                     "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def main() -> None:
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    nb = convert(source.read_text(encoding="utf-8"), target.stem)
    target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target} ({len(nb['cells'])} cells)")


if __name__ == "__main__":
    main()
