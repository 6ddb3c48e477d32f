"""Plausible wrong answers to solutions/07_modules_packaging.ipynb; each must fail its check."""

from __future__ import annotations

import argparse
import importlib.machinery
import keyword
import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# --- parse_pins ------------------------------------------------------------------------------


def pins_naive_split(text: str) -> dict[str, str]:
    """Splits on '==' and skips '#' lines: keeps 'Django', inline comments and option lines."""
    pins = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#") and "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip()] = version.strip()
    return pins


def pins_lower_only(text: str) -> dict[str, str]:
    """Parses with packaging but only lower-cases names: ruamel.yaml stays with its dot."""
    pins = {}
    for line in text.replace("\\\n", " ").splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(re.split(r"\s+-", line, maxsplit=1)[0])
        (spec,) = req.specifier
        pins[req.name.lower()] = spec.version
    return pins


def pins_skip_unpinned(text: str) -> dict[str, str]:
    """Right normalisation, but silently skips ranges instead of refusing them."""
    pins = {}
    for line in text.replace("\\\n", " ").splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(re.split(r"\s+-", line, maxsplit=1)[0])
        specs = list(req.specifier)
        if len(specs) == 1 and specs[0].operator == "==" and "*" not in specs[0].version:
            pins[canonicalize_name(req.name)] = specs[0].version
    return pins


def pins_no_continuations(text: str) -> dict[str, str]:
    """Everything right except backslash continuations: pip-compile's hashed output breaks it."""
    pins: dict[str, str] = {}
    for line in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(re.split(r"\s+-", line, maxsplit=1)[0])
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator != "==" or "*" in specs[0].version:
            raise ValueError(f"not pinned: {line!r}")
        name = canonicalize_name(req.name)
        if pins.setdefault(name, specs[0].version) != specs[0].version:
            raise ValueError(f"{name} pinned twice")
    return pins


def pins_wildcards_ok(text: str) -> dict[str, str]:
    """Treats any single == as a pin, so django==5.2.* passes as version '5.2.*'."""
    pins: dict[str, str] = {}
    for line in text.replace("\\\n", " ").splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(re.split(r"\s+-", line, maxsplit=1)[0])
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator != "==":
            raise ValueError(f"not pinned: {line!r}")
        name = canonicalize_name(req.name)
        if pins.setdefault(name, specs[0].version) != specs[0].version:
            raise ValueError(f"{name} pinned twice")
    return pins


def pins_last_one_wins(text: str) -> dict[str, str]:
    """A dict update per line: a package pinned twice quietly keeps the last version."""
    pins: dict[str, str] = {}
    for line in text.replace("\\\n", " ").splitlines():
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(re.split(r"\s+-", line, maxsplit=1)[0])
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator != "==" or "*" in specs[0].version:
            raise ValueError(f"not pinned: {line!r}")
        pins[canonicalize_name(req.name)] = specs[0].version
    return pins


# --- build_parser ----------------------------------------------------------------------------


def _jobs_parser(*, required: bool = True, dest: str | None = "command", retries_type=None,
                 queue_choices: bool = True, dry_run_bool: bool = False,
                 helps: bool = True) -> argparse.ArgumentParser:
    """The right parser, with one thing switched off per wrong answer."""

    def at_least(minimum: int):
        def convert(text: str) -> int:
            value = int(text)
            if value < minimum:
                raise argparse.ArgumentTypeError(f"must be >= {minimum}")
            return value
        return convert

    parser = argparse.ArgumentParser(prog="jobs")
    commands = parser.add_subparsers(dest=dest, required=required)
    run = commands.add_parser("run", help="run a job now" if helps else None)
    run.add_argument("name")
    run.add_argument("--retries", type=retries_type or at_least(0), default=3)
    run.add_argument("--queue", choices=["default", "high", "low"] if queue_choices else None,
                     default="default")
    if dry_run_bool:
        run.add_argument("--dry-run", type=bool, default=False)
    else:
        run.add_argument("--dry-run", action="store_true")
    listing = commands.add_parser("list", help="list recent jobs" if helps else None)
    listing.add_argument("--limit", type=at_least(1), default=20)
    listing.add_argument("--status", choices=["queued", "running", "failed", "done"])
    return parser


def parser_optional_subcommand() -> argparse.ArgumentParser:
    """Forgets required=True: `jobs` alone parses to command=None instead of a usage error."""
    return _jobs_parser(required=False)


def parser_no_dest() -> argparse.ArgumentParser:
    """add_subparsers() without dest: nothing records which subcommand ran."""
    return _jobs_parser(dest=None)


def parser_plain_int() -> argparse.ArgumentParser:
    """type=int: converts, but lets --retries -1 through."""
    return _jobs_parser(retries_type=int)


def parser_no_type() -> argparse.ArgumentParser:
    """No type at all: --retries 5 arrives as the string '5'."""
    return _jobs_parser(retries_type=str)


def parser_free_queue() -> argparse.ArgumentParser:
    """No choices on --queue: any queue name is accepted."""
    return _jobs_parser(queue_choices=False)


def parser_bool_flag() -> argparse.ArgumentParser:
    """--dry-run with type=bool: it demands a value, and 'False' would be True."""
    return _jobs_parser(dry_run_bool=True)


def parser_no_help_texts() -> argparse.ArgumentParser:
    """Works, but --help does not say what the subcommands do."""
    return _jobs_parser(helps=False)


# --- module_kind -------------------------------------------------------------------------------

_SUFFIXES = sorted(importlib.machinery.all_suffixes(), key=len, reverse=True)


def _kind(path, *, namespace_ok=True, keywords=True, suffixes=_SUFFIXES, use_stem=False,
          init_check="is_file", ascii_only=False) -> str:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(path)
    if path.is_dir():
        name = path.name
        inits = [path / f"__init__{s}" for s in suffixes]
        regular = any(getattr(p, init_check)() for p in inits)
        if not regular and not namespace_ok:
            return "not importable"
        kind = "regular package" if regular else "namespace package"
    else:
        if use_stem:
            if path.suffix not in {".py", ".pyc", ".so"}:
                return "not importable"
            name = path.stem
        else:
            suffix = next((s for s in suffixes if path.name.endswith(s)), None)
            if suffix is None:
                return "not importable"
            name = path.name[: -len(suffix)]
        kind = "module"
    if ascii_only:
        valid = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) is not None
    else:
        valid = name.isidentifier()
    if not valid or (keywords and keyword.iskeyword(name)):
        return "not importable"
    return kind


def kind_pre_pep420(path) -> str:
    """The outdated rule: no __init__.py, no package."""
    return _kind(path, namespace_ok=False)


def kind_no_keywords(path) -> str:
    """isidentifier() alone: `class/` and `import.py` pass."""
    return _kind(path, keywords=False)


def kind_py_only(path) -> str:
    """Only .py files are modules (and only __init__.py makes a package)."""
    return _kind(path, suffixes=[".py"])


def kind_stem(path) -> str:
    """Path.stem/suffix: an extension module's name keeps its platform tag."""
    return _kind(path, use_stem=True)


def kind_exists(path) -> str:
    """exists() instead of is_file(): a directory named __init__.py makes a 'package'."""
    return _kind(path, init_check="exists")


def kind_ascii(path) -> str:
    """An ASCII-only name pattern: données.py is refused."""
    return _kind(path, ascii_only=True)


def kind_no_missing_check(path) -> str:
    """Classifies a missing path as 'not importable' instead of raising."""
    path = Path(path)
    if not path.exists():
        return "not importable"
    return _kind(path)


WRONG = {
    "parse_pins": [pins_naive_split, pins_lower_only, pins_skip_unpinned, pins_no_continuations,
                   pins_wildcards_ok, pins_last_one_wins],
    "build_parser": [parser_optional_subcommand, parser_no_dest, parser_plain_int, parser_no_type,
                     parser_free_queue, parser_bool_flag, parser_no_help_texts],
    "module_kind": [kind_pre_pep420, kind_no_keywords, kind_py_only, kind_stem, kind_exists,
                    kind_ascii, kind_no_missing_check],
}
