"""Who uses a second factor, and the TOTP arithmetic for enrolment."""

import hashlib
import re
import secrets
import time
from binascii import unhexlify

import segno
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from actors.models import Actor

from .models import RecoveryCodes, TwoFactorPolicy

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


def recovery_device(user):
    return RecoveryCodes.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolled(user):
    """Whether the user has a second factor to prove: an authenticator app or
    recovery codes. Such a user adds or replaces one only from a session
    verified with it (security.services.do_enable_two_factor)."""
    return confirmed_device(user) is not None or RecoveryCodes.objects.filter(user=user, confirmed=True).exists()


def needs_challenge(user):
    """A code is asked at login when the user enrolled, or when their kind requires it."""
    return enrolled(user) or mode_for(user) == TwoFactorPolicy.Mode.REQUIRED


def may_enrol(user):
    """Whether this request's user may enrol an authenticator now: their kind
    offers it, and a user who already has a second factor proved it in this
    session (a login that passed the password step alone may only enrol a
    first device)."""
    if mode_for(user) == TwoFactorPolicy.Mode.OFF:
        return False
    return user.is_verified() or not enrolled(user)


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


# Recovery codes: 12 characters of an alphabet without look-alikes (i, l, o,
# 0, 1), about 59 bits each, shown as xxxx-xxxx-xxxx.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 12
RECOVERY_COUNT = 10
RECOVERY_CODE_RE = re.compile(rf"^[a-z0-9]{{{RECOVERY_LENGTH}}}$")


def new_recovery_codes():
    """RECOVERY_COUNT fresh codes, as shown to the person (xxxx-xxxx-xxxx)."""
    codes = []
    while len(codes) < RECOVERY_COUNT:
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        code = "-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4))
        if code not in codes:
            codes.append(code)
    return codes


def normalize_recovery_code(text):
    """What a person typed, as stored: lower case, without spaces or dashes."""
    return re.sub(r"[\s-]", "", text or "").lower()


def is_recovery_code(text):
    return bool(RECOVERY_CODE_RE.match(normalize_recovery_code(text)))


def recovery_digest(salt, code):
    """The stored form of a code. The codes are random (not chosen by people),
    so a salted SHA-256 is enough; a slow hash would make each check slow."""
    return hashlib.sha256(f"{salt}:{normalize_recovery_code(code)}".encode()).hexdigest()


def issuer():
    return settings.OTP_TOTP_ISSUER
