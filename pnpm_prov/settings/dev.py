"""Local development: DEBUG on, a throwaway secret, embedded defaults."""

import warnings

from .base import *  # noqa: F403
from .base import env

# STATIC_ROOT only exists after collectstatic; in development whitenoise serves from the finders.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
