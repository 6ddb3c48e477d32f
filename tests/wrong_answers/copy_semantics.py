"""Plausible wrong answers to solutions/02_copy_semantics.ipynb; each must fail its check."""

from __future__ import annotations

import copy
from typing import Any

# --- merge_config ---------------------------------------------------------------


def merge_unpacking(defaults: dict, overrides: dict) -> dict:
    """Shallow and not recursive: a nested override drops the default's other keys."""
    return {**defaults, **overrides}


def merge_update_nested(defaults: dict, overrides: dict) -> dict:
    """Starts from defaults.copy() and updates nested dicts in place: they are the defaults' own."""
    merged = defaults.copy()
    for key, value in overrides.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key].update(value)
        else:
            merged[key] = value
    return merged


def merge_copy_on_path(defaults: dict, overrides: dict) -> dict:
    """New dicts along the overridden paths only; untouched branches are the defaults' objects."""
    merged = dict(defaults)
    for key, value in overrides.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = merge_copy_on_path(merged[key], value)
        else:
            merged[key] = value
    return merged


def merge_shares_lists(defaults: dict, overrides: dict) -> dict:
    """Builds new dicts at every level but puts the inputs' lists into the result."""
    merged = dict(defaults)
    for key, value in merged.items():
        if isinstance(value, dict):
            merged[key] = merge_shares_lists(value, {})
    for key, value in overrides.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = merge_shares_lists(merged[key], value)
        elif isinstance(value, dict):
            merged[key] = merge_shares_lists(value, {})
        else:
            merged[key] = value
    return merged


# --- with_filter -----------------------------------------------------------------


def filter_in_place(query, key, value):
    """Changes request.GET itself: Django raises AttributeError."""
    if value not in query.getlist(key):
        query.appendlist(key, value)
    return query


def filter_via_dict(query, key, value):
    """dict(query) is shallow: the append changes the request's own list; and it is no QueryDict."""
    params = dict(query)
    values = params.setdefault(key, [])
    if value not in values:
        values.append(value)
    return params


def filter_replaces(query, key, value):
    """Copies correctly but `params[key] = value` drops the key's other values."""
    params = query.copy()
    params[key] = value
    return params


def filter_duplicates(query, key, value):
    """Forgets to check whether the value is already there."""
    params = query.copy()
    params.appendlist(key, value)
    return params


# --- deep_copy -------------------------------------------------------------------


def copy_without_memo(obj: Any) -> Any:
    """Recursive but memo-less: shared objects are split apart and a cycle never ends."""
    if isinstance(obj, list):
        return [copy_without_memo(item) for item in obj]
    if isinstance(obj, dict):
        return {key: copy_without_memo(value) for key, value in obj.items()}
    if isinstance(obj, tuple):
        return tuple(copy_without_memo(item) for item in obj)
    return obj


def copy_memo_too_late(obj: Any, memo: dict | None = None) -> Any:
    """Has a memo but registers each copy after its children: cycles still recurse forever."""
    memo = {} if memo is None else memo
    if id(obj) in memo:
        return memo[id(obj)]
    if isinstance(obj, list):
        result: Any = [copy_memo_too_late(item, memo) for item in obj]
    elif isinstance(obj, dict):
        result = {key: copy_memo_too_late(value, memo) for key, value in obj.items()}
    elif isinstance(obj, tuple):
        result = tuple(copy_memo_too_late(item, memo) for item in obj)
    else:
        return obj
    memo[id(obj)] = result
    return result


def copy_tuples_as_atoms(obj: Any, memo: dict | None = None) -> Any:
    """Treats every tuple as immutable and returns it as is, lists inside included."""
    memo = {} if memo is None else memo
    if id(obj) in memo:
        return memo[id(obj)]
    if isinstance(obj, list):
        new_list: list = []
        memo[id(obj)] = new_list
        new_list.extend(copy_tuples_as_atoms(item, memo) for item in obj)
        return new_list
    if isinstance(obj, dict):
        new_dict: dict = {}
        memo[id(obj)] = new_dict
        new_dict.update((k, copy_tuples_as_atoms(v, memo)) for k, v in obj.items())
        return new_dict
    return obj


def copy_shallow(obj: Any) -> Any:
    """One level only: list(x) / dict(x)."""
    if isinstance(obj, list):
        return list(obj)
    if isinstance(obj, dict):
        return dict(obj)
    return obj


def copy_with_stdlib(obj: Any) -> Any:
    """Right answer, wrong exercise: it must be written without the copy module."""
    return copy.deepcopy(obj)


WRONG = {
    "merge_config": [merge_unpacking, merge_update_nested, merge_copy_on_path,
                     merge_shares_lists],
    "with_filter": [filter_in_place, filter_via_dict, filter_replaces, filter_duplicates],
    "deep_copy": [copy_without_memo, copy_memo_too_late, copy_tuples_as_atoms, copy_shallow,
                  copy_with_stdlib],
}
