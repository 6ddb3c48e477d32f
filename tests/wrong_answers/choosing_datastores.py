"""Plausible wrong answers for solutions/24_choosing_datastores.ipynb; each must be rejected."""

from __future__ import annotations

import hashlib
import json

# --- cache_get ---------------------------------------------------------------------------


def cache_get_no_ttl(r, key, loader, ttl):
    """Caches forever: SET without EX (stale until someone remembers to delete it)."""
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)
    value = loader()
    if value is not None:
        r.set(key, json.dumps(value))
    return value


def cache_get_caches_none(r, key, loader, ttl):
    """Stores None as "null": a product created later stays invisible for the whole TTL."""
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)
    value = loader()
    r.set(key, json.dumps(value), ex=ttl)
    return value


def cache_get_skips_falsy(r, key, loader, ttl):
    """`if value:` refuses to cache 0, [] and "": those rows hit the database every time."""
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)
    value = loader()
    if value:
        r.set(key, json.dumps(value), ex=ttl)
    return value


def cache_get_str_not_json(r, key, loader, ttl):
    """Stores str(value): a dict comes back as the text "{'id': 1, ...}"."""
    cached = r.get(key)
    if cached is not None:
        return cached
    value = loader()
    if value is not None:
        r.set(key, str(value), ex=ttl)
    return value


def cache_get_never_reads(r, key, loader, ttl):
    """Writes the cache but always calls the loader: all the cost, none of the benefit."""
    value = loader()
    if value is not None:
        r.set(key, json.dumps(value), ex=ttl)
    return value


# --- update_price ------------------------------------------------------------------------


def update_price_delete_first(conn, r, product_id, price_cents):
    """Invalidates before the commit: a reader in between re-caches the old price."""
    r.delete(f"product:{product_id}")
    with conn.transaction():
        updated = conn.execute("UPDATE product SET price_cents = %s WHERE id = %s",
                               (price_cents, product_id)).rowcount
    return updated == 1


def update_price_delete_inside_transaction(conn, r, product_id, price_cents):
    """Deletes inside the transaction block, i.e. still before COMMIT."""
    with conn.transaction():
        updated = conn.execute("UPDATE product SET price_cents = %s WHERE id = %s",
                               (price_cents, product_id)).rowcount
        r.delete(f"product:{product_id}")
    return updated == 1


def update_price_no_commit(conn, r, product_id, price_cents):
    """Never commits (the connection is not in autocommit): the update is rolled back."""
    updated = conn.execute("UPDATE product SET price_cents = %s WHERE id = %s",
                           (price_cents, product_id)).rowcount
    r.delete(f"product:{product_id}")
    return updated == 1


def update_price_no_invalidate(conn, r, product_id, price_cents):
    """Updates the database only: the cached page shows the old price until the TTL ends."""
    with conn.transaction():
        updated = conn.execute("UPDATE product SET price_cents = %s WHERE id = %s",
                               (price_cents, product_id)).rowcount
    return updated == 1


def update_price_clears_all(conn, r, product_id, price_cents):
    """Drops every product page: correct for this one, a cold cache for all the others."""
    with conn.transaction():
        updated = conn.execute("UPDATE product SET price_cents = %s WHERE id = %s",
                               (price_cents, product_id)).rowcount
    keys = list(r.scan_iter("product:*"))
    if keys:
        r.delete(*keys)
    return updated == 1


def update_price_always_true(conn, r, product_id, price_cents):
    """Ignores the row count: reports success for a product that does not exist."""
    with conn.transaction():
        conn.execute("UPDATE product SET price_cents = %s WHERE id = %s", (price_cents, product_id))
    r.delete(f"product:{product_id}")
    return True


# --- red_sale_products ---------------------------------------------------------------------


def red_sale_text_like():
    """Searches the JSON text: matches a nested color, a note mentioning red, and 'wholesale'."""
    return """SELECT id, name FROM product
              WHERE attrs::text LIKE '%red%' AND attrs::text LIKE '%sale%'"""


def red_sale_case_insensitive_tags_text():
    """lower() matches "Red"; ->> on the array turns it into text, so 'wholesale' matches."""
    return """SELECT id, name FROM product
              WHERE lower(attrs->>'color') = 'red' AND attrs->>'tags' LIKE '%sale%'"""


def red_sale_key_exists_on_scalar():
    """`? 'sale'` also matches tags given as the plain string "sale"."""
    return """SELECT id, name FROM product
              WHERE attrs->>'color' = 'red' AND attrs->'tags' ? 'sale'"""


def red_sale_distinct_names():
    """DISTINCT on name drops a second product that happens to share the name."""
    return """SELECT DISTINCT ON (name) id, name FROM product
              WHERE attrs @> '{"color": "red", "tags": ["sale"]}' ORDER BY name, id"""


# --- content_key ----------------------------------------------------------------------------


def content_key_read_all(stream):
    """Reads the whole stream at once: a 5 GB upload needs 5 GB of RAM."""
    data = stream.read()
    hexdigest = hashlib.sha256(data).hexdigest()
    return f"sha256/{hexdigest[:2]}/{hexdigest}", len(data)


def content_key_stops_on_short_read(stream):
    """Treats a short read as the end: a socket-like stream is cut after its first chunk."""
    digest, size = hashlib.sha256(), 0
    while True:
        chunk = stream.read(1 << 20)
        digest.update(chunk)
        size += len(chunk)
        if len(chunk) < (1 << 20):
            break
    hexdigest = digest.hexdigest()
    return f"sha256/{hexdigest[:2]}/{hexdigest}", size


def content_key_no_prefix(stream):
    """Returns the bare digest instead of the sha256/ab/... key."""
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


WRONG = {
    "cache_get": [cache_get_no_ttl, cache_get_caches_none, cache_get_skips_falsy,
                  cache_get_str_not_json, cache_get_never_reads],
    "update_price": [update_price_delete_first, update_price_delete_inside_transaction,
                     update_price_no_commit, update_price_no_invalidate, update_price_clears_all,
                     update_price_always_true],
    "red_sale_products": [red_sale_text_like, red_sale_case_insensitive_tags_text,
                          red_sale_key_exists_on_scalar, red_sale_distinct_names],
    "content_key": [content_key_read_all, content_key_stops_on_short_read, content_key_no_prefix],
}
