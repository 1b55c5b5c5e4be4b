"""Structured security events: one log record per event, its fields passed as
`extra` so that the JSON formatter (LOG_FORMAT=json) writes them as keys.

Every record carries who (user id and username), what (event, path, method,
status...), from where (ip, user agent) and when (the formatter's time)."""

import logging

from core.middleware import request_client_ip

log = logging.getLogger("pnpm.security")


def _who(user):
    if user is not None and getattr(user, "is_authenticated", False):
        return {"user_id": user.pk, "username": user.get_username()}
    return {"user_id": None, "username": None}


def event(name, request=None, *, user=None, level=logging.INFO, **fields):
    """Log the security event `name` (e.g. "login.failed")."""
    data = {"event": name}
    if request is not None:
        if user is None:
            user = getattr(request, "user", None)
        data.update(
            ip=request_client_ip(request),
            method=request.method,
            path=request.path[:300],
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
        )
    data.update(_who(user))
    data.update(fields)
    # The message repeats the essentials for the plain format.
    log.log(level, "%s user=%s ip=%s %s", name, data["username"], data.get("ip"), data.get("path", ""), extra=data)
