"""The quarterly report as TK Jawa Tengah's secretary really writes it: two
sections, save, leave, come back from the home page, one assessment row and
one problem row (the blank rows left as they are), save, the rest, send. The
Governor's office returns two sections with reasons; TK changes only those
and sends v2; the Governor's office acknowledges it from the version page;
seknas opens v2, its changes against v1, its PDF and its Excel.

Any error message on a page the user did not cause fails the walk, and so
does any script error in the browser."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.models import Report, ReportVersion
from tests.e2e.browser import E2E, log_in, screenshot

pytestmark = E2E

PROBLEM = "Pencairan dana BLM terlambat di Kecamatan Wanareja"
ERRORS = ".errorbox, .error, .error-summary, [role=alert]"


def watch(page):
    """Collect script errors; the walk checks the list is empty at each step."""
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def no_errors(page, script_errors):
    expect(page.locator(ERRORS)).to_have_count(0)
    assert script_errors == []


def section(page, title):
    return page.get_by_label(title, exact=True)


def the_draft():
    """Last quarter's draft of TK Jawa Tengah, made by the reconcile (overdue)."""
    return (
        Report.objects.filter(report_type__code="tk-triwulan", province__code="33", status=Report.Status.DRAFT)
        .order_by("period")
        .first()
    )


def open_from_home(page, report):
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Beranda").click()
    page.locator(f'main a[href="{reverse("reports:report_edit", args=[report.pk])}"]').first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(report.label)


@pytest.fixture
def report(demo, regions):
    """The draft, with the official units its assessment row chooses from (tests/conftest.py)."""
    return the_draft()


def test_tk_saves_comes_back_sends_gets_it_returned_resends_and_seknas_reads_v2(report, page, new_page, tmp_path):
    tk_errors = watch(page)
    log_in(page, "demo-tk")

    # Two sections first, saved as a draft.
    open_from_home(page, report)
    section(page, "Kemajuan pelaksanaan").fill("Sosialisasi selesai di 29 kabupaten; MAD tahap dua berjalan.")
    section(page, "Tindak lanjut yang telah dilakukan").fill("Surat kepada Bappeda tentang jadwal pencairan.")
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_role("status").filter(has_text="Draf disimpan.")).to_be_visible()
    no_errors(page, tk_errors)

    # Away to the tasks, back from the home page: what was saved is there.
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Tugas", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    open_from_home(page, report)
    expect(section(page, "Kemajuan pelaksanaan")).to_have_value(re.compile("^Sosialisasi selesai"))
    no_errors(page, tk_errors)

    # One assessment row and one problem row; the other blank rows stay untouched.
    page.locator("[name='penilaian-0-level']").select_option("kabupaten")
    unit = page.locator("#id_penilaian-0-unit")  # the unit picker (static/js/unit-picker.js)
    unit.press_sequentially("cilacap")
    expect(page.get_by_role("listbox").get_by_role("option")).to_have_text(["Kabupaten Cilacap (33.01)"])
    unit.press("ArrowDown")
    unit.press("Enter")
    expect(unit).to_have_value("Kabupaten Cilacap (33.01)")
    page.locator("[name='penilaian-0-rating']").select_option("baik")
    page.locator("[name='butir-0-kind']").select_option("masalah")
    page.locator("[name='butir-0-category']").select_option("keuangan")
    page.locator("[name='butir-0-description']").fill(PROBLEM)
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_role("status").filter(has_text="Draf disimpan.")).to_be_visible()
    no_errors(page, tk_errors)
    expect(page.locator("[name='butir-0-description']")).to_have_value(PROBLEM)

    # The rest, then send.
    section(page, "Kendala").fill("Jaringan internet lemah di desa-desa pegunungan.")
    section(page, "Rekomendasi").fill("Percepat pencairan BLM melalui koordinasi dengan BPKAD.")
    page.get_by_label("Nama penanda tangan").fill("Drs. Budi Santoso")
    page.get_by_label(re.compile("^Jabatan penanda tangan")).fill("Ketua TK PNPM-MP Provinsi Jawa Tengah")
    page.get_by_label("Tempat", exact=True).fill("Semarang")
    page.get_by_label("Tanggal", exact=True).fill(report.province.today().isoformat())
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_role("status").filter(has_text="Laporan dikirim sebagai versi 1.")).to_be_visible()
    no_errors(page, tk_errors)

    # The Governor's office returns two sections with reasons, from the version page.
    governor = new_page()
    governor_errors = watch(governor)
    log_in(governor, "demo-gubernur")
    governor.locator(f'main a[href="{reverse("reports:report_detail", args=[report.pk])}"]').first.click()
    v1 = ReportVersion.objects.get(report=report, number=1)
    governor.locator(f'main a[href="{reverse("reports:version_detail", args=[v1.pk])}"]').first.click()
    governor.get_by_label("Dikembalikan untuk perbaikan").check()
    governor.get_by_label("Alasan untuk bagian “Kemajuan pelaksanaan”").fill("Sebutkan capaian per tahapan.")
    governor.get_by_label("Alasan untuk bagian “Rekomendasi”").fill("Rekomendasi perlu tenggat dan penanggung jawab.")
    governor.get_by_role("button", name="Simpan tanggapan").click()
    expect(governor.get_by_role("status").filter(has_text="Tanggapan disimpan.")).to_be_visible()
    no_errors(governor, governor_errors)

    # TK sees the reasons beside those sections and changes only them.
    open_from_home(page, report)
    expect(page.locator(".reason").filter(has_text="Sebutkan capaian per tahapan.")).to_be_visible()
    expect(page.locator(".reason").filter(has_text="Rekomendasi perlu tenggat")).to_be_visible()
    section(page, "Kemajuan pelaksanaan").fill("Sosialisasi 100%, perencanaan 80%, pelaksanaan 45% (per 30 September).")
    section(page, "Rekomendasi").fill("Pencairan BLM selesai 15 November; penanggung jawab: BPKAD dan PjOProv.")
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_role("status").filter(has_text="Laporan dikirim sebagai versi 2.")).to_be_visible()
    no_errors(page, tk_errors)

    # The Governor's office acknowledges v2 from its version page.
    v2 = ReportVersion.objects.get(report=report, number=2)
    governor.goto(reverse("reports:version_detail", args=[v2.pk]))
    governor.get_by_label("Diterima", exact=True).check()
    governor.get_by_role("button", name="Simpan tanggapan").click()
    expect(governor.get_by_role("status").filter(has_text="Tanggapan disimpan.")).to_be_visible()
    no_errors(governor, governor_errors)

    # Seknas: the national matrix, v2, its changes against v1, its PDF and Excel.
    seknas = new_page()
    seknas_errors = watch(seknas)
    log_in(seknas, "demo-seknas")
    screenshot(seknas, "home-seknas")
    seknas.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Nasional").click()
    seknas.get_by_label("Jenis laporan").select_option("tk-triwulan")
    seknas.get_by_label("Tahun").fill(report.period[:4])
    seknas.get_by_role("button", name="Terapkan").click()
    expect(seknas.get_by_role("heading", level=1)).to_contain_text("Matriks laporan nasional")
    screenshot(seknas, "national-matrix")
    row = seknas.get_by_role("row").filter(has=seknas.get_by_role("rowheader", name="33 Jawa Tengah", exact=True))
    row.locator("a.pill").first.click()
    expect(seknas.get_by_text("Pencairan BLM selesai 15 November").first).to_be_visible()
    no_errors(seknas, seknas_errors)
    seknas.get_by_role("link", name="perubahan dari v1").click()
    changed = seknas.locator("section.card").filter(has=seknas.locator(".pill-warn"))
    expect(changed).to_have_count(2)  # Kemajuan pelaksanaan and Rekomendasi, nothing else
    expect(seknas.locator(".diff-add").filter(has_text="Pencairan BLM selesai 15 November")).to_be_visible()
    seknas.go_back()
    for link, name, magic in (
        ("PDF resmi", "laporan.pdf", b"%PDF"),
        ("Tabel penilaian dan buku tugas (Excel)", "penilaian.xlsx", b"PK"),
    ):
        with seknas.expect_download() as download_info:
            seknas.get_by_role("link", name=link).click()
        path = Path(tmp_path) / name
        download_info.value.save_as(path)
        assert path.read_bytes().startswith(magic)
    no_errors(seknas, seknas_errors)
