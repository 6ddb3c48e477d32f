"""The app's configuration: its import path and the label its tables are named after."""

from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "interview_lab.apps.notes_django"
    label = "notes_django"  # tables are called notes_django_<model>
    default_auto_field = "django.db.models.BigAutoField"
