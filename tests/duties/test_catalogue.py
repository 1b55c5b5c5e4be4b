"""The duty catalogue kept for the task lists: what it holds, when it is
read again, and that a cache that does not answer costs only a query."""

import logging

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from actors.models import ActorKind
from core import cache as shared_cache
from duties.catalogue import KEY, duties_of_kinds, duty_catalogue
from duties.models import Duty
from tests.factories import actor


@pytest.fixture(autouse=True)
def _cache_answers(monkeypatch):
    monkeypatch.setattr(shared_cache, "_down_until", 0.0)


def test_it_holds_every_duty_with_its_kind_in_order(db, django_assert_num_queries):
    expected = [d.ref for d in Duty.objects.select_related("kind")]
    with django_assert_num_queries(1):
        duties = duty_catalogue()
    assert [d.ref for d in duties] == expected
    with django_assert_num_queries(0):
        assert [(d.pk, d.ref, d.text) for d in duty_catalogue()] == [(d.pk, d.ref, d.text) for d in duties]
    kind = actor("pjoprov").kind_id
    assert {d.kind_id for d in duties_of_kinds({kind})} == {kind}
    assert len(duties_of_kinds({kind})) == Duty.objects.filter(kind_id=kind).count()


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

    monkeypatch.setattr(cache, "get", refuse)
    monkeypatch.setattr(cache, "set", refuse)
    # Nothing was kept, so it is read again; one warning, then the cache is left alone.
    with caplog.at_level(logging.WARNING, logger="core.cache"), django_assert_num_queries(2):
        first, second = duty_catalogue(), duty_catalogue()
    assert len(first) == Duty.objects.count() > 0
    assert [d.pk for d in first] == [d.pk for d in second]
    assert len([r for r in caplog.records if r.name == "core.cache"]) == 1
