"""The duty catalogue kept for the task lists: what it holds, when it is
read again (a save, another process's save, its age), and that a cache that
does not answer costs only a query."""

import logging

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from actors.models import ActorKind
from core import cache as shared_cache
from duties import catalogue
from duties.catalogue import KEY, duty_catalogue
from duties.models import Duty
from tests.factories import actor


@pytest.fixture(autouse=True)
def _cache_answers(monkeypatch):
    monkeypatch.setattr(shared_cache, "_down_until", 0.0)
    monkeypatch.setattr(catalogue, "_kept", None)


def test_it_holds_every_duty_with_its_kind_in_order(db, django_assert_num_queries):
    expected = [d.ref for d in Duty.objects.select_related("kind")]
    with django_assert_num_queries(1):
        duties = duty_catalogue()
    assert [d.ref for d in duties] == expected
    with django_assert_num_queries(0):
        assert [(d.pk, d.ref, d.text) for d in duty_catalogue()] == [(d.pk, d.ref, d.text) for d in duties]
    kind = actor("pjoprov").kind_id
    assert {d.kind_id for d in duty_catalogue().of_kinds({kind})} == {kind}
    assert len(duty_catalogue().of_kinds({kind})) == Duty.objects.filter(kind_id=kind).count()


def test_saving_a_duty_or_a_kind_drops_it(db):
    duty_catalogue()
    duty = Duty.objects.select_related("kind").first()
    duty.due_offset_days = 3
    duty.save()
    assert cache.get(KEY) is None
    duty_catalogue()
    kind = ActorKind.objects.get(pk=duty.kind_id)
    kind.short_name = "PjOProv*"
    kind.save()
    assert cache.get(KEY) is None
    assert next(d for d in duty_catalogue() if d.pk == duty.pk).ref.startswith("PjOProv*-")


def test_a_save_in_another_process_makes_this_one_read_it_again(db, django_assert_num_queries):
    duty_catalogue()
    # Another process dropped the version and the next reader made a new one.
    cache.set(KEY, "another-version", None)
    with django_assert_num_queries(1):
        duty_catalogue()
    with django_assert_num_queries(0):
        duty_catalogue()


def test_the_drop_is_repeated_when_the_transaction_commits(db, django_capture_on_commit_callbacks):
    duty = Duty.objects.first()
    with django_capture_on_commit_callbacks() as callbacks:
        duty.save()
        # A process that read the rows before the commit made a version meanwhile.
        cache.set(KEY, "read-before-the-commit", None)
    assert cache.get(KEY) == "read-before-the-commit"
    for callback in callbacks:
        callback()
    assert cache.get(KEY) is None


@override_settings(DUTY_CATALOGUE_SECONDS=300)
def test_it_is_read_again_after_duty_catalogue_seconds(db, monkeypatch, django_assert_num_queries):
    clock = [1000.0]
    monkeypatch.setattr(catalogue, "_clock", lambda: clock[0])
    duty_catalogue()
    clock[0] += 299
    with django_assert_num_queries(0):
        duty_catalogue()
    clock[0] += 2
    with django_assert_num_queries(1):
        duty_catalogue()


@override_settings(DUTY_CATALOGUE_SECONDS=0)
def test_zero_seconds_reads_it_every_time(db, django_assert_num_queries):
    duty_catalogue()
    with django_assert_num_queries(1):
        duty_catalogue()


def test_the_task_list_shows_a_renamed_kind_at_once(login, pjoprov_member):
    client = login(pjoprov_member)
    assert client.get(reverse("duties:task_list")).status_code == 200
    kind = actor("pjoprov").kind
    kind.short_name = "PJO-BARU"
    kind.save()
    page = client.get(reverse("duties:task_list")).content.decode()
    assert "PJO-BARU-" in page


def test_a_cache_that_does_not_answer_costs_a_query(db, monkeypatch, caplog, django_assert_num_queries):
    def refuse(*args, **kwargs):
        raise ConnectionError("refused")

    for method in ("get", "set", "add", "delete"):
        monkeypatch.setattr(cache, method, refuse)
    # Nothing was kept, so it is read again; one warning, then the cache is left alone.
    with caplog.at_level(logging.WARNING, logger="core.cache"), django_assert_num_queries(2):
        first, second = duty_catalogue(), duty_catalogue()
    assert len(first) == Duty.objects.count() > 0
    assert [d.pk for d in first] == [d.pk for d in second]
    assert len([r for r in caplog.records if r.name == "core.cache"]) == 1
