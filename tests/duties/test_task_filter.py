"""The task list's filter form: an unbound one is made once per language and
set of duties for as long as the duty catalogue is kept
(duties.views.filter_html); a bound one every time, with the person's values."""

import pytest
from django.urls import reverse

from core import cache as shared_cache
from duties import catalogue
from duties.models import Duty

FILTER = "duties/_task_filter.html"
URL = reverse("duties:task_list")


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(shared_cache, "_down_until", 0.0)
    monkeypatch.setattr(catalogue, "_kept", None)


def made(response):
    """Whether the filter's template was rendered for this response."""
    return FILTER in [t.name for t in response.templates]


def test_an_unbound_filter_is_made_once_and_shown_the_same(login, pjoprov_member):
    client = login(pjoprov_member)
    first = client.get(URL)
    again = client.get(URL)
    assert made(first) and not made(again)
    assert first.context["filter_html"] == again.context["filter_html"]
    assert 'name="duty"' in again.content.decode() and "PjOProv-1." in again.content.decode()


def test_it_is_made_per_language_and_per_set_of_duties(login, pjoprov_member, gubernur_office):
    pjoprov = login(pjoprov_member)
    assert made(pjoprov.get(URL))
    pjoprov.cookies["django_language"] = "en"
    english = pjoprov.get(URL)
    assert made(english) and "All statuses" in english.content.decode()
    # The Governor's office oversees more kinds: their duties are the
    # overseen list's filter, not its own list's.
    gubernur = login(gubernur_office)
    page = gubernur.get(reverse("duties:overseen_task_list"))
    assert made(page) and "TKPKD-1." in page.content.decode()
    own = gubernur.get(URL)
    assert made(own) and "Gubernur-1." in own.content.decode() and "TKPKD-1." not in own.content.decode()
    assert "TKPKD-1." not in pjoprov.get(URL).content.decode()


def test_it_goes_with_the_catalogue_when_a_duty_or_kind_is_saved(login, pjoprov_member):
    client = login(pjoprov_member)
    client.get(URL)
    kind = Duty.objects.filter(kind__code="pjoprov").first().kind
    kind.short_name = "PJO-BARU"
    kind.save()
    page = client.get(URL)
    assert made(page) and "PJO-BARU-1." in page.context["filter_html"]


def test_a_bound_filter_is_made_every_time_with_the_persons_values(login, pjoprov_member):
    client = login(pjoprov_member)
    client.get(URL)
    for _ in range(2):
        page = client.get(URL, {"period": "bad"})
        assert page.status_code == 400 and made(page)
        assert 'value="bad"' in page.context["filter_html"]
        assert "Periode tidak valid" in page.context["filter_html"]
    assert not made(client.get(URL))


def test_without_a_kept_catalogue_it_is_made_every_time(login, pjoprov_member, settings):
    settings.DUTY_CATALOGUE_SECONDS = 0
    client = login(pjoprov_member)
    assert made(client.get(URL)) and made(client.get(URL))
