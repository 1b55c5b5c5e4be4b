"""Approved minutes versions as issued documents (documents/): the PDF
issued once at the chair's approval, with the verification QR code, and how
a version stands today (superseded by a later approved correction, else in
force)."""

from django.db.models import Max
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.templatetags.fmt import tanggal
from documents import services
from documents.models import Document
from documents.registry import Source, Standing, State, register

from . import exports
from .models import MinutesVersion


def filename(version):
    """The download's name: notulen-pjoprov-jawa-tengah-2025-03-v1.pdf."""
    meeting = version.meeting
    return f"{slugify(f'notulen {meeting.actor.name} {meeting.period} v{version.number}') or 'notulen'}.pdf"


def issue_minutes(version):
    """The document of an approved minutes version (issued now when it has none)."""
    existing = services.document_of(version)
    if existing is not None:
        return existing
    version = exports.load(version)
    meeting = version.meeting
    with translation.override("id"):
        position = exports.approver_position(version)
        signer_title = _("Pimpinan Rapat")
        if position:
            signer_title = f"{signer_title}, {position}"
        day = tanggal(exports.local(meeting.starts_at, meeting).date())
        return services.issue(
            version,
            kind=Document.Kind.MINUTES,
            province=meeting.actor.province,
            actor=meeting.actor,
            title=_("Notulen %(title)s") % {"title": meeting.title},
            period=meeting.period,
            subject=f"{meeting.title}, {day}",
            version=version.number,
            issued_at=version.approved_at,
            signer_name=exports.approver_name(version),
            signer_title=signer_title,
            on_behalf_of=exports.approver_on_behalf_of(version),
            render=lambda verification: exports.minutes_pdf(version, verification=verification),
            filename=filename(version)[:-4],
        )


def minutes_standing(version):
    """Superseded by a later approved version (a correction) of the same
    meeting; else in force."""
    later = (
        MinutesVersion.objects.filter(
            meeting_id=version.meeting_id, status=MinutesVersion.Status.APPROVED, number__gt=version.number
        )
        .aggregate(latest=Max("number"))
        .get("latest")
    )
    if later is not None:
        return Standing(State.SUPERSEDED, version=later)
    return Standing(State.VALID)


register(
    Source(
        kind=Document.Kind.MINUTES,
        model=MinutesVersion,
        issue=issue_minutes,
        issued=lambda: MinutesVersion.objects.filter(status=MinutesVersion.Status.APPROVED).select_related(
            "meeting__actor__province", "approved_by"
        ),
        standing=minutes_standing,
    )
)
