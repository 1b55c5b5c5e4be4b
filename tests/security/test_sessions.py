"""Sessions: idle timeout, log out everywhere, password rules."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory
from tests.security.conftest import logged_in_client

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 11, 2, 2, 0, tzinfo=datetime.UTC)


def test_a_session_idle_for_more_than_30_minutes_ends_and_says_why(pjoprov_member, security_events):
    with time_machine.travel(T0, tick=False):
        client = logged_in_client(pjoprov_member)
        assert client.get("/tugas/").status_code == 200
    with time_machine.travel(T0 + datetime.timedelta(minutes=31), tick=False):
        response = client.get("/tugas/?status=terbuka")
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?")
        assert "sesi=habis" in response.url and "next=%2Ftugas%2F%3Fstatus%3Dterbuka" in response.url
        assert "_auth_user_id" not in client.session
        page = client.get(response.url).content.decode()
        assert "lama tidak ada aktivitas" in page
    assert security_events("session.idle_timeout")[0].username == pjoprov_member.username


def test_activity_keeps_a_session_alive(pjoprov_member):
    with time_machine.travel(T0, tick=False) as traveller:
        client = logged_in_client(pjoprov_member)
        for _ in range(4):
            traveller.shift(datetime.timedelta(minutes=20))
            assert client.get("/").status_code == 200


def test_the_session_cookie_has_an_absolute_lifetime_of_a_working_day(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60


def test_log_out_everywhere_ends_the_other_sessions_and_keeps_this_one(pjoprov_member, security_events):
    office = logged_in_client(pjoprov_member)
    phone = logged_in_client(pjoprov_member)
    assert phone.get("/").status_code == 200
    response = office.post("/akun/keamanan/keluar-semua/", {"logout-password": PASSWORD})
    assert response.status_code == 302
    assert office.get("/").status_code == 200
    assert phone.get("/").status_code == 302
    pjoprov_member.refresh_from_db()
    assert pjoprov_member.check_password(PASSWORD)
    event = AuditEvent.objects.get(action="account.sessions_revoked")
    assert event.user == pjoprov_member and event.target_id == str(pjoprov_member.pk)
    assert security_events("session.logout_everywhere")


def test_log_out_everywhere_with_a_wrong_password_changes_nothing(pjoprov_member):
    office = logged_in_client(pjoprov_member)
    phone = logged_in_client(pjoprov_member)
    password_hash = type(pjoprov_member).objects.get(pk=pjoprov_member.pk).password
    response = office.post("/akun/keamanan/keluar-semua/", {"logout-password": "bukan-ini"})
    assert response.status_code == 400
    assert "Kata sandi salah" in response.content.decode()
    assert phone.get("/").status_code == 200
    assert type(pjoprov_member).objects.get(pk=pjoprov_member.pk).password == password_hash
    assert not AuditEvent.objects.filter(action="account.sessions_revoked").exists()


@pytest.mark.parametrize("method", ["get", "put"])
def test_log_out_everywhere_only_accepts_post(pjoprov_member, method):
    client = logged_in_client(pjoprov_member)
    assert getattr(client, method)("/akun/keamanan/keluar-semua/").status_code == 405


def test_the_account_page_explains_sessions_and_links_the_password_change(pjoprov_member):
    page = logged_in_client(pjoprov_member).get("/akun/keamanan/").content.decode()
    assert "30 menit" in page
    assert "Keluar dari semua perangkat lain" in page
    assert 'for="id_logout-password"' in page
    assert "/accounts/password/" in page


def test_a_password_change_ends_the_other_sessions_too(pjoprov_member):
    office = logged_in_client(pjoprov_member)
    phone = logged_in_client(pjoprov_member)
    response = office.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Rapat-bulanan-2026", "new_password2": "Rapat-bulanan-2026"},
    )
    assert response.status_code == 302
    assert office.get("/").status_code == 200
    assert phone.get("/").status_code == 302


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("pendek1!", "terlalu pendek"),
        ("5829164730581", "seluruhnya terdiri dari angka"),
        ("password123", "terlalu umum"),
    ],
)
def test_weak_passwords_are_refused_in_indonesian(password, reason):
    user = UserFactory.build(username="budi.santoso")
    with pytest.raises(ValidationError) as info:
        validate_password(password, user)
    assert any(reason in message for message in info.value.messages), info.value.messages


def test_a_password_like_the_username_is_refused():
    user = UserFactory.build(username="budisantoso", full_name="Budi Santoso")
    with pytest.raises(ValidationError):
        validate_password("budisantoso1", user)


def test_a_ten_character_passphrase_is_accepted():
    validate_password("kopi-pagi-77", UserFactory.build(username="siti"))


def test_anonymous_gets_the_login_page_not_the_account_page():
    response = Client().get("/akun/keamanan/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
