"""The issued PDF as clients no one here wrote read it: Poppler's pdfsig
checks the PAdES signature (valid, then invalid after one byte changes), and
zbar's zbarimg decodes the QR code off a page rendered by pdftoppm. Both are
Debian packages (poppler-utils, zbar-tools) that .ci/run installs."""

import datetime
import io

import pytest
from django.core.management import call_command

from actors.models import Province
from documents.demo_ca import make_demo_certificates
from documents.services import document_of, read, verification_url
from documents.signing import SigningUnavailable, signer_for
from reports.issued import issue_version

from .conftest import run, submitted, tool

pytestmark = pytest.mark.django_db


def signature_lines(path):
    result = run(tool("pdfsig"), str(path))
    return result.stdout + result.stderr


def test_pdfsig_validates_the_signature_and_rejects_a_changed_byte(slots, tk_member, signing, tmp_path):
    document = document_of(submitted(tk_member))
    assert document.signed and "Provinsi Jawa Tengah (DEMO)" in document.certificate
    data = read(document)
    original = tmp_path / "asli.pdf"
    original.write_bytes(data)
    report = signature_lines(original)
    assert "Signature Validation: Signature is Valid." in report, report
    assert "Provinsi Jawa Tengah (DEMO)" in report and "Total document signed" in report

    # One byte of the signed content changed (inside the first signed range,
    # away from the signature's own bytes).
    changed = bytearray(data)
    position = data.index(b"stream", len(data) // 4)  # a content stream's keyword
    changed[position] ^= 0x20
    altered = tmp_path / "diubah.pdf"
    altered.write_bytes(bytes(changed))
    report = signature_lines(altered)
    assert "Signature is Valid." not in report, report
    assert "Digest Mismatch" in report or "Invalid" in report, report


def test_zbarimg_reads_the_verification_address_off_the_rendered_page(slots, tk_member, signing, tmp_path):
    document = document_of(submitted(tk_member))
    path = tmp_path / "dokumen.pdf"
    path.write_bytes(read(document))
    # The signature block is on the last page.
    pages = run(tool("pdfinfo"), str(path)).stdout
    last = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
    rendered = run(
        tool("pdftoppm"), "-r", "150", "-png", "-f", str(last), "-l", str(last), str(path), str(tmp_path / "p")
    )
    assert rendered.returncode == 0, rendered.stderr
    png = next(tmp_path.glob("p-*.png"))
    decoded = run(tool("zbarimg"), "--quiet", "--raw", str(png))
    assert decoded.returncode == 0, decoded.stderr
    assert decoded.stdout.strip() == verification_url(document.code)


def test_a_certificate_that_cannot_be_opened_does_not_refuse_the_submission(slots, tk_member, signing, settings):
    settings.DOCUMENT_SIGNING_PASSWORD = "salah"
    version = submitted(tk_member)
    assert version.pk and document_of(version) is None
    # The download says what is wrong instead of serving an unsigned copy.
    with pytest.raises(SigningUnavailable):
        issue_version(version)
    settings.DOCUMENT_SIGNING_PASSWORD = "rahasia-demo"
    assert issue_version(version).signed


def test_a_province_without_a_certificate_gets_unsigned_documents(slots, tk_member, signing, settings, tmp_path):
    settings.DOCUMENT_SIGNING_DIR = tmp_path  # no 33.p12 here
    document = document_of(submitted(tk_member))
    assert not document.signed and document.certificate == ""


def test_an_expired_certificate_never_signs_and_holds_the_document_back(slots, tk_member, settings, tmp_path):
    province = Province.objects.get(code="33")
    # Made in 2020 for three years: expired on the frozen day (5 October 2026).
    make_demo_certificates([province], tmp_path, now=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    settings.DOCUMENT_SIGNING_DIR, settings.DOCUMENT_SIGNING_PASSWORD = tmp_path, ""
    with pytest.raises(SigningUnavailable, match="not now"):
        signer_for(province)
    version = submitted(tk_member)
    assert version.pk and document_of(version) is None


def test_smoke_check_names_a_province_whose_documents_go_unsigned(slots, tk_member, signing, settings, tmp_path):
    settings.DOCUMENT_SIGNING_DIR = tmp_path  # no 33.p12 here
    submitted(tk_member)
    out = io.StringIO()
    call_command("smoke_check", stdout=out)
    assert "no usable signing certificate (missing, cannot be opened, expired) for province(s) 33" in out.getvalue()
    settings.DOCUMENT_SIGNING_DIR = signing
    out = io.StringIO()
    call_command("smoke_check", stdout=out)
    assert "signing certificate" not in out.getvalue() and "documents=1" in out.getvalue()
