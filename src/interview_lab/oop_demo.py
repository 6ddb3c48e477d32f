"""Helpers for notebooks/05_oop.ipynb and its exercises.

- ``linearize`` / ``c3_mro``: the C3 rule that builds a class's method
  resolution order, written out in Python so a lesson can compare it with the
  ``__mro__`` CPython computed, print each merge step, and show the hierarchy
  Python refuses to create.
- ``draw_hierarchy``: a class diagram with each class numbered by its MRO position.
- ``Model``: the cooperative base class the mixin exercise builds on.
"""

from __future__ import annotations

import textwrap
from collections.abc import Hashable, Mapping, Sequence
from typing import Any


def _label(node: Hashable) -> str:
    return getattr(node, "__name__", str(node))


def linearize(node: Hashable, bases: Mapping[Any, Sequence[Any]],
              steps: list[str] | None = None) -> list[Any]:
    """The C3 linearization of ``node`` in a hierarchy given as ``{class: [its bases]}``.

    Nodes may be class names (to try hierarchies Python would refuse to build)
    or classes. L[C] = C + merge(L[B1], ..., L[Bn], [B1, ..., Bn]): ``merge``
    repeatedly takes the first head (first item of one of the lists) that is in
    no list's tail, appends it and drops it from every list. If no head
    qualifies the hierarchy has no consistent order and, as CPython does, we
    raise TypeError. Pass a list as ``steps`` to collect one line per merge step.
    """
    parents = list(bases.get(node, ()))
    lists = [linearize(p, bases) for p in parents] + [parents]
    result = [node]
    while any(lists):
        lists = [seq for seq in lists if seq]
        for seq in lists:
            head = seq[0]
            if not any(head in other[1:] for other in lists):
                break
        else:
            heads = ", ".join(sorted({_label(seq[0]) for seq in lists}))
            raise TypeError("Cannot create a consistent method resolution order (MRO) "
                            f"for bases {heads}")
        if steps is not None:
            shown = " + ".join("[" + ", ".join(map(_label, seq)) + "]" for seq in lists)
            steps.append(f"merge({shown}) -> take {_label(head)}")
        result.append(head)
        lists = [seq[1:] if seq[0] == head else seq for seq in lists]
    return result


def c3_mro(cls: type, steps: list[str] | None = None) -> list[type]:
    """``cls.__mro__`` recomputed from the ``__bases__`` of it and its ancestors."""
    graph: dict[type, list[type]] = {}
    pending = [cls]
    while pending:
        current = pending.pop()
        if current not in graph:
            graph[current] = list(current.__bases__)
            pending.extend(current.__bases__)
    return linearize(cls, graph, steps)


def depth_first_order(cls: type) -> list[type]:
    """Left-to-right, depth-first search of the bases, first visit wins.

    The lookup order of Python 2's classic classes, kept here only to show what
    C3 fixes: in a diamond the shared base comes before the second branch, so
    the base's methods would hide the second branch's overrides.
    """
    order: list[type] = []

    def visit(c: type) -> None:
        if c not in order:
            order.append(c)
            for base in c.__bases__:
                visit(base)

    visit(cls)
    return order


def draw_hierarchy(cls: type, ax: Any = None, *, include_object: bool = False) -> Any:
    """Draw ``cls`` and its ancestors: arrows point from a class to its bases,
    and each box is numbered by its position in ``cls.__mro__`` (0 = cls)."""
    import matplotlib.pyplot as plt

    mro = [c for c in cls.__mro__ if include_object or c is not object]
    depth = {cls: 0}
    for c in mro:  # the MRO lists every class after all of its subclasses, so one pass works
        for base in c.__bases__:
            if base in mro:
                depth[base] = max(depth.get(base, 0), depth[c] + 1)
    levels: dict[int, list[type]] = {}
    for c in mro:
        levels.setdefault(depth[c], []).append(c)
    where = {}
    for level, members in levels.items():
        for i, c in enumerate(members):
            where[c] = ((i + 1) / (len(members) + 1), -level)
    if ax is None:
        _fig, ax = plt.subplots(figsize=(7, 1.4 + 1.1 * len(levels)))
    for c in mro:
        for base in c.__bases__:
            if base in where:
                ax.annotate("", xy=where[base], xytext=where[c],
                            arrowprops={"arrowstyle": "->", "color": "#888", "shrinkA": 14,
                                        "shrinkB": 14})
    for position, c in enumerate(mro):
        ax.text(*where[c], f"{position}. {c.__name__}", ha="center", va="center", fontsize=9,
                bbox={"boxstyle": "round", "facecolor": "#dde8f6", "edgecolor": "#4c72b0"})
    ax.set_xlim(0, 1)
    ax.set_ylim(-max(levels) - 0.5, 0.5)
    ax.axis("off")
    chain = textwrap.fill(" → ".join(c.__name__ for c in mro), 70)
    note = "" if include_object else ", object omitted"
    ax.set_title(f"{cls.__name__}.__mro__ (arrows point to bases{note})\n{chain}", fontsize=9)
    return ax


class Model:
    """A tiny record for the cooperative-mixin exercise.

    Keyword-only ``__init__`` that passes unknown keywords on with ``super()``,
    and a ``save()`` that appends a snapshot of the instance's attributes to
    ``self.saved`` and returns it, so a check can see which attributes every
    class in the chain had set before the save reached the bottom.
    """

    def __init__(self, *, id: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.id = id
        self.saved: list[dict[str, Any]] = []

    def save(self) -> dict[str, Any]:
        snapshot = {k: v for k, v in vars(self).items() if k != "saved"}
        self.saved.append(snapshot)
        return snapshot


def repl_echo(value: Any) -> tuple[str, Any]:
    """What the plain ``python`` REPL does with ``>>> value``: call the default displayhook.

    ``sys.__displayhook__`` prints ``repr(value)`` (nothing for None) to
    ``sys.stdout`` and stores the value in ``builtins._``. Returns the printed text
    and what ``_`` became, then puts ``builtins._`` back as it was, because
    IPython stops updating its own ``_`` once ``builtins`` has one.
    """
    import builtins
    import contextlib
    import io
    import sys

    missing = object()
    before = vars(builtins).get("_", missing)
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            sys.__displayhook__(value)
        return out.getvalue(), vars(builtins).get("_", missing)
    finally:
        if before is missing:
            vars(builtins).pop("_", None)
        else:
            builtins._ = before
