"""Logins, logouts, failed logins and lockouts go to the security log; a
login also prepares the session (idle clock, second-factor challenge)."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import logs, sessions


@receiver(user_logged_in, dispatch_uid="security.logged_in")
def on_logged_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    sessions.start(request, user)
    logs.event("login.succeeded", request, user=user)


@receiver(user_logged_out, dispatch_uid="security.logged_out")
def on_logged_out(sender, request, user, **kwargs):
    if request is not None:
        logs.event("logout", request, user=user)


@receiver(user_login_failed, dispatch_uid="security.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in `credentials` by stars.
    username = str(credentials.get("username", ""))[:150]
    if request is not None:
        logs.event("login.failed", request, level=logging.WARNING, attempted_username=username)
    else:
        logs.event("login.failed", level=logging.WARNING, attempted_username=username)


@receiver(user_locked_out, dispatch_uid="security.locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    logs.event(
        "login.locked_out",
        request,
        level=logging.WARNING,
        attempted_username=str(username or "")[:150],
        locked_ip=ip_address,
    )
