"""Hidden cases for solutions/21_sql_joins.ipynb: four SQL exercises on a private PostgreSQL.

Each exercise function returns query text; ``sql_checks`` builds every fixture
below in a fresh schema, runs the learner's query and the reference there, and
compares the rows (as a multiset, except where the task asks for an order).
The fixtures hold the cases the "Ask first" answers promise: customers without
orders or tickets, a guest order whose ``customer_id`` is NULL, an order whose
``status`` is NULL, two customers with the same name, equal order totals, a
customer with several orders *and* several tickets (the fan-out), and a sum
exactly on the threshold.
"""

from __future__ import annotations

from interview_lab import sql_checks

SCHEMA = """
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
    id          int PRIMARY KEY,
    customer_id int REFERENCES customers (id),     -- NULL: a guest checkout
    total       numeric(8, 2) NOT NULL,
    status      text                               -- NULL: a draft order
);
CREATE TABLE tickets (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id));
"""

SHOP = SCHEMA + """
INSERT INTO customers VALUES (1, 'Ada'), (2, 'Bo'), (3, 'Cy'), (4, 'Di');
INSERT INTO orders VALUES (10, 1, 20.00, 'paid'), (11, 1, 20.00, 'paid'), (12, 2, 35.00, 'paid'),
                          (13, 3, 10.00, 'cancelled'), (14, NULL, 99.00, 'paid');
INSERT INTO tickets VALUES (100, 1), (101, 1), (102, 1), (103, 2), (104, 4);
"""

SAME_NAMES = SCHEMA + """
INSERT INTO customers VALUES (5, 'Sam'), (6, 'Sam'), (7, 'Ty');
INSERT INTO orders VALUES (20, 5, 15.00, 'paid'), (21, 5, 40.00, NULL), (22, 7, 80.00, 'paid');
INSERT INTO tickets VALUES (200, 6), (201, 6), (202, 7);
"""

NO_CHILDREN = SCHEMA + """
INSERT INTO customers VALUES (1, 'Ada'), (2, 'Bo');
"""

SPENDERS = SCHEMA + """
INSERT INTO customers VALUES (1, 'Ann'), (2, 'Ben'), (3, 'Cal'), (4, 'Dee'), (5, 'Eli'),
                             (6, 'Fay'), (7, 'Gil');
INSERT INTO orders VALUES
    (1, 1, 30.00, 'paid'), (2, 1, 30.00, 'paid'), (3, 1, 40.00, 'paid'),   -- 100, equal totals
    (4, 2, 60.00, 'paid'), (5, 2, 60.00, 'cancelled'),                     -- paid: 60
    (6, 3, 25.00, 'paid'), (7, 3, 25.00, 'paid'),                          -- exactly 50: out
    (8, 4, 51.00, 'paid'),                                                 -- 51: in
    (9, 5, 20.00, 'paid'), (10, 5, 20.00, 'paid'), (11, 5, 20.00, 'paid'), -- each small, 60
    (12, 6, 70.00, NULL), (13, 6, 10.00, 'paid'),                          -- draft not paid
    (14, NULL, 500.00, 'paid');                                            -- a guest
INSERT INTO tickets VALUES (1, 1), (2, 1), (3, 1), (4, 1), (5, 2), (6, 3), (7, 7);
"""

FIXTURES = [SHOP, SAME_NAMES, NO_CHILDREN, SPENDERS]

ORDERS_PER_CUSTOMER = """
SELECT c.id, c.name, count(o.id) AS orders
FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
GROUP BY c.id, c.name
"""

CUSTOMER_ACTIVITY = """
SELECT c.id, coalesce(o.n, 0) AS orders, coalesce(t.n, 0) AS tickets,
       coalesce(o.spent, 0) AS spent
FROM customers c
LEFT JOIN (SELECT customer_id, count(*) AS n, sum(total) AS spent
           FROM orders GROUP BY customer_id) o ON o.customer_id = c.id
LEFT JOIN (SELECT customer_id, count(*) AS n FROM tickets GROUP BY customer_id) t
       ON t.customer_id = c.id
"""

BIG_SPENDERS = """
SELECT c.id, sum(o.total) AS paid
FROM customers c JOIN orders o ON o.customer_id = c.id
WHERE o.status = 'paid'
GROUP BY c.id
HAVING sum(o.total) > 50
ORDER BY paid DESC, c.id
"""

CUSTOMERS_WITHOUT_ORDERS = """
SELECT c.id, c.name FROM customers c
WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)
"""

EXERCISES = {
    "orders_per_customer": sql_checks.exercise(
        fixtures=FIXTURES, reference=ORDERS_PER_CUSTOMER, database="postgres"),
    "customer_activity": sql_checks.exercise(
        fixtures=FIXTURES, reference=CUSTOMER_ACTIVITY, database="postgres"),
    "big_spenders": sql_checks.exercise(
        fixtures=FIXTURES, reference=BIG_SPENDERS, ordered=True, database="postgres"),
    "customers_without_orders": sql_checks.exercise(
        fixtures=FIXTURES, reference=CUSTOMERS_WITHOUT_ORDERS, database="postgres"),
}
