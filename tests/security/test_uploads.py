"""core/files.py against the issue: the type is read from the content, the
size is capped, names are sanitised, downloads are never served inline."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from core.files import DOCUMENT_TYPES, SCAN_TYPES, attachment_response, sanitise_filename, validate_upload
from tests.duties.files import EXE_BYTES, PDF_BYTES, PNG_BYTES

HTML_BYTES = b"<!doctype html><html><script>alert(1)</script></html>"
SVG_BYTES = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("laporan.pdf", EXE_BYTES),  # a program named .pdf
        ("foto.png", PDF_BYTES),  # a PDF named .png
        ("notulen.pdf", HTML_BYTES),  # HTML with a script, named .pdf
        ("gambar.png", SVG_BYTES),  # SVG (scriptable) named .png
        ("laporan.docx", b"PK\x03\x04" + b"\x00" * 100),  # a bare zip named .docx
    ],
)
def test_a_file_whose_content_is_not_its_extension_is_refused(name, content):
    with pytest.raises(ValidationError) as info:
        validate_upload(upload(name, content, "application/pdf"))
    assert info.value.code == "content_mismatch"
    assert "Isi berkas tidak sesuai" in info.value.messages[0]


def test_the_browser_supplied_content_type_is_not_trusted():
    name, mime = validate_upload(upload("notulen.pdf", PDF_BYTES, content_type="text/html"))
    assert (name, mime) == ("notulen.pdf", "application/pdf")


@pytest.mark.parametrize("name", ["skrip.exe", "halaman.html", "gambar.svg", "arsip.zip", "tanpa-ekstensi", "x.php"])
def test_extensions_outside_the_list_are_refused(name):
    with pytest.raises(ValidationError) as info:
        validate_upload(upload(name, PDF_BYTES))
    assert info.value.code == "bad_extension"
    assert "tidak diterima" in info.value.messages[0]


def test_a_double_extension_is_judged_by_the_last_one():
    with pytest.raises(ValidationError):
        validate_upload(upload("laporan.pdf.exe", EXE_BYTES))


def test_scans_accept_only_pdf_and_images():
    assert set(SCAN_TYPES) <= set(DOCUMENT_TYPES)
    assert validate_upload(upload("scan.png", PNG_BYTES), allowed=SCAN_TYPES)[1] == "image/png"
    with pytest.raises(ValidationError):
        validate_upload(upload("notulen.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600), allowed=SCAN_TYPES)


def test_the_size_cap_is_enforced_with_the_limit_in_the_message(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = upload("besar.pdf", PDF_BYTES + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as info:
        validate_upload(big)
    assert info.value.code == "too_large"
    assert "Batas ukuran adalah 1 MB" in info.value.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as info:
        validate_upload(upload("kosong.pdf", b""))
    assert info.value.code == "empty"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system32.pdf", "system32.pdf"),
        ("Laporan Q3 (final)!.PDF", "laporan-q3-final.pdf"),
        ('a"; filename="evil.html.pdf', "a-filenameevilhtml.pdf"),
        ("notulen\r\nSet-Cookie: x=1.pdf", "notulen-set-cookie-x1.pdf"),
        ("laporan\u202efdp.exe", "laporanfdp.exe"),
        ("Rapat Rutin Bulan Mei 2026.pdf", "rapat-rutin-bulan-mei-2026.pdf"),
        (".pdf", "berkas.pdf"),
        ("x" * 300 + ".pdf", "x" * 80 + ".pdf"),
        ("lampiran.verylongextension", "lampiran.veryl"),
    ],
)
def test_names_are_sanitised(raw, clean):
    assert sanitise_filename(raw) == clean


@pytest.fixture
def stored():
    """A stored attachment's FieldFile, as the download views pass it."""
    from duties.models import TaskAttachment

    name = default_storage.save("test-uploads/notulen.pdf", ContentFile(PDF_BYTES))
    yield TaskAttachment(file=name).file
    if default_storage.exists(name):
        default_storage.delete(name)


@pytest.mark.django_db  # closing a response sends request_finished, which touches the connection
def test_downloads_are_attachments_with_a_sanitised_name_and_no_sniffing(stored):
    response = attachment_response(stored, 'evil"\r\nX-Injected: 1.html', "application/pdf")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition and '"evil"' not in disposition
    assert 'filename="evil-x-injected-1.html"' in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF_BYTES
    response.close()


def test_a_stored_file_that_went_missing_is_a_404_not_a_500(stored):
    from django.http import Http404

    default_storage.delete(stored.name)
    with pytest.raises(Http404):
        attachment_response(stored, "notulen.pdf")
