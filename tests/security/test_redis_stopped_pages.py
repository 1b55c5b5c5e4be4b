"""Redis stopped and started again under a running app (a private
redis-server, tests/celery_fixtures.py): the health view says so and recovers
with its kept connection; pages keep their navigation badges, counted
directly while the cache does not answer."""

import pytest
from django.test import override_settings
from django.urls import reverse

from core import cache as shared_cache

pytestmark = pytest.mark.django_db


def test_healthz_reports_a_stopped_redis_and_recovers_without_a_restart(client, settings, private_redis):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{private_redis.port}/0"
    assert client.get("/healthz").status_code == 200
    private_redis.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("down")
    private_redis.start()
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json()["broker"] == "ok"


def test_pages_keep_working_while_the_cache_is_stopped(login, pjoprov_member, private_redis, monkeypatch):
    monkeypatch.setattr(shared_cache, "_down_until", 0.0)
    cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{private_redis.port}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    client = login(pjoprov_member)
    with override_settings(CACHES={"default": cache}):
        from django.core.cache import cache as current

        assert client.get(reverse("duties:task_list")).status_code == 200
        assert current.get(f"nav-badges:{pjoprov_member.pk}") is not None
        private_redis.stop()
        for path in ("/", reverse("duties:task_list"), reverse("reports:report_list")):
            assert client.get(path).status_code == 200, path
        # A change sent now forgets the kept badges: that fails quietly too.
        response = client.post(reverse("duties:task_create"), {"title": ""})
        assert response.status_code == 400
        private_redis.start()
        monkeypatch.setattr(shared_cache, "_down_until", 0.0)
        client = login(pjoprov_member)
        assert client.get(reverse("duties:task_list")).status_code == 200
        assert current.get(f"nav-badges:{pjoprov_member.pk}") is not None
