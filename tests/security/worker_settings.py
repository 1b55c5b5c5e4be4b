"""Settings for the Celery worker of the fault tests: the test settings, with
a visibility timeout of seconds instead of an hour, so that a message left
unacknowledged by a killed worker is delivered again within the test."""

from pnpm_prov.settings.test import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
