"""Plausible wrong answers for solutions/06_errors_files_context.ipynb: each must be rejected."""

from __future__ import annotations

import contextlib
import json
import os

# --- read_config ----------------------------------------------------------------------------------


def bare_except_defaults(path, defaults):
    """Any problem means "use the defaults": a typo in the JSON goes unnoticed."""
    try:
        with open(path, encoding="utf-8") as f:
            return {**defaults, **json.load(f)}
    except:  # noqa: E722 - the mistake on purpose
        return dict(defaults)


def catches_oserror(path, defaults):
    """OSError is too wide: a directory (or a permission problem) also means "defaults"."""
    try:
        with open(path, encoding="utf-8") as f:
            loaded = json.load(f)
    except OSError:
        return dict(defaults)
    if not isinstance(loaded, dict):
        raise TypeError("not a JSON object")
    return {**defaults, **loaded}


def updates_defaults(path, defaults):
    """Merges into the caller's dict and returns it."""
    try:
        with open(path, encoding="utf-8") as f:
            loaded = json.load(f)
    except FileNotFoundError:
        return defaults
    if not isinstance(loaded, dict):
        raise TypeError("not a JSON object")
    defaults.update(loaded)
    return defaults


def returns_defaults_object(path, defaults):
    """Right merge, but a missing file hands back the defaults dict itself."""
    try:
        with open(path, encoding="utf-8") as f:
            loaded = json.load(f)
    except FileNotFoundError:
        return defaults
    if not isinstance(loaded, dict):
        raise TypeError("not a JSON object")
    return {**defaults, **loaded}


def empty_file_is_missing(path, defaults):
    """Looks before it leaps, and treats an empty file as "no config"."""
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return dict(defaults)
    with open(path, encoding="utf-8") as f:
        loaded = json.load(f)
    if not isinstance(loaded, dict):
        raise TypeError("not a JSON object")
    return {**defaults, **loaded}


def guesses_latin1(path, defaults):
    """Falls back to latin-1 when UTF-8 fails: a broken file is read as mojibake."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return dict(defaults)
    except UnicodeDecodeError:
        with open(path, encoding="latin-1") as f:
            text = f.read()
    loaded = json.loads(text)
    if not isinstance(loaded, dict):
        raise TypeError("not a JSON object")
    return {**defaults, **loaded}


def never_closes(path, defaults):
    """Right answers, but json.load(open(path)) leaves the file to the garbage collector."""
    try:
        loaded = json.load(open(path, encoding="utf-8"))  # noqa: SIM115 - the mistake
    except FileNotFoundError:
        return dict(defaults)
    if not isinstance(loaded, dict):
        raise TypeError("not a JSON object")
    return {**defaults, **loaded}


# --- count_errors ---------------------------------------------------------------------------------


def substring_match(path):
    """Counts lines that mention ERROR anywhere."""
    with open(path, encoding="utf-8", errors="replace") as f:
        return sum(1 for line in f if "ERROR" in line)


def reads_whole_file(path):
    """Right count, but read().splitlines() holds the whole file in memory."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    return sum(1 for line in lines if len(line.split()) >= 2 and line.split()[1] == "ERROR")


def readlines_loop(path):
    """`for line in f.readlines()` looks lazy but builds the full list first."""
    count = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f.readlines():
            fields = line.split()
            count += len(fields) >= 2 and fields[1] == "ERROR"
    return int(count)


def strict_utf8(path):
    """No errors= policy: one bad byte in a log crashes the count."""
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if line.split()[1:2] == ["ERROR"])


def unclosed_iteration(path):
    """Iterates lazily over open(path) but never closes it."""
    return sum(1 for line in open(path, encoding="utf-8", errors="replace")  # noqa: SIM115
               if line.split()[1:2] == ["ERROR"])


def split_on_single_space(path):
    """split(" ") breaks on tabs and leading spaces."""
    with open(path, encoding="utf-8", errors="replace") as f:
        return sum(1 for line in f if line.split(" ")[1:2] == ["ERROR"])


# --- transaction ----------------------------------------------------------------------------------


@contextlib.contextmanager
def no_rollback(conn):
    """Commits on success, forgets the failure path: the transaction stays open."""
    conn.execute("BEGIN")
    yield conn
    conn.execute("COMMIT")


@contextlib.contextmanager
def commit_in_finally(conn):
    """Always commits, so half of a failed block is saved."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


@contextlib.contextmanager
def swallows_errors(conn):
    """Rolls back, then suppresses the exception: the caller thinks it worked."""
    conn.execute("BEGIN")
    try:
        yield conn
    except Exception:
        conn.execute("ROLLBACK")
    else:
        conn.execute("COMMIT")


@contextlib.contextmanager
def exception_only(conn):
    """Rolls back on Exception only: Ctrl-C leaves the transaction open."""
    conn.execute("BEGIN")
    try:
        yield conn
    except Exception:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


@contextlib.contextmanager
def no_begin(conn):
    """Relies on sqlite3's `with conn:`, but in autocommit mode nothing opens a transaction."""
    with conn:
        yield conn


@contextlib.contextmanager
def closes_connection(conn):
    """Uses closing() as if it were the transaction: the connection is gone afterwards."""
    conn.execute("BEGIN")
    with contextlib.closing(conn):
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")


class ExitReturnsSelf:
    """A class whose __exit__ returns self (truthy): every exception is suppressed."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        return self


# --- collect_errors -------------------------------------------------------------------------------


def stops_at_first(funcs):
    """Lets the first exception escape: the remaining functions never run."""
    return [func() for func in funcs]


def raises_first_after_all(funcs):
    """Runs everything, then raises only the first error."""
    results, errors = [], []
    for func in funcs:
        try:
            results.append(func())
        except Exception as err:
            errors.append(err)
    if errors:
        raise errors[0]
    return results


def returns_errors_in_results(funcs):
    """Puts the exceptions into the result list instead of raising."""
    results = []
    for func in funcs:
        try:
            results.append(func())
        except Exception as err:
            results.append(err)
    return results


def always_groups(funcs):
    """Raises a group even when nothing failed (ExceptionGroup refuses an empty list)."""
    results, errors = [], []
    for func in funcs:
        try:
            results.append(func())
        except Exception as err:
            err.add_note(f"while calling {func.__name__}")
            errors.append(err)
    raise ExceptionGroup(f"{len(errors)} of {len(funcs)} calls failed", errors)


def catches_base_exception(funcs):
    """Collects KeyboardInterrupt too, so Ctrl-C no longer stops the batch."""
    results, errors = [], []
    for func in funcs:
        try:
            results.append(func())
        except BaseException as err:  # noqa: B036 - the mistake on purpose
            err.add_note(f"while calling {func.__name__}")
            errors.append(err)
    if errors:
        raise BaseExceptionGroup(f"{len(errors)} of {len(funcs)} calls failed", errors)
    return results


def no_notes(funcs):
    """Right group, but nothing says which call each error came from."""
    results, errors = [], []
    for func in funcs:
        try:
            results.append(func())
        except Exception as err:
            errors.append(err)
    if errors:
        raise ExceptionGroup(f"{len(errors)} of {len(funcs)} calls failed", errors)
    return results


def wraps_in_new_errors(funcs):
    """Replaces each exception by a RuntimeError carrying its text."""
    results, errors = [], []
    for func in funcs:
        try:
            results.append(func())
        except Exception as err:
            new = RuntimeError(str(err))
            new.add_note(f"while calling {func.__name__}")
            errors.append(new)
    if errors:
        raise ExceptionGroup(f"{len(errors)} of {len(funcs)} calls failed", errors)
    return results


WRONG = {
    "read_config": [bare_except_defaults, catches_oserror, updates_defaults,
                    returns_defaults_object, empty_file_is_missing, guesses_latin1, never_closes],
    "count_errors": [substring_match, reads_whole_file, readlines_loop, strict_utf8,
                     unclosed_iteration, split_on_single_space],
    "transaction": [no_rollback, commit_in_finally, swallows_errors, exception_only, no_begin,
                    closes_connection, ExitReturnsSelf],
    "collect_errors": [stops_at_first, raises_first_after_all, returns_errors_in_results,
                       always_groups, catches_base_exception, no_notes, wraps_in_new_errors],
}
