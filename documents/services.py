"""Issuing a document: a new verification code, the PDF rendered once with
the QR code and the code in words, signed (PAdES) with the province's
certificate, hashed, stored, and its immutable record. Every later download
serves the stored bytes."""

import datetime
import hashlib
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from . import codes, pdf, signing
from .models import Document
from .registry import source_for, sources

logger = logging.getLogger(__name__)


def verification_url(code):
    return settings.SITE_URL.rstrip("/") + reverse("documents:verify", args=[code])


def document_of(obj):
    """The issued document of `obj` (a report version, decree, minutes
    version), or None."""
    return Document.objects.filter(source_type=ContentType.objects.get_for_model(obj), source_id=obj.pk).first()


def issue(
    source,
    *,
    kind,
    province,
    actor,
    title,
    render,
    signer_name,
    signer_title="",
    on_behalf_of="",
    period="",
    subject="",
    version=1,
    issued_at=None,
    filename="dokumen",
):
    """Issue the document of `source` once: `render(verification)` returns
    the PDF's bytes with the verification block; they are signed when the
    province has a certificate, hashed and stored with the record. Returns
    the record, the one issued before when there is one (also when another
    request issued it a moment ago). ExportUnavailable when the PDF's font
    is missing; SigningUnavailable when the certificate cannot be opened."""
    existing = document_of(source)
    if existing is not None:
        return existing
    code = codes.new_code()
    data = render(pdf.Verification(verification_url(code), codes.in_words(code)))
    location = province.name if province else ""
    signed = signing.sign(data, province, name=signer_name, reason=title, location=location)
    if signed is not None:
        data = signed.data
    document = Document(
        code=code,
        kind=kind,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        province=province,
        actor=actor,
        title=title[:300],
        period=period,
        subject=subject[:300],
        version=version,
        issued_at=issued_at or timezone.now(),
        signer_name=signer_name[:150],
        signer_title=signer_title[:200],
        on_behalf_of=on_behalf_of[:200],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        signed=signed is not None,
        certificate=signed.certificate[:300] if signed else "",
    )
    document.file.save(f"{slugify(filename) or 'dokumen'}.pdf", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        # Issued by another request in the meantime: that one stands.
        document.file.storage.delete(document.file.name)
        return document_of(source)
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


def issue_at_source(kind, obj):
    """Issue the document of `obj` when it is issued (a version submitted, a
    decree recorded, minutes approved), inside the same transaction. A
    missing PDF font or an unusable certificate does not refuse the work
    itself: the error is logged and `manage.py issue_documents` (or the
    first download) issues the document once the server is put right."""
    try:
        with transaction.atomic():
            return source_for(kind).issue(obj)
    except (pdf.ExportUnavailable, signing.SigningUnavailable) as exc:
        logger.error("Document of %s %s not issued now: %s", kind, obj.pk, exc)
        return None


def read(document):
    """The stored PDF's bytes."""
    with document.file.open("rb") as handle:
        return handle.read()


def standing(document):
    """How `document` stands today (registry.Standing)."""
    return source_for(document.kind).standing(document.source)


def _pending(src):
    done = Document.objects.filter(source_type=ContentType.objects.get_for_model(src.model)).values("source_id")
    return src.issued().exclude(pk__in=done).order_by("pk")


def missing_counts():
    """{kind: issued objects without their document}."""
    return {src.kind: _pending(src).count() for src in sources()}


def issue_missing():
    """Issue the document of every issued object that has none (documents
    made before this app, or deferred by a missing font or certificate),
    each on its own. Returns ({kind: number issued}, {kind: number still
    waiting}, [the reasons they wait]): a province whose certificate cannot
    be opened holds back only its own documents. A second run issues
    nothing more."""
    made, waiting, reasons = {}, {}, []
    for src in sources():
        made[src.kind] = waiting[src.kind] = 0
        for obj in _pending(src).iterator(chunk_size=200):
            try:
                src.issue(obj)
            except (pdf.ExportUnavailable, signing.SigningUnavailable) as exc:
                waiting[src.kind] += 1
                if str(exc) not in reasons:
                    reasons.append(str(exc))
            else:
                made[src.kind] += 1
    return made, waiting, reasons


# A stored PDF whose record was never written (the work that issued it was
# rolled back at commit, or the process died before the commit) is removed
# after this long.
ORPHAN_AGE = datetime.timedelta(hours=1)


def remove_orphan_files(now=None):
    """Delete stored PDFs of this month's and last month's folders that no
    record names and that are older than ORPHAN_AGE; returns how many. Older
    folders hold only files of committed records (documents issued by the
    catch-up keep their original month, and are never rolled back)."""
    now = now or timezone.now()
    storage = Document._meta.get_field("file").storage
    removed = 0
    last_month = now.replace(day=1) - datetime.timedelta(days=1)
    for month in (now, last_month):
        folder = f"documents/{month:%Y/%m}"
        if not storage.exists(folder):
            continue
        known = set(Document.objects.filter(file__startswith=f"{folder}/").values_list("file", flat=True))
        for sub in storage.listdir(folder)[0]:
            for name in storage.listdir(f"{folder}/{sub}")[1]:
                path = f"{folder}/{sub}/{name}"
                if path not in known and now - storage.get_modified_time(path) > ORPHAN_AGE:
                    storage.delete(path)
                    removed += 1
    return removed


def unsigned_provinces():
    """Provinces with issued documents whose certificate is missing or
    unusable now (cannot be opened, expired or not yet valid)."""
    from actors.models import Province

    unsigned = []
    for province in Province.objects.filter(pk__in=Document.objects.values("province")).order_by("code"):
        try:
            if signing.signer_for(province) is None:
                unsigned.append(province)
        except signing.SigningUnavailable:
            unsigned.append(province)
    return unsigned
