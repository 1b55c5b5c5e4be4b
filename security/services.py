"""Writes that matter for account security. Views and the admin call these."""

import logging

from django.contrib.auth import authenticate, update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import audit

from . import logs, sessions, twofactor
from .models import TwoFactorPolicy


def _check_password(request, password):
    # Through authenticate(), so that a wrong password counts towards the
    # login throttling like a failed login.
    user = request.user
    if not password or authenticate(request, username=user.get_username(), password=password) is None:
        raise ValidationError({"password": _("Kata sandi salah.")}, code="wrong_password")


@transaction.atomic
def do_log_out_everywhere(request, *, password):
    """End every session of the requesting user except this one.

    The password is hashed again with a new salt: Django ties each session to
    a hash of the stored password, so every other session stops matching and
    is flushed at its next request, on whatever device it lives. The current
    session is kept (with a new key). Needs the current password. Atomic."""
    _check_password(request, password)
    user = request.user
    user.set_password(password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    audit.record(user, "account.sessions_revoked", user, summary=_("Keluar dari semua perangkat lain"))
    logs.event("session.logout_everywhere", request)


@transaction.atomic
def do_enable_two_factor(request, *, key_hex, token):
    """Enrol the requesting user's authenticator app (the key shown on the
    enrolment page) once it produced a valid code; replaces any earlier one
    and marks this session verified. Atomic."""
    user = request.user
    if twofactor.mode_for(user) == TwoFactorPolicy.Mode.OFF:
        raise PermissionDenied
    if not twofactor.token_matches(key_hex, token):
        logs.event("otp.enrol_failed", request, level=logging.WARNING)
        raise ValidationError({"token": _("Kode tidak cocok. Periksa jam ponsel Anda, lalu masukkan kode terbaru.")})
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, key=key_hex, name=_("Aplikasi autentikator"), confirmed=True)
    # The code just used must not be accepted again.
    device.verify_token(token)
    otp_login(request, device)
    request.session.pop(sessions.OTP_PENDING, None)
    audit.record(user, "account.two_factor_enabled", user, summary=_("Verifikasi dua langkah diaktifkan"))
    logs.event("otp.enabled", request)
    return device


@transaction.atomic
def do_disable_two_factor(request, *, password):
    """Remove the requesting user's authenticator, unless their actor kind
    requires one. Needs the current password. Atomic."""
    user = request.user
    if twofactor.mode_for(user) == TwoFactorPolicy.Mode.REQUIRED:
        raise PermissionDenied
    _check_password(request, password)
    deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        audit.record(user, "account.two_factor_disabled", user, summary=_("Verifikasi dua langkah dimatikan"))
        logs.event("otp.disabled", request)
    return deleted


def verify_two_factor(request, *, token):
    """Check the login's second factor. Returns True and marks the session
    verified, or False (failures are throttled by django-otp and logged)."""
    device = twofactor.confirmed_device(request.user)
    if device is None or not device.verify_token((token or "").strip().replace(" ", "")):
        logs.event("otp.failed", request, level=logging.WARNING)
        return False
    otp_login(request, device)
    request.session.pop(sessions.OTP_PENDING, None)
    logs.event("otp.verified", request)
    return True


@transaction.atomic
def do_set_two_factor_policy(policy, *, mode, by):
    """Change whether an actor kind uses a second factor (admin). Atomic."""
    before = policy.mode
    if before == mode:
        return policy
    policy.mode = mode
    policy.full_clean()
    policy.save(update_fields=["mode"])
    audit.record(
        by,
        "two_factor_policy.changed",
        policy,
        summary=str(policy),
        changes={"before": {"mode": before}, "after": {"mode": mode}},
    )
    return policy
