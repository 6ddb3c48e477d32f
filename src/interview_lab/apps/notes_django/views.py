"""V of MVT: which data a request gets. The same JSON endpoint twice, plus an HTML page.

* ``notes_fbv``: a function-based view; it branches on ``request.method`` itself.
* ``NotesView``: a class-based view; ``View.dispatch`` calls the method named
  after the HTTP verb and answers 405 (with an ``Allow`` header) for the rest.
* ``NoteListPage``: a generic class-based view; ``ListView`` fetches the queryset
  and renders the template ``notes_django/note_list.html`` (the T of MVT).
* ``note_create_page``: the HTML form's target; CSRF protection applies, as for
  every unsafe request unless a view is marked ``csrf_exempt``.

The JSON views are ``csrf_exempt`` because API clients send no CSRF cookie
(a real API authenticates with tokens instead; see lesson 18).
"""

import time

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import ListView

from interview_lab.apps.notes_django.forms import NoteForm
from interview_lab.apps.notes_django.models import Note


def _create(request: HttpRequest) -> JsonResponse:
    form = NoteForm(request.POST)  # validates title (required, <= 100 chars) and body
    if not form.is_valid():
        errors = {field: [e["message"] for e in errs]
                  for field, errs in form.errors.get_json_data().items()}
        return JsonResponse({"errors": errors}, status=400)
    return JsonResponse(form.save().as_dict(), status=201)


def _list() -> JsonResponse:
    return JsonResponse({"notes": [note.as_dict() for note in Note.objects.all()]})


# --- function-based view --------------------------------------------------------------------
@csrf_exempt
@require_http_methods(["GET", "POST"])
def notes_fbv(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return _create(request)
    return _list()


# --- class-based view: one method per HTTP verb ---------------------------------------------
@method_decorator(csrf_exempt, name="dispatch")
class NotesView(View):
    def get(self, request: HttpRequest) -> JsonResponse:
        return _list()

    def post(self, request: HttpRequest) -> JsonResponse:
        return _create(request)


def note_detail(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(get_object_or_404(Note, pk=pk).as_dict())


# --- MVT: a generic view that renders a template -------------------------------------------
class NoteListPage(ListView):
    model = Note  # template: notes_django/note_list.html, context: object_list / note_list


@require_POST
def note_create_page(request: HttpRequest):
    form = NoteForm(request.POST)
    if form.is_valid():
        form.save()
    return redirect("note-page")


# --- the handlers every framework version has -------------------------------------------------
_busy = {"now": 0, "peak": 0}


def ping(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ping": "pong"})


def slow(request: HttpRequest) -> JsonResponse:
    seconds = float(request.GET.get("seconds", 0.1))
    _busy["now"] += 1
    _busy["peak"] = max(_busy["peak"], _busy["now"])
    try:
        time.sleep(seconds)  # a sync worker is held for the whole wait
    finally:
        _busy["now"] -= 1
    return JsonResponse({"waited": seconds})


def busy(request: HttpRequest) -> JsonResponse:
    seen = dict(_busy)
    if request.GET.get("reset") == "true":
        _busy["peak"] = _busy["now"]
    return JsonResponse(seen)
