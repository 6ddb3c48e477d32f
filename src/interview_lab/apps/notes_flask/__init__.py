"""The notes resource in Flask: an app factory, a blueprint, a template, static files, uploads.

``create_app(upload_dir)`` builds the app; gunicorn calls it through
``interview_lab.apps.notes_flask:create_app()``, which reads the upload folder
from ``NOTES_UPLOAD_DIR``. The JSON API lives in a blueprint (``blueprint.py``)
registered under ``/api/notes``; the app itself serves the HTML page ``/`` (its
template links the stylesheet with ``url_for('static', ...)``), ``/static/...``
from the package's ``static/`` folder, and the same ``/ping``, ``/slow`` and
``/busy`` handlers as the FastAPI and Django versions (``/slow`` is an
``async def`` view here, to show that it does not make a WSGI worker concurrent).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from flask import Flask, render_template, request

from interview_lab.apps.notes_flask.blueprint import notes_bp
from interview_lab.apps.notes_store import InFlight, NoteStore

MAX_UPLOAD_BYTES = 1024 * 1024


def create_app(upload_dir: str | Path | None = None, store: NoteStore | None = None) -> Flask:
    """A new Flask app with its own note store.

    Uploads are saved in ``upload_dir`` (default: ``NOTES_UPLOAD_DIR`` from the
    environment); without either, the upload endpoint answers 503.
    """
    upload_dir = upload_dir or os.environ.get("NOTES_UPLOAD_DIR")
    app = Flask(__name__)  # static/ and templates/ are found next to this file
    app.config.update(UPLOAD_DIR=str(upload_dir) if upload_dir else None,
                      MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES)
    app.extensions["notes_store"] = store if store is not None else NoteStore()
    app.extensions["busy"] = InFlight()
    app.register_blueprint(notes_bp, url_prefix="/api/notes")

    @app.get("/")
    def index() -> str:
        return render_template("index.html", notes=app.extensions["notes_store"].all())

    @app.get("/ping")
    def ping() -> dict[str, str]:
        return {"ping": "pong"}

    @app.get("/slow")
    async def slow() -> dict[str, float]:
        # async def works in Flask (via asgiref), but Flask is WSGI: the view runs in an event
        # loop of its own inside the worker, and the worker still serves one request at a time.
        seconds = request.args.get("seconds", 0.1, type=float)
        busy = app.extensions["busy"]
        busy.enter()
        try:
            await asyncio.sleep(seconds)
        finally:
            busy.leave()
        return {"waited": seconds}

    @app.get("/busy")
    def busy_report() -> dict[str, int]:
        return app.extensions["busy"].report(request.args.get("reset") == "true")

    return app
