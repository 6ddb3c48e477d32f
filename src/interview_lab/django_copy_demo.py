"""A tiny Django app for the copy-semantics lesson: settings, URLs and views in one module.

The lesson calls it with Django's test client, in the notebook's own process,
so no server, port or database is involved::

    from interview_lab import django_copy_demo
    django_copy_demo.setup()
    from django.test import Client
    Client().get("/copy-then-change/?tag=a").json()

Every view answers a question about copies of request data:

* ``/change-in-place/``: writes into ``request.GET``; Django raises
  ``AttributeError: This QueryDict instance is immutable`` (the test client
  re-raises it in the caller).
* ``/copy-then-change/``: ``request.GET.copy()`` is mutable and independent.
* ``/try-change-post/``: the same rule for ``request.POST``, caught and reported.
* ``/dict-of-get/``: ``dict(request.GET)`` is a shallow copy that shares the
  value lists with ``request.GET``, so appending to one changes the request.
* ``/report-shallow/`` and ``/report-deep/``: a view that copies the
  module-level ``DEFAULT_REPORT`` with ``dict.copy()`` leaks one request's
  filters into every later request; ``copy.deepcopy`` does not.
"""

from __future__ import annotations

import copy
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path

DEFAULT_REPORT: dict[str, Any] = {}
"""Module-level defaults that every request starts from (refilled by ``reset_defaults``)."""


def fresh_defaults() -> dict[str, Any]:
    """The pristine defaults: a page size and a nested filter list."""
    return {"page_size": 20, "filters": {"status": ["active"]}}


def reset_defaults() -> None:
    """Put ``DEFAULT_REPORT`` back to its pristine contents (same dict object)."""
    DEFAULT_REPORT.clear()
    DEFAULT_REPORT.update(fresh_defaults())


reset_defaults()

_ready = False


def setup() -> None:
    """Configure Django for this module and run ``django.setup()``; safe to call again.

    No database, no installed apps, no middleware: only URL routing and views.
    ``ALLOWED_HOSTS`` lists ``testserver``, the host name the test client sends.
    """
    global _ready
    if _ready:
        return
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="interview-lab-demo-only",
            ROOT_URLCONF=__name__,
            ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"],
            INSTALLED_APPS=[],
            MIDDLEWARE=[],
            DATABASES={},
            USE_TZ=True,
        )
    elif settings.ROOT_URLCONF != __name__:
        raise RuntimeError(
            f"Django is already configured with ROOT_URLCONF={settings.ROOT_URLCONF!r}; "
            "restart the kernel to run this demo"
        )
    django.setup()
    _ready = True


# --- views ---------------------------------------------------------------------

def change_in_place(request: HttpRequest) -> JsonResponse:
    """Write into request.GET directly: Django refuses (AttributeError)."""
    request.GET["page"] = request.GET.get("page", "1")  # raises: request.GET is immutable
    return JsonResponse({"next": request.GET.urlencode()})


def copy_then_change(request: HttpRequest) -> JsonResponse:
    """Copy request.GET, change the copy, report both."""
    params = request.GET.copy()
    params["page"] = "1"
    params.appendlist("tag", "added")
    stored = dict(request.GET.lists())  # lists() yields the QueryDict's own value lists
    return JsonResponse({
        "original": request.GET.urlencode(),
        "copy": params.urlencode(),
        "copy_type": type(params).__name__,
        "lists_shared": any(values is stored.get(key) for key, values in params.lists()),
    })


def try_change_post(request: HttpRequest) -> JsonResponse:
    """Try to write into request.POST; report the error, then change a copy."""
    try:
        request.POST["note"] = "added"
        error = ""
    except AttributeError as exc:
        error = f"{type(exc).__name__}: {exc}"
    params = request.POST.copy()
    params["note"] = "added"
    return JsonResponse({"error": error, "original": request.POST.dict(), "copy": params.dict()})


def dict_of_get(request: HttpRequest) -> JsonResponse:
    """dict(request.GET) maps each key to the QueryDict's own value list: a shallow copy."""
    plain = dict(request.GET)
    before = request.GET.getlist("tag")
    plain["tag"].append("sneaked-in")
    return JsonResponse({"before": before, "after": request.GET.getlist("tag")})


def report_shallow(request: HttpRequest) -> JsonResponse:
    """The bug: a shallow copy of the defaults, then a nested change."""
    config = DEFAULT_REPORT.copy()
    config["filters"]["status"].extend(request.GET.getlist("status"))
    return JsonResponse(config)


def report_deep(request: HttpRequest) -> JsonResponse:
    """The fix: a deep copy, so the nested filter list is this request's own."""
    config = copy.deepcopy(DEFAULT_REPORT)
    config["filters"]["status"].extend(request.GET.getlist("status"))
    return JsonResponse(config)


urlpatterns = [
    path("change-in-place/", change_in_place),
    path("copy-then-change/", copy_then_change),
    path("try-change-post/", try_change_post),
    path("dict-of-get/", dict_of_get),
    path("report-shallow/", report_shallow),
    path("report-deep/", report_deep),
]
