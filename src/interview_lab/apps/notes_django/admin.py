"""Register the model with the admin site: list, search, add, edit and delete pages, no code."""

from django.contrib import admin

from interview_lab.apps.notes_django.models import Note

admin.site.register(Note)
