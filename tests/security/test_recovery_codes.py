"""Recovery from a lost phone (issue 19, finding 1): one-time recovery codes
shown once at enrolment, and a reset by an administrator, audited and mailed."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from actors.models import User
from core.models import AuditEvent, Notification
from core.notifications import deliver_pending
from security import services, twofactor
from security.models import RecoveryCode, RecoveryCodes
from security.views import ENROL_KEY
from tests.security.conftest import logged_in_client
from tests.security.test_two_factor import ENROL, VERIFY, code, enrol_with_codes, password_step_only, require

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(seconds=35)


def later():
    return time_machine.travel(datetime.datetime.now(datetime.UTC) + LATER, tick=False)


def test_ten_codes_are_shown_once_and_stored_only_as_digests(gubernur_office):
    client = logged_in_client(gubernur_office)
    _key, codes = enrol_with_codes(client)
    assert len(codes) == len(set(codes)) == 10
    assert all(twofactor.is_recovery_code(c) and len(c) == 14 for c in codes)
    stored = list(RecoveryCode.objects.filter(device__user=gubernur_office).values_list("digest", flat=True))
    assert len(stored) == 10
    for c in codes:
        assert c not in str(stored) and twofactor.normalize_recovery_code(c) not in str(stored)
    assert not any(c in str(dict(client.session)) for c in codes)
    # Not shown again: the account page tells how many are left, never which.
    page = client.get("/akun/keamanan/").content.decode()
    assert "Kode pemulihan tersisa: 10" in page
    assert not any(c in page for c in codes)


def test_a_recovery_code_signs_in_once_and_not_twice(gubernur_office, security_events):
    _key, codes = enrol_with_codes(logged_in_client(gubernur_office))
    client = password_step_only(gubernur_office)
    response = client.post(VERIFY, {"token": codes[3].upper().replace("-", " "), "next": "/tugas/"})
    assert response.status_code == 302 and response.url == "/tugas/"
    assert client.get("/tugas/").status_code == 200
    assert RecoveryCode.objects.filter(device__user=gubernur_office).count() == 9
    event = AuditEvent.objects.get(action="account.recovery_code_used")
    assert event.user == gubernur_office
    notice = Notification.objects.get(recipient=gubernur_office, key=f"recovery-code-used:{event.pk}")
    assert "Sisa kode: 9" in notice.body
    assert security_events("otp.verified")[-1].recovery_code is True
    # The same code again, a little later (past the throttle), is refused.
    again = password_step_only(gubernur_office)
    with later():
        response = again.post(VERIFY, {"token": codes[3]})
        assert response.status_code == 400
        assert again.get("/tugas/").url.startswith(VERIFY)
    # Another code still works (after django-otp's back-off for the failure).
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + 2 * LATER, tick=False):
        assert again.post(VERIFY, {"token": codes[4]}).status_code == 302


def test_a_made_up_recovery_code_is_refused_and_throttled(gubernur_office):
    enrol_with_codes(logged_in_client(gubernur_office))
    client = password_step_only(gubernur_office)
    assert client.post(VERIFY, {"token": "abcd-efgh-jkmn"}).status_code == 400
    device = RecoveryCodes.objects.get(user=gubernur_office)
    assert device.throttling_failure_count == 1
    assert RecoveryCode.objects.filter(device=device).count() == 10


def test_with_a_recovery_code_the_owner_moves_the_app_to_a_new_phone(gubernur_office):
    """The lost-phone path: password, a recovery code, then a new enrolment."""
    old_key, codes = enrol_with_codes(logged_in_client(gubernur_office))
    client = password_step_only(gubernur_office)
    assert client.post(VERIFY, {"token": codes[0]}).status_code == 302
    new_key, new_codes = enrol_with_codes(client)
    assert list(TOTPDevice.objects.filter(user=gubernur_office).values_list("key", flat=True)) == [new_key]
    assert new_key != old_key
    assert RecoveryCode.objects.filter(device__user=gubernur_office).count() == 10
    assert AuditEvent.objects.filter(action="account.two_factor_replaced").exists()


def superuser_client():
    admin = User.objects.create_superuser("root", "root@example.invalid", "x-Very-long-pass-1")
    client = Client()
    client.force_login(admin)
    return admin, client


def test_an_admin_reset_is_audited_and_mailed_and_the_owner_enrols_again(gubernur_office):
    enrol_with_codes(logged_in_client(gubernur_office))
    require("gubernur")
    admin, client = superuser_client()
    device = TOTPDevice.objects.get(user=gubernur_office)
    changelist = "/admin/otp_totp/totpdevice/"
    assert str(gubernur_office) in client.get(changelist).content.decode()
    response = client.post(changelist, {"action": "reset_two_factor", "_selected_action": [device.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=gubernur_office).exists()
    assert not RecoveryCodes.objects.filter(user=gubernur_office).exists()
    assert not RecoveryCode.objects.filter(device__user=gubernur_office).exists()
    event = AuditEvent.objects.get(action="account.two_factor_reset")
    assert event.user == admin and event.target_id == str(gubernur_office.pk)
    assert deliver_pending() >= 1
    mails = [m for m in mail.outbox if m.to == [gubernur_office.email]]
    assert len(mails) == 1 and "direset" in mails[0].subject
    assert "root" in mails[0].body
    # The owner (required) enrols a new app at the next login.
    client = password_step_only(gubernur_office)
    assert client.get(VERIFY).url.startswith(ENROL)
    assert client.get(ENROL).status_code == 200
    assert client.post(ENROL, {"token": code(client.session[ENROL_KEY])}).status_code == 200
    assert client.get("/tugas/").status_code == 200


def test_the_admin_cannot_edit_or_delete_an_app_outside_the_reset(gubernur_office):
    enrol_with_codes(logged_in_client(gubernur_office))
    _admin, client = superuser_client()
    device = TOTPDevice.objects.get(user=gubernur_office)
    base = f"/admin/otp_totp/totpdevice/{device.pk}"
    client.post(f"{base}/change/", {"user": gubernur_office.pk, "name": "x", "confirmed": ""})
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    device.refresh_from_db()
    assert device.name != "x" and device.confirmed
    assert not AuditEvent.objects.filter(action="account.two_factor_reset").exists()


def test_only_staff_may_reset(gubernur_office, seknas_user):
    enrol_with_codes(logged_in_client(gubernur_office))
    with pytest.raises(services.PermissionDenied):
        services.do_reset_two_factor(gubernur_office, by=seknas_user)
    response = logged_in_client(seknas_user).post(
        "/admin/otp_totp/totpdevice/",
        {"action": "reset_two_factor", "_selected_action": [TOTPDevice.objects.get(user=gubernur_office).pk]},
    )
    assert response.status_code == 302 and "/login/" in response.url
    assert TOTPDevice.objects.filter(user=gubernur_office).exists()
