"""Plausible wrong queries for solutions/21_sql_joins.ipynb; each must be rejected."""

from __future__ import annotations

# --- orders_per_customer -------------------------------------------------------------------


def orders_per_customer_inner_join():
    """INNER instead of LEFT: customers without orders disappear instead of showing 0."""
    return """SELECT c.id, c.name, count(o.id) FROM customers c
              JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name"""


def orders_per_customer_count_star():
    """COUNT(*) after a LEFT JOIN: the NULL-padded row counts, so 'no orders' shows 1."""
    return """SELECT c.id, c.name, count(*) FROM customers c
              LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name"""


def orders_per_customer_from_orders():
    """Counts from the orders table alone: no zero rows, and the guest orders become a row."""
    return """SELECT o.customer_id, c.name, count(*) FROM orders o
              LEFT JOIN customers c ON c.id = o.customer_id GROUP BY o.customer_id, c.name"""


# --- customer_activity ---------------------------------------------------------------------


def customer_activity_fan_out():
    """Joins both children at once: 2 orders x 3 tickets count as 6 and 6, sums triple."""
    return """SELECT c.id, count(o.id), count(t.id), coalesce(sum(o.total), 0)
              FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
              LEFT JOIN tickets t ON t.customer_id = c.id GROUP BY c.id"""


def customer_activity_distinct_counts():
    """COUNT(DISTINCT) repairs the counts, but the sum still sees each order once per ticket."""
    return """SELECT c.id, count(DISTINCT o.id), count(DISTINCT t.id), coalesce(sum(o.total), 0)
              FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
              LEFT JOIN tickets t ON t.customer_id = c.id GROUP BY c.id"""


def customer_activity_sum_distinct():
    """SUM(DISTINCT total) adds two equal order totals once: 20 + 20 becomes 20."""
    return """SELECT c.id, count(DISTINCT o.id), count(DISTINCT t.id),
                     coalesce(sum(DISTINCT o.total), 0)
              FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
              LEFT JOIN tickets t ON t.customer_id = c.id GROUP BY c.id"""


def customer_activity_null_spent():
    """Right counts, but a customer without orders gets NULL spent instead of 0."""
    return """SELECT c.id,
                (SELECT count(*) FROM orders o WHERE o.customer_id = c.id),
                (SELECT count(*) FROM tickets t WHERE t.customer_id = c.id),
                (SELECT sum(total) FROM orders o WHERE o.customer_id = c.id)
              FROM customers c"""


# --- big_spenders --------------------------------------------------------------------------


def big_spenders_where_not_having():
    """WHERE instead of HAVING: keeps single orders over 50, not customers whose sum is over 50."""
    return """SELECT c.id, sum(o.total) AS paid FROM customers c
              JOIN orders o ON o.customer_id = c.id
              WHERE o.status = 'paid' AND o.total > 50
              GROUP BY c.id ORDER BY paid DESC, c.id"""


def big_spenders_all_statuses():
    """Forgets the status filter: cancelled and draft orders count toward the total."""
    return """SELECT c.id, sum(o.total) AS paid FROM customers c
              JOIN orders o ON o.customer_id = c.id
              GROUP BY c.id HAVING sum(o.total) > 50 ORDER BY paid DESC, c.id"""


def big_spenders_at_least():
    """>= instead of >: a customer with exactly 50 is listed."""
    return """SELECT c.id, sum(o.total) AS paid FROM customers c
              JOIN orders o ON o.customer_id = c.id WHERE o.status = 'paid'
              GROUP BY c.id HAVING sum(o.total) >= 50 ORDER BY paid DESC, c.id"""


def big_spenders_guests_included():
    """Groups the orders table alone: the guest orders become a 'customer' with id NULL."""
    return """SELECT customer_id, sum(total) AS paid FROM orders WHERE status = 'paid'
              GROUP BY customer_id HAVING sum(total) > 50 ORDER BY paid DESC, customer_id"""


def big_spenders_unordered():
    """The right rows with no ORDER BY: the task asks for the biggest spender first."""
    return """SELECT c.id, sum(o.total) AS paid FROM customers c
              JOIN orders o ON o.customer_id = c.id WHERE o.status = 'paid'
              GROUP BY c.id HAVING sum(o.total) > 50 ORDER BY c.id"""


# --- customers_without_orders ----------------------------------------------------------------


def customers_without_orders_not_in():
    """NOT IN over a column with a NULL (a guest order): the result is always empty."""
    return """SELECT id, name FROM customers
              WHERE id NOT IN (SELECT customer_id FROM orders)"""


def customers_without_orders_nullable_column():
    """Anti join testing a nullable column: a customer with a draft order (status NULL) counts."""
    return """SELECT c.id, c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
              WHERE o.status IS NULL"""


def customers_without_orders_inner():
    """INNER JOIN then IS NULL: the customers without orders were dropped by the join."""
    return """SELECT c.id, c.name FROM customers c JOIN orders o ON o.customer_id = c.id
              WHERE o.id IS NULL"""


WRONG = {
    "orders_per_customer": [orders_per_customer_inner_join, orders_per_customer_count_star,
                            orders_per_customer_from_orders],
    "customer_activity": [customer_activity_fan_out, customer_activity_distinct_counts,
                          customer_activity_sum_distinct, customer_activity_null_spent],
    "big_spenders": [big_spenders_where_not_having, big_spenders_all_statuses,
                     big_spenders_at_least, big_spenders_guests_included, big_spenders_unordered],
    "customers_without_orders": [customers_without_orders_not_in,
                                 customers_without_orders_nullable_column,
                                 customers_without_orders_inner],
}
