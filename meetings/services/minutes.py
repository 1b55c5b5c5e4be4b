"""The minutes of a held meeting: the latest version and its lock, saving
the draft, the chair's approval, and corrections (a new version)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import Document
from documents.services import issue_at_source

from .. import permissions
from ..models import MinutesEntry, MinutesVersion
from ._common import _clean_text, _lock, _record, _require, _require_held
from .invitations import notify_invitees


def latest_minutes(meeting):
    return meeting.minutes_versions.order_by("-number").first()


def minutes_locked(meeting):
    latest = latest_minutes(meeting)
    return latest is not None and latest.is_locked


def _require_minutes_editable(meeting):
    if minutes_locked(meeting):
        raise ValidationError(
            _("Notulen sudah disetujui dan terkunci. Buat koreksi (versi baru) dengan alasannya untuk mengubahnya.")
        )


@transaction.atomic
def do_save_minutes(*, user, meeting, notes, entries):
    """Write the draft minutes of a held meeting: `entries` maps agenda item
    ids to (problems discussed, decisions). Refused once approved."""
    meeting = _lock(meeting)
    _require(user, meeting)
    _require_held(meeting)
    _require_minutes_editable(meeting)
    notes = _clean_text(notes, "notes")
    items = {item.pk: item for item in meeting.agenda.all()}
    if any(pk not in items for pk in entries):
        raise ValidationError(_("Butir agenda ini bukan milik rapat ini."))
    cleaned = {
        pk: (_clean_text(problems, "problems"), _clean_text(decisions, "decisions"))
        for pk, (problems, decisions) in entries.items()
    }
    version = latest_minutes(meeting)
    if version is None:
        version = MinutesVersion.objects.create(meeting=meeting, number=1, created_by=user)
    version.notes = notes
    version.save(update_fields=["notes"])
    for pk, (problems, decisions) in cleaned.items():
        MinutesEntry.objects.update_or_create(
            version=version, agenda_item_id=pk, defaults={"problems": problems, "decisions": decisions}
        )
    _record(
        user,
        "meeting.minutes_saved",
        meeting,
        summary=_("Notulen versi %(n)s") % {"n": version.number},
        changes={"version": version.number},
    )
    return version


@transaction.atomic
def do_approve_minutes(*, user, meeting):
    """The chair approves the draft minutes: they are locked from then on,
    and everyone invited is told (through the outbox, so a broker outage
    delays the email but loses nothing)."""
    meeting = _lock(meeting)
    _require(user, meeting)
    if not permissions.user_may_approve_minutes(user, meeting):
        raise PermissionDenied(_("Hanya pimpinan rapat yang dapat menyetujui notulen."))
    version = latest_minutes(meeting)
    if version is None or version.is_locked:
        raise ValidationError(_("Tidak ada draf notulen yang menunggu persetujuan."))
    has_content = version.notes or version.entries.exclude(problems="", decisions="").exists()
    if not has_content:
        raise ValidationError(_("Notulen masih kosong. Tulis isinya sebelum disetujui."))
    version.status = MinutesVersion.Status.APPROVED
    version.approved_by, version.approved_at = user, timezone.now()
    version.save(update_fields=["status", "approved_by", "approved_at"])
    _record(
        user,
        "meeting.minutes_approved",
        meeting,
        summary=_("Notulen versi %(n)s") % {"n": version.number},
        changes={"version": version.number},
    )
    notify_invitees(
        meeting,
        key=f"minutes-approved:{version.pk}",
        subject=_("Notulen disetujui: %(title)s %(actor)s (%(period)s)")
        % {"title": meeting.title, "actor": meeting.actor.name, "period": meeting.period_label},
        body=_("Notulen versi %(n)s disetujui oleh %(chair)s.") % {"n": version.number, "chair": user.display_name},
    )
    # Last, so that nothing after it can fail and leave the stored file behind:
    # the issued document, rendered once with its verification code (deferred,
    # not refused, when the PDF's font or certificate is unusable).
    issue_at_source(Document.Kind.MINUTES, version)
    return version


@transaction.atomic
def do_start_minutes_correction(*, user, meeting, reason):
    """Approved minutes stay as they were; a correction is a new draft version,
    copied from the last one, with the reason for it."""
    meeting = _lock(meeting)
    _require(user, meeting)
    reason = _clean_text(reason, "reason", required=True)
    latest = latest_minutes(meeting)
    if latest is None or not latest.is_locked:
        raise ValidationError(_("Koreksi hanya untuk notulen yang sudah disetujui."))
    version = MinutesVersion.objects.create(
        meeting=meeting, number=latest.number + 1, reason=reason, notes=latest.notes, created_by=user
    )
    MinutesEntry.objects.bulk_create(
        [
            MinutesEntry(version=version, agenda_item_id=e.agenda_item_id, problems=e.problems, decisions=e.decisions)
            for e in latest.entries.all()
        ]
    )
    _record(user, "meeting.minutes_correction", meeting, summary=reason, changes={"version": version.number})
    return version
