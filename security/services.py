"""Writes that matter for account security. Views and the admin call these."""

import logging
import secrets

from django.contrib.auth import authenticate, update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import audit
from core.notifications import notify

from . import logs, sessions, twofactor
from .models import RecoveryCode, RecoveryCodes, TwoFactorPolicy


def password_matches(request, user, password):
    """Whether `password` is `user`'s, checked like a login: through
    authenticate(), so django-axes counts a wrong one towards the same
    lockout as the login form (and refuses every password once locked).

    Call it outside any transaction that a wrong password rolls back: axes
    writes the failure in the caller's transaction, and a rollback would
    erase it (the services below check first, then open their transaction)."""
    if not password:
        return False
    return authenticate(request, username=user.get_username(), password=password) is not None


def _check_password(request, password):
    if not password_matches(request, request.user, password):
        raise ValidationError({"password": _("Kata sandi salah.")}, code="wrong_password")


def do_log_out_everywhere(request, *, password):
    """End every session of the requesting user except this one.

    The password is hashed again with a new salt: Django ties each session to
    a hash of the stored password, so every other session stops matching and
    is flushed at its next request, on whatever device it lives. The current
    session is kept (with a new key). Needs the current password, checked
    before the transaction (a wrong one stays counted). Atomic."""
    _check_password(request, password)
    _log_out_everywhere(request, password)


@transaction.atomic
def _log_out_everywhere(request, password):
    user = request.user
    user.set_password(password)
    user.save(update_fields=["password"])
    update_session_auth_hash(request, user)
    audit.record(user, "account.sessions_revoked", user, summary=_("Keluar dari semua perangkat lain"))
    logs.event("session.logout_everywhere", request)


def refuse_enrolment_unless_allowed(request):
    """PermissionDenied unless the requesting user may enrol now
    (twofactor.may_enrol): a login past the password step alone must not
    replace the second factor it has yet to prove."""
    if not twofactor.may_enrol(request.user):
        if twofactor.mode_for(request.user) != TwoFactorPolicy.Mode.OFF:
            logs.event("otp.enrol_refused", request, level=logging.WARNING)
        raise PermissionDenied


def _new_recovery_codes(user):
    """Replace the user's recovery codes; returns the new ones (shown once)."""
    RecoveryCodes.objects.filter(user=user).delete()
    device = RecoveryCodes.objects.create(
        user=user, name=_("Kode pemulihan"), confirmed=True, salt=secrets.token_hex(16)
    )
    codes = twofactor.new_recovery_codes()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=twofactor.recovery_digest(device.salt, code)) for code in codes
    )
    return codes


@transaction.atomic
def do_enable_two_factor(request, *, key_hex, token):
    """Enrol the requesting user's authenticator app (the key shown on the
    enrolment page) once it produced a valid code, with a fresh set of
    recovery codes, and mark this session verified. Returns the recovery
    codes, to be shown once.

    A user who has a second factor must have proved it in this session
    (verified) to replace it: the old app and codes are then deleted. A user
    without one (their first, also during a required login's pending step)
    only adds. Atomic."""
    user = request.user
    refuse_enrolment_unless_allowed(request)
    if not twofactor.token_matches(key_hex, token):
        logs.event("otp.enrol_failed", request, level=logging.WARNING)
        raise ValidationError({"token": _("Kode tidak cocok. Periksa jam ponsel Anda, lalu masukkan kode terbaru.")})
    replaced = twofactor.enrolled(user)
    if replaced:
        # may_enrol: this session proved the old factor.
        TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, key=key_hex, name=_("Aplikasi autentikator"), confirmed=True)
    # The code just used must not be accepted again.
    device.verify_token(token)
    codes = _new_recovery_codes(user)
    otp_login(request, device)
    request.session.pop(sessions.OTP_PENDING, None)
    if replaced:
        audit.record(user, "account.two_factor_replaced", user, summary=_("Aplikasi autentikator diganti"))
    else:
        audit.record(user, "account.two_factor_enabled", user, summary=_("Verifikasi dua langkah diaktifkan"))
    logs.event("otp.enabled", request, replaced=replaced)
    return codes


def do_disable_two_factor(request, *, password):
    """Remove the requesting user's authenticator and recovery codes, unless
    their actor kind requires them; from a session verified with them. Needs
    the current password, checked before the transaction (a wrong one stays
    counted). Atomic."""
    user = request.user
    if twofactor.mode_for(user) == TwoFactorPolicy.Mode.REQUIRED:
        raise PermissionDenied
    if twofactor.enrolled(user) and not user.is_verified():
        raise PermissionDenied
    _check_password(request, password)
    return _disable_two_factor(request)


@transaction.atomic
def _disable_two_factor(request):
    user = request.user
    deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodes.objects.filter(user=user).delete()
    if deleted:
        audit.record(user, "account.two_factor_disabled", user, summary=_("Verifikasi dua langkah dimatikan"))
        logs.event("otp.disabled", request)
    return deleted


def verify_two_factor(request, *, token):
    """Check the login's second factor: a code of the authenticator app, or
    one of the recovery codes (used up by this). Returns True and marks the
    session verified, or False (failures are throttled by django-otp and
    logged). A recovery code used is audited and mailed to the person."""
    user = request.user
    token = (token or "").strip().replace(" ", "")
    recovery = twofactor.is_recovery_code(token)
    device = twofactor.recovery_device(user) if recovery else twofactor.confirmed_device(user)
    if device is None or not device.verify_token(token):
        logs.event("otp.failed", request, level=logging.WARNING, recovery_code=recovery)
        return False
    otp_login(request, device)
    request.session.pop(sessions.OTP_PENDING, None)
    if recovery:
        _record_recovery_code_used(request, device)
    logs.event("otp.verified", request, recovery_code=recovery)
    return True


@transaction.atomic
def _record_recovery_code_used(request, device):
    user = request.user
    left = device.codes.count()
    event = audit.record(user, "account.recovery_code_used", user, summary=_("Masuk dengan kode pemulihan"))
    notify(
        [user],
        key=f"recovery-code-used:{event.pk}",
        subject=_("Kode pemulihan dipakai untuk masuk ke akun Anda"),
        body=_(
            "Satu kode pemulihan baru saja dipakai untuk masuk ke akun Anda. Sisa kode: %(left)s. "
            "Bila bukan Anda, segera ganti kata sandi dan hubungi admin aplikasi."
        )
        % {"left": left},
        url=reverse("security:account"),
    )


@transaction.atomic
def do_reset_two_factor(user, *, by):
    """An administrator removes a person's authenticator app and recovery
    codes (a lost phone and lost codes). The person then logs in with the
    password alone and, where their actor kind requires it, enrols a new app
    at once. Audited, and announced to the person by mail. Atomic."""
    if by is None or not by.is_staff:
        raise PermissionDenied
    devices, _rows = TOTPDevice.objects.filter(user=user).delete()
    codes, _rows = RecoveryCodes.objects.filter(user=user).delete()
    if not (devices or codes):
        return False
    event = audit.record(
        by,
        "account.two_factor_reset",
        user,
        summary=_("Verifikasi dua langkah direset oleh admin %(admin)s") % {"admin": by.get_username()},
    )
    notify(
        [user],
        key=f"two-factor-reset:{event.pk}",
        subject=_("Verifikasi dua langkah akun Anda direset oleh admin"),
        body=_(
            "Admin %(admin)s menghapus aplikasi autentikator dan kode pemulihan akun Anda. "
            "Saat masuk berikutnya, daftarkan aplikasi autentikator lagi. "
            "Bila Anda tidak memintanya, segera hubungi admin aplikasi."
        )
        % {"admin": by.get_username()},
        url=reverse("security:account"),
    )
    logs.event("otp.reset_by_admin", user=by, target_user_id=user.pk)
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
