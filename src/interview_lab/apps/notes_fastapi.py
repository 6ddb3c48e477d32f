"""The notes resource in FastAPI: an APIRouter, pydantic models, async handlers.

Same URLs and JSON as the Flask and Django versions (``/api/notes/``,
``/api/notes/{id}``, ``/ping``, ``/slow``, ``/busy``), so a lesson can send the
same calls to all three. Create takes form fields (``title``, ``body``) like the
other two, declared once as a pydantic model with ``Form()``; FastAPI validates
them and answers 422 with a list of errors when they are wrong. Interactive docs
come free at ``/docs``, the OpenAPI schema at ``/openapi.json``.

    uvicorn interview_lab.apps.notes_fastapi:app
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, HTTPException
from pydantic import BaseModel, Field

from interview_lab.apps.notes_store import InFlight, NoteStore


class NoteIn(BaseModel):
    """What a client sends: a title of 1-100 characters and an optional body."""

    title: str = Field(min_length=1, max_length=100)
    body: str = ""


class Note(BaseModel):
    """What the API returns: the note with its id."""

    id: int
    title: str
    body: str


store = NoteStore()
busy = InFlight()
router = APIRouter(prefix="/api/notes", tags=["notes"])


@router.get("/")
async def list_notes() -> dict[str, list[Note]]:
    return {"notes": [Note(**note) for note in store.all()]}


@router.post("/", status_code=201)
async def create_note(note: Annotated[NoteIn, Form()]) -> Note:
    return Note(**store.add(note.title, note.body))


@router.get("/{note_id}")
async def get_note(note_id: int) -> Note:  # "abc" is rejected with 422 before this runs
    found = store.get(note_id)
    if found is None:
        raise HTTPException(status_code=404, detail="note not found")
    return Note(**found)


app = FastAPI(title="notes (FastAPI)")
app.include_router(router)


@app.get("/ping")
async def ping() -> dict[str, str]:
    """The trivial handler timed against Flask and Django."""
    return {"ping": "pong"}


@app.get("/slow")
async def slow(seconds: float = 0.1) -> dict[str, float]:
    """Waits like a slow upstream call; the event loop serves other requests meanwhile."""
    busy.enter()
    try:
        await asyncio.sleep(seconds)
    finally:
        busy.leave()
    return {"waited": seconds}


@app.get("/busy")
async def busy_report(reset: bool = False) -> dict[str, int]:
    """How many /slow requests were in the handler at once (peak since the last reset)."""
    return busy.report(reset)
