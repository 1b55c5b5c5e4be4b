"""Remembers where the current request came from, for the audit trail; the
language; the login redirect of a form sent after the session expired."""

import contextvars
import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from .attention import forget_nav_badges
from .models import AuditEvent

_client_ip = contextvars.ContextVar("client_ip", default=None)
_via = contextvars.ContextVar("via", default="")

# The REST API's URLs (api/urls.py: /api/v1/...). Its views authenticate
# inside the view (a token or the session), after the middleware ran; the
# path alone says the request came through the API, whoever sent it.
API_PATH_PREFIX = "/api/"


def client_ip():
    return _client_ip.get()


def request_via():
    """How the current request reached the app, for the audit trail:
    AuditEvent.Via.API (the REST API), .WEB (a page, the admin), or "" outside
    any request (the reconcile, a command, the shell)."""
    return _via.get()


def via_of(request):
    return AuditEvent.Via.API if request.path_info.startswith(API_PATH_PREFIX) else AuditEvent.Via.WEB


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def request_client_ip(request):
    """The client's address: REMOTE_ADDR, unless REMOTE_ADDR is one of the
    TRUSTED_PROXIES, whose X-Real-IP (set by the proxy, overwriting anything
    the client sent; see docs/deploy.md) is used instead. X-Forwarded-For is
    never read: a client can write anything in it. The audit trail, the
    security logs and the login throttling (axes) all call this."""
    remote = request.META.get("REMOTE_ADDR")
    if remote and remote in settings.TRUSTED_PROXIES:
        return _valid_ip(request.META.get("HTTP_X_REAL_IP")) or remote
    return remote


# Browser features no page of the app uses, switched off for every page and
# any frame it might hold (only features browsers recognise: an unknown one
# is a console error in Chromium).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header on every response (Django's
    SecurityMiddleware sets the other security headers, django-csp the CSP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class NavBadgeMiddleware:
    """After a person sends a change (any method but GET, HEAD, OPTIONS), their
    next page counts the navigation's badges afresh (core.attention)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                forget_nav_badges(user)
        return response


class RequestContextMiddleware:
    """Keeps the client's address and how the request came (page or API) in
    context variables for core.audit while the request runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(request_client_ip(request))
        via_token = _via.set(via_of(request))
        try:
            return self.get_response(request)
        finally:
            _via.reset(via_token)
            _client_ip.reset(token)


class LanguageMiddleware:
    """Indonesian unless the person chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and
    many office browsers are set to English; the brief wants Indonesian by
    default with English one click away (remembered in the language cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        if chosen not in supported and request.path_info.startswith(API_PATH_PREFIX):
            # A program calling the API has no language switch: it asks with
            # Accept-Language (docs/api.md); Indonesian otherwise.
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(
            response, ("Cookie", "Accept-Language") if request.path_info.startswith(API_PATH_PREFIX) else ("Cookie",)
        )
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


def return_path(request):
    """Where to send someone after they log in again. For a GET, the page
    itself. For a POST (a form sent after the session ended), the page the
    form was on, from a same-site Referer: the POST's own URL is often an
    action that answers only POST, and the form page is where
    static/js/app.js restores what was typed (data-keep-draft)."""
    if request.method == "POST":
        referer = request.headers.get("Referer", "")
        if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            parts = urlsplit(referer)
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, except for a form sent after the
    session expired: its POST goes to an action URL (often POST-only), so
    after logging in the person is sent back to the page the form was on
    (the same-site Referer), where static/js/app.js restores what was typed
    (forms marked data-keep-draft)."""

    def handle_no_permission(self, request, view_func):
        from django.contrib.auth.views import redirect_to_login

        if request.method == "POST":
            return redirect_to_login(
                return_path(request),
                resolve_url(self.get_login_url(view_func)),
                self.get_redirect_field_name(view_func),
            )
        return super().handle_no_permission(request, view_func)
