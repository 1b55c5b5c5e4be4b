"""The task lists' filter form, rendered with Django's own form rendering
(templates/duties/_task_filter.html): the duties of the list's actors, in the
person's language, their choices and errors, and a link back to the list
without them. Nothing of it is kept between requests."""

import re

from django.urls import reverse

from duties.models import Duty

URL = reverse("duties:task_list")
OVERSEEN_URL = reverse("duties:overseen_task_list")


def form_html(response):
    return re.search(r'<form method="get" class="toolbar".*?</form>', response.content.decode(), re.S).group(0)


def test_an_unbound_filter_offers_every_status_and_the_lists_duties(login, pjoprov_member):
    html = form_html(login(pjoprov_member).get(URL))
    assert '<option value="" selected>Semua status</option>' in html
    assert '<option value="selesai">Selesai</option>' in html
    duties = Duty.objects.filter(kind__code="pjoprov")
    offered = re.findall(r'<option value="(\d+)">', html)
    assert offered == [str(d.pk) for d in duties]
    assert "PjOProv-1." in html and 'placeholder="2026-11"' in html
    assert '<input type="checkbox" name="overdue" id="id_overdue">' in html
    assert "Hapus saringan" not in html


def test_it_speaks_the_persons_language(login, pjoprov_member):
    client = login(pjoprov_member)
    client.cookies["django_language"] = "en"
    html = form_html(client.get(URL))
    assert "All statuses" in html and "Semua status" not in html


def test_each_list_offers_the_duties_of_its_own_actors(login, pjoprov_member, gubernur_office):
    gubernur = login(gubernur_office)
    overseen = form_html(gubernur.get(OVERSEEN_URL))
    own = form_html(gubernur.get(URL))
    assert "TKPKD-1." in overseen and "Gubernur-1." not in overseen
    assert "Gubernur-1." in own and "TKPKD-1." not in own
    assert "TKPKD-1." not in form_html(login(pjoprov_member).get(URL))


def test_a_saved_duty_kind_shows_on_the_next_list(login, pjoprov_member):
    client = login(pjoprov_member)
    client.get(URL)
    kind = Duty.objects.filter(kind__code="pjoprov").first().kind
    kind.short_name = "PJO-BARU"
    kind.save()
    html = form_html(client.get(URL))
    assert "PJO-BARU-1." in html and "PjOProv-1." not in html


def test_a_bound_filter_shows_the_persons_values_errors_and_a_way_back(login, pjoprov_member, gubernur_office):
    client = login(pjoprov_member)
    duty = Duty.objects.filter(kind__code="pjoprov").last()
    page = client.get(URL, {"status": "selesai", "duty": duty.pk, "overdue": "on", "period": "2026-11"})
    html = form_html(page)
    assert page.status_code == 200
    assert '<option value="selesai" selected>Selesai</option>' in html
    assert f'<option value="{duty.pk}" selected>' in html
    assert 'name="overdue" id="id_overdue" checked' in html and 'value="2026-11"' in html
    assert f'<a href="{URL}">Hapus saringan</a>' in html
    page = client.get(URL, {"period": "bad"})
    html = form_html(page)
    assert page.status_code == 400
    assert 'value="bad"' in html and '<div class="field has-error">' in html
    assert '<p class="error" role="alert">Periode tidak valid.' in html
    # The overseen list leads back to itself.
    html = form_html(login(gubernur_office).get(OVERSEEN_URL, {"status": "terbuka"}))
    assert f'<a href="{OVERSEEN_URL}">Hapus saringan</a>' in html
