"""Plausible wrong answers for solutions/19_rest_design.ipynb; each must be rejected."""

from __future__ import annotations

import math
from collections import deque
from datetime import UTC
from email.utils import format_datetime, formatdate

# --- sliding_window ----------------------------------------------------------------------


def sliding_window_counts_refused(times, limit, window):
    """Logs every request, refused ones too: a client that keeps knocking stays locked out."""
    inside, verdicts = deque(), []
    for t in times:
        while inside and inside[0] <= t - window:
            inside.popleft()
        verdicts.append(len(inside) < limit)
        inside.append(t)
    return verdicts


def sliding_window_inclusive_edge(times, limit, window):
    """Keeps a hit for one instant too long (< instead of <=): off by one at t + window."""
    inside, verdicts = deque(), []
    for t in times:
        while inside and inside[0] < t - window:
            inside.popleft()
        allowed = len(inside) < limit
        if allowed:
            inside.append(t)
        verdicts.append(allowed)
    return verdicts


def sliding_window_fixed(times, limit, window):
    """A fixed window in disguise: counts per floor(t / window), resets at each boundary."""
    counts, verdicts = {}, []
    for t in times:
        slot = math.floor(t / window)
        allowed = counts.get(slot, 0) < limit
        counts[slot] = counts.get(slot, 0) + allowed
        verdicts.append(allowed)
    return verdicts


# --- token_bucket ------------------------------------------------------------------------------


def token_bucket_starts_empty(times, capacity, rate):
    """A new client gets no burst: the bucket starts with 0 tokens."""
    waits, tokens, last = [], 0.0, (times[0] if times else 0.0)
    for t in times:
        tokens = min(capacity, tokens + (t - last) * rate)
        last = t
        if tokens >= 1:
            tokens -= 1
            waits.append(0.0)
        else:
            waits.append((1 - tokens) / rate)
    return waits


def token_bucket_no_cap(times, capacity, rate):
    """Forgets the cap: after a long pause the client can burst far beyond the capacity."""
    waits, tokens, last = [], float(capacity), (times[0] if times else 0.0)
    for t in times:
        tokens += (t - last) * rate
        last = t
        if tokens >= 1:
            tokens -= 1
            waits.append(0.0)
        else:
            waits.append((1 - tokens) / rate)
    return waits


def token_bucket_refused_takes_token(times, capacity, rate):
    """Takes a token from every request, going into debt: refused requests push the wait out."""
    waits, tokens, last = [], float(capacity), (times[0] if times else 0.0)
    for t in times:
        tokens = min(capacity, tokens + (t - last) * rate)
        last = t
        waits.append(0.0 if tokens >= 1 else (1 - tokens) / rate)
        tokens -= 1
    return waits


def token_bucket_whole_seconds(times, capacity, rate):
    """Rounds the wait up to whole seconds, as Retry-After does; the task asks for exact."""
    waits, tokens, last = [], float(capacity), (times[0] if times else 0.0)
    for t in times:
        tokens = min(capacity, tokens + (t - last) * rate)
        last = t
        if tokens >= 1:
            tokens -= 1
            waits.append(0.0)
        else:
            waits.append(float(math.ceil((1 - tokens) / rate)))
    return waits


# --- handle_creates ----------------------------------------------------------------------------


def handle_creates_global_keys(requests):
    """Keys shared by all clients: client b gets client a's order replayed."""
    stored, answers = {}, []
    for r in requests:
        if r.get("key") is None:
            answers.append((400, None))
        elif r["key"] not in stored:
            stored[r["key"]] = (r["body"], len(stored) + 1)
            answers.append((201, stored[r["key"]][1]))
        elif stored[r["key"]][0] == r["body"]:
            answers.append((201, stored[r["key"]][1]))
        else:
            answers.append((422, None))
    return answers


def handle_creates_ignores_body(requests):
    """Replays whatever comes with a known key, even a different order."""
    stored, answers = {}, []
    for r in requests:
        if r.get("key") is None:
            answers.append((400, None))
            continue
        scoped = (r["client"], r["key"])
        if scoped not in stored:
            stored[scoped] = len(stored) + 1
        answers.append((201, stored[scoped]))
    return answers


def handle_creates_no_key_creates(requests):
    """Treats a missing key as 'no idempotency': creates an order every time."""
    stored, answers, next_id = {}, [], 1
    for r in requests:
        scoped = (r["client"], r.get("key"))
        if r.get("key") is None or scoped not in stored:
            if r.get("key") is not None:
                stored[scoped] = (r["body"], next_id)
            answers.append((201, next_id))
            next_id += 1
        elif stored[scoped][0] == r["body"]:
            answers.append((201, stored[scoped][1]))
        else:
            answers.append((422, None))
    return answers


# --- deprecation_headers ----------------------------------------------------------------------


def deprecation_headers_http_date(deprecated_at, sunset_at, successor):
    """Writes Deprecation as an HTTP date, like Sunset (the old draft format, not RFC 9745)."""
    if deprecated_at.tzinfo is None or sunset_at.tzinfo is None or sunset_at < deprecated_at:
        raise ValueError("bad dates")
    return {"Deprecation": formatdate(deprecated_at.timestamp(), usegmt=True),
            "Sunset": formatdate(math.floor(sunset_at.timestamp()), usegmt=True),
            "Link": f'<{successor}>; rel="successor-version"'}


def deprecation_headers_local_zone(deprecated_at, sunset_at, successor):
    """Formats Sunset in the datetime's own zone (an HTTP date must be GMT)."""
    if deprecated_at.tzinfo is None or sunset_at.tzinfo is None or sunset_at < deprecated_at:
        raise ValueError("bad dates")
    return {"Deprecation": f"@{math.floor(deprecated_at.timestamp())}",
            "Sunset": sunset_at.replace(microsecond=0).strftime("%a, %d %b %Y %H:%M:%S GMT"),
            "Link": f'<{successor}>; rel="successor-version"'}


def deprecation_headers_no_checks(deprecated_at, sunset_at, successor):
    """Right format, but accepts naive dates and a sunset before the deprecation."""
    sunset_utc = sunset_at.astimezone(UTC).replace(microsecond=0)
    return {"Deprecation": f"@{math.floor(deprecated_at.timestamp())}",
            "Sunset": format_datetime(sunset_utc, usegmt=True),
            "Link": f'<{successor}>; rel="successor-version"'}


WRONG = {
    "sliding_window": [sliding_window_counts_refused, sliding_window_inclusive_edge,
                       sliding_window_fixed],
    "token_bucket": [token_bucket_starts_empty, token_bucket_no_cap,
                     token_bucket_refused_takes_token, token_bucket_whole_seconds],
    "handle_creates": [handle_creates_global_keys, handle_creates_ignores_body,
                       handle_creates_no_key_creates],
    "deprecation_headers": [deprecation_headers_http_date, deprecation_headers_local_zone,
                            deprecation_headers_no_checks],
}
