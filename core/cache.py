"""The shared cache (Redis in production) as an optional speed-up.

What the application keeps there can always be worked out again from the
database, so a cache that does not answer must cost only that work, never a
failed page. `cache_call` returns None instead of raising, logs one warning,
and leaves the cache alone for CACHE_RETRY_SECONDS (per process) so that a
stopped Redis does not add a connection timeout to every request.

`RedisCache` is the backend the settings name when REDIS_URL is set.
"""

import logging
import time

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

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


class RedisCache(DjangoRedisCache):
    """Django's Redis cache, keeping one redis.Redis client per connection
    pool. Django's makes a new client for every call, and redis-py copies its
    table of response callbacks into each: about 0.12 ms, more than a GET of
    a small value over the loopback. A client is safe to share between
    threads (each command takes a connection from the pool)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClientRedis


class _SharedClientRedis(RedisCacheClient):
    # Uses RedisCacheClient's pools and servers as Django 5.2 lays them out;
    # tests/core/test_redis_cache.py runs it against Redis in CI.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client
