"""WSGI entry point used by the production server that `solex run` starts."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solex.settings")
application = get_wsgi_application()
