"""The notes resource in Django: model, form, function- and class-based views, URLconf, template.

A Django project run as a real server (its own process), never configured in a
lesson's kernel: lesson 02 configures Django in-process with minimal settings,
and ``settings.configure`` can run only once per process. Serve it with::

    NOTES_DJANGO_DB=/tmp/x/notes.sqlite3 gunicorn interview_lab.apps.notes_django.wsgi

Modules: ``settings`` (the project), ``models`` (M), ``views`` (V: which data),
``templates/notes_django/`` (T: how it looks), ``urls`` (the URLconf that routes
each path to a view), ``forms`` (validation), ``admin`` (the admin site).
"""
