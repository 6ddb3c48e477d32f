"""Plausible wrong answers for solutions/16_frameworks_compared.ipynb; each must fail its check.

No ``from __future__ import annotations`` here: FastAPI reads the handlers' annotations at
runtime, and the request models are local classes it could not find from strings.
"""

import os
from pathlib import Path

from django.http import JsonResponse
from django.views import View
from django.views.decorators.http import require_http_methods
from fastapi import FastAPI, HTTPException
from flask import Blueprint, request
from pydantic import BaseModel, Field
from werkzeug.utils import secure_filename

# --- make_notes_blueprint ------------------------------------------------------------------------


def blueprint_reads_json():
    """Reads the body as JSON, as a FastAPI habit would: form posts have no JSON."""
    bp, notes = Blueprint("notes", __name__), []

    @bp.get("/")
    def list_notes():
        return {"notes": notes}

    @bp.post("/")
    def create_note():
        data = request.get_json(silent=True) or {}
        title = str(data.get("title", "")).strip()
        if not 1 <= len(title) <= 100:
            return {"error": "title"}, 400
        note = {"id": len(notes) + 1, "title": title, "body": data.get("body", ""),
                "tags": data.get("tag", [])}
        notes.append(note)
        return note, 201

    return bp


def blueprint_first_tag_only():
    """`request.form.get("tag")` keeps only the first of the repeated fields."""
    bp, notes = Blueprint("notes", __name__), []

    @bp.get("/")
    def list_notes():
        return {"notes": notes}

    @bp.post("/")
    def create_note():
        title = request.form.get("title", "").strip()
        if not 1 <= len(title) <= 100:
            return {"error": "title"}, 400
        tag = request.form.get("tag")
        note = {"id": len(notes) + 1, "title": title, "body": request.form.get("body", ""),
                "tags": [tag] if tag else []}
        notes.append(note)
        return note, 201

    return bp


_shared_notes: list[dict] = []


def blueprint_module_level_store():
    """One list at module level: every blueprint (and every test) shares the same notes."""
    bp = Blueprint("notes", __name__)

    @bp.get("/")
    def list_notes():
        return {"notes": _shared_notes}

    @bp.post("/")
    def create_note():
        title = request.form.get("title", "").strip()
        if not 1 <= len(title) <= 100:
            return {"error": "title"}, 400
        note = {"id": len(_shared_notes) + 1, "title": title,
                "body": request.form.get("body", ""), "tags": request.form.getlist("tag")}
        _shared_notes.append(note)
        return note, 201

    return bp


def blueprint_no_blank_check():
    """`request.form["title"]` rejects a missing field, but a blank one slips through."""
    bp, notes = Blueprint("notes", __name__), []

    @bp.get("/")
    def list_notes():
        return {"notes": notes}

    @bp.post("/")
    def create_note():
        title = request.form["title"].strip()
        note = {"id": len(notes) + 1, "title": title, "body": request.form.get("body", ""),
                "tags": request.form.getlist("tag")}
        notes.append(note)
        return note, 201

    return bp


# --- save_upload ---------------------------------------------------------------------------------


def save_as_sent(upload, folder, allowed):
    """Trusts the client's file name: `../../evil.txt` climbs out of the folder."""
    name = upload.filename or ""
    if not name or Path(name).suffix.lower() not in allowed:
        raise ValueError(name)
    target, copy = Path(folder) / name, 0
    while target.exists():
        copy += 1
        target = Path(folder) / f"{Path(name).stem}-{copy}{Path(name).suffix}"
    upload.save(target)
    return target.name


def save_basename(upload, folder, allowed):
    """os.path.basename strips the directories but keeps spaces and brackets in the name."""
    name = os.path.basename(upload.filename or "")
    if not name or name in {".", ".."} or Path(name).suffix.lower() not in allowed:
        raise ValueError(name)
    target, copy = Path(folder) / name, 0
    while target.exists():
        copy += 1
        target = Path(folder) / f"{Path(name).stem}-{copy}{Path(name).suffix}"
    upload.save(target)
    return target.name


def save_case_sensitive(upload, folder, allowed):
    """Compares the extension as written: `.TXT` is refused."""
    name = secure_filename(upload.filename or "")
    if not name or Path(name).suffix not in allowed:
        raise ValueError(name)
    target, copy = Path(folder) / name, 0
    while target.exists():
        copy += 1
        target = Path(folder) / f"{Path(name).stem}-{copy}{Path(name).suffix}"
    upload.save(target)
    return target.name


def save_overwrites(upload, folder, allowed):
    """Saves under the safe name even when that file exists: the earlier upload is lost."""
    name = secure_filename(upload.filename or "")
    if not name or Path(name).suffix.lower() not in allowed:
        raise ValueError(name)
    upload.save(Path(folder) / name)
    return name


def save_checks_any_extension(upload, folder, allowed):
    """Accepts a name if any of its extensions is allowed: `notes.txt.exe` gets through."""
    name = secure_filename(upload.filename or "")
    if not name or not any(s.lower() in allowed for s in Path(name).suffixes):
        raise ValueError(name)
    target, copy = Path(folder) / name, 0
    while target.exists():
        copy += 1
        target = Path(folder) / f"{Path(name).stem}-{copy}{Path(name).suffix}"
    upload.save(target)
    return target.name


# --- make_notes_view -----------------------------------------------------------------------------


def view_function_based(store):
    """A function view with require_http_methods: HEAD and OPTIONS get 405."""

    @require_http_methods(["GET", "POST"])
    def notes_view(request):
        if request.method == "POST":
            title = request.POST.get("title", "").strip()
            if not 1 <= len(title) <= 100:
                return JsonResponse({"errors": {"title": ["1-100"]}}, status=400)
            note = {"id": len(store) + 1, "title": title, "body": request.POST.get("body", "")}
            store.append(note)
            return JsonResponse(note, status=201)
        return JsonResponse({"notes": store})

    return notes_view


class _ClassListView(View):
    notes: list = []  # the bug: one list in the class body, the caller's list is ignored

    def get(self, request):
        return JsonResponse({"notes": self.notes})

    def post(self, request):
        title = request.POST.get("title", "").strip()
        if not 1 <= len(title) <= 100:
            return JsonResponse({"errors": {"title": ["1-100"]}}, status=400)
        note = {"id": len(self.notes) + 1, "title": title, "body": request.POST.get("body", "")}
        self.notes.append(note)
        return JsonResponse(note, status=201)


def view_class_attribute_store(store):
    """Ignores `store` and keeps notes in a class attribute shared by every view."""
    _ClassListView.notes = []
    return _ClassListView.as_view()


def view_created_200(store):
    """Everything right except the status of a create: 200 instead of 201."""

    class NotesView(View):
        notes: list | None = None

        def get(self, request):
            return JsonResponse({"notes": self.notes})

        def post(self, request):
            title = request.POST.get("title", "").strip()
            if not 1 <= len(title) <= 100:
                return JsonResponse({"errors": {"title": ["1-100"]}}, status=400)
            note = {"id": len(self.notes) + 1, "title": title,
                    "body": request.POST.get("body", "")}
            self.notes.append(note)
            return JsonResponse(note)

    return NotesView.as_view(notes=store)


# --- make_notes_api ------------------------------------------------------------------------------


def _api(title_field, *, created: int = 201, id_type: type = int, shared: dict | None = None):
    class NoteIn(BaseModel):
        title: str = title_field
        body: str = ""

    api = FastAPI()
    notes: dict = shared if shared is not None else {}

    @api.post("/notes", status_code=created)
    async def create_note(note: NoteIn) -> dict:
        new = {"id": len(notes) + 1, **note.model_dump()}
        notes[new["id"]] = new
        return new

    @api.get("/notes")
    async def list_notes() -> dict:
        return {"notes": list(notes.values())}

    async def get_note(note_id) -> dict:
        found = notes.get(int(note_id)) if str(note_id).isdigit() else None
        if found is None:
            raise HTTPException(status_code=404, detail="note not found")
        return found

    get_note.__annotations__["note_id"] = id_type
    api.get("/notes/{note_id}")(get_note)
    return api


def api_no_length_limits():
    """`title: str` with no Field limits: an empty title is created."""
    return _api(...)


def api_default_status():
    """Forgets status_code=201: FastAPI answers 200 to the create."""
    return _api(Field(min_length=1, max_length=100), created=200)


def api_str_id():
    """`note_id: str`: "abc" gets 404 instead of 422."""
    return _api(Field(min_length=1, max_length=100), id_type=str)


_shared_api_notes: dict = {}


def api_module_level_store():
    """One dict at module level: a second app sees the first one's notes."""
    return _api(Field(min_length=1, max_length=100), shared=_shared_api_notes)


WRONG = {
    "make_notes_blueprint": [blueprint_reads_json, blueprint_first_tag_only,
                             blueprint_module_level_store, blueprint_no_blank_check],
    "save_upload": [save_as_sent, save_basename, save_case_sensitive, save_overwrites,
                    save_checks_any_extension],
    "make_notes_view": [view_function_based, view_class_attribute_store, view_created_200],
    "make_notes_api": [api_no_length_limits, api_default_status, api_str_id,
                       api_module_level_store],
}
