"""pytest: fast hashing, locmem email, the same databases as configured by env."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
STORAGES["default"]["OPTIONS"]["location"] = VAR_DIR / "test-media"  # noqa: F405
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Test clients log in without a request (Client.login, force_login), which
# axes refuses; the throttling tests switch it on (tests/security/).
AXES_ENABLED = False
# Issued documents are unsigned unless a test asks for the demo certificates
# (tests/documents/conftest.py): signing every submission would slow the suite.
DOCUMENT_SIGNING_DIR = None
# The URL walk asks the verification pages many times a minute from one
# address; the throttling tests set their own limit.
VERIFICATION_RATE_PER_MINUTE = 10_000
# One Redis shared by the pytest-xdist workers would mix their users (each
# worker has its own database, so the same ids); tests/conftest.py empties
# this per-process cache before every test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
