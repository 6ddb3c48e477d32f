"""Hidden cases for solutions/08_memory_management.ipynb.

Sizes differ between Python versions, so ``deep_sizeof`` is compared with a
reference walk computed on the same objects at check time, never with stored
numbers. Memory claims are measured with ``tracemalloc``: ``Point`` must take
well under a plain class's bytes per instance, ``stream_sum`` must total a
multi-MB file with a peak far below the file's size, and ``LRUCache`` must stay
flat while 20,000 entries go through a cache of 100.
"""

from __future__ import annotations

import random
import sys
import tempfile
import tracemalloc
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from interview_lab import checks, memory_demo


def _fail(message: str) -> None:
    raise checks.CheckFailed(message)


def _expect_raises(func: Callable, exc: type[BaseException], args: tuple, call: str) -> None:
    try:
        got = func(*args)
    except NotImplementedError:
        raise
    except exc:
        return
    except Exception as other:
        _fail(f"{call} should raise {exc.__name__}, raised {type(other).__name__}: {other}")
    _fail(f"{call} should raise {exc.__name__}, returned {got!r}")


# --- exercise 1: deep_sizeof ----------------------------------------------------------------

FOLLOWED = (list, tuple, set, frozenset, dict)


def reference_deep_sizeof(obj: Any) -> int:
    """sys.getsizeof of obj and of everything reachable through FOLLOWED containers, once each."""
    seen: set[int] = set()
    total, stack = 0, [obj]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, FOLLOWED):
            stack.extend(item)
    return total


class _Blob:
    """Not a container: counted with its own getsizeof, its attributes not followed."""

    def __init__(self) -> None:
        self.data = "x" * 10_000


def _shared() -> list:
    s = "shared-" * 20
    return [s, s, s]


def _cycle() -> list:
    a: list = ["a"]
    a.append(a)
    d: dict = {"name": "loop"}
    d["self"] = d
    return [a, d]


def _deep(levels: int = 5_000) -> list:
    x: list = []
    for _ in range(levels):
        x = [x]
    return x


DEEP_SIZEOF_CASES: list[tuple[str, Callable[[], Any], str]] = [
    ("[] (an empty list)", lambda: [], ""),
    ("42 (not a container)", lambda: 42, ""),
    ("'hello'", lambda: "hello", "a str is not followed: count its getsizeof only"),
    ("a list of 100 distinct strings", lambda: [f"user-{i:04d}" for i in range(100)],
     "count the list and every string in it"),
    ("[s, s, s] (one string, three references)", _shared, "count a shared object once"),
    ("{'name': 'ana', 'tags': ['admin', 'ops']}",
     lambda: {"name": "ana", "tags": ["admin", "ops"]}, "count dict keys as well as values"),
    ("(frozenset({'x', 'y'}), {1.5, 2.5}, ('deep', ('deeper',)))",
     lambda: (frozenset({"x", "y"}), {1.5, 2.5}, ("deep", ("deeper",))),
     "follow tuples, sets and frozensets too"),
    ("[list(range(5)), list(range(5))] (equal but distinct lists)",
     lambda: [list(range(5)), list(range(5))], "count by identity (id), not by equality"),
    ("a list that contains itself, and a dict that contains itself", _cycle,
     "a cycle must end: remember what you have counted"),
    ("an object with a 10 KB string attribute", _Blob,
     "objects other than list/tuple/set/frozenset/dict are not followed"),
    ("a list nested 5,000 levels deep", _deep,
     "too deep for recursion (limit about 1,000): use an explicit stack"),
]


def _check_deep_sizeof(func: Callable) -> None:
    for description, build, hint in DEEP_SIZEOF_CASES:
        obj = build()
        expected = reference_deep_sizeof(obj)
        try:
            got = func(obj)
        except (NotImplementedError, checks.CheckFailed):
            raise
        except RecursionError:
            _fail(f"deep_sizeof({description}) raised RecursionError"
                  + (f": {hint}" if hint else ""))
        if type(got) is not int or got != expected:
            _fail(f"deep_sizeof({description})\n  expected: {expected!r}\n  got:      {got!r}"
                  + (f"\n  hint: {hint}" if hint else ""))


# --- exercise 2: Point with __slots__ -------------------------------------------------------


class _PlainPoint:
    def __init__(self, x: Any, y: Any) -> None:
        self.x = x
        self.y = y


def _bytes_per_instance(cls: type, n: int = 5_000) -> float:
    return memory_demo.bytes_per_instance(cls, n)


def _check_point(cls: Callable) -> None:
    p = cls(1.5, -2)
    if (getattr(p, "x", None), getattr(p, "y", None)) != (1.5, -2):
        _fail(f"Point(1.5, -2) has x={getattr(p, 'x', None)!r}, y={getattr(p, 'y', None)!r}")
    try:
        p.x = 3
    except AttributeError as exc:
        _fail(f"p.x = 3 raised AttributeError ({exc}): points are mutable")
    if p.x != 3:
        _fail("after p.x = 3, p.x should be 3: points are mutable")
    if hasattr(p, "__dict__"):
        _fail("a Point has a __dict__: list the attributes in __slots__ (and not '__dict__')")
    try:
        p.z = 1
    except AttributeError:
        pass
    else:
        _fail("p.z = 1 worked: with __slots__ = ('x', 'y') it must raise AttributeError")
    for args, text in (((1, 2), "Point(1, 2)"), ((1.5, -2.0), "Point(1.5, -2.0)"),
                       (("a", None), "Point('a', None)")):
        if repr(cls(*args)) != text:
            _fail(f"repr(Point{args}) should be {text!r}, got {repr(cls(*args))!r}")
    if not cls(1, 2) == cls(1, 2) or cls(1, 2) != cls(1, 2):
        _fail("Point(1, 2) == Point(1, 2) should be True (equal coordinates)")
    if cls(1, 2) == cls(2, 1):
        _fail("Point(1, 2) == Point(2, 1) should be False")
    if cls(1, 2) == (1, 2):
        _fail("Point(1, 2) == (1, 2) should be False: a tuple is not a Point")

    class Point3D(cls):
        __slots__ = ("z",)

    if hasattr(Point3D(1, 2), "__dict__"):
        _fail("a subclass with __slots__ = ('z',) still has a __dict__: Point itself must "
              "define __slots__ (every class in the hierarchy needs them)")
    mine, plain = _bytes_per_instance(cls), _bytes_per_instance(_PlainPoint)
    if mine >= 0.7 * plain:
        _fail(f"Point takes {mine:.0f} B per instance, a plain class {plain:.0f} B: "
              "expected under 70% of it with __slots__")


# --- exercise 3: stream_sum -----------------------------------------------------------------

STREAM_CASES = [
    ("1\n2\n3\n", 6, "three numbers"),
    ("", 0, "an empty file"),
    ("\n\n   \n", 0, "only blank lines"),
    ("  5 \n\n-7\n\t\n10", 8, "spaces around numbers, blank lines, a negative, no final newline"),
    ("42", 42, "one number without a newline"),
]


def _check_stream_sum(func: Callable) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "numbers.txt"
        for text, expected, what in STREAM_CASES:
            path.write_text(text, encoding="utf-8")
            try:
                got = func(str(path))
            except (NotImplementedError, checks.CheckFailed):
                raise
            except Exception as exc:
                _fail(f"stream_sum on a file with {what} ({text!r}) raised "
                      f"{type(exc).__name__}: {exc}")
            if got != expected or type(got) is not int:
                _fail(f"stream_sum on a file with {what} ({text!r})\n  expected: {expected!r}"
                      f"\n  got:      {got!r}")
        path.write_text("1\nabc\n2\n", encoding="utf-8")
        _expect_raises(func, ValueError, (str(path),), "stream_sum on '1\\nabc\\n2\\n'")

        lines = 200_000
        with path.open("w", encoding="utf-8") as f:
            f.writelines(f"{i * 37 % 100_003 - 50_000}\n" for i in range(lines))
        expected = sum(i * 37 % 100_003 - 50_000 for i in range(lines))
        size = path.stat().st_size
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            base, _ = tracemalloc.get_traced_memory()
            got = func(path)  # a Path works as well as a str
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        if got != expected:
            _fail(f"stream_sum on a {size / 1e6:.1f} MB file of {lines:,} numbers\n"
                  f"  expected: {expected!r}\n  got:      {got!r}")
        if peak - base > size / 8:
            _fail(f"stream_sum on a {size / 1e6:.1f} MB file peaked at {(peak - base) / 1e6:.2f} "
                  "MB of Python memory: it loads the file. Iterate over the file object, one "
                  "line at a time.")


# --- exercise 4: LRUCache -------------------------------------------------------------------


class _ReferenceLRU:
    def __init__(self, capacity: int) -> None:
        self.capacity, self.data = capacity, OrderedDict()

    def get(self, key, default=None):
        if key not in self.data:
            return default
        self.data.move_to_end(key)
        return self.data[key]

    def put(self, key, value) -> None:
        self.data[key] = value
        self.data.move_to_end(key)
        if len(self.data) > self.capacity:
            self.data.popitem(last=False)


def _check_lru(cls: Callable) -> None:
    for bad in (0, -1):
        _expect_raises(cls, ValueError, (bad,), f"LRUCache({bad})")
    c = cls(2)
    c.put("a", 1)
    c.put("b", 2)
    if c.get("a") != 1:
        _fail("after put('a', 1), put('b', 2): get('a') should be 1")
    c.put("c", 3)  # 'a' was used after 'b', so 'b' is the least recently used
    if len(c) != 2:
        _fail(f"LRUCache(2) holds {len(c)} entries after 3 puts of new keys: a put that goes "
              "over the capacity must evict an entry")
    got = (c.get("b"), c.get("a"), c.get("c"), len(c))
    if got != (None, 1, 3, 2):
        _fail("capacity 2: put a, put b, get a, put c. Expected get('b') None (evicted: least "
              f"recently used), get('a') 1, get('c') 3, len 2; got {got}. A get counts as a use.")
    if c.get("zz", "default") != "default" or c.get("zz") is not None:
        _fail("get of a missing key should return the default (None when not given)")
    c = cls(2)
    c.put("a", 1)
    c.put("b", 2)
    c.put("b", 20)  # an update of a key already there: nothing may be evicted
    if len(c) != 2 or c.get("a") != 1 or c.get("b") != 20:
        _fail("capacity 2: put a=1, put b=2, put b=20 (an update) must not evict anything: "
              f"expected len 2, a=1, b=20; got len {len(c)}, a={c.get('a')!r}, b={c.get('b')!r}")
    c = cls(2)
    c.put("a", 1)
    c.put("b", 2)
    c.put("a", 10)  # an update is a use: 'a' becomes the most recent, 'b' the oldest
    c.put("c", 3)
    got = (c.get("a"), c.get("b"), c.get("c"))
    if got != (10, None, 3):
        _fail("capacity 2: put a=1, put b=2, put a=10, put c=3. Updating 'a' made it the most "
              f"recent, so 'b' is evicted: expected (a, b, c) = (10, None, 3), got {got}")
    c = cls(1)
    c.put("n", None)
    if c.get("n", "missing") is not None:
        _fail("a stored value None must come back as None, not as the default")
    c.put("m", 0)
    if len(c) != 1 or c.get("n", "gone") != "gone" or c.get("m") != 0:
        _fail("capacity 1: the second put must evict the first entry")

    rng = random.Random(8)
    mine, ref = cls(5), _ReferenceLRU(5)
    for step in range(3_000):
        key = rng.randrange(12)
        if rng.random() < 0.5:
            mine.put(key, step)
            ref.put(key, step)
        elif mine.get(key, "miss") != ref.get(key, "miss"):
            _fail(f"capacity 5, step {step} of a random mix of get/put over 12 keys: "
                  f"get({key}) returned {mine.get(key, 'miss')!r}, expected "
                  f"{ref.get(key, 'miss')!r}. Evict the least recently used (got or put).")
    if len(mine) != 5:
        _fail(f"after 3,000 operations over 12 keys a cache of 5 should hold 5, len is {len(mine)}")

    cache = cls(100)
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        for i in range(20_000):
            cache.put(i, bytes(200))
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    if len(cache) != 100 or grown > 512 * 1024:
        _fail(f"20,000 puts into LRUCache(100): len {len(cache)}, memory grew by "
              f"{grown / 1e6:.2f} MB; expected len 100 and under 0.5 MB. The cache must evict.")


EXERCISES: dict[str, checks.Exercise] = {
    "deep_sizeof": checks.Exercise(check=_check_deep_sizeof),
    "Point": checks.Exercise(check=_check_point),
    "stream_sum": checks.Exercise(check=_check_stream_sum),
    "LRUCache": checks.Exercise(check=_check_lru),
}
