import pytest
from django.test import Client

from tests.factories import PASSWORD, member
from tests.urlwalk import all_routes, sample_path

pytestmark = pytest.mark.django_db

# meetings:ical_feed is authenticated by its secret token (calendar apps cannot log in).
PUBLIC = {
    "login",
    "healthz",
    "set_language",
    "admin:login",
    "admin:logout",
    "appointments:account_activate",
    "meetings:ical_feed",
    "favicon",  # the icon, on the login page too (a redirect to the static file)
    # anyone holding a printed document checks it (tests/documents/test_verification.py)
    "documents:verify_form",
    "documents:verify",
    # the API's description, public (no data)
    "api:schema",
    "api:docs",
}


def test_login_page_is_indonesian_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="id">' in response.content.decode()
    assert "Masuk" in response.content.decode()


def test_login_with_the_right_password_lands_on_the_home_page(client, pjoprov_member):
    response = client.post("/accounts/login/", {"username": pjoprov_member.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"
    page = client.get("/").content.decode()
    assert "PjOProv Jawa Tengah" in page
    assert "Menyelenggarakan rapat rutin bulanan" in page


def test_wrong_password_shows_an_indonesian_error_and_no_session(client, pjoprov_member):
    response = client.post("/accounts/login/", {"username": pjoprov_member.username, "password": "salah"})
    assert response.status_code == 200
    assert "sandi yang benar" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_english_is_one_click_away_and_remembered(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page


def _protected_paths(api):
    for route, name in all_routes():
        path = sample_path(route)
        if path is None or name in PUBLIC or path.startswith("/api/") != api:
            continue
        yield pytest.param(path, name, id=name or path)


@pytest.mark.parametrize(("path", "name"), list(_protected_paths(api=False)))
def test_every_page_except_login_and_healthz_sends_anonymous_users_to_login(path, name):
    response = Client().get(path)
    assert response.status_code == 302, (name, path, response.status_code)
    assert response.url.startswith(("/accounts/login/?next=", "/admin/login/?next=")), response.url


@pytest.mark.parametrize(("path", "name"), list(_protected_paths(api=True)))
def test_every_api_endpoint_answers_401_without_a_token_or_a_session(path, name):
    response = Client().get(path)
    assert response.status_code in (401, 405), (name, path, response.status_code)
    if response.status_code == 401:
        assert response["WWW-Authenticate"].startswith("Bearer") and response.json()["detail"]


def test_healthz_and_login_need_no_login():
    assert Client().get("/healthz").status_code in (200, 503)
    assert Client().get("/accounts/login/").status_code == 200


def test_home_of_a_user_without_membership_says_what_to_do(login, db):
    from tests.factories import UserFactory

    page = login(UserFactory()).get("/").content.decode()
    assert "belum terdaftar" in page


def test_logout_is_a_post_and_ends_the_session(login, pjoprov_member):
    c = login(pjoprov_member)
    assert c.post("/accounts/logout/").status_code in (200, 302)
    assert c.get("/").status_code == 302


def test_actor_page_shows_who_it_answers_to_and_current_members(login, pjoprov_member):
    from tests.factories import actor

    tk = actor("tk-provinsi")
    page = login(pjoprov_member).get(f"/pelaku/{tk.pk}/").content.decode()
    assert "TK PNPM-MP Provinsi Jawa Tengah" in page
    assert "Gubernur" in page  # melapor kepada Gubernur
    assert "Menyusun laporan triwulan" in page


def test_actor_page_of_another_province_is_not_found(login, pjoprov_member):
    from tests.factories import actor

    assert login(pjoprov_member).get(f"/pelaku/{actor('tk-provinsi', '34').pk}/").status_code == 404


def test_seknas_sees_actor_pages_of_every_province(login, seknas_user):
    from tests.factories import actor

    assert login(seknas_user).get(f"/pelaku/{actor('kmw', '96').pk}/").status_code == 200


def test_an_ended_membership_does_not_open_the_province(login):
    import datetime

    user = member("pjoprov", "33", start=datetime.date(2001, 1, 1), end=datetime.date(2002, 1, 1))
    from tests.factories import actor

    assert login(user).get(f"/pelaku/{actor('pjoprov').pk}/").status_code == 404


def test_an_english_browser_still_gets_indonesian_until_the_switch_is_used(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in page
