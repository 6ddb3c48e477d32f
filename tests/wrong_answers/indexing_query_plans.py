"""Plausible wrong answers for solutions/22_indexing_query_plans.ipynb; each must be rejected."""

from __future__ import annotations

# --- indexes_used ----------------------------------------------------------------------------


def indexes_used_top_only(document):
    """Looks at the root node only: misses every index below a join, sort or bitmap heap scan."""
    root = document[0]["Plan"]
    return [root["Index Name"]] if "Index Name" in root else []


def indexes_used_duplicates(document):
    """Walks the tree but keeps every occurrence, unsorted: a self-join lists an index twice."""
    found, stack = [], [document[0]["Plan"]]
    while stack:
        node = stack.pop()
        if "Index Name" in node:
            found.append(node["Index Name"])
        stack.extend(node.get("Plans", []))
    return found


def indexes_used_index_scans_only(document):
    """Only counts node types ending in 'Index Scan' with a relation: forgets Bitmap Index Scan."""
    found, stack = set(), [document[0]["Plan"]]
    while stack:
        node = stack.pop()
        if node["Node Type"] in ("Index Scan", "Index Only Scan"):
            found.add(node["Index Name"])
        stack.extend(node.get("Plans", []))
    return sorted(found)


# --- flag_seq_scans --------------------------------------------------------------------------


def _walk(node):
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def flag_seq_scans_returned_rows(document, min_rows):
    """Counts the rows a scan returned, not the rows it read: a filter hides the waste."""
    return sorted({n["Relation Name"] for n in _walk(document[0]["Plan"])
                   if n["Node Type"] == "Seq Scan" and n["Actual Rows"] * n["Actual Loops"]
                   >= min_rows})


def flag_seq_scans_ignores_loops(document, min_rows):
    """Forgets Actual Loops: a scan repeated inside a nested loop looks cheap."""
    return sorted({n["Relation Name"] for n in _walk(document[0]["Plan"])
                   if n["Node Type"] == "Seq Scan"
                   and n["Actual Rows"] + n.get("Rows Removed by Filter", 0) >= min_rows})


def flag_seq_scans_strict(document, min_rows):
    """Uses > instead of >=: a scan of exactly min_rows rows is not flagged."""
    return sorted({n["Relation Name"] for n in _walk(document[0]["Plan"])
                   if n["Node Type"] == "Seq Scan"
                   and (n["Actual Rows"] + n.get("Rows Removed by Filter", 0))
                   * n["Actual Loops"] > min_rows})


# --- next_page (SQL) -------------------------------------------------------------------------


def next_page_time_only():
    """Compares the timestamp alone: rows that share 10:00 with the cursor row are skipped."""
    return ("SELECT id, created_at, kind FROM event WHERE created_at > '2024-01-02 10:00' "
            "ORDER BY created_at, id LIMIT 3")


def next_page_both_greater():
    """Requires both columns to be greater: loses later rows that have a smaller id."""
    return ("SELECT id, created_at, kind FROM event WHERE created_at >= '2024-01-02 10:00' "
            "AND id > 5 ORDER BY created_at, id LIMIT 3")


def next_page_includes_cursor():
    """Uses >= on the row value: the page repeats the last row of the previous page."""
    return ("SELECT id, created_at, kind FROM event WHERE (created_at, id) >= "
            "('2024-01-02 10:00', 5) ORDER BY created_at, id LIMIT 3")


WRONG = {
    "indexes_used": [indexes_used_top_only, indexes_used_duplicates,
                     indexes_used_index_scans_only],
    "flag_seq_scans": [flag_seq_scans_returned_rows, flag_seq_scans_ignores_loops,
                       flag_seq_scans_strict],
    "next_page": [next_page_time_only, next_page_both_greater, next_page_includes_cursor],
}
