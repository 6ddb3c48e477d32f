"""Plausible wrong answers to solutions/01_core_types.ipynb; each must fail its check."""

from __future__ import annotations

import functools
import itertools
import operator
from collections import ChainMap
from collections.abc import Mapping
from typing import Any

# --- append_tag ---------------------------------------------------------------------------------


def tag_mutable_default(tag, tags=[]):  # noqa: B006 - the bug on purpose
    """The classic: one default list, built at `def` time, shared by every call."""
    if tag not in tags:
        tags.append(tag)
    return tags


def tag_if_not(tag, tags=None):
    """`if not tags` also fires for the caller's empty list, which then never gets the tag."""
    if not tags:
        tags = []
    if tag not in tags:
        tags.append(tag)
    return tags


def tag_or_default(tag, tags=None):
    """`tags or []`: the same falsy-list bug in one line."""
    tags = tags or []
    if tag not in tags:
        tags.append(tag)
    return tags


def tag_copies(tag, tags=None):
    """Safe from sharing, but returns a copy: the caller's own list never changes."""
    tags = list(tags) if tags is not None else []
    if tag not in tags:
        tags.append(tag)
    return tags


def tag_duplicates(tag, tags=None):
    """Right default handling, but forgets that a tag already present is not added again."""
    if tags is None:
        tags = []
    tags.append(tag)
    return tags


# --- group_by_first_letter ----------------------------------------------------------------------


def group_fromkeys(words):
    """dict.fromkeys(keys, []) gives every key the same list."""
    groups = dict.fromkeys((w[0].lower() for w in words if w), [])
    for word in words:
        if word:
            groups[word[0].lower()].append(word)
    return groups


def group_itertools(words):
    """groupby only groups adjacent items: a letter that comes back replaces its first group."""
    key = lambda w: w[0].lower()  # noqa: E731
    return {k: list(g) for k, g in itertools.groupby((w for w in words if w), key=key)}


def group_case_sensitive(words):
    """Forgets to lowercase: "Apple" and "apple" end up in different groups."""
    groups = {}
    for word in words:
        if word:
            groups.setdefault(word[0], []).append(word)
    return groups


def group_comprehension_no_empty_check(words):
    """A comprehension that indexes w[0] for every word: IndexError on an empty string."""
    return {w[0].lower(): [x for x in words if x[0].lower() == w[0].lower()] for w in words}


def group_sorted_keys(words):
    """Right groups, but sorts the letters instead of keeping their first appearance."""
    groups = {}
    for word in words:
        if word:
            groups.setdefault(word[0].lower(), []).append(word)
    return {k: groups[k] for k in sorted(groups)}


# --- merge_settings -----------------------------------------------------------------------------


def merge_reduce_or(*layers: Mapping) -> dict:
    """reduce with |: fails on zero layers, and None overrides real values."""
    return functools.reduce(operator.or_, layers)


def merge_ior_loop(*layers: Mapping) -> dict:
    """A correct fold with |=, except that None overrides an earlier value."""
    merged: dict = {}
    for layer in layers:
        merged |= layer
    return merged


def merge_truthy(*layers: Mapping) -> dict:
    """`if value` instead of `is not None`: --retries 0 and debug=False are thrown away."""
    return {k: v for layer in layers for k, v in layer.items() if v}


def merge_chainmap(*layers: Mapping) -> dict:
    """ChainMap looks keys up in the FIRST mapping first: earlier layers win."""
    return {k: v for k, v in ChainMap(*layers).items() if v is not None}


def merge_into_first(*layers: Mapping) -> Any:
    """Folds everything into the first layer: changes the caller's defaults and returns them."""
    if not layers:
        return {}
    merged = layers[0]
    for layer in layers[1:]:
        for key, value in layer.items():
            if value is not None:
                merged[key] = value
    return merged


def merge_moves_keys(*layers: Mapping) -> dict:
    """Pops and re-inserts on override, so an overridden key moves to the end."""
    merged: dict = {}
    for layer in layers:
        for key, value in layer.items():
            if value is not None:
                merged.pop(key, None)
                merged[key] = value
    return merged


# --- dedupe_keys --------------------------------------------------------------------------------


def dedupe_via_dict(pairs):
    """dict(pairs) merges 1, 1.0 and True: they are equal and hash equal."""
    return list(dict(pairs).items())


def dedupe_by_repr(pairs):
    """repr tells types apart, but also splits 0.0 from -0.0, which are one float key."""
    seen: dict = {}
    for key, value in pairs:
        slot = repr(key)
        seen[slot] = (seen[slot][0] if slot in seen else key, value)
    return list(seen.values())


def dedupe_bool_only(pairs):
    """Special-cases bool but still merges 1 with 1.0."""
    seen: dict = {}
    for key, value in pairs:
        slot = (key, type(key) is bool)
        seen[slot] = (seen[slot][0] if slot in seen else key, value)
    return list(seen.values())


def dedupe_first_value(pairs):
    """Keeps the first value instead of the last (setdefault never overwrites)."""
    seen: dict = {}
    for key, value in pairs:
        seen.setdefault((type(key), key), (key, value))
    return list(seen.values())


def dedupe_last_position(pairs):
    """Right keys and values, but a repeated key moves to where it last appeared."""
    seen: dict = {}
    for key, value in pairs:
        slot = (type(key), key)
        first = seen.pop(slot)[0] if slot in seen else key
        seen[slot] = (first, value)
    return list(seen.values())


WRONG = {
    "append_tag": [tag_mutable_default, tag_if_not, tag_or_default, tag_copies, tag_duplicates],
    "group_by_first_letter": [group_fromkeys, group_itertools, group_case_sensitive,
                              group_comprehension_no_empty_check, group_sorted_keys],
    "merge_settings": [merge_reduce_or, merge_ior_loop, merge_truthy, merge_chainmap,
                       merge_into_first, merge_moves_keys],
    "dedupe_keys": [dedupe_via_dict, dedupe_by_repr, dedupe_bool_only, dedupe_first_value,
                    dedupe_last_position],
}
