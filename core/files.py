"""Uploads: the type is read from the content, not trusted from the name;
size is capped; names are sanitised; downloads are never served inline."""

import os
import unicodedata

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _

# extension -> MIME type, for what people attach as evidence.
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
SCAN_TYPES = {k: DOCUMENT_TYPES[k] for k in ("pdf", "png", "jpg", "jpeg", "gif", "webp")}
# filetype names the old OLE office formats by one extension each.
_SAME_FAMILY = {"jpeg": "jpg", "doc": "doc", "xls": "doc", "ppt": "doc"}


def human_size(n):
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def sanitise_filename(name):
    """'../../Laporan Q3 (final)!.PDF' -> 'laporan-q3-final.pdf'."""
    base = os.path.basename(name.replace("\\", "/"))
    stem, ext = os.path.splitext(base)
    if not ext and stem.startswith("."):
        # ".pdf": an extension without a name.
        stem, ext = "", stem
    stem = slugify(unicodedata.normalize("NFKC", stem))[:80] or "berkas"
    ext = "".join(ch for ch in ext.lower() if ch.isalnum() or ch == ".")[:6]
    return f"{stem}{ext}"


def validate_upload(upload, allowed=None):
    """Return (clean_name, mime) or raise ValidationError in Indonesian."""
    allowed = allowed or DOCUMENT_TYPES
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s). Batas ukuran adalah %(max)s.")
            % {"size": human_size(upload.size), "max": human_size(settings.UPLOAD_MAX_BYTES)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("Berkas kosong."), code="empty")
    name = sanitise_filename(upload.name)
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    allowed_list = ", ".join(sorted(allowed))
    if ext not in allowed:
        raise ValidationError(
            _("Jenis berkas .%(ext)s tidak diterima. Jenis yang diterima: %(allowed)s.")
            % {"ext": ext or "?", "allowed": allowed_list},
            code="bad_extension",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    detected = kind.extension if kind else None
    if detected is None or _SAME_FAMILY.get(detected, detected) != _SAME_FAMILY.get(ext, ext):
        raise ValidationError(
            _("Isi berkas tidak sesuai dengan jenisnya (.%(ext)s). Unggah berkas %(allowed)s yang asli.")
            % {"ext": ext, "allowed": allowed_list},
            code="content_mismatch",
        )
    return name, allowed[ext]


def clean_upload(upload, allowed=None):
    """A form's clean_<field> for one optional file: the upload (or what the
    field holds when nothing was sent) once validate_upload accepts it."""
    if upload:
        validate_upload(upload, allowed=allowed)
    return upload


def clean_uploads(uploads, allowed=None):
    """A form's clean_<field> for several files: every refusal at once, each
    message after its file's name."""
    errors = []
    for upload in uploads:
        try:
            validate_upload(upload, allowed=allowed)
        except ValidationError as exc:
            errors.extend(f"{upload.name}: {m}" for m in exc.messages)
    if errors:
        raise ValidationError(errors)
    return uploads


def attachment_response(field_file, filename, content_type="application/octet-stream"):
    """Send a stored file as a download, never inline: attachment disposition
    with a sanitised name (whatever the caller passes), no MIME sniffing, a
    sandboxing CSP in case a browser renders it anyway, and no shared caching
    of a permission-checked file."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=sanitise_filename(filename), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
