"""The Celery app. Configuration comes from Django settings (CELERY_*)."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pnpm_prov.settings.dev")

app = Celery("pnpm_prov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders(**_kwargs):
    """kombu's filesystem transport needs its folders before anything connects."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


worker_init.connect(ensure_broker_folders)
beat_init.connect(ensure_broker_folders)
