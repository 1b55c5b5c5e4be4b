"""Submitted report versions as issued documents (documents/): the PDF
issued once at submission, with the verification QR code, and how a version
stands today."""

from django.utils import timezone

from documents import services
from documents.models import Document
from documents.registry import Source, Standing, State, register

from . import exports
from .models import ReportReview, ReportVersion


def filename(version, ext):
    from django.utils.text import slugify

    snap = version.snapshot
    base = slugify(f"{snap['type']['code']} {snap['province']} {snap['period'] or version.report_id} v{version.number}")
    return f"{base}.{ext}"


def issue_version(version):
    """The document of a submitted version (issued now when it has none)."""
    report = version.report
    snap = version.snapshot
    signature = snap["signature"]
    return services.issue(
        version,
        kind=Document.Kind.REPORT,
        province=report.province,
        actor=report.actor,
        title=report.label,
        period=report.period,
        subject=snap["type"]["title"],
        version=version.number,
        issued_at=version.submitted_at,
        signer_name=signature["name"],
        signer_title=signature["position"],
        on_behalf_of=version.on_behalf_of,
        render=lambda verification: exports.version_pdf(version, verification=verification),
        filename=filename(version, "pdf")[:-4],
    )


def version_standing(version):
    """Superseded by a later version; returned for revision (with the day);
    else in force (awaiting review or acknowledged)."""
    report = version.report
    if report.version_count > version.number:
        return Standing(State.SUPERSEDED, version=report.version_count)
    review = ReportReview.objects.filter(version=version).first()
    if review is not None and review.decision == ReportReview.Decision.RETURN:
        return Standing(State.RETURNED, date=timezone.localtime(review.reviewed_at, report.province.tzinfo).date())
    return Standing(State.VALID)


register(
    Source(
        kind=Document.Kind.REPORT,
        model=ReportVersion,
        issue=issue_version,
        issued=lambda: ReportVersion.objects.select_related("report__province", "report__actor"),
        standing=version_standing,
    )
)
