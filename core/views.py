import functools
import os

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"down: {type(exc).__name__}"
    return "ok"


@functools.cache
def _redis(url):
    """One client (and connection pool) per process: a health check every few
    seconds should not open and close a connection each time. A connection
    broken while Redis was down is replaced on the next call."""
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def check_broker():
    url = settings.CELERY_BROKER_URL
    try:
        if url.startswith(("redis://", "rediss://", "unix://")):
            _redis(url).ping()
        elif url.startswith("filesystem://"):
            folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
            if not (os.path.isdir(folder) and os.access(folder, os.W_OK)):
                return "down: broker folder missing or read-only"
        else:
            return "down: unsupported broker URL"
    except Exception as exc:
        return f"down: {type(exc).__name__}"
    return "ok"


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """Liveness for load balancers and monitoring: 200 when the database and
    the broker answer, 503 (with which one is down) otherwise."""
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
