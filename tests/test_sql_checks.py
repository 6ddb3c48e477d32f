"""SQL exercises compare the learner's rows with the reference query's, on every fixture."""

from __future__ import annotations

import pytest

from interview_lab import checks, sql_checks

FIXTURE = """
CREATE TABLE author (id integer PRIMARY KEY, name text);
CREATE TABLE book (id integer PRIMARY KEY, author_id integer, title text);
INSERT INTO author VALUES (1, 'Ann'), (2, 'Bo'), (3, 'Cy');
INSERT INTO book VALUES (1, 1, 'A'), (2, 1, 'B'), (3, 2, 'C');
"""
REFERENCE = ("SELECT a.name, count(b.id) FROM author a LEFT JOIN book b ON b.author_id = a.id "
             "GROUP BY a.name")
INNER = ("SELECT a.name, count(b.id) FROM author a JOIN book b ON b.author_id = a.id "
         "GROUP BY a.name")


def test_rows_in_any_order_match_when_no_order_is_asked():
    assert sql_checks.compare_rows([(2,), (1,)], [(1,), (2,)], ordered=False) is None


def test_a_missing_row_is_named():
    problem = sql_checks.compare_rows([("Ann", 2)], [("Ann", 2), ("Cy", 0)], ordered=False)
    assert "missing ('Cy', 0)" in problem and "1 rows, expected 2" in problem


def test_duplicates_count_as_a_difference():
    problem = sql_checks.compare_rows([(1,), (1,)], [(1,)], ordered=False)
    assert problem and "unexpected (1,)" in problem


def test_wrong_order_is_reported_when_order_is_asked():
    problem = sql_checks.compare_rows([(2,), (1,)], [(1,), (2,)], ordered=True)
    assert "wrong order" in problem


def test_a_wrong_column_count_is_reported():
    problem = sql_checks.compare_rows([(1, 2)], [(1,)], ordered=False)
    assert "2 columns, expected 1" in problem


def test_the_reference_query_passes_and_an_inner_join_loses_the_author_without_books():
    sql_checks.check_query(lambda: REFERENCE, fixtures=[FIXTURE], reference=REFERENCE)
    with pytest.raises(checks.CheckFailed, match=r"missing \('Cy', 0\)"):
        sql_checks.check_query(lambda: INNER, fixtures=[FIXTURE], reference=REFERENCE)


def test_a_query_that_fails_reports_the_database_message():
    with pytest.raises(checks.CheckFailed, match="no such table: authors"):
        sql_checks.check_query(lambda: "SELECT * FROM authors", fixtures=[FIXTURE],
                               reference=REFERENCE)


def test_a_stub_still_raises_not_implemented():
    def stub() -> str:
        raise NotImplementedError

    with pytest.raises(NotImplementedError):
        sql_checks.check_query(stub, fixtures=[FIXTURE], reference=REFERENCE)


def test_the_exercise_runs_through_checks_run_style_check():
    exercise = sql_checks.exercise(fixtures=[FIXTURE], reference=REFERENCE)
    exercise.check(lambda: REFERENCE)
    with pytest.raises(checks.CheckFailed):
        exercise.check(lambda: INNER)


def test_the_same_check_runs_on_postgres_with_a_fresh_schema_per_fixture():
    # Two fixtures create the same tables: each must start from an empty schema.
    sql_checks.check_query(lambda: REFERENCE, fixtures=[FIXTURE, FIXTURE],
                           reference=REFERENCE, database="postgres")
    with pytest.raises(checks.CheckFailed, match=r"missing \('Cy', 0\)"):
        sql_checks.check_query(lambda: INNER, fixtures=[FIXTURE], reference=REFERENCE,
                               database="postgres")
