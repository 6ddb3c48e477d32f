"""Validation of the create request: a ModelForm derives its fields and rules from the model."""

from django import forms

from interview_lab.apps.notes_django.models import Note


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["title", "body"]
