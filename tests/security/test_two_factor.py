"""Optional TOTP second factor for the Governor's office and seknas, which an
admin can make required per actor kind (security.TwoFactorPolicy)."""

import datetime
import time
from binascii import unhexlify

import pytest
import time_machine
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from actors.models import ActorKind
from core.models import AuditEvent
from security import services
from security.models import TwoFactorPolicy
from security.views import ENROL_KEY
from tests.factories import PASSWORD
from tests.security.conftest import logged_in_client, login_form

pytestmark = pytest.mark.django_db


def code(key_hex, offset=0):
    totp = TOTP(unhexlify(key_hex.encode()), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def enrol(client):
    page = client.get("/akun/dua-langkah/daftar/")
    assert page.status_code == 200
    key = client.session[ENROL_KEY]
    response = client.post("/akun/dua-langkah/daftar/", {"token": code(key)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return key


def require(kind_code):
    policy = TwoFactorPolicy.objects.get(kind__code=kind_code)
    services.do_set_two_factor_policy(policy, mode=TwoFactorPolicy.Mode.REQUIRED, by=None)


def test_every_actor_kind_has_a_policy_optional_for_the_governor_and_seknas():
    modes = dict(TwoFactorPolicy.objects.values_list("kind__code", "mode"))
    assert set(modes) == set(ActorKind.objects.values_list("code", flat=True))
    assert {k for k, m in modes.items() if m == "optional"} == {"gubernur", "seknas"}
    assert {k for k, m in modes.items() if m == "required"} == set()


def test_the_enrolment_page_shows_an_svg_qr_code_and_the_secret(gubernur_office):
    client = logged_in_client(gubernur_office)
    page = client.get("/akun/dua-langkah/daftar/").content.decode()
    assert "<svg" in page and "<path" in page
    assert "<script" not in page.split("<main")[1]
    assert 'for="id_token"' in page
    assert TOTPDevice.objects.count() == 0  # nothing stored before a code proves the app works


def test_a_wrong_code_enrols_nothing(gubernur_office):
    client = logged_in_client(gubernur_office)
    client.get("/akun/dua-langkah/daftar/")
    response = client.post("/akun/dua-langkah/daftar/", {"token": "000000"})
    assert response.status_code == 400
    assert "Kode tidak cocok" in response.content.decode()
    response = client.post("/akun/dua-langkah/daftar/", {"token": "<script>"})
    assert response.status_code == 400
    assert "Masukkan 6 angka" in response.content.decode()
    assert TOTPDevice.objects.count() == 0
    assert not AuditEvent.objects.filter(action="account.two_factor_enabled").exists()


def test_enrolling_stores_a_confirmed_device_and_audits_it(gubernur_office):
    client = logged_in_client(gubernur_office)
    key = enrol(client)
    device = TOTPDevice.objects.get(user=gubernur_office)
    assert device.confirmed and device.key == key
    assert AuditEvent.objects.filter(action="account.two_factor_enabled", user=gubernur_office).exists()
    assert client.get("/tugas/").status_code == 200


def test_after_enrolling_every_login_asks_for_the_code(gubernur_office, security_events):
    key = enrol(logged_in_client(gubernur_office))
    client = Client()
    assert login_form(client, gubernur_office.username).status_code == 302
    response = client.get("/tugas/")
    assert response.status_code == 302 and response.url.startswith("/akun/dua-langkah/verifikasi/?next=")
    assert client.get("/akun/keamanan/").status_code == 302
    assert client.post("/akun/dua-langkah/verifikasi/", {"token": "123456", "next": "/tugas/"}).status_code == 400
    assert security_events("otp.failed")
    # django-otp throttles after a failure (1 s, doubling): a retry at once is refused...
    assert client.post("/akun/dua-langkah/verifikasi/", {"token": code(key, 30), "next": "/tugas/"}).status_code == 400
    # ...and accepted once the throttle has passed (the next 30 s step, as the enrolment used this one).
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=35)
    with time_machine.travel(later, tick=False):
        response = client.post("/akun/dua-langkah/verifikasi/", {"token": code(key), "next": "/tugas/"})
        assert response.status_code == 302 and response.url == "/tugas/"
        assert client.get("/tugas/").status_code == 200


def test_the_code_page_refuses_an_outside_next_url(gubernur_office):
    key = enrol(logged_in_client(gubernur_office))
    client = Client()
    login_form(client, gubernur_office.username)
    response = client.post("/akun/dua-langkah/verifikasi/", {"token": code(key, 30), "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/"


def test_a_required_policy_sends_an_unenrolled_user_to_enrol_before_anything(gubernur_office):
    require("gubernur")
    client = Client()
    login_form(client, gubernur_office.username)
    response = client.get("/tugas/")
    assert response.url.startswith("/akun/dua-langkah/verifikasi/")
    response = client.get(response.url)
    assert response.status_code == 302 and response.url.startswith("/akun/dua-langkah/daftar/")
    page = client.get(response.url).content.decode()
    assert "wajib" in page
    enrol(client)
    assert client.get("/tugas/").status_code == 200


def test_a_required_second_factor_cannot_be_switched_off(gubernur_office):
    client = logged_in_client(gubernur_office)
    enrol(client)
    require("gubernur")
    response = client.post("/akun/dua-langkah/matikan/", {"disable-password": PASSWORD})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=gubernur_office).exists()


def test_an_optional_second_factor_can_be_switched_off_with_the_password(gubernur_office):
    client = logged_in_client(gubernur_office)
    enrol(client)
    assert client.post("/akun/dua-langkah/matikan/", {"disable-password": "salah"}).status_code == 400
    assert TOTPDevice.objects.filter(user=gubernur_office).exists()
    assert client.post("/akun/dua-langkah/matikan/", {"disable-password": PASSWORD}).status_code == 302
    assert not TOTPDevice.objects.filter(user=gubernur_office).exists()
    assert AuditEvent.objects.filter(action="account.two_factor_disabled").exists()


def test_kinds_without_a_second_factor_cannot_enrol(pjoprov_member):
    client = logged_in_client(pjoprov_member)
    assert client.get("/akun/dua-langkah/daftar/").status_code == 403
    assert "Verifikasi dua langkah tidak dipakai" in client.get("/akun/keamanan/").content.decode()


def test_users_without_a_second_factor_are_not_challenged(seknas_user):
    client = logged_in_client(seknas_user)
    assert client.get("/").status_code == 200


def test_changing_a_policy_is_audited_and_the_admin_goes_through_the_service(db):
    admin = TOTPDevice._meta.get_field("user").related_model.objects.create_superuser(
        "root", "root@example.invalid", "x-Very-long-pass-1"
    )
    client = Client()
    client.force_login(admin)
    policy = TwoFactorPolicy.objects.get(kind__code="seknas")
    response = client.post(f"/admin/security/twofactorpolicy/{policy.pk}/change/", {"mode": "required"})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.mode == "required"
    event = AuditEvent.objects.get(action="two_factor_policy.changed")
    assert event.changes == {"before": {"mode": "optional"}, "after": {"mode": "required"}}
    assert event.user == admin
