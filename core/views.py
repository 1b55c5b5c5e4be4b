import functools
import ipaddress
import os

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .middleware import request_client_ip


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


# Headers a reverse proxy adds: a request that carries one came through a
# proxy, whatever its REMOTE_ADDR says (nginx on the same machine connects
# from 127.0.0.1).
FORWARDING_HEADERS = ("HTTP_X_REAL_IP", "HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED")


def _loopback(address):
    try:
        return ipaddress.ip_address((address or "").strip()).is_loopback
    except ValueError:
        return False


def from_this_machine(request):
    """True for a request made on the server itself (monitoring, curl): its
    REMOTE_ADDR is a loopback address and, when a trusted proxy
    (TRUSTED_PROXIES) sent it, the client the proxy names in X-Real-IP is one
    too; a request forwarded by any other proxy is never local.
    X-Forwarded-For is never believed."""
    remote = request.META.get("REMOTE_ADDR")
    if not _loopback(remote):
        return False
    if remote in settings.TRUSTED_PROXIES:
        return _loopback(request_client_ip(request))
    return not any(request.META.get(header) for header in FORWARDING_HEADERS)


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """Liveness for load balancers and monitoring: 200 when the database and
    the broker answer, 503 otherwise. Which one is down (and the name of the
    error) is shown only on the server itself or to staff, not to the world."""
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(state == "ok" for state in checks.values())
    body = {"status": "ok" if healthy else "error"}
    if from_this_machine(request) or (request.user.is_authenticated and request.user.is_staff):
        body.update(checks)
    return JsonResponse(body, status=200 if healthy else 503)
