"""Friendly failures: 403/404/500 pages in the app's layout and both
languages, with a way on; a form sent after the session expired brings the
person back to that form after logging in, where the draft script restores
what was typed (forms marked data-keep-draft)."""

import datetime
import pathlib

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory
from django.urls import reverse

from security.views import server_error
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def english(c):
    assert c.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    return c


def test_404_is_in_the_layout_with_navigation_and_a_way_home(login, pjoprov_member):
    response = login(pjoprov_member).get("/tugas/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'class="mainnav"' in page and '<main id="main"' in page
    assert "Halaman tidak ditemukan" in page
    assert f'href="{reverse("home")}"' in page and f'href="{reverse("duties:task_list")}"' in page


def test_404_speaks_english_after_the_switch(login, pjoprov_member):
    page = english(login(pjoprov_member)).get("/tugas/999999/").content.decode()
    assert '<html lang="en">' in page and "Page not found" in page and "Back to the home page" in page


def test_403_is_in_the_layout_says_nothing_changed_and_leads_home(login, pjoprov_member, gubernur_office):
    from home.reconcile import run_schedule
    from tests.factories import actor

    run_schedule(on=datetime.date(2026, 10, 12))
    task = actor("pjoprov").tasks.order_by("id").first()
    c = login(gubernur_office)  # oversees PjOProv: may see the task, not change it
    assert c.get(reverse("duties:task_detail", args=[task.pk])).status_code == 200
    response = c.post(reverse("duties:task_update", args=[task.pk]), {"status": "selesai"})
    page = response.content.decode()
    assert response.status_code == 403
    assert 'class="mainnav"' in page and "Tidak diizinkan" in page and "Tidak ada data yang diubah" in page
    assert f'href="{reverse("home")}"' in page
    page = english(c).post(reverse("duties:task_update", args=[task.pk]), {"status": "selesai"}).content.decode()
    assert "Not allowed" in page and "Nothing was changed" in page


def test_500_page_is_bilingual_styled_and_leads_home_without_the_database():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan pada server" in page and 'lang="en">Server error' in page
    assert "/static/css/app.css" in page and 'href="/"' in page and '<main id="main"' in page


def test_anonymous_get_goes_to_login_and_back_to_the_form(pjoprov_member):
    c = Client()
    form = reverse("duties:task_create")
    response = c.get(form)
    assert response.status_code == 302 and response.url == f"{reverse('login')}?next={form}"
    response = c.post(response.url, {"username": pjoprov_member.username, "password": PASSWORD})
    assert response.status_code == 302 and response.url == form


def test_a_form_sent_after_the_session_expired_returns_to_the_page_it_was_on(pjoprov_member):
    """The POST went to an action URL; the person goes back to the page with the form."""
    c = Client()
    page = "/tugas/5/"
    response = c.post("/tugas/5/status/", {"status": "selesai"}, HTTP_REFERER=f"http://testserver{page}?tab=1")
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/tugas/5/%3Ftab%3D1"
    login = c.post(response.url, {"username": pjoprov_member.username, "password": PASSWORD})
    assert login.url == "/tugas/5/?tab=1"


def test_a_foreign_referer_is_not_used_as_the_way_back():
    response = Client().post("/tugas/5/status/", {}, HTTP_REFERER="https://evil.example/tugas/5/")
    assert response.url == f"{reverse('login')}?next=/tugas/5/status/"


def test_long_forms_are_marked_to_keep_their_draft_and_the_script_is_on_every_page(login, pjoprov_member):
    page = login(pjoprov_member).get(reverse("duties:task_create")).content.decode()
    assert '<form method="post" novalidate data-keep-draft>' in page
    assert '<script src="/static/js/app.js" defer></script>' in page
    assert 'data-msg-draft-restored="Isian yang belum terkirim' in page


def test_the_draft_script_is_served_and_keys_drafts_by_page_and_form():
    path = finders.find("js/app.js")
    assert path
    script = pathlib.Path(path).read_text(encoding="utf-8")
    assert "form[data-keep-draft]" in script
    assert "window.location.pathname" in script and "localStorage" in script
    # Passwords and files are never written to the browser's storage.
    assert '"password", "file"' in script


@pytest.mark.parametrize(
    "template",
    [
        "appointments/proposal_form.html",
        "appointments/proposal_detail.html",
        "duties/task_create.html",
        "duties/task_detail.html",
        "meetings/attendance.html",
        "meetings/meeting_detail.html",
        "meetings/meeting_edit.html",
        "meetings/minutes_edit.html",
        "reports/incidental_create.html",
        "reports/version_detail.html",
        "reports/report_edit.html",
    ],
)
def test_every_form_where_people_write_text_keeps_its_draft(template):
    """A form with a textarea loses the most when a session expires."""
    source = (pathlib.Path(__file__).resolve().parents[2] / "templates" / template).read_text()
    forms = source.split("<form")[1:]
    with_text = [f for f in forms if "textarea" in f.split("</form>")[0] or "{% for field in" in f.split("</form>")[0]]
    assert any("data-keep-draft" in f.split(">", 1)[0] for f in forms)
    for form in with_text:
        assert "data-keep-draft" in form.split(">", 1)[0] or 'method="get"' in form.split(">", 1)[0], template


def test_a_form_sent_after_the_idle_timeout_returns_to_its_page_after_login(pjoprov_member):
    import time_machine

    t0 = datetime.datetime(2026, 11, 2, 2, 0, tzinfo=datetime.UTC)
    with time_machine.travel(t0, tick=False):
        c = Client()
        c.post(reverse("login"), {"username": pjoprov_member.username, "password": PASSWORD})
        assert c.get(reverse("duties:task_create")).status_code == 200
    with time_machine.travel(t0 + datetime.timedelta(minutes=45), tick=False):
        # The completion form is on the task page; it posts to a POST-only action URL.
        response = c.post("/tugas/5/status/", {"note": "Ditulis lama"}, HTTP_REFERER="http://testserver/tugas/5/")
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next=%2Ftugas%2F5%2F&sesi=habis"
        login = c.post(response.url, {"username": pjoprov_member.username, "password": PASSWORD})
        assert login.url == "/tugas/5/"
