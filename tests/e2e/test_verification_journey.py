"""Someone holding a printed report checks it (issue 21): scans the QR code
(decoded here by zbarimg off the page pdftoppm renders, as a phone camera
would read it), opens the page on a 360 px phone without an account, drops
a changed copy and the real file, then types the code by hand with a typo
and corrects it; after the Governor's office returns the report the same
page says so."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from actors.models import User
from documents.services import document_of, read
from reports import services as report_services
from reports.models import Report
from tests.documents.conftest import run, tool
from tests.e2e.browser import E2E, PHONE, horizontal_overflow
from tests.reports.conftest import PROBLEM, content

pytestmark = E2E

ERRORS = ".errorbox, .error, .error-summary, [role=alert]"


def qr_address(pdf_path, tmp_path):
    """The address in the QR code of the PDF's last page (where the signature block is)."""
    info = run(tool("pdfinfo"), str(pdf_path)).stdout
    last = next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))
    rendered = run(tool("pdftoppm"), "-r", "150", "-png", "-f", last, "-l", last, str(pdf_path), str(tmp_path / "p"))
    assert rendered.returncode == 0, rendered.stderr
    decoded = run(tool("zbarimg"), "--quiet", "--raw", str(next(tmp_path.glob("p-*.png"))))
    assert decoded.returncode == 0, decoded.stderr
    return decoded.stdout.strip()


def test_a_printed_report_is_checked_on_a_phone_without_an_account(demo, new_page, settings, live_server, tmp_path):
    settings.SITE_URL = live_server.url
    writer, governor = User.objects.get(username="demo-tk"), User.objects.get(username="demo-gubernur")
    report = (
        Report.objects.filter(report_type__code="tk-triwulan", province__code="33", status=Report.Status.DRAFT)
        .order_by("period")
        .first()
    )
    fields = content(report)
    fields["signature"]["sign_date"] = report.province.today()
    report_services.do_save_draft(user=writer, report=report, **fields)
    version = report_services.do_submit_report(user=writer, report=report)
    document = document_of(version)
    original = tmp_path / "laporan-triwulan.pdf"
    original.write_bytes(read(document))
    changed = bytearray(read(document))
    changed[len(changed) // 3] ^= 0x01
    altered = tmp_path / "laporan-triwulan-salinan.pdf"
    altered.write_bytes(bytes(changed))

    address = qr_address(original, tmp_path)
    assert address == f"{live_server.url}{reverse('documents:verify', args=[document.code])}"

    page = new_page(viewport=PHONE)
    script_errors = []
    page.on("pageerror", lambda exc: script_errors.append(str(exc)))
    response = page.goto(address)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Verifikasi dokumen")
    expect(page.locator(".verify-standing")).to_contain_text("Berlaku")
    expect(page.locator("main")).to_contain_text(report.label)
    expect(page.locator("main")).to_contain_text("Drs. Budi Santoso")
    expect(page.locator("main")).not_to_contain_text(PROBLEM)
    expect(page.locator(ERRORS)).to_have_count(0)
    assert horizontal_overflow(page) == 0

    # A copy that was changed, then the real file.
    page.get_by_label("Berkas PDF").set_input_files(str(altered))
    page.get_by_role("button", name="Cocokkan").click()
    expect(page.locator(".verify-result")).to_contain_text("Tidak cocok")
    page.get_by_label("Berkas PDF").set_input_files(str(original))
    page.get_by_role("button", name="Cocokkan").click()
    expect(page.locator(".verify-result")).to_contain_text("Cocok — dokumen asli")
    expect(page.locator(ERRORS)).to_have_count(0)

    # Without a camera: the code typed by hand, first with a typo.
    page.goto(reverse("documents:verify_form"))
    words = document.code_words
    typo = words[:-1] + ("1" if words[-1] != "1" else "2")
    page.get_by_role("textbox", name="Kode verifikasi").fill(typo.upper())
    page.get_by_role("button", name="Periksa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kode verifikasi tidak dikenal")
    page.get_by_role("textbox", name="Kode verifikasi").fill(words.upper())
    page.get_by_role("button", name="Periksa").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("documents:verify", args=[document.code])) + "$"))
    expect(page.locator(".verify-standing")).to_contain_text("Berlaku")
    expect(page.locator(ERRORS)).to_have_count(0)

    # The Governor's office returns the report: the paper is no longer in force.
    report_services.do_review_report(
        user=governor, report=report, decision="dikembalikan", section_reasons={"kemajuan": "Lengkapi datanya."}
    )
    page.reload()
    expect(page.locator(".verify-standing")).to_contain_text("Dikembalikan untuk perbaikan")
    assert horizontal_overflow(page) == 0
    assert script_errors == []
