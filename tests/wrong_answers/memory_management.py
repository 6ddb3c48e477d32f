"""Plausible wrong answers for solutions/08_memory_management.ipynb: each must be rejected."""

from __future__ import annotations

import sys
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

# --- deep_sizeof ----------------------------------------------------------------------------

CONTAINERS = (list, tuple, set, frozenset)


def shallow(obj):
    """Trusts sys.getsizeof: the strings in a list are not counted."""
    return sys.getsizeof(obj)


def recursive_no_dedup(obj):
    """Adds up the children without remembering them: shared objects twice, cycles forever."""
    total = sys.getsizeof(obj)
    if isinstance(obj, dict):
        return total + sum(recursive_no_dedup(k) + recursive_no_dedup(v) for k, v in obj.items())
    if isinstance(obj, CONTAINERS):
        return total + sum(recursive_no_dedup(item) for item in obj)
    return total


def recursive_with_ids(obj, seen=None):
    """Right idea, recursive: a list nested 5,000 levels deep hits the recursion limit."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    total = sys.getsizeof(obj)
    if isinstance(obj, dict):
        for k, v in obj.items():
            total += recursive_with_ids(k, seen) + recursive_with_ids(v, seen)
    elif isinstance(obj, CONTAINERS):
        for item in obj:
            total += recursive_with_ids(item, seen)
    return total


def values_only(obj):
    """Follows dict values but forgets that the keys are objects too."""
    seen, total, stack = set(), 0, [obj]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, CONTAINERS):
            stack.extend(item)
    return total


def dedup_by_equality(obj):
    """Remembers objects by ==, so two equal but distinct lists are counted once."""
    seen, total, stack = [], 0, [obj]
    while stack:
        item = stack.pop()
        if any(item is s or (type(item) is type(s) and item == s) for s in seen):
            continue
        seen.append(item)
        total += sys.getsizeof(item)
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, CONTAINERS):
            stack.extend(item)
    return total


# --- Point ----------------------------------------------------------------------------------


class PlainPoint:
    """No __slots__ at all: a per-instance __dict__, and new attributes accepted."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return f"Point({self.x!r}, {self.y!r})"

    def __eq__(self, other):
        return isinstance(other, PlainPoint) and (self.x, self.y) == (other.x, other.y)


class SlotsWithDict:
    """Adds '__dict__' to the slots "to be flexible": the dict, and its cost, come back."""

    __slots__ = ("x", "y", "__dict__")

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __repr__(self):
        return f"Point({self.x!r}, {self.y!r})"

    def __eq__(self, other):
        return isinstance(other, SlotsWithDict) and (self.x, self.y) == (other.x, other.y)


@dataclass
class DataclassPoint:
    """@dataclass without slots=True: a __dict__ per instance, and a repr with x=... y=..."""

    x: float
    y: float


class TuplePoint(NamedTuple):
    """Small and dict-free, but immutable, repr 'Point(x=1, y=2)' and equal to (1, 2)."""

    x: float
    y: float


# --- stream_sum -----------------------------------------------------------------------------


def read_everything(path):
    """Correct total, but the whole file is one str plus a list of every number."""
    return sum(int(token) for token in Path(path).read_text(encoding="utf-8").split())


def readlines_then_sum(path):
    """readlines() holds every line at once: memory grows with the file."""
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    return sum(int(line) for line in lines if line.strip())


def truthy_lines(path):
    """Streams, but `if line` keeps '\\n' (a non-empty string): int('\\n') raises ValueError."""
    with open(path, encoding="utf-8") as f:
        return sum(int(line) for line in f if line)


# --- LRUCache -------------------------------------------------------------------------------


class UnboundedCache:
    """Never evicts: the leak from the lesson, in a class."""

    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.data = {}

    def get(self, key, default=None):
        return self.data.get(key, default)

    def put(self, key, value):
        self.data[key] = value

    def __len__(self):
        return len(self.data)


class FifoCache:
    """Evicts the oldest insertion: a get does not count as a use, nor does an update."""

    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity, self.data = capacity, OrderedDict()

    def get(self, key, default=None):
        return self.data.get(key, default)

    def put(self, key, value):
        self.data[key] = value
        if len(self.data) > self.capacity:
            self.data.popitem(last=False)

    def __len__(self):
        return len(self.data)


class EvictsNewest(FifoCache):
    """popitem() pops the LAST item by default: it throws away what was just put."""

    def get(self, key, default=None):
        if key in self.data:
            self.data.move_to_end(key)
        return self.data.get(key, default)

    def put(self, key, value):
        self.data[key] = value
        self.data.move_to_end(key)
        if len(self.data) > self.capacity:
            self.data.popitem()


class NoneMeansMissing(EvictsNewest):
    """`or default`: a stored None (or 0) comes back as the default."""

    def get(self, key, default=None):
        if key in self.data:
            self.data.move_to_end(key)
        return self.data.get(key) or default

    def put(self, key, value):
        self.data[key] = value
        self.data.move_to_end(key)
        if len(self.data) > self.capacity:
            self.data.popitem(last=False)


class EvictsOnUpdate(NoneMeansMissing):
    """Checks the size before inserting, even for a key already there: an update evicts."""

    def get(self, key, default=None):
        if key not in self.data:
            return default
        self.data.move_to_end(key)
        return self.data[key]

    def put(self, key, value):
        if len(self.data) >= self.capacity:
            self.data.popitem(last=False)
        self.data[key] = value
        self.data.move_to_end(key)


WRONG = {
    "deep_sizeof": [shallow, recursive_no_dedup, recursive_with_ids, values_only,
                    dedup_by_equality],
    "Point": [PlainPoint, SlotsWithDict, DataclassPoint, TuplePoint],
    "stream_sum": [read_everything, readlines_then_sum, truthy_lines],
    "LRUCache": [UnboundedCache, FifoCache, EvictsNewest, NoneMeansMissing, EvictsOnUpdate],
}
