"""Personal access tokens on the API: `Authorization: Bearer pnpm_...`.
A token works while it is neither revoked nor expired, its owner's account
is active and the owner holds a seat in force today (a term that ended
yesterday closes the API at once, as it closes the pages)."""

import datetime
import logging
import time

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from actors.models import Membership
from core.cache import cache_call
from core.middleware import request_client_ip
from security import logs

from .models import PersonalAccessToken
from .tokens import digest

# last_used_at is written at most this often per token (a busy client is not
# a write per request).
TOUCH_EVERY = datetime.timedelta(minutes=1)

# Refused tokens per client address per minute before the address gets 429
# (guessing tokens costs a query each; 2^256 of them stay out of reach, the
# database's time need not be given away).
FAILURES_PER_MINUTE = 20


def _failure_key(request):
    return f"api-token-failures:{request_client_ip(request)}:{int(time.time() // 60)}"


def failures(request):
    """Seconds to wait when this address was refused too often this minute, else 0."""
    count = cache_call("get", _failure_key(request)) or 0
    return 60 - int(time.time()) % 60 if count >= FAILURES_PER_MINUTE else 0


def count_failure(request):
    key = _failure_key(request)
    cache_call("add", key, 0, 120)
    cache_call("incr", key)


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Tulis tajuk Authorization sebagai: Bearer <token>."))
        refused = failures(request)
        if refused:
            raise exceptions.Throttled(wait=refused)
        token = header[1].decode(errors="replace")
        record = PersonalAccessToken.objects.select_related("user").filter(digest=digest(token)).first()
        now = timezone.now()
        if record is None or not record.is_usable(now):
            self.refuse(request, "unknown, revoked or expired", record)
            raise exceptions.AuthenticationFailed(_("Token tidak dikenal, sudah dicabut, atau sudah kedaluwarsa."))
        user = record.user
        if not user.is_active:
            self.refuse(request, "account disabled", record)
            raise exceptions.AuthenticationFailed(_("Akun pemilik token ini tidak aktif."))
        # No seat in force, no API: the superuser too (it works in the admin).
        if not Membership.objects.current().filter(user=user).exists():
            self.refuse(request, "no seat in force", record)
            raise exceptions.AuthenticationFailed(_("Pemilik token ini tidak lagi memegang jabatan yang berlaku."))
        if record.last_used_at is None or now - record.last_used_at >= TOUCH_EVERY:
            PersonalAccessToken.objects.filter(pk=record.pk).update(last_used_at=now)
            record.last_used_at = now
        return user, record

    def refuse(self, request, reason, record):
        """A refused token: a security event, and one more failure of the address."""
        count_failure(request)
        logs.event(
            "api.token_refused",
            request,
            # Given, never read from the request: DRF would authenticate again.
            user=record.user if record else AnonymousUser(),
            level=logging.WARNING,
            reason=reason,
            token=record.prefix if record else None,
        )

    def authenticate_header(self, request):
        # A WWW-Authenticate challenge makes DRF answer 401, not 403.
        return 'Bearer realm="api"'
