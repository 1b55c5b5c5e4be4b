"""Login throttling (django-axes): a (username, IP) pair is locked after 5
failures for 15 minutes; colleagues behind the same office IP keep working; a
forged X-Forwarded-For changes nothing."""

import datetime

import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, member
from tests.security.conftest import login_form
from tests.security.test_two_factor import enrol

pytestmark = pytest.mark.django_db

OFFICE_IP = "203.0.113.10"


def fail(client, username, times, **extra):
    return [login_form(client, username, "salah-sekali", **extra).status_code for _ in range(times)]


@pytest.fixture
def office(pjoprov_member, colleague):
    return pjoprov_member, colleague


def test_five_wrong_passwords_lock_that_account_from_that_address_with_an_indonesian_page(axes_on, office):
    user, _ = office
    client = Client(REMOTE_ADDR=OFFICE_IP)
    assert fail(client, user.username, 4) == [200] * 4
    response = login_form(client, user.username, "salah-sekali")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Terlalu banyak percobaan masuk" in page
    assert "15 menit" in page
    # Even the right password is refused now, and no session is opened.
    response = login_form(client, user.username)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_colleague_behind_the_same_office_address_can_still_log_in(axes_on, office):
    user, colleague = office
    fail(Client(REMOTE_ADDR=OFFICE_IP), user.username, 6)
    response = login_form(Client(REMOTE_ADDR=OFFICE_IP), colleague.username)
    assert response.status_code == 302


def test_the_owner_can_still_log_in_from_another_address(axes_on, office):
    user, _ = office
    fail(Client(REMOTE_ADDR=OFFICE_IP), user.username, 6)
    assert login_form(Client(REMOTE_ADDR="198.51.100.7"), user.username).status_code == 302


def test_a_forged_x_forwarded_for_does_not_reset_the_count(axes_on, office):
    user, _ = office
    client = Client(REMOTE_ADDR=OFFICE_IP)
    statuses = [
        login_form(client, user.username, "salah", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code for i in range(6)
    ]
    assert statuses[-1] == 429
    response = login_form(client, user.username, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_each_client_address_counts_on_its_own(axes_on, office, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    user, _ = office
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    fail(proxy, user.username, 6, HTTP_X_REAL_IP=OFFICE_IP)
    assert login_form(proxy, user.username, HTTP_X_REAL_IP=OFFICE_IP).status_code == 429
    assert login_form(proxy, user.username, HTTP_X_REAL_IP="198.51.100.7").status_code == 302


def test_an_x_real_ip_from_an_untrusted_address_is_ignored(axes_on, office, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    user, _ = office
    client = Client(REMOTE_ADDR=OFFICE_IP)
    statuses = [
        login_form(client, user.username, "salah", HTTP_X_REAL_IP=f"198.51.100.{i}").status_code for i in range(6)
    ]
    assert statuses[-1] == 429


def test_the_lock_ends_after_the_cool_off(axes_on, office):
    user, _ = office
    start = datetime.datetime(2026, 11, 2, 3, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        fail(Client(REMOTE_ADDR=OFFICE_IP), user.username, 6)
        assert login_form(Client(REMOTE_ADDR=OFFICE_IP), user.username).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        assert login_form(Client(REMOTE_ADDR=OFFICE_IP), user.username).status_code == 302


def test_a_successful_login_resets_the_count(axes_on, office):
    user, _ = office
    client = Client(REMOTE_ADDR=OFFICE_IP)
    fail(client, user.username, 4)
    assert login_form(client, user.username).status_code == 302
    client.post("/accounts/logout/")
    assert fail(client, user.username, 4) == [200] * 4


def test_an_unknown_username_is_throttled_like_a_known_one(axes_on, db):
    client = Client(REMOTE_ADDR=OFFICE_IP)
    assert fail(client, "tidak-ada", 6)[-1] == 429


def test_the_admin_login_is_throttled_too(axes_on, db):
    admin = member("seknas", username="admin-seknas", is_staff=True, is_superuser=True)
    client = Client(REMOTE_ADDR=OFFICE_IP)
    for _ in range(5):
        client.post("/admin/login/", {"username": admin.username, "password": "salah"})
    response = client.post("/admin/login/?next=/admin/", {"username": admin.username, "password": PASSWORD})
    assert response.status_code == 429


def test_failed_logins_and_the_lockout_are_logged_with_who_and_where(axes_on, office, security_events):
    user, _ = office
    fail(Client(REMOTE_ADDR=OFFICE_IP, HTTP_USER_AGENT="Firefox"), user.username, 5)
    failed = security_events("login.failed")
    assert len(failed) == 5
    assert {(r.attempted_username, r.ip, r.path) for r in failed} == {(user.username, OFFICE_IP, "/accounts/login/")}
    assert "salah-sekali" not in str([vars(r) for r in failed])
    locked = security_events("login.locked_out")
    assert locked and locked[0].attempted_username == user.username and locked[0].ip == OFFICE_IP


# Issue 19, finding 8: every form that checks the password of a live session
# counts towards the same lockout as the login form.
def logout_everywhere(client, password):
    return client.post("/akun/keamanan/keluar-semua/", {"logout-password": password})


def disable_two_factor(client, password):
    return client.post("/akun/dua-langkah/matikan/", {"disable-password": password})


def change_password(client, password):
    new = "Baru-sekali-2026"
    return client.post("/accounts/password/", {"old_password": password, "new_password1": new, "new_password2": new})


PASSWORD_FORMS = {"logout_everywhere": logout_everywhere, "disable": disable_two_factor, "change": change_password}


def session_of(user, form):
    client = Client(REMOTE_ADDR=OFFICE_IP)
    assert login_form(client, user.username).status_code == 302
    if form == "disable":
        enrol(client)
    return client


@pytest.mark.parametrize("form", PASSWORD_FORMS)
def test_wrong_passwords_in_a_live_session_lock_the_account_like_the_login_form(axes_on, gubernur_office, form):
    post = PASSWORD_FORMS[form]
    client = session_of(gubernur_office, form)
    limit = axes_on.AXES_FAILURE_LIMIT
    statuses = [post(client, f"salah-{i}").status_code for i in range(limit)]
    assert statuses[: limit - 1] == [400 if form != "change" else 200] * (limit - 1)
    assert statuses[-1] == 429
    assert "Terlalu banyak percobaan masuk" in post(client, "salah-lagi").content.decode()
    # Locked: the right password is refused on the form and at the login page.
    assert post(client, PASSWORD).status_code == 429
    gubernur_office.refresh_from_db()
    assert gubernur_office.check_password(PASSWORD)
    assert TOTPDevice.objects.filter(user=gubernur_office).exists() == (form == "disable")
    assert login_form(Client(REMOTE_ADDR=OFFICE_IP), gubernur_office.username).status_code == 429
    # The owner elsewhere is not locked (the pair is username and address).
    assert login_form(Client(REMOTE_ADDR="198.51.100.7"), gubernur_office.username).status_code == 302


@pytest.mark.parametrize("form", PASSWORD_FORMS)
def test_failures_on_the_login_form_and_in_a_session_add_up(axes_on, gubernur_office, form):
    client = session_of(gubernur_office, form)
    fail(Client(REMOTE_ADDR=OFFICE_IP), gubernur_office.username, axes_on.AXES_FAILURE_LIMIT - 1)
    assert PASSWORD_FORMS[form](client, "salah").status_code == 429
    assert login_form(Client(REMOTE_ADDR=OFFICE_IP), gubernur_office.username).status_code == 429


def test_the_right_password_on_these_forms_still_works_below_the_limit(axes_on, gubernur_office):
    client = session_of(gubernur_office, "change")
    assert logout_everywhere(client, "salah").status_code == 400
    assert logout_everywhere(client, PASSWORD).status_code == 302
    response = change_password(client, PASSWORD)
    assert response.status_code == 302 and response.url == "/accounts/password/done/"
