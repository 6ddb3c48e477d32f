"""Helpers for lesson 15 (FastAPI essentials): a test client, the middleware stack, server logs.

The apps the lesson serves are in ``interview_lab.apps.fastapi_items`` and
``interview_lab.apps.fastapi_payload_log``; this module holds what the notebook
cells would otherwise repeat.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interview_lab.apps import fastapi_payload_log

# Starlette 1.x warns on import that its TestClient will need the `httpx2` package
# instead of `httpx`; the client works the same, so the lesson keeps that one warning quiet.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

__all__ = ["ResponseSentSpy", "TestClient", "chunks", "middleware_chain", "read_json_lines",
           "write_log_config"]


def middleware_chain(app: FastAPI) -> list[str]:
    """Class names of the ASGI layers a request passes through, outermost first.

    FastAPI builds this stack once, on the first request; ``build_middleware_stack``
    builds a fresh copy to look at without starting the app.
    """
    names, node = [], app.build_middleware_stack()
    while node is not app.router:
        names.append(type(node).__name__)
        node = node.app
    return names + ["router"]


def chunks(count: int, size: int) -> Iterator[bytes]:
    """A request body sent in ``count`` pieces (httpx streams a generator, chunked)."""
    for index in range(count):
        yield bytes([65 + index % 26]) * size


def write_log_config(folder: str | Path) -> tuple[str, str]:
    """Write a uvicorn ``--log-config`` JSON file into ``folder``; return (config, log file).

    The config sends the request-log lines of ``fastapi_payload_log`` to the log file.
    """
    folder = Path(folder)
    log_file, config = folder / "requests.log", folder / "log-config.json"
    config.write_text(json.dumps(fastapi_payload_log.log_config(str(log_file))), encoding="utf-8")
    return str(config), str(log_file)


def read_json_lines(path: str | Path) -> list[dict[str, Any]]:
    """Every line of a JSON-lines log file, parsed."""
    text = Path(path).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


class ResponseSentSpy:
    """Pure ASGI middleware: appends "response sent" to ``events`` once the last body byte left.

    Put it outermost (add it last) to see whether code ran before or after the
    client had its whole response.
    """

    def __init__(self, app: ASGIApp, events: list[str]) -> None:
        self.app = app
        self.events = events

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def spy(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.events.append("response sent")

        await self.app(scope, receive, spy)
