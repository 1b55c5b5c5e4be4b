from rest_framework.throttling import SimpleRateThrottle

from core.cache import cache_call
from core.middleware import request_client_ip

from .models import PersonalAccessToken


class OptionalCache:
    """The shared cache through core.cache.cache_call: while Redis does not
    answer the API is served, unthrottled, instead of failing (the rule every
    use of the cache follows). DRF's throttles read and write only get/set."""

    def get(self, key, default=None):
        value = cache_call("get", key)
        return default if value is None else value

    def set(self, key, value, timeout=None):
        cache_call("set", key, value, timeout)


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token (a session counts per person, anyone else per
    client address, core.middleware.request_client_ip: never the
    X-Forwarded-For a client can write): settings.REST_FRAMEWORK
    ["DEFAULT_THROTTLE_RATES"]["token"] (API_RATE). DRF keeps each key's
    recent request times in the cache and reads and writes them in two
    steps, so many requests at the same instant may pass a few over the rate."""

    scope = "token"
    cache = OptionalCache()

    def get_cache_key(self, request, view):
        if isinstance(request.auth, PersonalAccessToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{request_client_ip(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
