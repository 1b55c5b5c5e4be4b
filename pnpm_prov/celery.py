"""The Celery app. Configuration comes from Django settings (CELERY_*).

The filesystem broker's folders are made in one place, core.apps (ready()),
which runs in every process: web, worker and beat (Celery's Django fixup sets
Django up before the worker or beat connects)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pnpm_prov.settings.dev")

app = Celery("pnpm_prov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
