"""Making, finding and revoking personal access tokens."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit

from .models import PersonalAccessToken

PREFIX = "pnpm_"
DEFAULT_DAYS = 90
MAX_DAYS = 365


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def do_create_token(*, user, name, scope, days=DEFAULT_DAYS):
    """A new token for `user`: (the record, the token in full, shown once)."""
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Beri nama token ini, mis. 'Dasbor seknas'.")]
    if scope not in PersonalAccessToken.Scope.values:
        errors["scope"] = [_("Pilih cakupan: baca saja, atau baca dan tulis.")]
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        errors["days"] = [_("Masa berlaku 1 sampai %(max)s hari.") % {"max": MAX_DAYS}]
    if errors:
        raise ValidationError(errors)
    secret = secrets.token_urlsafe(32)
    token = f"{PREFIX}{secret}"
    now = timezone.now()
    record = PersonalAccessToken.objects.create(
        created_at=now,
        user=user,
        name=name[:80],
        prefix=token[: len(PREFIX) + 6],
        digest=digest(token),
        scope=scope,
        expires_at=now + datetime.timedelta(days=days),
    )
    audit.record(user, "api_token.created", record, summary=record.name, changes={"after": {"scope": scope}})
    return record, token


@transaction.atomic
def do_revoke_token(*, user, token):
    """Revoke one of `user`'s own tokens (at once; a second time changes nothing)."""
    token = PersonalAccessToken.objects.select_for_update().get(pk=token.pk, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(user, "api_token.revoked", token, summary=token.name)
    return token
