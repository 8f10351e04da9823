"""gunicorn config: `gunicorn -c config/gunicorn.conf.py wsgi:app`.

Every value comes from the RESONATE_* settings (see the README), so this file and
`resonate serve` run the server the same way.
"""

from app.serving import gunicorn_options

globals().update(gunicorn_options())
