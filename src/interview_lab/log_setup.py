"""Production logging pieces for the API lessons: a request id, redaction, JSON, dictConfig.

- ``request_id`` is a context variable. A middleware sets it once per request;
  ``RequestIdFilter`` copies it onto every record, so every line logged while
  handling that request, in any function, carries it. asyncio tasks and
  Starlette's thread pool copy the context, so concurrent requests never mix ids.
- ``RedactFilter`` masks secrets before a record is formatted: values of
  secret-looking keys in ``extra`` fields and dict arguments, and
  ``password=...`` / ``Bearer ...`` in the message text.
- ``config()`` builds a ``logging.config.dictConfig`` dictionary: JSON lines
  (python-json-logger) to a stream and to a size-rotated file, filters on the
  handlers (where they see records from child loggers too).
- ``configured()`` applies such a dictionary in a running process (a notebook
  kernel) and puts the previous logging set-up back afterwards.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import logging.config
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

REQUEST_ID_HEADER = "x-request-id"
_VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

SECRET_KEYS = frozenset({"password", "passwd", "secret", "token", "access_token",
                         "refresh_token", "api_key", "apikey", "authorization", "cookie",
                         "set-cookie", "card_number", "cvv"})
MASK = "***"
_SECRET_TEXT = [
    (re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1" + MASK),
    (re.compile(r"(?i)\b(password|passwd|secret|token|api_key)=([^\s&;,]+)"), r"\1=" + MASK),
]
# Attributes every LogRecord has; anything else on a record came from `extra=` or a filter.
_STANDARD = frozenset(logging.LogRecord("x", logging.INFO, "x", 0, "", (), None).__dict__) | {
    "message", "asctime", "taskName"}


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(header: str | None) -> str:
    """The caller's id if it looks like one (short, no spaces or newlines), else a new one.

    Never log a header verbatim: a client could send newlines or megabytes.
    """
    return header if header is not None and _VALID_ID.fullmatch(header) else new_request_id()


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` from the context variable (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def mask_secrets(value: Any) -> Any:
    """A copy of ``value`` with the values of secret-looking keys replaced by ``***``."""
    if isinstance(value, dict):
        return {k: MASK if isinstance(k, str) and k.lower() in SECRET_KEYS else mask_secrets(v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(mask_secrets(v) for v in value)
    return value


def mask_text(text: str) -> str:
    for pattern, replacement in _SECRET_TEXT:
        text = pattern.sub(replacement, text)
    return text


class RedactFilter(logging.Filter):
    """Masks secrets in a record's message, arguments and extra fields before formatting."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_text(record.getMessage())
        record.args = None
        for key in [k for k in vars(record) if k not in _STANDARD]:
            value = getattr(record, key)
            setattr(record, key, MASK if key.lower() in SECRET_KEYS else mask_secrets(value))
        return True


JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": ["levelname", "name", "message"],
    "rename_fields": {"levelname": "level", "name": "logger"},
    "timestamp": "time",
}


def config(*, stream: Any = "ext://sys.stderr", file: str | Path | None = None,
           level: str = "INFO", logger: str = "shop", max_bytes: int = 10_000_000,
           backups: int = 5, root: bool = False) -> dict:
    """A dictConfig dictionary: JSON lines with request ids, secrets masked, file rotated.

    ``logger`` gets the handlers (``root=True`` puts them on the root logger instead,
    as a service does); the filters sit on the handlers, so records from child
    loggers (``shop.orders``) pass through them too.
    """
    handlers: dict[str, dict] = {
        "console": {"class": "logging.StreamHandler", "stream": stream,
                    "formatter": "json", "filters": ["request_id", "redact"]},
    }
    if file is not None:
        handlers["file"] = {"class": "logging.handlers.RotatingFileHandler",
                            "filename": str(file), "maxBytes": max_bytes,
                            "backupCount": backups, "encoding": "utf-8",
                            "formatter": "json", "filters": ["request_id", "redact"]}
    target = {"level": level, "handlers": list(handlers)}
    result: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "interview_lab.log_setup.RequestIdFilter"},
                    "redact": {"()": "interview_lab.log_setup.RedactFilter"}},
        "formatters": {"json": dict(JSON_FORMATTER)},
        "handlers": handlers,
        "loggers": {"httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
    }
    if root:
        result["root"] = target
    else:
        result["loggers"][logger] = {**target, "propagate": False}
    return result


def service_config(file: str | Path, *, max_bytes: int = 10_000_000, backups: int = 5) -> dict:
    """The config a server process loads (``uvicorn --log-config file.json``): JSON, no objects.

    Everything goes to the rotated file through the root logger; uvicorn's own
    access log is switched off, because the app's middleware logs each request
    with its id, status and duration.
    """
    result = config(stream="ext://sys.stderr", file=file, root=True, max_bytes=max_bytes,
                    backups=backups)
    result["handlers"]["console"]["level"] = "WARNING"
    result["loggers"].update({"uvicorn.error": {"level": "WARNING"},
                              "uvicorn.access": {"level": "WARNING", "propagate": False}})
    return result


def write_json(data: dict, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def read_json_lines(*paths: str | Path) -> list[dict]:
    """Every JSON line of the given files that exist (rotated files first: pass oldest first)."""
    lines = []
    for path in paths:
        if Path(path).exists():
            lines += [json.loads(line) for line in Path(path).read_text("utf-8").splitlines()
                      if line.strip()]
    return lines


def rotated_files(path: str | Path) -> list[Path]:
    """``app.log`` and its backups ``app.log.1``, ``app.log.2``... oldest first."""
    path = Path(path)
    backups = sorted(path.parent.glob(path.name + ".*"), key=lambda p: int(p.suffix[1:]),
                     reverse=True)
    return [*backups, *([path] if path.exists() else [])]


# --- apply a config in a running process, and undo it ------------------------------------


def _state(logger: logging.Logger) -> tuple:
    return (logger.level, logger.propagate, logger.disabled, list(logger.handlers),
            list(logger.filters))


@contextlib.contextmanager
def configured(settings: dict) -> Iterator[None]:
    """``logging.config.dictConfig(settings)`` inside the block; the old set-up after it.

    dictConfig is meant to run once at start-up: it closes every existing handler
    and may disable existing loggers. In a notebook kernel (or a test process)
    that would leak into everything that runs later, so this puts back every
    logger's level, handlers, filters and ``disabled`` flag, and closes the
    handlers the config created (flushing and closing its files).
    """
    manager = logging.root.manager
    saved = {name: _state(lg) for name, lg in manager.loggerDict.items()
             if isinstance(lg, logging.Logger)}
    saved_root = _state(logging.root)
    before = set(saved)
    try:
        logging.config.dictConfig(settings)
        yield
    finally:
        loggers = {name: lg for name, lg in manager.loggerDict.items()
                   if isinstance(lg, logging.Logger)}
        kept = {id(h) for state in [*saved.values(), saved_root] for h in state[3]}
        for lg in [logging.root, *loggers.values()]:
            for handler in lg.handlers:
                if id(handler) not in kept:
                    handler.close()
        for name, lg in loggers.items():
            level, propagate, disabled, handlers, filters = (
                saved[name] if name in before else (logging.NOTSET, True, False, [], []))
            lg.setLevel(level)
            lg.propagate, lg.disabled = propagate, disabled
            lg.handlers[:], lg.filters[:] = handlers, filters
        level, _propagate, disabled, handlers, filters = saved_root
        logging.root.setLevel(level)
        logging.root.disabled = disabled
        logging.root.handlers[:], logging.root.filters[:] = handlers, filters


def by_request(records: list[dict]) -> dict[str, list[str]]:
    """Each request id's lines, in file order: ``logger: message``, or for access lines
    ``logger: METHOD /path status``."""
    trail: dict[str, list[str]] = {}
    for record in records:
        if "status" in record:
            line = f"{record['logger']}: {record['method']} {record['path']} {record['status']}"
        else:
            line = f"{record['logger']}: {record['message']}"
        trail.setdefault(record.get("request_id", "-"), []).append(line)
    return trail
