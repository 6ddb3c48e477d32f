"""The JSON API of the Flask notes app, as a Blueprint: routes that any app can mount.

A Blueprint records routes (and error handlers, hooks, templates, static files)
without an app; ``app.register_blueprint(notes_bp, url_prefix="/api/notes")``
copies them onto the app under that prefix, with endpoint names prefixed by the
blueprint's name (``notes.list_notes``).

Create reads HTML-form fields from ``request.form``; an attachment arrives as a
multipart file in ``request.files`` and is saved under a name made safe by
``secure_filename`` (a client-chosen name such as ``../../app.py`` must never
become a path).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, request
from werkzeug.utils import secure_filename

notes_bp = Blueprint("notes", __name__)

ALLOWED_EXTENSIONS = {".txt", ".md", ".png", ".jpg"}


def _store():
    return current_app.extensions["notes_store"]


@notes_bp.get("/")
def list_notes() -> dict:
    return {"notes": _store().all()}


@notes_bp.post("/")
def create_note() -> tuple[dict, int]:
    title = request.form.get("title", "").strip()  # form fields only: JSON bodies are not here
    if not title or len(title) > 100:
        return {"errors": {"title": ["required, 1-100 characters"]}}, 400
    return _store().add(title, request.form.get("body", "")), 201


@notes_bp.get("/<int:note_id>")
def get_note(note_id: int) -> dict:
    note = _store().get(note_id)
    if note is None:
        abort(404)
    return note


@notes_bp.post("/<int:note_id>/attachment")
def attach(note_id: int) -> tuple[dict, int]:
    if _store().get(note_id) is None:
        abort(404)
    if not current_app.config["UPLOAD_DIR"]:
        return {"error": "uploads are not configured"}, 503
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return {"error": "send the file as multipart field 'file'"}, 400
    name = secure_filename(upload.filename)
    if Path(name).suffix.lower() not in ALLOWED_EXTENSIONS:
        return {"error": f"file type not allowed: {upload.filename!r}"}, 400
    target = Path(current_app.config["UPLOAD_DIR"]) / f"{note_id}-{name}"
    upload.save(target)
    return {"note": note_id, "saved_as": target.name, "bytes": target.stat().st_size}, 201
