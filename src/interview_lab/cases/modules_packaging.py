"""Hidden checks for solutions/07_modules_packaging.ipynb.

- ``parse_pins``: requirements texts with the shapes real files have (inline
  comments, extras, markers, pip options, pip-compile's hash continuation
  lines), plus the inputs that must raise ValueError (ranges, wildcards,
  conflicting duplicates). Names are compared after PEP 503 normalisation.
- ``build_parser``: the learner's parser is fed sample argv lists; good ones
  must give exactly the expected attributes (with their types), bad ones must
  end in ``SystemExit(2)`` with argparse's usage on stderr, as a real CLI would.
- ``module_kind``: folders and files are built in a temporary directory and
  each path is classified. The expected answers agree with
  ``importlib.machinery.PathFinder.find_spec`` (which kind of spec the finder
  builds for that name) plus the rule that an ``import`` statement needs an
  identifier that is not a keyword.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.machinery
import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from interview_lab import checks
from interview_lab.checks import CheckFailed

Case = checks.Case


_call = checks.call_learner  # one wrapper for every exercise check


def _same(got: Any, expected: Any) -> bool:
    return got == expected and type(got) is type(expected)


# --- exercise 1: parse_pins ----------------------------------------------------------------

PIN_CASES: tuple[tuple[str, dict[str, str], str], ...] = (
    ("", {}, "an empty file"),
    ("flask==3.1.0\n", {"flask": "3.1.0"}, "one pin"),
    ("# web\n\nflask==3.1.0   # the web framework\n\n", {"flask": "3.1.0"},
     "comments (whole-line and inline) and blank lines are ignored"),
    ("flask == 3.1.0\n", {"flask": "3.1.0"}, "spaces around == are allowed"),
    ("Django==5.2.19\nruamel.yaml==0.18.6\ntyping_extensions==4.12.2\nJinja2==3.1.4\n",
     {"django": "5.2.19", "ruamel-yaml": "0.18.6", "typing-extensions": "4.12.2",
      "jinja2": "3.1.4"}, "names normalised per PEP 503 (lower case, -_. runs become -)"),
    ("uvicorn[standard]==0.30.6\n", {"uvicorn": "0.30.6"}, "extras are not part of the name"),
    ('tomli==2.0.1 ; python_version < "3.11"\n', {"tomli": "2.0.1"},
     "an environment marker keeps the pin"),
    ("-r base.txt\n-c constraints.txt\n--index-url https://pypi.org/simple\n-e .\n"
     "requests==2.32.3\n", {"requests": "2.32.3"}, "lines starting with - are pip options"),
    ("flask==3.1.0 --hash=sha256:aaaa --hash=sha256:bbbb\n", {"flask": "3.1.0"},
     "per-requirement options after the pin are ignored"),
    ("django==5.2.19 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\n"
     "    # via -r requirements.in\nsqlparse==0.5.3 \\\n    --hash=sha256:cccc\n"
     "    # via django\n", {"django": "5.2.19", "sqlparse": "0.5.3"},
     "pip-compile output: a trailing backslash continues the line"),
    ("pkg==1.0\n", {"pkg": "1.0"}, "the version exactly as written (not 1.0.0)"),
    ("flask==3.1.0\nFlask==3.1.0\n", {"flask": "3.1.0"},
     "the same pin twice (different spelling) is fine"),
)

PIN_ERRORS: tuple[tuple[str, str, str], ...] = (
    ("flask>=3\n", "flask", "a range is not a pin"),
    ("flask\n", "flask", "no version at all"),
    ("django==5.2.*\n", "django", "a wildcard matches many versions"),
    ("flask==3.1.0,!=3.1.1\n", "flask", "more than one specifier"),
    ("flask===3.1.0\n", "flask", "=== (arbitrary equality) is not =="),
    ("requests==2.32.3\nflask==3.1.0\nFlask==3.1.1\n", "flask",
     "one package pinned to two versions"),
)


def check_parse_pins(func: Callable) -> None:
    for text, expected, note in PIN_CASES:
        call = f"parse_pins({text!r})"
        got = _call(func, call, text)
        if not _same(got, expected):
            raise CheckFailed(f"{call} ({note})\n  expected: {expected!r}\n  got:      {got!r}")
    for text, culprit, note in PIN_ERRORS:
        call = f"parse_pins({text!r})"
        try:
            got = func(text)
        except (NotImplementedError, CheckFailed):
            raise
        except ValueError as exc:
            if culprit not in str(exc).lower():
                raise CheckFailed(f"{call} raised ValueError({str(exc)!r}); the message should "
                                  f"name the offending requirement ({culprit!r})") from exc
            continue
        except Exception as exc:
            raise CheckFailed(f"{call} raised {type(exc).__name__}: {exc}; expected ValueError "
                              f"({note})") from exc
        raise CheckFailed(f"{call} returned {got!r}; expected ValueError ({note})")


# --- exercise 2: build_parser ----------------------------------------------------------------

RUN_DEFAULTS = {"command": "run", "retries": 3, "queue": "default", "dry_run": False}
LIST_DEFAULTS = {"command": "list", "limit": 20, "status": None}

GOOD_ARGV: tuple[tuple[list[str], dict[str, Any], str], ...] = (
    (["run", "email"], {**RUN_DEFAULTS, "name": "email"}, "defaults of run"),
    (["run", "email", "--retries", "5"], {**RUN_DEFAULTS, "name": "email", "retries": 5},
     "--retries is converted to int"),
    (["run", "report", "--retries", "0", "--queue", "high", "--dry-run"],
     {"command": "run", "name": "report", "retries": 0, "queue": "high", "dry_run": True},
     "0 retries is allowed; --dry-run is a flag"),
    (["run", "--queue", "low", "sync"], {**RUN_DEFAULTS, "name": "sync", "queue": "low"},
     "options may come before the positional name"),
    (["list"], dict(LIST_DEFAULTS), "defaults of list"),
    (["list", "--limit", "5", "--status", "failed"], {**LIST_DEFAULTS, "limit": 5,
                                                      "status": "failed"}, "list's options"),
)

BAD_ARGV: tuple[tuple[list[str], str], ...] = (
    ([], "no subcommand: it is required"),
    (["deploy"], "an unknown subcommand"),
    (["run"], "run without a job name"),
    (["run", "email", "--retries", "three"], "--retries must be an integer"),
    (["run", "email", "--retries", "-1"], "--retries must not be negative"),
    (["run", "email", "--queue", "urgent"], "--queue must be one of default, high, low"),
    (["run", "email", "--dry-run", "yes"], "--dry-run takes no value"),
    (["list", "--limit", "0"], "--limit must be at least 1"),
    (["list", "--status", "lost"], "--status must be one of queued, running, failed, done"),
    (["list", "--retries", "2"], "--retries belongs to run, not list"),
)


def _parse(func: Callable, argv: list[str]) -> tuple[Any, int | None, str, str]:
    """(namespace or None, exit status or None, stdout, stderr) of a fresh parser on argv."""
    parser = _call(func, "build_parser()")
    if not isinstance(parser, argparse.ArgumentParser):
        raise CheckFailed(f"build_parser() returned {type(parser).__name__}, expected an "
                          "argparse.ArgumentParser")
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            namespace = parser.parse_args(argv)
    except SystemExit as stop:
        return None, stop.code, out.getvalue(), err.getvalue()
    except Exception as exc:
        raise CheckFailed(f"parse_args({argv!r}) raised {type(exc).__name__}: {exc}; a parser "
                          "should parse good input and turn bad input into a usage error "
                          "(exit status 2), never an exception") from exc
    return namespace, None, out.getvalue(), err.getvalue()


def check_build_parser(func: Callable) -> None:
    for argv, expected, note in GOOD_ARGV:
        namespace, status, _out, err = _parse(func, argv)
        if namespace is None:
            raise CheckFailed(f"parse_args({argv!r}) exited with status {status} ({note}); "
                              f"argparse said: {err.strip()!r}")
        got = vars(namespace)
        if got != expected or any(type(got[k]) is not type(v) for k, v in expected.items()):
            raise CheckFailed(f"parse_args({argv!r}) ({note})\n  expected: {expected!r}\n"
                              f"  got:      {got!r}")
    for argv, note in BAD_ARGV:
        namespace, status, out, err = _parse(func, argv)
        if namespace is not None:
            raise CheckFailed(f"parse_args({argv!r}) returned {vars(namespace)!r}; expected an "
                              f"error ({note})")
        if status != 2:
            raise CheckFailed(f"parse_args({argv!r}) exited with status {status!r}; a usage "
                              f"error should exit with 2 ({note})")
        if "usage: jobs" not in err:
            raise CheckFailed(f"parse_args({argv!r}): expected argparse's usage line "
                              f"'usage: jobs ...' on stderr, got stderr {err!r} and stdout {out!r}")
    namespace, status, out, _err = _parse(func, ["--help"])
    if status != 0:
        raise CheckFailed(f"parse_args(['--help']) should exit with status 0, got {status!r}")
    missing = [t for t in ("run", "list", "run a job now", "list recent jobs") if t not in out]
    if missing:
        raise CheckFailed(f"`jobs --help` does not show {missing}; give each subcommand a help= "
                          f"text. It printed:\n{out}")


# --- exercise 3: module_kind ----------------------------------------------------------------

_EXT = importlib.machinery.EXTENSION_SUFFIXES


# What the check creates: a file (path -> "") or an empty directory (path -> None).
LAYOUT: tuple[tuple[str, str | None], ...] = (
    ("shop/__init__.py", ""), ("plugins/alpha.py", ""), ("empty", None),
    ("compiled/__init__.pyc", ""), ("odd/__init__.py/readme.txt", ""),
    ("my-pkg/__init__.py", ""), ("class/__init__.py", ""), ("pkg.v2/__init__.py", ""),
    ("tool.py", ""), ("match.py", ""), ("données.py", ""), ("old.pyc", ""), ("README.md", ""),
    ("setup.cfg", ""), ("my-script.py", ""), ("2fast.py", ""), ("import.py", ""),
    ("__init__.py", ""), *((f"speedups{suffix}", "") for suffix in _EXT),
)

MODULE_KIND_EXPECTED: tuple[tuple[str, str, str], ...] = (
    ("shop", "regular package", "a directory with __init__.py"),
    ("plugins", "namespace package", "a directory without __init__.py (PEP 420)"),
    ("empty", "namespace package", "even an empty directory imports as a namespace package"),
    ("compiled", "regular package",
     "__init__.pyc counts: the finder tries __init__ with every module suffix"),
    ("odd", "namespace package", "a *directory* named __init__.py is not an __init__ file"),
    ("my-pkg", "not importable", "'my-pkg' is not an identifier"),
    ("class", "not importable", "'class' is a keyword: `import class` is a syntax error"),
    ("pkg.v2", "not importable", "a dot in a directory name cannot be imported"),
    ("tool.py", "module", "a .py file"),
    ("match.py", "module", "'match' is only a soft keyword: `import match` works"),
    ("données.py", "module", "identifiers may use non-ASCII letters"),
    ("old.pyc", "module", "a .pyc file outside __pycache__ imports without its source"),
    ("README.md", "not importable", "not a module suffix"),
    ("setup.cfg", "not importable", "not a module suffix"),
    ("my-script.py", "not importable", "'my-script' is not an identifier"),
    ("2fast.py", "not importable", "an identifier cannot start with a digit"),
    ("import.py", "not importable", "'import' is a keyword"),
    ("__init__.py", "module", "on its own, __init__.py is just a module file"),
    *((f"speedups{suffix}", "module",
       f"an extension module: the name is what comes before the whole suffix {suffix!r}")
      for suffix in _EXT),
)


def check_module_kind(func: Callable) -> None:
    with tempfile.TemporaryDirectory(prefix="lab07-kind-") as tmp:
        root = Path(tmp)
        for relative, content in LAYOUT:
            target = root / relative
            if content is None:
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")
        for index, (relative, expected, note) in enumerate(MODULE_KIND_EXPECTED):
            path: str | Path = root / relative
            if index % 2:
                path = str(path)              # str and Path must both work
            call = f"module_kind({relative!r} as {type(path).__name__})"
            got = _call(func, call, path)
            if not _same(got, expected):
                raise CheckFailed(f"{call} ({note})\n  expected: {expected!r}\n  got:      {got!r}")
        missing = root / "nowhere.py"
        try:
            got = func(missing)
        except FileNotFoundError:
            return
        except (NotImplementedError, CheckFailed):
            raise
        except Exception as exc:
            raise CheckFailed(f"module_kind(a path that does not exist) raised "
                              f"{type(exc).__name__}: {exc}; expected FileNotFoundError") from exc
        raise CheckFailed(f"module_kind(a path that does not exist) returned {got!r}; expected "
                          "FileNotFoundError")


EXERCISES = {
    "parse_pins": checks.Exercise(
        check=check_parse_pins,
        cases=tuple(Case(args=(text,), expected=expected, note=note)
                    for text, expected, note in PIN_CASES),
    ),
    "build_parser": checks.Exercise(check=check_build_parser),
    "module_kind": checks.Exercise(check=check_module_kind),
}
