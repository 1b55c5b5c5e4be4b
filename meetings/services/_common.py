"""What the meetings services share: the status shorthand, the meeting's
local time and URL for messages, the row lock, the permission and state
checks and the text/time validation the `do_*` functions start with."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from actors.services import on_behalf_of
from core import audit
from core.permissions import user_may
from core.templatetags.fmt import waktu_lokal

from .. import permissions
from ..models import Meeting

S = Meeting.Status
MAX_TEXT = 5000


def _when(meeting):
    return waktu_lokal(meeting.starts_at, meeting.actor.province)


def _url(meeting):
    return reverse("meetings:meeting_detail", args=[meeting.pk])


def _lock(meeting):
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("actor__province", "actor__kind", "series__duty")
        .get(pk=meeting.pk)
    )


def _require(user, meeting, perm=permissions.CHANGE):
    if not user_may(user, meeting, perm):
        raise PermissionDenied


def _require_open(meeting):
    if not meeting.is_open:
        raise ValidationError(
            _("Rapat berstatus %(status)s tidak dapat diubah lagi.") % {"status": meeting.get_status_display()}
        )


def _require_held(meeting):
    if meeting.status != S.HELD:
        raise ValidationError(_("Catat dulu bahwa rapat sudah terlaksana."))


def _clean_text(value, field, required=False, max_length=MAX_TEXT):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Wajib diisi.")})
    if len(value) > max_length:
        raise ValidationError({field: _("Paling banyak %(n)s karakter.") % {"n": max_length}})
    return value


def _check_times(starts_at, ends_at):
    if starts_at is None or ends_at is None:
        raise ValidationError({"starts_at": _("Isi waktu mulai dan selesai.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Waktu selesai harus setelah waktu mulai.")})
    if ends_at - starts_at > datetime.timedelta(hours=24):
        raise ValidationError({"ends_at": _("Rapat paling lama 24 jam.")})


def _record(user, action, meeting, summary="", changes=None):
    audit.record(
        user, action, meeting, summary=summary, changes=changes, on_behalf_of=on_behalf_of(user, meeting.actor)
    )
