"""The small shop database of lesson 21 (joins, counts per table, WHERE vs HAVING, normalization).

Everything runs on a real PostgreSQL (:mod:`interview_lab.postgres`); this module
holds the schema and seed rows, prints query results as tables, reads plans
from ``EXPLAIN (ANALYZE, FORMAT JSON)``, draws the schema, and generates the
larger data set of the fan-out benchmark with ``generate_series``.

The shop (see ``SHOP_SQL``)::

    customers  id name  city        orders  id  customer_id total status
               1  Ada   London              10  1           20.00 paid
               2  Bo    Paris               11  1           20.00 paid
               3  Cy    London              12  2           35.00 paid
               4  Di    Berlin              13  3           10.00 cancelled
                                            14  NULL        99.00 paid   (guest checkout)
    tickets    id  customer_id              employees id name  manager_id
               100 1  101 1  102 1                    1  Eve   NULL
               103 2  104 4                           2  Finn  1
                                                      3  Gus   1
                                                      4  Hal   2

Ada has 2 orders and 3 tickets (the fan-out case), Di has no order, Cy no
ticket, and order 14 has no customer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg

SHOP_SQL = """
CREATE TABLE customers (
    id   int PRIMARY KEY,
    name text NOT NULL,
    city text NOT NULL
);
CREATE TABLE orders (
    id          int PRIMARY KEY,
    customer_id int REFERENCES customers (id),      -- NULL: a guest checkout
    total       numeric(8, 2) NOT NULL,
    status      text NOT NULL
);
CREATE TABLE tickets (
    id          int PRIMARY KEY,
    customer_id int NOT NULL REFERENCES customers (id),
    subject     text NOT NULL
);
CREATE TABLE employees (
    id         int PRIMARY KEY,
    name       text NOT NULL,
    manager_id int REFERENCES employees (id)
);
CREATE TABLE sizes (size text PRIMARY KEY);
CREATE TABLE colors (color text PRIMARY KEY);

INSERT INTO customers VALUES (1, 'Ada', 'London'), (2, 'Bo', 'Paris'),
                             (3, 'Cy', 'London'), (4, 'Di', 'Berlin');
INSERT INTO orders VALUES (10, 1, 20.00, 'paid'), (11, 1, 20.00, 'paid'),
                          (12, 2, 35.00, 'paid'), (13, 3, 10.00, 'cancelled'),
                          (14, NULL, 99.00, 'paid');
INSERT INTO tickets VALUES (100, 1, 'late parcel'), (101, 1, 'wrong size'),
                           (102, 1, 'refund?'), (103, 2, 'invoice'), (104, 4, 'password');
INSERT INTO employees VALUES (1, 'Eve', NULL), (2, 'Finn', 1), (3, 'Gus', 1), (4, 'Hal', 2);
INSERT INTO sizes VALUES ('S'), ('M'), ('L');
INSERT INTO colors VALUES ('red'), ('blue');
ANALYZE;
"""

FLAT_SQL = """
-- One wide table: every order line repeats its customer's and product's facts.
CREATE TABLE order_lines_flat (
    order_id       int  NOT NULL,
    customer_email text NOT NULL,
    customer_city  text NOT NULL,
    product        text NOT NULL,
    unit_price     numeric(8, 2) NOT NULL,
    qty            int  NOT NULL,
    PRIMARY KEY (order_id, product)
);
INSERT INTO order_lines_flat VALUES
    (1, 'ada@example.com', 'London', 'pen',  2.50, 4),
    (1, 'ada@example.com', 'London', 'ink',  7.00, 1),
    (2, 'ada@example.com', 'London', 'pad',  3.00, 2),
    (3, 'bo@example.com',  'Paris',  'pen',  2.50, 1);
"""

NORMAL_SQL = """
-- The same facts, each stored once (3NF).
CREATE TABLE n_customers (id int PRIMARY KEY, email text UNIQUE NOT NULL, city text NOT NULL);
CREATE TABLE n_products  (id int PRIMARY KEY, name text UNIQUE NOT NULL,
                          unit_price numeric(8, 2) NOT NULL);
CREATE TABLE n_orders    (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES n_customers (id));
CREATE TABLE n_order_items (
    order_id   int REFERENCES n_orders (id),
    product_id int REFERENCES n_products (id),
    qty        int NOT NULL,
    unit_price numeric(8, 2) NOT NULL,   -- the price paid: a fact of the sale, not a copy
    PRIMARY KEY (order_id, product_id)
);
INSERT INTO n_customers VALUES (1, 'ada@example.com', 'London'), (2, 'bo@example.com', 'Paris'),
                               (3, 'di@example.com', 'Berlin');
INSERT INTO n_products VALUES (1, 'pen', 2.50), (2, 'ink', 7.00), (3, 'pad', 3.00);
INSERT INTO n_orders VALUES (1, 1), (2, 1), (3, 2);
INSERT INTO n_order_items VALUES (1, 1, 4, 2.50), (1, 2, 1, 7.00), (2, 3, 2, 3.00), (3, 1, 1, 2.50);
"""


def load_shop(conn: psycopg.Connection) -> None:
    """Create and fill the shop tables (``SHOP_SQL``) on an autocommit connection."""
    conn.execute(SHOP_SQL)


def rows(conn: psycopg.Connection, sql: str, params: Sequence | None = None) -> list[tuple]:
    """The rows of one query, as tuples."""
    return [tuple(r) for r in conn.execute(sql, params).fetchall()]


def format_table(columns: Sequence[str], data: Sequence[Sequence[Any]]) -> str:
    """Rows as an aligned text table; NULL is shown as ``NULL``."""
    cells = [[("NULL" if v is None else str(v)) for v in row] for row in data]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = " | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    out = [line, "-+-".join("-" * w for w in widths)]
    out += [" | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out)


def show(conn: psycopg.Connection, sql: str, params: Sequence | None = None) -> list[tuple]:
    """Run a query, print its result as a table, return its rows (so a cell can assert on them)."""
    cursor = conn.execute(sql, params)
    data = [tuple(r) for r in cursor.fetchall()]
    print(format_table([d.name for d in cursor.description], data))
    return data


def show_table(conn: psycopg.Connection, table: str) -> list[tuple]:
    """Print a whole table ordered by its first column."""
    return show(conn, f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 (our own table names)


# ---- plans ----------------------------------------------------------------------------------


def plan(conn: psycopg.Connection, sql: str, *, analyze: bool = True) -> dict:
    """The root plan node of ``EXPLAIN (ANALYZE, FORMAT JSON)`` (without ANALYZE if asked)."""
    options = "ANALYZE, BUFFERS, FORMAT JSON" if analyze else "FORMAT JSON"
    (doc,) = conn.execute(f"EXPLAIN ({options}) {sql}").fetchone()
    doc = json.loads(doc) if isinstance(doc, str) else doc
    return doc[0]["Plan"]


def walk(node: dict) -> Iterator[dict]:
    """Every node of a plan tree, depth first."""
    yield node
    for child in node.get("Plans", ()):
        yield from walk(child)


JOIN_NODES = {"Hash Join", "Merge Join", "Nested Loop"}


def join_output_rows(node: dict) -> int:
    """The most rows any join node of an analyzed plan produced (actual rows x loops)."""
    counts = [n["Actual Rows"] * n.get("Actual Loops", 1) for n in walk(node)
              if n["Node Type"] in JOIN_NODES]
    return int(max(counts, default=0))


def filters(node: dict) -> dict[str, str]:
    """Node type -> its ``Filter`` (row filter) or ``Group Key``-level filter text, if any."""
    return {n["Node Type"]: n["Filter"] for n in walk(node) if "Filter" in n}


# ---- the fan-out benchmark --------------------------------------------------------------------

FANOUT_SQL = """
DROP TABLE IF EXISTS f_tickets, f_orders, f_customers;
CREATE TABLE f_customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE f_orders (id bigint PRIMARY KEY, customer_id int NOT NULL,
                       total numeric(8, 2) NOT NULL);
CREATE TABLE f_tickets (id bigint PRIMARY KEY, customer_id int NOT NULL);
SELECT setseed(0.21);
INSERT INTO f_customers SELECT g, 'c' || g FROM generate_series(1, %(customers)s) g;
INSERT INTO f_orders
    SELECT row_number() OVER (), c, round((random() * 100)::numeric, 2)
    FROM generate_series(1, %(customers)s) c, generate_series(1, %(per)s);
INSERT INTO f_tickets
    SELECT row_number() OVER (), c
    FROM generate_series(1, %(customers)s) c, generate_series(1, %(per)s);
CREATE INDEX ON f_orders (customer_id);
CREATE INDEX ON f_tickets (customer_id);
ANALYZE f_customers, f_orders, f_tickets;
"""

FANOUT_QUERIES = {
    "join both, COUNT(DISTINCT)": """
        SELECT c.id, count(DISTINCT o.id) AS orders, count(DISTINCT t.id) AS tickets
        FROM f_customers c
        LEFT JOIN f_orders o ON o.customer_id = c.id
        LEFT JOIN f_tickets t ON t.customer_id = c.id
        GROUP BY c.id""",
    "aggregate, then join": """
        SELECT c.id, coalesce(o.n, 0) AS orders, coalesce(t.n, 0) AS tickets
        FROM f_customers c
        LEFT JOIN (SELECT customer_id, count(*) AS n FROM f_orders GROUP BY customer_id) o
               ON o.customer_id = c.id
        LEFT JOIN (SELECT customer_id, count(*) AS n FROM f_tickets GROUP BY customer_id) t
               ON t.customer_id = c.id""",
    "scalar subqueries": """
        SELECT c.id,
               (SELECT count(*) FROM f_orders o WHERE o.customer_id = c.id) AS orders,
               (SELECT count(*) FROM f_tickets t WHERE t.customer_id = c.id) AS tickets
        FROM f_customers c""",
}


def load_fanout(conn: psycopg.Connection, customers: int, per: int) -> None:
    """``customers`` customers with ``per`` orders and ``per`` tickets each (seeded)."""
    conn.execute(FANOUT_SQL % {"customers": int(customers), "per": int(per)})


# ---- pictures -----------------------------------------------------------------------------------

_BOXES = {
    "customers": ((0.05, 0.55), ["id PK", "name", "city"]),
    "orders": ((0.42, 0.70), ["id PK", "customer_id FK (NULL ok)", "total", "status"]),
    "tickets": ((0.42, 0.18), ["id PK", "customer_id FK", "subject"]),
    "employees": ((0.80, 0.35), ["id PK", "name", "manager_id FK"]),
}


def draw_schema(ax=None):
    """The shop schema as boxes, with foreign-key arrows from child to parent."""
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=(9, 3.6))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    anchors = {}
    for name, ((x, y), cols) in _BOXES.items():
        text = name + "\n" + "\n".join("  " + c for c in cols)
        ax.text(x, y, text, va="center", ha="left", family="monospace", fontsize=9,
                bbox={"boxstyle": "round", "facecolor": "#e8eef8", "edgecolor": "#4c72b0"})
        anchors[name] = (x, y)
    arrow = {"arrowstyle": "-|>", "color": "#555"}
    ax.annotate("", xy=(0.2, 0.6), xytext=(0.41, 0.72), arrowprops=arrow)
    ax.annotate("", xy=(0.2, 0.5), xytext=(0.41, 0.2), arrowprops=arrow)
    ax.text(0.22, 0.74, "1 : 0..n", fontsize=8)
    ax.text(0.20, 0.30, "1 : 0..n", fontsize=8)
    ax.text(0.80, 0.08, "manager_id -> employees.id\n(a self reference)", fontsize=8)
    ax.set_title("the shop: two one-to-many children of customers, one self reference")
    return ax


def fanout_growth(conn: psycopg.Connection, customers: int,
                  per_values: Sequence[int]) -> dict[str, list[int]]:
    """Rows out of the joins, per variant, as each customer gets ``per`` orders and tickets.

    Counted from the analyzed plans, so the figures are exact, not timed.
    """
    growth: dict[str, list[int]] = {"join both, COUNT(DISTINCT)": [], "aggregate, then join": []}
    for per in per_values:
        load_fanout(conn, customers, per)
        for name in growth:
            growth[name].append(join_output_rows(plan(conn, FANOUT_QUERIES[name])))
    return growth


def plot_growth(per_values: Sequence[int], growth: dict[str, list[int]], ax=None):
    """Rows produced by the joins vs children per customer (log scale)."""
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=(6, 3))
    for name, counts in growth.items():
        ax.plot(per_values, counts, marker="o", label=name)
    ax.set_yscale("log")
    ax.set_xlabel("orders = tickets per customer")
    ax.set_ylabel("rows out of the joins")
    ax.set_title("fan-out: joining two children multiplies rows")
    ax.legend()
    return ax
