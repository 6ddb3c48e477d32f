"""Hidden checks for solutions/06_errors_files_context.ipynb.

Every exercise here is about *what happens on the failure path*: which
exception escapes, what is left on disk or in the database, whether a file was
closed. Plain ``Case`` objects cannot express that (``checks.run_case`` turns
any exception into a failure), so each exercise has a ``check`` function that
builds real files and a real SQLite database in a temporary directory, calls
the learner's function and inspects the outcome. Files left open are caught as
``ResourceWarning`` (CPython frees them, and warns, as soon as the last
reference goes); memory is measured with ``tracemalloc``.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sqlite3
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from interview_lab import checks
from interview_lab.checks import CheckFailed
from interview_lab.errors_files import peak_bytes, write_log

Case = checks.Case


def _fail(message: str) -> None:
    raise CheckFailed(message)


_call = checks.call_learner  # one wrapper for every exercise check


def _expect_raise(func: Callable, call: str, expected: type[BaseException] | tuple,
                  why: str, *args: Any) -> BaseException:
    """Call and require an exception of type ``expected`` to come out."""
    try:
        got = func(*args)
    except (NotImplementedError, CheckFailed):
        raise
    except expected as exc:
        return exc
    except Exception as exc:
        raise CheckFailed(f"{call} raised {type(exc).__name__}: {exc}; expected "
                          f"{_names(expected)} to propagate ({why})") from exc
    raise CheckFailed(f"{call} returned {checks._short(got)}; expected {_names(expected)} to "
                      f"propagate ({why})")


def _names(types: type | tuple) -> str:
    types = types if isinstance(types, tuple) else (types,)
    return " or ".join(t.__name__ for t in types)


@contextlib.contextmanager
def _no_unclosed_files(call: str) -> Iterator[None]:
    """Fail if a file (or socket) was left for the garbage collector to close."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", ResourceWarning)
        yield
        # Refcounting closes a dropped file at once; a young collection catches one kept
        # in a reference cycle. A full gc.collect() costs ~0.1 s in a big test process.
        gc.collect(1)
    leaked = [w for w in seen if issubclass(w.category, ResourceWarning)]
    if leaked:
        _fail(f"{call} left a file open ({leaked[0].message}): use `with open(...) as f:` "
              "so it is closed on every way out")


# --- exercise 1: read_config ---------------------------------------------------------------------

DEFAULTS = {"host": "127.0.0.1", "port": 8000, "debug": False}


def _check_read_config(func: Callable) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        _read_config_success_paths(func, base)
        _read_config_failure_paths(func, base)


def _merged(func: Callable, path: Any, note: str) -> dict:
    defaults = dict(DEFAULTS)
    call = f"read_config(<{note}>, {DEFAULTS!r})"
    with _no_unclosed_files(call):
        got = _call(func, call, path, defaults)
    if defaults != DEFAULTS:
        _fail(f"{call} changed the defaults dict it was given to {defaults!r}: build a new dict "
              "instead of updating the caller's")
    if got is defaults:
        _fail(f"{call} returned the defaults dict itself: the caller's next change to the "
              "config would change the defaults too; return a new dict")
    if type(got) is not dict:
        _fail(f"{call} returned {type(got).__name__}, expected a dict")
    return got


def _read_config_success_paths(func: Callable, base: Path) -> None:
    for path, note in [(base / "missing.json", "a missing file"),
                       (str(base / "missing.json"), "a missing file given as a str"),
                       (base / "no-such-dir" / "app.json", "a file in a missing folder")]:
        got = _merged(func, path, note)
        if got != DEFAULTS:
            _fail(f"read_config(<{note}>, {DEFAULTS!r})\n  expected: {DEFAULTS!r}\n"
                  f"  got:      {got!r}")
    cases = [
        ('{"port": 9000, "name": "Zoë"}', {**DEFAULTS, "port": 9000, "name": "Zoë"},
         "a file overriding port and adding a non-ASCII name"),
        ("{}", dict(DEFAULTS), "a file holding {}"),
        ('{"debug": true, "host": "0.0.0.0", "port": 80}',
         {"host": "0.0.0.0", "port": 80, "debug": True}, "a file overriding every key"),
    ]
    for text, want, note in cases:
        path = base / "app.json"
        path.write_text(text, encoding="utf-8")
        for given in (path, str(path)):
            got = _merged(func, given, note)
            if got != want:
                _fail(f"read_config(<{note}: {text}>, {DEFAULTS!r})\n  expected: {want!r}\n"
                      f"  got:      {got!r}")


def _read_config_failure_paths(func: Callable, base: Path) -> None:
    path = base / "broken.json"
    bad = [
        ('{"port": 9000,}', json.JSONDecodeError, "a file with invalid JSON (a trailing comma)",
         "a broken config is not a missing one: silently using defaults hides the typo"),
        ("", json.JSONDecodeError, "an empty file",
         "an empty file is a broken config, not a missing one"),
        ("[1, 2]", TypeError, "a file holding a JSON list",
         "the ask-first answer: a config that is not a JSON object raises TypeError"),
    ]
    for text, expected, note, why in bad:
        path.write_text(text, encoding="utf-8")
        call = f"read_config(<{note}>, defaults)"
        with _no_unclosed_files(call):
            _expect_raise(func, call, expected, why, path, dict(DEFAULTS))
    path.write_bytes(b'{"name": "Zo\xeb"}')               # latin-1, not UTF-8
    call = "read_config(<a file in latin-1, not UTF-8>, defaults)"
    with _no_unclosed_files(call):
        _expect_raise(func, call, UnicodeDecodeError,
                      "the file must be UTF-8; guessing another encoding hides a broken file",
                      path, dict(DEFAULTS))
    folder = base / "conf.d"
    folder.mkdir()
    call = "read_config(<a path that is a directory>, defaults)"
    exc = _expect_raise(func, call, OSError,
                        "only a missing file means 'use the defaults'; catch FileNotFoundError, "
                        "not OSError", folder, dict(DEFAULTS))
    if isinstance(exc, FileNotFoundError):
        _fail(f"{call} raised FileNotFoundError for a folder that exists")


READ_CONFIG = checks.Exercise(check=_check_read_config)


# --- exercise 2: count_errors --------------------------------------------------------------------

SMALL_LOGS: tuple[tuple[bytes, int, str], ...] = (
    (b"", 0, "an empty file"),
    (b"2026-05-01T10:00:00 ERROR db timeout\n", 1, "one ERROR line"),
    (b"2026-05-01T10:00:00 ERROR db timeout", 1, "no newline at the end"),
    (b"2026-05-01T10:00:00 INFO user searched for ERROR\n"
     b"2026-05-01T10:00:01 INFO ERROR\n", 0, "ERROR inside the message of INFO lines"),
    (b"2026-05-01T10:00:00 error lower case\n"
     b"2026-05-01T10:00:01 ERRORS plural\n"
     b"2026-05-01T10:00:02 [ERROR] bracketed\n", 0, "levels that are not exactly ERROR"),
    (b"\n\ntruncated\n2026-05-01T10:00:00\n2026-05-01T10:00:01 ERROR\n", 1,
     "blank, one-field and two-field lines"),
    (b"2026-05-01T10:00:00 ERROR a\r\n2026-05-01T10:00:01 INFO b\r\n"
     b"2026-05-01T10:00:02 ERROR c\r\n", 2, "Windows line endings"),
    (b"2026-05-01T10:00:00\tERROR\ttab separated\n   2026-05-01T10:00:01 ERROR indented\n", 2,
     "tabs and leading spaces"),
    ("2026-05-01T10:00:00 ERROR payment for Zoë failed\n".encode() +
     b"2026-05-01T10:00:01 ERROR bad byte \xff\xfe in the message\n"
     b"2026-05-01T10:00:02 INFO \xc3 cut in half\n", 2,
     "non-ASCII text and bytes that are not valid UTF-8"),
)
MEMORY_LINES = 40_000
MEMORY_LIMIT = 1_000_000        # bytes; the whole file is about 2 MB, line by line needs ~40 KB


def _count(func: Callable, path: Any, note: str) -> int:
    call = f"count_errors(<{note}>)"
    with _no_unclosed_files(call):
        got = _call(func, call, path)
    return got


def _check_count_errors(func: Callable) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "app.log"
        for content, want, note in SMALL_LOGS:
            path.write_bytes(content)
            for given in (path, str(path)):
                got = _count(func, given, f"{note}: {content[:60]!r}")
                if got != want or type(got) is not int:
                    _fail(f"count_errors(<{note}: {content[:70]!r}>)\n  expected: {want!r}\n"
                          f"  got:      {got!r}")
        big = Path(tmp) / "big.log"
        want = write_log(big, MEMORY_LINES, seed=6)
        size = big.stat().st_size
        peak, got = peak_bytes(lambda: _count(func, big, f"a {size / 1e6:.1f} MB log"),
                               repeat=1)
        if got != want:
            _fail(f"count_errors(<a {size / 1e6:.1f} MB generated log>)\n  expected: {want!r}\n"
                  f"  got:      {got!r}")
        if peak > MEMORY_LIMIT:
            _fail(f"count_errors(<a {size / 1e6:.1f} MB log>) allocated {peak / 1e6:.1f} MB at "
                  f"its peak (limit {MEMORY_LIMIT / 1e6:.0f} MB): it holds the whole file. "
                  "Loop over the file object, one line at a time.")


COUNT_ERRORS = checks.Exercise(check=_check_count_errors, time_limit=10.0)


# --- exercise 3: transaction ---------------------------------------------------------------------

class _Interrupt(KeyboardInterrupt):
    """A Ctrl-C stand-in raised inside the with block (a BaseException, not an Exception)."""


def _rows(reader: sqlite3.Connection) -> list[int]:
    return [x for (x,) in reader.execute("SELECT x FROM t ORDER BY x")]


def _run_block(func: Callable, conn: sqlite3.Connection, reader: sqlite3.Connection,
               values: list[Any], error: BaseException | None, note: str) -> None:
    """``with transaction(conn) as c:`` insert ``values``, then raise ``error`` if given."""
    call = f"with transaction(conn): {note}"
    manager = _call(func, "transaction(conn)", conn)
    if not (hasattr(type(manager), "__enter__") and hasattr(type(manager), "__exit__")):
        _fail(f"transaction(conn) returned {type(manager).__name__}, not a context manager")
    escaped: BaseException | None = None
    try:
        with manager as bound:
            if bound is not conn:
                _fail(f"`with transaction(conn) as c:` bound c to {checks._short(bound)}; "
                      "expected the connection itself")
            if not conn.in_transaction:
                _fail(f"{call}: no transaction is open inside the block (conn.in_transaction is "
                      "False): start one with conn.execute('BEGIN'); this connection is in "
                      "autocommit mode, so each statement would be committed on its own")
            for value in values:
                conn.execute("INSERT INTO t (x) VALUES (?)", (value,))
            if error is not None:
                raise error
    except (NotImplementedError, CheckFailed):
        raise
    except BaseException as exc:  # noqa: B036 - the check must see KeyboardInterrupt too
        escaped = exc
    if error is None and escaped is not None:
        raise CheckFailed(f"{call} raised {type(escaped).__name__}: {escaped}") from escaped
    if error is not None and escaped is not error:
        got = "nothing" if escaped is None else f"{type(escaped).__name__}: {escaped}"
        _fail(f"{call}: the block raised {type(error).__name__}: {error}, but the caller got "
              f"{got}. Roll back, then let the same exception propagate (a bare `raise`); "
              "never swallow it")
    try:
        conn.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        _fail(f"{call}: the connection is closed afterwards. A transaction ends with COMMIT or "
              "ROLLBACK; closing the connection is its owner's job")
    if conn.in_transaction:
        _fail(f"{call}: a transaction is still open afterwards (conn.in_transaction is True): "
              "the block ended without COMMIT or ROLLBACK. Put the cleanup in try/finally or "
              "except/else around the yield")


def _check_transaction(func: Callable) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "t.db"
        with contextlib.closing(sqlite3.connect(db, isolation_level=None)) as conn, \
                contextlib.closing(sqlite3.connect(db)) as reader:
            conn.execute("CREATE TABLE t (x INTEGER NOT NULL)")
            steps: list[tuple[list, BaseException | None, str, list[int]]] = [
                ([1, 2], None, "insert 1 and 2", [1, 2]),
                ([3], ValueError("bad request"), "insert 3, then raise ValueError", [1, 2]),
                ([4, None], None, "insert 4, then NULL into a NOT NULL column", [1, 2]),
                ([5], _Interrupt("Ctrl-C"), "insert 5, then a KeyboardInterrupt", [1, 2]),
                ([6], None, "insert 6 after the failures", [1, 2, 6]),
            ]
            for values, error, note, want in steps:
                if values[-1] is None:
                    _integrity_step(func, conn, reader, values, note)
                else:
                    _run_block(func, conn, reader, values, error, note)
                got = _rows(reader)
                if got != want:
                    hint = ("the rows of a failed block were kept: roll back on ANY exception "
                            "(KeyboardInterrupt is not an Exception), and never commit in "
                            "`finally`" if len(got) > len(want) else
                            "committed rows are missing: COMMIT when the block succeeds")
                    _fail(f"after `with transaction(conn): {note}` another connection sees "
                          f"rows {got}, expected {want}: {hint}")


def _integrity_step(func: Callable, conn: sqlite3.Connection, reader: sqlite3.Connection,
                    values: list, note: str) -> None:
    """The database itself raises (NOT NULL): the error must come out unchanged."""
    call = f"with transaction(conn): {note}"
    try:
        with _call(func, "transaction(conn)", conn):
            for value in values:
                conn.execute("INSERT INTO t (x) VALUES (?)", (value,))
    except (NotImplementedError, CheckFailed):
        raise
    except sqlite3.IntegrityError:
        pass
    except BaseException as exc:  # noqa: B036
        raise CheckFailed(f"{call}: expected the IntegrityError to propagate, got "
                          f"{type(exc).__name__}: {exc}") from exc
    else:
        _fail(f"{call}: the IntegrityError was swallowed; roll back and re-raise it")
    if conn.in_transaction:
        _fail(f"{call}: a transaction is still open afterwards: roll back on error")


TRANSACTION = checks.Exercise(check=_check_transaction)


# --- exercise 4: collect_errors ------------------------------------------------------------------

def _check_collect_errors(func: Callable) -> None:
    calls: list[str] = []

    def ok_a():
        calls.append("ok_a")
        return "a"

    def bad_value():
        calls.append("bad_value")
        raise value_error

    def ok_b():
        calls.append("ok_b")
        return "b"

    def bad_key():
        calls.append("bad_key")
        raise key_error

    value_error, key_error = ValueError("row 1: bad email"), KeyError("row 2: id")
    funcs = [ok_a, bad_value, ok_b, bad_key]
    call = "collect_errors([ok_a, bad_value, ok_b, bad_key])"
    group = _expect_raise(func, call, ExceptionGroup, "two of the calls raised", funcs)
    if calls != ["ok_a", "bad_value", "ok_b", "bad_key"]:
        _fail(f"{call} called {calls}: call every function once, in order, even after a failure")
    if type(group) is not ExceptionGroup:
        _fail(f"{call} raised {type(group).__name__}; expected ExceptionGroup itself")
    if group.message != "2 of 4 calls failed":
        _fail(f"{call}: the group's message is {group.message!r}, expected '2 of 4 calls failed'")
    members = list(group.exceptions)
    if len(members) != 2 or members[0] is not value_error or members[1] is not key_error:
        _fail(f"{call}: the group holds {members!r}; expected the two exceptions that were "
              "raised (the same objects, in call order)")
    for exc, name in [(value_error, "bad_value"), (key_error, "bad_key")]:
        notes = getattr(exc, "__notes__", [])
        if notes != [f"while calling {name}"]:
            _fail(f"{call}: the exception from {name} has notes {notes!r}; expected "
                  f"['while calling {name}'] (exc.add_note(...))")

    calls.clear()
    stop = _Interrupt("Ctrl-C")

    def interrupted():
        calls.append("interrupted")
        raise stop

    call = "collect_errors([ok_a, interrupted, ok_b])"
    try:
        got = func([ok_a, interrupted, ok_b])
    except (NotImplementedError, CheckFailed):
        raise
    except BaseException as exc:  # noqa: B036 - the check must see KeyboardInterrupt too
        if exc is not stop:
            raise CheckFailed(f"{call} raised {type(exc).__name__}: {exc}; a KeyboardInterrupt "
                              "must propagate at once, unchanged (collect Exception only)") from exc
    else:
        _fail(f"{call} returned {checks._short(got)}; the KeyboardInterrupt must propagate")
    if calls != ["ok_a", "interrupted"]:
        _fail(f"{call} called {calls}: after a KeyboardInterrupt stop at once")

    single = ZeroDivisionError("division by zero")

    def divide():
        raise single

    group = _expect_raise(func, "collect_errors([ok_a, divide])", ExceptionGroup,
                          "even one failure is reported as a group", [ok_a, divide])
    if group.message != "1 of 2 calls failed" or list(group.exceptions) != [single]:
        _fail(f"collect_errors([ok_a, divide]) raised {group!r}; expected "
              "ExceptionGroup('1 of 2 calls failed', [ZeroDivisionError('division by zero')])")


def _one() -> int:
    return 1


def _two() -> str:
    return "two"


def _none() -> None:
    return None


COLLECT_ERRORS = checks.Exercise(
    check=_check_collect_errors,
    cases=(
        Case(args=([],), expected=[], note="no functions: an empty list, no group"),
        Case(args=([_one, _two],), expected=[1, "two"], note="all succeed: their results"),
        Case(args=([_none, _one],), expected=[None, 1], note="None is a result too"),
    ),
)


EXERCISES = {
    "read_config": READ_CONFIG,
    "count_errors": COUNT_ERRORS,
    "transaction": TRANSACTION,
    "collect_errors": COLLECT_ERRORS,
}
