"""Files attached to a meeting: the signed attendance list scan, photos and
documents (checked by content before anything is stored)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.files import DOCUMENT_TYPES, SCAN_TYPES

from ..models import MeetingAttachment
from ._common import _lock, _record, _require


@transaction.atomic
def do_add_attachment(*, user, meeting, upload, kind):
    """Attach the signed attendance list scan, a photo or a document. The
    type is checked by content first; a refusal stores nothing."""
    meeting = _lock(meeting)
    _require(user, meeting)
    if kind not in MeetingAttachment.Kind.values:
        raise ValidationError({"kind": _("Jenis lampiran tidak dikenal.")})
    allowed = DOCUMENT_TYPES if kind == MeetingAttachment.Kind.OTHER else SCAN_TYPES
    attachment = MeetingAttachment.store(upload, allowed=allowed, user=user, meeting=meeting, kind=kind)
    try:
        _record(user, "meeting.attachment_added", meeting, summary=attachment.name, changes={"kind": kind})
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment
