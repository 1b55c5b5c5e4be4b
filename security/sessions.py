"""What a session remembers for security: when it was last used (the idle
timeout) and whether its second factor is still to be entered."""

import time

from core import clock

from . import twofactor

LAST_SEEN = "security_last_seen"
OTP_PENDING = "security_otp_pending"
# The idle clock is written at most once a minute, so a busy page does not
# rewrite its session row on every request.
TOUCH_EVERY = 60


def now():
    return int(time.time())


def start(request, user):
    """Called on every login: start the idle clock, and ask for the second
    factor when the user has one or their actor kind requires it."""
    request.session[LAST_SEEN] = now()
    # The zone of the person's province: their dates in pages (core.clock.request_today).
    request.session[clock.SESSION_ZONE_KEY] = user.home_zone()
    if twofactor.needs_challenge(user):
        request.session[OTP_PENDING] = True
    else:
        request.session.pop(OTP_PENDING, None)
