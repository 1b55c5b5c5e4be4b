"""TK Jawa Tengah writes and submits its quarterly report; seknas sees the
national matrix, opens the province's submitted version and downloads its PDF."""

import re
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect

from reports.models import Report
from tests.e2e.browser import E2E, log_in, screenshot

pytestmark = E2E

PROBLEM = "Pencairan dana BLM terlambat di Kecamatan Wanareja"


def test_tk_submits_the_quarterly_report_and_seknas_downloads_its_pdf(demo, page, new_page, tmp_path):
    # The overdue one: last quarter's draft, made by the reconcile.
    report = (
        Report.objects.filter(report_type__code="tk-triwulan", province__code="33", status=Report.Status.DRAFT)
        .order_by("period")
        .first()
    )

    log_in(page, "demo-tk")
    page.locator(f'main a[href="{reverse("reports:report_edit", args=[report.pk])}"]').first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for i, textarea in enumerate(page.locator(".report-section textarea").all()):
        textarea.fill(f"Uraian bagian {i + 1}: kegiatan berjalan, {PROBLEM.lower()} ditangani.")
    if page.locator("[name='penilaian-0-unit_name']").count():
        page.locator("[name='penilaian-0-level']").select_option("kabupaten")
        page.locator("[name='penilaian-0-unit_code']").fill("3301")
        page.locator("[name='penilaian-0-unit_name']").fill("Cilacap")
        page.locator("[name='penilaian-0-rating']").select_option("baik")
    if page.locator("[name='butir-0-description']").count():
        page.locator("[name='butir-0-kind']").select_option(index=1)
        page.locator("[name='butir-0-category']").select_option("keuangan")
        page.locator("[name='butir-0-description']").fill(PROBLEM)
    page.get_by_label("Nama penanda tangan").fill("Drs. Budi Santoso")
    page.get_by_label(re.compile("^Jabatan penanda tangan")).fill("Ketua TK PNPM-MP Provinsi Jawa Tengah")
    page.get_by_label("Tempat", exact=True).fill("Semarang")
    page.get_by_label("Tanggal", exact=True).fill(report.province.today().isoformat())
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_role("status")).to_contain_text("Laporan dikirim sebagai versi 1.")

    # Seknas: the national matrix, the province's version, its PDF.
    seknas = new_page()
    log_in(seknas, "demo-seknas")
    screenshot(seknas, "home-seknas")
    seknas.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Nasional").click()
    seknas.get_by_label("Jenis laporan").select_option("tk-triwulan")
    seknas.get_by_label("Tahun").fill(report.period[:4])
    seknas.get_by_role("button", name="Terapkan").click()
    expect(seknas.get_by_role("heading", level=1)).to_contain_text("Matriks laporan nasional")
    screenshot(seknas, "national-matrix")
    row = seknas.get_by_role("row").filter(has=seknas.get_by_role("rowheader", name="Jawa Tengah", exact=True))
    row.locator("a.pill").first.click()
    expect(seknas.get_by_text(PROBLEM).first).to_be_visible()
    with seknas.expect_download() as download_info:
        seknas.get_by_role("link", name="PDF resmi").click()
    path = Path(tmp_path) / "laporan.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
