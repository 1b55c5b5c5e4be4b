"""Session rules applied to every request, and the log of refused access."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse

from core.middleware import return_path

from . import logs, sessions


class AllowedMethodsMiddleware:
    """Every page of the app is read with GET (HEAD) and changed with POST
    (forms); any other method (PUT, PATCH, DELETE, OPTIONS, TRACE, ...) is a
    405 for everybody, before the session, the login check or a view sees it.
    Function views that take no POST refuse it themselves (require_safe)."""

    ALLOWED = ("GET", "HEAD", "POST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.ALLOWED:
            return HttpResponseNotAllowed(self.ALLOWED)
        return self.get_response(request)


class SessionSecurityMiddleware:
    """Ends a session idle for longer than SESSION_IDLE_TIMEOUT, and keeps a
    user whose second factor is pending away from every page but the code
    page (and logout). Runs before LoginRequiredMiddleware's view check, so an
    ended session is simply an anonymous request from there on."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def open_paths(self):
        # Reversed lazily: the URL conf is not ready when middleware is built.
        if self._open_paths is None:
            self._open_paths = {
                reverse(name)
                for name in ("security:otp_verify", "security:otp_enrol", "logout", "set_language", "healthz")
            }
        return self._open_paths

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self.check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request, user):
        session = request.session
        now = sessions.now()
        last_seen = session.get(sessions.LAST_SEEN)
        if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
            logs.event("session.idle_timeout", request, user=user, idle_seconds=now - last_seen)
            logout(request)
            # A form sent after the idle timeout returns to its page (core.middleware.return_path).
            query = urlencode({"next": return_path(request), "sesi": "habis"})
            return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{query}")
        if last_seen is None or now - last_seen >= sessions.TOUCH_EVERY:
            session[sessions.LAST_SEEN] = now
        if session.get(sessions.OTP_PENDING):
            if user.is_verified():
                del session[sessions.OTP_PENDING]
            elif request.path not in self.open_paths() and not request.path.startswith(settings.STATIC_URL):
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('security:otp_verify')}?{query}")
        return None


class RefusedAccessLogMiddleware:
    """Logs every 403 and 404 answer (who, what, from where) as the security
    event "access.refused". The access helpers raise Http404 for what the user
    may not see and PermissionDenied for what they may not do; the reason
    field says which, or "response" for a view that answered 403/404 itself
    and "csrf" for a refused form token."""

    STATUSES = {403, 404}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in self.STATUSES:
            match = getattr(request, "resolver_match", None)
            logs.event(
                "access.refused",
                request,
                level=logging.WARNING,
                status=response.status_code,
                view=match.view_name if match else None,
                reason=getattr(request, "_refused_by", "response"),
            )
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            request._refused_by = "Http404"
        elif isinstance(exception, PermissionDenied):
            request._refused_by = "PermissionDenied"
        return None
