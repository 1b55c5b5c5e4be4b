"""Who uses a second factor, and the TOTP arithmetic for enrolment."""

import secrets
import time
from binascii import unhexlify

import segno
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from actors.models import Actor

from .models import TwoFactorPolicy

ORDER = [TwoFactorPolicy.Mode.OFF, TwoFactorPolicy.Mode.OPTIONAL, TwoFactorPolicy.Mode.REQUIRED]


def mode_for(user):
    """The strictest policy among the kinds of the user's current actors
    (group membership is what a current membership grants)."""
    if not (user.is_authenticated and user.is_active):
        return TwoFactorPolicy.Mode.OFF
    kind_ids = Actor.objects.filter(group__in=user.groups.values("id")).values("kind_id")
    modes = set(TwoFactorPolicy.objects.filter(kind_id__in=kind_ids).values_list("mode", flat=True))
    return max(modes, key=ORDER.index, default=TwoFactorPolicy.Mode.OFF)


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def needs_challenge(user):
    """A code is asked at login when the user enrolled, or when their kind requires it."""
    return confirmed_device(user) is not None or mode_for(user) == TwoFactorPolicy.Mode.REQUIRED


def new_key():
    """A fresh 20-byte secret, hex-encoded as django-otp stores it."""
    return secrets.token_hex(20)


def token_matches(key_hex, token):
    """Whether `token` is the current code (one step of tolerance) for the key."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit() or len(token) != 6:
        return False
    totp = TOTP(unhexlify(key_hex.encode()), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return totp.verify(int(token), tolerance=1)


def config_url(user, key_hex):
    return TOTPDevice(user=user, key=key_hex, name="x").config_url


def qr_svg(url):
    """The otpauth:// URL as an inline SVG QR code (segno: pure Python, no CDN)."""
    return segno.make(url, error="m").svg_inline(scale=5, border=2, dark="#1d2430", light="#ffffff")


def secret_for_display(key_hex):
    """The base32 secret in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    text = b32encode(unhexlify(key_hex.encode())).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def issuer():
    return settings.OTP_TOTP_ISSUER
