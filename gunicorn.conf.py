"""gunicorn reads this file when started from a checkout (`gunicorn wsgi:app`), so the
master owns the embedded store and the poll port however the server is started."""

from app.serving import gunicorn_options

globals().update(gunicorn_options())
