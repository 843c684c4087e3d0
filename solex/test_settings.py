"""Settings for the test suite: the production settings with fast, inspectable backends."""

import tempfile
from pathlib import Path

from solex.settings import *  # noqa: F403

# Email is captured in django.core.mail.outbox; tasks run at once, inside the test.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Uploaded files go to a fresh directory per test run, never to the data directory.
SOLEX_FILES_DIR = Path(tempfile.mkdtemp(prefix="solex-files-"))
