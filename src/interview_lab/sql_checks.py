"""SQL exercises: run the learner's query on a fixture database and compare result sets.

An SQL exercise is still a Python function, so the exercise pipeline stays the
same (the stub raises NotImplementedError, checks.run reports): the function
takes no arguments and returns the query text. The check builds each fixture
in a fresh database, runs the reference query and the learner's query there,
and compares the rows: as a multiset unless the task asks for an order
(ORDER BY), because SQL promises no row order without one.

    EXERCISES = {
        "authors_with_counts": sql_checks.exercise(
            fixtures=[SCHEMA + SOME_ROWS, SCHEMA + AN_AUTHOR_WITHOUT_BOOKS],
            reference="SELECT a.name, count(b.id) FROM author a LEFT JOIN book b ...",
            database="postgres",
        ),
    }

``database="sqlite"`` (stdlib, in memory) suits plain SQL; ``"postgres"`` runs
on a private PostgreSQL from :mod:`interview_lab.postgres` (one server per
check run, a fresh database per fixture).
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Literal

from interview_lab import checks

Database = Literal["sqlite", "postgres"]
Rows = list[tuple]
Runner = Callable[[str, str], Rows]  # (fixture SQL, query) -> rows


def compare_rows(got: Rows, expected: Rows, *, ordered: bool) -> str | None:
    """None when ``got`` matches ``expected``, else one sentence on the first difference."""
    got, expected = [tuple(r) for r in got], [tuple(r) for r in expected]
    if got and expected and len(got[0]) != len(expected[0]):
        return (f"rows have {len(got[0])} columns, expected {len(expected[0])} "
                f"(first row {got[0]!r}, expected like {expected[0]!r})")
    if ordered:
        if got == expected:
            return None
        if sorted(got, key=repr) == sorted(expected, key=repr):
            return "the right rows in the wrong order: the task asks for an ORDER BY"
        for i, (mine, theirs) in enumerate(zip(got, expected, strict=False)):
            if mine != theirs:
                return f"row {i + 1} is {mine!r}, expected {theirs!r}"
        return f"{len(got)} rows, expected {len(expected)}"
    missing = Counter(expected) - Counter(got)
    extra = Counter(got) - Counter(expected)
    if not missing and not extra:
        return None
    parts = [f"{len(got)} rows, expected {len(expected)}"]
    if missing:
        parts.append(f"missing {_first(missing)}")
    if extra:
        parts.append(f"unexpected {_first(extra)}")
    return "; ".join(parts)


def _first(counter: Counter) -> str:
    row, times = next(iter(sorted(counter.items(), key=lambda item: repr(item[0]))))
    return f"{row!r}" + (f" (x{times})" if times > 1 else "")


def run_sqlite(fixture: str, query: str) -> Rows:
    """Build ``fixture`` in a fresh in-memory SQLite database and run ``query``."""
    with contextlib.closing(sqlite3.connect(":memory:")) as conn:
        conn.executescript(fixture)
        return [tuple(row) for row in conn.execute(query).fetchall()]


@contextlib.contextmanager
def postgres_runner() -> Iterator[Runner]:
    """One private PostgreSQL for a whole check; each fixture gets a fresh schema.

    ``fast=True`` (no fsync): a check's data is thrown away, so durability would
    only cost disk flushes.
    """
    from interview_lab import postgres

    with postgres.server(fast=True) as db, db.connect(autocommit=True) as conn:
        numbers = itertools.count()

        def run(fixture: str, query: str) -> Rows:
            schema = f"fixture_{next(numbers)}"
            conn.execute(f"CREATE SCHEMA {schema}")
            try:
                conn.execute(f"SET search_path TO {schema}")
                conn.execute(fixture)
                cursor = conn.execute(query)
                return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
            finally:
                conn.execute("RESET search_path")
                conn.execute(f"DROP SCHEMA {schema} CASCADE")

        yield run


@contextlib.contextmanager
def _runner(database: Database) -> Iterator[Runner]:
    if database == "sqlite":
        yield run_sqlite
    elif database == "postgres":
        with postgres_runner() as run:
            yield run
    else:
        raise ValueError(f"unknown database {database!r}: use 'sqlite' or 'postgres'")


def check_query(func: Callable[[], str], *, fixtures: Sequence[str], reference: str,
                ordered: bool = False, database: Database = "sqlite", name: str = "") -> None:
    """Raise CheckFailed unless ``func()``'s query returns the reference rows on every fixture."""
    call = f"{name or getattr(func, '__name__', 'query')}()"
    query = checks.call_learner(func, call)
    if not isinstance(query, str) or not query.strip():
        raise checks.CheckFailed(f"{call} should return the SQL text, got {query!r}")
    with _runner(database) as run:
        for number, fixture in enumerate(fixtures, start=1):
            expected = run(fixture, reference)
            try:
                got = run(fixture, query)
            except Exception as exc:  # the database's own message is the useful part
                message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                raise checks.CheckFailed(
                    f"{call}: the query failed on fixture {number}: "
                    f"{type(exc).__name__}: {message}") from exc
            problem = compare_rows(got, expected, ordered=ordered)
            if problem:
                raise checks.CheckFailed(f"{call} on fixture {number}: {problem}\n"
                                         f"  query: {' '.join(query.split())[:300]}")


def exercise(*, fixtures: Sequence[str], reference: str, ordered: bool = False,
             database: Database = "sqlite", time_limit: float = 10.0) -> checks.Exercise:
    """An Exercise whose function returns SQL, checked against ``reference`` on ``fixtures``."""

    def check(func: Callable[[], str]) -> None:
        check_query(func, fixtures=fixtures, reference=reference, ordered=ordered,
                    database=database)

    return checks.Exercise(check=check, time_limit=time_limit)
