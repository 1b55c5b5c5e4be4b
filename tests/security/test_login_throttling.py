"""Login throttling (django-axes): a (username, IP) pair is locked after 5
failures for 15 minutes; colleagues behind the same office IP keep working; a
forged X-Forwarded-For changes nothing."""

import datetime

import pytest
import time_machine
from django.test import Client

from tests.factories import PASSWORD, member
from tests.security.conftest import login_form

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
