"""The notes resource that the Flask and FastAPI versions keep in memory (Django uses its ORM).

A note is ``{"id": int, "title": str, "body": str}``. The store is a dict behind
a lock, so a threaded server could share it; it lives as long as the process.
The two busy-counting helpers record how many requests were inside a handler
at the same moment, which shows whether a server overlaps requests.
"""

from __future__ import annotations

import threading
from typing import Any


class NoteStore:
    """In-memory notes with increasing ids, safe to use from several threads."""

    def __init__(self) -> None:
        self._notes: dict[int, dict[str, Any]] = {}
        self._next_id = 1
        self._lock = threading.Lock()

    def add(self, title: str, body: str = "") -> dict[str, Any]:
        with self._lock:
            note = {"id": self._next_id, "title": title, "body": body}
            self._notes[note["id"]] = note
            self._next_id += 1
            return dict(note)

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(note) for note in self._notes.values()]

    def get(self, note_id: int) -> dict[str, Any] | None:
        with self._lock:
            note = self._notes.get(note_id)
            return dict(note) if note is not None else None


class InFlight:
    """Counts requests inside a handler now, and the most there were at once."""

    def __init__(self) -> None:
        self.now = 0
        self.peak = 0
        self._lock = threading.Lock()

    def enter(self) -> None:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def leave(self) -> None:
        with self._lock:
            self.now -= 1

    def report(self, reset: bool = False) -> dict[str, int]:
        with self._lock:
            seen = {"now": self.now, "peak": self.peak}
            if reset:
                self.peak = self.now
            return seen
