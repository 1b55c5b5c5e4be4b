"""Optional TOTP second factor for the Governor's office and seknas, which an
admin can make required per actor kind (security.TwoFactorPolicy)."""

import datetime
import time
from binascii import unhexlify

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from actors.models import ActorKind
from core.models import AuditEvent
from security import services, twofactor
from security.models import RecoveryCode, TwoFactorPolicy
from security.views import ENROL_KEY
from tests.factories import PASSWORD
from tests.security.conftest import logged_in_client, login_form

pytestmark = pytest.mark.django_db


def code(key_hex, offset=0):
    totp = TOTP(unhexlify(key_hex.encode()), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


ENROL = "/akun/dua-langkah/daftar/"
VERIFY = "/akun/dua-langkah/verifikasi/"


def enrol_with_codes(client, offset=0):
    """Enrol through the page; -> (key, the recovery codes shown once)."""
    page = client.get(ENROL)
    assert page.status_code == 200
    key = client.session[ENROL_KEY]
    response = client.post(ENROL, {"token": code(key, offset)})
    assert response.status_code == 200, response.content.decode()[:2000]
    assert "security/recovery_codes.html" in [t.name for t in response.templates]
    codes = response.context["codes"]
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]
    return key, codes


def enrol(client):
    return enrol_with_codes(client)[0]


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


def password_step_only(user):
    """A client that passed the password step alone (the second factor pending)."""
    client = Client()
    assert login_form(client, user.username).status_code == 302
    assert client.get("/tugas/").url.startswith(VERIFY)
    return client


def device_state(user):
    return list(TOTPDevice.objects.filter(user=user).values_list("pk", "key", "confirmed"))


@pytest.mark.parametrize("policy", ["optional", "required"])
def test_the_password_alone_cannot_enrol_over_the_owners_device(gubernur_office, policy, security_events):
    """Issue 19, finding 1: a login past the password step enrolled its own
    app, deleting the owner's, and was then fully signed in."""
    owner_key = enrol(logged_in_client(gubernur_office))
    if policy == "required":
        require("gubernur")
    before = device_state(gubernur_office)
    recovery_before = list(RecoveryCode.objects.filter(device__user=gubernur_office).values_list("pk", flat=True))
    attacker = password_step_only(gubernur_office)
    assert attacker.get(ENROL).status_code == 403
    assert ENROL_KEY not in attacker.session
    # Even with a key of its own in the session and its valid code.
    session = attacker.session
    session[ENROL_KEY] = own_key = twofactor.new_key()
    session.save()
    assert attacker.post(ENROL, {"token": code(own_key)}).status_code == 403
    assert attacker.post(f"{ENROL}?next=/tugas/", {"token": code(own_key), "next": "/tugas/"}).status_code == 403
    assert device_state(gubernur_office) == before and before[0][1] == owner_key
    assert list(RecoveryCode.objects.filter(device__user=gubernur_office).values_list("pk", flat=True)) == (
        recovery_before
    )
    assert not AuditEvent.objects.filter(action="account.two_factor_replaced").exists()
    # Still nothing but the code page.
    assert attacker.get("/tugas/").url.startswith(VERIFY)
    assert security_events("otp.enrol_refused")
    # The owner's code still opens the next login.
    owner = password_step_only(gubernur_office)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=35)
    with time_machine.travel(later, tick=False):
        assert owner.post(VERIFY, {"token": code(owner_key)}).status_code == 302
        assert owner.get("/tugas/").status_code == 200


def test_a_session_that_has_not_proved_the_device_cannot_switch_it_off(gubernur_office):
    # A session opened before the app was enrolled elsewhere is not verified.
    office = logged_in_client(gubernur_office)
    enrol(logged_in_client(gubernur_office))
    assert office.post("/akun/dua-langkah/matikan/", {"disable-password": PASSWORD}).status_code == 403
    assert office.get(ENROL).status_code == 403
    assert TOTPDevice.objects.filter(user=gubernur_office).exists()


def test_a_first_device_during_a_required_login_deletes_nothing_of_anybody(gubernur_office, seknas_user):
    enrol(logged_in_client(seknas_user))
    others = list(TOTPDevice.objects.values_list("pk", flat=True))
    require("gubernur")
    client = password_step_only(gubernur_office)
    enrol(client)
    assert set(others) < set(TOTPDevice.objects.values_list("pk", flat=True))
    assert TOTPDevice.objects.filter(user=gubernur_office).count() == 1
    assert AuditEvent.objects.filter(action="account.two_factor_enabled", user=gubernur_office).exists()


def test_a_verified_session_can_move_the_app_to_another_phone(gubernur_office):
    old_key, old_codes = enrol_with_codes(logged_in_client(gubernur_office))
    client = password_step_only(gubernur_office)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=35)
    with time_machine.travel(later, tick=False):
        assert client.post(VERIFY, {"token": code(old_key)}).status_code == 302
        assert "Pindahkan ke ponsel lain" in client.get("/akun/keamanan/").content.decode()
        new_key, new_codes = enrol_with_codes(client, offset=30)
    assert device_state(gubernur_office) == [(TOTPDevice.objects.get(user=gubernur_office).pk, new_key, True)]
    assert new_key != old_key and not set(new_codes) & set(old_codes)
    assert AuditEvent.objects.filter(action="account.two_factor_replaced", user=gubernur_office).exists()
    assert client.get("/tugas/").status_code == 200
    # The old recovery codes went with the old app.
    again = password_step_only(gubernur_office)
    assert again.post(VERIFY, {"token": old_codes[0]}).status_code == 400


def test_a_service_error_without_fields_is_shown_on_the_form(pjoprov_member, monkeypatch):
    """Issue 19, finding 9: a ValidationError with one message or a list has
    no message_dict (it was a 500)."""
    client = logged_in_client(pjoprov_member)
    for error in (ValidationError("Pesan tunggal."), ValidationError(["Pesan satu.", "Pesan dua."])):

        def refuse(request, *, password, error=error):
            raise error

        monkeypatch.setattr(services, "do_log_out_everywhere", refuse)
        response = client.post("/akun/keamanan/keluar-semua/", {"logout-password": PASSWORD})
        assert response.status_code == 400
        page = response.content.decode()
        for message in error.messages:
            assert message in page
