"""The navigation's badges are kept per person for NAV_BADGE_SECONDS
(core.attention): a person's own change and the home page count them afresh,
other people's changes show once the time is up, and a cache that does not
answer changes nothing but the speed."""

import datetime
import logging
import os
import re
import uuid
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import attention
from core import cache as shared_cache
from duties.models import Task
from home.reconcile import run_schedule
from tests.factories import actor

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
DAY = datetime.date(2026, 10, 12)  # a Monday
TASK_LIST = reverse("duties:task_list")


@pytest.fixture
def monday():
    with time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=JAKARTA), tick=False) as traveller:
        run_schedule(on=DAY)
        yield traveller


@pytest.fixture(autouse=True)
def _cache_answers(monkeypatch):
    monkeypatch.setattr(shared_cache, "_down_until", 0.0)


def make_overdue(n):
    """n more open PjOProv Jawa Tengah tasks past their due date."""
    ids = list(
        Task.objects.filter(actor=actor("pjoprov"), status__in=Task.OPEN_STATUSES, due_date__gte=DAY)
        .order_by("id")
        .values_list("id", flat=True)[:n]
    )
    assert len(ids) == n
    Task.objects.filter(pk__in=ids).update(due_date=DAY - datetime.timedelta(days=3))
    return ids


def badge(client, path=TASK_LIST):
    """The number on the navigation's Tugas badge (0 when there is none)."""
    response = client.get(path)
    assert response.status_code == 200
    found = re.search(r"\((\d+) tugas terlambat\)</span></a>", response.content.decode())
    return int(found.group(1)) if found else 0


def queries(client, path=TASK_LIST):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_badges_are_kept_and_another_persons_change_shows_when_the_time_is_up(monday, login, pjoprov_member):
    client = login(pjoprov_member)
    make_overdue(1)
    client.get(TASK_LIST)  # what every list keeps (permission ids)
    attention.forget_nav_badges(pjoprov_member)
    cold = queries(client)
    assert badge(client) == 1
    assert queries(client) == cold - 1  # the counting query is not run again
    make_overdue(1)  # as if a colleague's task had just passed its due date
    assert badge(client) == 1
    monday.shift(datetime.timedelta(seconds=settings.NAV_BADGE_SECONDS + 1))
    assert badge(client) == 2


def test_a_persons_own_change_shows_on_their_next_page(monday, login, pjoprov_member):
    client = login(pjoprov_member)
    [task_id] = make_overdue(1)
    assert badge(client) == 1
    response = client.post(reverse("duties:task_update", args=[task_id]), {"status": "selesai", "note": "Sudah"})
    assert response.status_code == 302
    assert badge(client) == 0


def test_the_home_page_always_counts_and_refreshes_the_kept_badges(monday, login, pjoprov_member):
    client = login(pjoprov_member)
    make_overdue(1)
    assert badge(client) == 1
    make_overdue(2)
    assert badge(client, "/") == 3
    assert badge(client) == 3


def test_an_entry_kept_by_an_earlier_version_is_counted_again(monday, login, pjoprov_member):
    from django.core.cache import cache

    make_overdue(1)
    cache.set(f"nav-badges:{pjoprov_member.pk}", (DAY.isoformat(), {"tasks": 7}), 30)
    assert badge(login(pjoprov_member)) == 1


def test_the_national_entry_shows_for_seknas_only(monday, login, pjoprov_member, seknas_user):
    national = reverse("reports:national")
    assert f'href="{national}"' not in login(pjoprov_member).get(TASK_LIST).content.decode()
    client = login(seknas_user)
    assert f'href="{national}"' in client.get(TASK_LIST).content.decode()  # counted
    assert f'href="{national}"' in client.get(TASK_LIST).content.decode()  # kept


def test_badges_are_kept_per_person(monday, login, pjoprov_member, colleague):
    make_overdue(2)
    assert badge(login(pjoprov_member)) == 2
    assert badge(login(colleague)) == 0  # KMW's own tasks, not PjOProv's


def test_badges_are_counted_on_every_page_when_keeping_is_off(monday, login, pjoprov_member):
    client = login(pjoprov_member)
    with override_settings(NAV_BADGE_SECONDS=0):
        make_overdue(1)
        assert badge(client) == 1
        make_overdue(1)
        assert badge(client) == 2


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1: every cache call fails at once.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
)
def test_a_cache_that_does_not_answer_only_costs_the_counting(monday, login, pjoprov_member, caplog):
    client = login(pjoprov_member)
    make_overdue(1)
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert badge(client) == 1
        make_overdue(1)
        assert badge(client) == 2  # nothing was kept, so it is counted again
        response = client.post(
            reverse("duties:task_update", args=[make_overdue(1)[0]]), {"status": "selesai", "note": "x"}
        )
        assert response.status_code == 302
    warnings = [r for r in caplog.records if r.name == "core.cache"]
    # One warning, then the cache is left alone for CACHE_RETRY_SECONDS.
    assert len(warnings) == 1
    assert "cache unavailable" in warnings[0].getMessage()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL to keep badges in it")
def test_badges_kept_in_redis_are_shared_by_every_process(monday, login, pjoprov_member):
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # Test databases of parallel workers reuse ids: a prefix per test.
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    with override_settings(CACHES=redis_cache):
        from django.core.cache import cache

        make_overdue(1)
        assert badge(login(pjoprov_member)) == 1
        assert cache.get(f"nav-badges:{pjoprov_member.pk}") == (
            DAY.isoformat(),
            {"tasks": 1, "reports": 0, "proposals": 0, "notifications": 0, "national": 0, "assessment": 0, "ledger": 1},
        )
        make_overdue(1)
        # A second session (another browser, another gunicorn worker) gets what was kept.
        assert badge(login(pjoprov_member)) == 1
        cache.delete(f"nav-badges:{pjoprov_member.pk}")  # not clear(): that empties the whole Redis database
