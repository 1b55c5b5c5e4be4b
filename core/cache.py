"""The shared cache (Redis in production) as an optional speed-up.

What the application keeps there can always be worked out again from the
database, so a cache that does not answer must cost only that work, never a
failed page. `cache_call` returns None instead of raising, logs one warning,
and leaves the cache alone for CACHE_RETRY_SECONDS (per process) so that a
stopped Redis does not add a connection timeout to every request.

The cache itself is Django's own (django.core.cache.backends.redis.RedisCache
when REDIS_URL is set, see the settings).
"""

import logging
import time

from django.core.cache import cache

log = logging.getLogger(__name__)

CACHE_RETRY_SECONDS = 5
_down_until = 0.0


def cache_call(method, *args):
    """cache.<method>(*args), or None while the cache does not answer."""
    global _down_until
    if time.monotonic() < _down_until:
        return None
    try:
        return getattr(cache, method)(*args)
    except Exception as exc:  # any backend error: Redis down, timeout, bad data
        _down_until = time.monotonic() + CACHE_RETRY_SECONDS
        log.warning("cache unavailable, working without it for %d s: %s", CACHE_RETRY_SECONDS, exc)
        return None
