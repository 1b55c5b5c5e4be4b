"""Remembers where the current request came from, for the audit trail."""

import contextvars

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

_client_ip = contextvars.ContextVar("client_ip", default=None)


def client_ip():
    return _client_ip.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # REMOTE_ADDR only: behind a reverse proxy, the proxy must set it (see
        # docs/deploy.md); X-Forwarded-For from a client is never trusted here.
        token = _client_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
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
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
