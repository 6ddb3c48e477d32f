"""The URLconf: Django's "controller", an ordered list of URL patterns, each naming a view."""

from django.contrib import admin
from django.urls import path

from interview_lab.apps.notes_django import views

urlpatterns = [
    path("api/notes/", views.notes_fbv, name="notes-fbv"),
    path("api/cbv/notes/", views.NotesView.as_view(), name="notes-cbv"),
    path("api/notes/<int:pk>", views.note_detail, name="note-detail"),
    path("notes/", views.NoteListPage.as_view(), name="note-page"),
    path("notes/create", views.note_create_page, name="note-create"),
    path("ping", views.ping),
    path("slow", views.slow),
    path("busy", views.busy),
    path("admin/", admin.site.urls),
]
