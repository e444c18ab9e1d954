"""WSGI entry point (gunicorn ties_cms.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ties_cms.settings")

application = get_wsgi_application()
