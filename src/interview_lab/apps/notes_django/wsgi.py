"""The WSGI entry point gunicorn imports: ``interview_lab.apps.notes_django.wsgi:application``.

For a quick demo start it creates only this app's table, straight from the
model (``schema_editor().create_model``). A real project keeps migration files
and runs ``manage.py migrate`` once per release, as its own step; that also
creates the auth and session tables a working admin login needs, which this
demo skips (it only shows that the admin is there).
"""

import os

from django.core.wsgi import get_wsgi_application
from django.db import connection

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interview_lab.apps.notes_django.settings")
application = get_wsgi_application()

from interview_lab.apps.notes_django.models import Note  # noqa: E402  (needs the app registry)

if Note._meta.db_table not in connection.introspection.table_names():
    with connection.schema_editor() as editor:
        editor.create_model(Note)
connection.close()  # each worker opens its own connection when it serves a request
