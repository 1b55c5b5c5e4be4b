"""Recorded decrees (SK) as issued documents (documents/): the application's
record of the decree, issued once when the decree is recorded, with the
verification QR code; and how it stands today (in force, or revoked once
its term has ended or the membership it seated was ended early)."""

from django.utils import translation
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from actors.models import Membership
from core import clock
from documents import services
from documents.models import Document
from documents.registry import Source, Standing, State, register

from . import exports
from .models import Decree


def filename(decree):
    """sk-188-379-kpts-013-2026 (no extension)."""
    return slugify(f"sk {decree.number.replace('/', ' ')}")[:100] or "sk"


def title(decree):
    """The document's title, in Indonesian as the PDF is, under 300 characters."""
    with translation.override("id"):
        text = _("SK %(number)s tentang %(subject)s") % {"number": decree.number, "subject": decree.subject}
    return Truncator(text).chars(300)


def issue_decree(decree):
    """The document of a recorded decree (issued now when it has none)."""
    approver = decree.proposal.approver_actor.name
    return services.issue(
        decree,
        kind=Document.Kind.DECREE,
        province=decree.actor.province,
        actor=decree.actor,
        title=title(decree),
        subject=decree.number,
        version=1,
        issued_at=decree.created_at,
        signer_name=decree.signed_by,
        signer_title=approver,
        render=lambda verification: exports.decree_pdf(decree, verification=verification),
        filename=filename(decree),
    )


def decree_standing(decree):
    """Revoked (with the day) once the decree's term has ended, or the
    membership it seated ended (a successor's appointment, or ended by
    hand): the earliest of those end dates, when it is before the
    province's today; else in force."""
    ends = [decree.end_date, *Membership.objects.filter(decree=decree).values_list("end_date", flat=True)]
    ends = [end for end in ends if end is not None]
    end = min(ends) if ends else None
    if end is not None and end < clock.local_today(decree.actor.province):
        return Standing(State.REVOKED, date=end)
    return Standing(State.VALID)


register(
    Source(
        kind=Document.Kind.DECREE,
        model=Decree,
        issue=issue_decree,
        issued=lambda: Decree.objects.select_related(
            "actor__province",
            "created_by",
            "proposal__approver_actor",
            "proposal__position",
            "proposal__user",
            "proposal__acting_for",
            "proposal__replaces__user",
        ),
        standing=decree_standing,
    )
)
