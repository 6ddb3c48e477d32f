"""Hidden cases for solutions/22_indexing_query_plans.ipynb.

Two exercises read a plan as ``EXPLAIN (ANALYZE, FORMAT JSON)`` returns it (a
list holding one object whose ``"Plan"`` is the root node; children under
``"Plans"``); the plans below keep the keys PostgreSQL 18 prints that matter
here. The third is SQL: keyset pagination, run on PostgreSQL against fixtures
with ties on the sort column, fewer rows than a page, and no rows left.
"""

from __future__ import annotations

from typing import Any

from interview_lab import sql_checks
from interview_lab.checks import Case, Exercise


def _doc(root: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"Plan": root, "Planning Time": 0.1, "Execution Time": 1.0}]


def _seq(rel: str, rows: float, removed: float = 0, loops: float = 1, **extra: Any) -> dict:
    node = {"Node Type": "Seq Scan", "Relation Name": rel, "Alias": rel,
            "Actual Rows": rows, "Actual Loops": loops, **extra}
    if removed:
        node["Rows Removed by Filter"] = removed
    return node


def _idx(kind: str, index: str, rel: str | None, rows: float, loops: float = 1) -> dict:
    node = {"Node Type": kind, "Index Name": index, "Actual Rows": rows, "Actual Loops": loops}
    if rel:
        node["Relation Name"] = rel
    return node


SEQ_ONLY = _doc(_seq("orders", 1, removed=9999))
INDEX_ONLY = _doc(_idx("Index Scan", "orders_email_idx", "orders", 1))
BITMAP = _doc({"Node Type": "Bitmap Heap Scan", "Relation Name": "orders", "Actual Rows": 200,
               "Actual Loops": 1,
               "Plans": [{**_idx("Bitmap Index Scan", "orders_attrs", None, 200),
                          "Parent Relationship": "Outer"}]})
# Nested loop: customers seq-scanned (50 rows), orders probed by index 50 times.
JOIN = _doc({"Node Type": "Aggregate", "Actual Rows": 1, "Actual Loops": 1, "Plans": [
    {"Node Type": "Nested Loop", "Parent Relationship": "Outer", "Actual Rows": 250,
     "Actual Loops": 1, "Plans": [
         {**_seq("customers", 50, removed=950), "Parent Relationship": "Outer"},
         {**_idx("Index Only Scan", "orders_customer_cover", "orders", 5, loops=50),
          "Parent Relationship": "Inner"}]}]})
# A Bitmap OR over two indexes and the same index used twice (self-join).
BITMAP_OR = _doc({"Node Type": "Hash Join", "Actual Rows": 10, "Actual Loops": 1, "Plans": [
    {"Node Type": "Bitmap Heap Scan", "Relation Name": "orders", "Alias": "a",
     "Actual Rows": 30, "Actual Loops": 1, "Parent Relationship": "Outer", "Plans": [
         {"Node Type": "BitmapOr", "Parent Relationship": "Outer", "Plans": [
             _idx("Bitmap Index Scan", "orders_status", None, 20),
             _idx("Bitmap Index Scan", "orders_pending", None, 10)]}]},
    {"Node Type": "Hash", "Parent Relationship": "Inner", "Actual Rows": 20,
     "Actual Loops": 1, "Plans": [
         {**_idx("Index Scan", "orders_status", "orders", 20), "Alias": "b",
          "Parent Relationship": "Outer"}]}]})
# Scans below the top: a sort over a seq scan read 4 times (loops), and an InitPlan.
LOOPED = _doc({"Node Type": "Sort", "Actual Rows": 40, "Actual Loops": 1, "Plans": [
    {"Node Type": "Nested Loop", "Parent Relationship": "Outer", "Actual Rows": 40,
     "Actual Loops": 1, "Plans": [
         {**_seq("kinds", 4), "Parent Relationship": "Outer"},
         {**_seq("events", 10, removed=290, loops=4), "Parent Relationship": "Inner"}]},
    {**_seq("settings", 1), "Parent Relationship": "InitPlan", "Subplan Name": "InitPlan 1"}]})
# The same big table scanned twice (self-join), both reads above the threshold.
TWICE = _doc({"Node Type": "Hash Join", "Actual Rows": 5, "Actual Loops": 1, "Plans": [
    {**_seq("orders", 100, removed=900), "Alias": "a", "Parent Relationship": "Outer"},
    {"Node Type": "Hash", "Parent Relationship": "Inner", "Actual Rows": 1000,
     "Actual Loops": 1, "Plans": [{**_seq("orders", 1000), "Alias": "b",
                                   "Parent Relationship": "Outer"}]}]})
EMPTY_RESULT = _doc({"Node Type": "Result", "Actual Rows": 0, "Actual Loops": 1})

INDEXES_USED = Exercise(cases=(
    Case(args=(SEQ_ONLY,), expected=[], note="no index: an empty list"),
    Case(args=(INDEX_ONLY,), expected=["orders_email_idx"]),
    Case(args=(BITMAP,), expected=["orders_attrs"], note="the index sits on a child node"),
    Case(args=(JOIN,), expected=["orders_customer_cover"], note="three levels down"),
    Case(args=(BITMAP_OR,), expected=["orders_pending", "orders_status"],
         note="each name once, sorted"),
    Case(args=(LOOPED,), expected=[]),
    Case(args=(EMPTY_RESULT,), expected=[], note="a node without Plans"),
))

FLAG_SEQ_SCANS = Exercise(cases=(
    Case(args=(SEQ_ONLY, 1000), expected=["orders"],
         note="1 row returned but 10,000 read: removed rows count"),
    Case(args=(SEQ_ONLY, 10_000), expected=["orders"], note="the threshold is inclusive"),
    Case(args=(SEQ_ONLY, 10_001), expected=[]),
    Case(args=(INDEX_ONLY, 1), expected=[], note="index scans are never flagged"),
    Case(args=(JOIN, 1000), expected=["customers"], note="found below the top node"),
    Case(args=(LOOPED, 1000), expected=["events"], note="300 rows x 4 loops = 1,200"),
    Case(args=(LOOPED, 1201), expected=[]),
    Case(args=(LOOPED, 1), expected=["events", "kinds", "settings"], note="sorted"),
    Case(args=(TWICE, 1000), expected=["orders"], note="each table name once"),
    Case(args=(EMPTY_RESULT, 0), expected=[]),
))

# --- 3. keyset pagination (SQL on PostgreSQL) ----------------------------------------------

SCHEMA = "CREATE TABLE event (id int PRIMARY KEY, created_at timestamp NOT NULL, kind text);\n"
TIES = SCHEMA + """
INSERT INTO event VALUES
 (1, '2024-01-02 09:00', 'a'), (2, '2024-01-02 10:00', 'b'), (3, '2024-01-02 10:00', 'c'),
 (5, '2024-01-02 10:00', 'd'), (7, '2024-01-02 10:00', 'e'), (4, '2024-01-02 10:30', 'f'),
 (6, '2024-01-02 11:00', 'g'), (8, '2024-01-03 08:00', 'h');
"""
# The cursor row itself is absent (deleted since): the page still starts right after it.
SPARSE = SCHEMA + """
INSERT INTO event VALUES
 (9, '2024-01-02 10:00', 'a'), (2, '2024-01-01 10:00', 'b'), (10, '2024-01-05 00:00', 'c');
"""
NOTHING_LEFT = SCHEMA + """
INSERT INTO event VALUES (1, '2024-01-01 00:00', 'a'), (5, '2024-01-02 10:00', 'b'),
 (4, '2024-01-02 10:00', 'c');
"""
EMPTY = SCHEMA

KEYSET_REFERENCE = """
SELECT id, created_at, kind FROM event
WHERE created_at > '2024-01-02 10:00' OR (created_at = '2024-01-02 10:00' AND id > 5)
ORDER BY created_at, id LIMIT 3
"""

EXERCISES = {
    "indexes_used": INDEXES_USED,
    "flag_seq_scans": FLAG_SEQ_SCANS,
    "next_page": sql_checks.exercise(
        fixtures=[TIES, SPARSE, NOTHING_LEFT, EMPTY], reference=KEYSET_REFERENCE,
        ordered=True, database="postgres"),
}
