import io

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports import exports, services
from tests.reports.conftest import CONSTRAINT, PROBLEM, content, report_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(slots, tk_member):
    report = report_of("tk-triwulan")
    values = content(report, kemajuan="Kemajuan triwulan ketiga.\n" + "Baris kemajuan yang panjang. " * 400)
    services.do_save_draft(user=tk_member, report=report, **values)
    return services.do_submit_report(user=tk_member, report=report)


def pdf_text(content_bytes):
    reader = PdfReader(io.BytesIO(content_bytes))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_an_official_document_with_the_reports_problems(version, gubernur_office, login):
    response = login(gubernur_office).get(reverse("reports:version_pdf", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="tk-triwulan-jawa-tengah-2026-q3-v1.pdf')
    reader, text = pdf_text(response.content)
    assert len(reader.pages) >= 2
    assert "LAPORAN TRIWULAN TIM KOORDINASI PNPM MANDIRI PERDESAAN PROVINSI" in text
    assert "Triwulan III 2026" in text
    assert PROBLEM in text and CONSTRAINT in text
    assert "Cilacap" in text and "Desa Sidareja" in text
    assert "Semarang, Senin, 5 Oktober 2026" in text and "Drs. Budi Santoso" in text
    assert "Tembusan" in text and "TK PNPM-MP Pusat" in text
    for page in reader.pages:  # version and submission time on every page
        assert "Versi 1 · dikirim 5 Oktober 2026, 10.00 WIB" in page.extract_text()


def test_the_assessment_table_opens_in_excel(version, seknas_user, login):
    response = login(seknas_user).get(reverse("reports:version_excel", args=[version.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows.index(["No.", "Tingkat", "Kode wilayah", "Nama wilayah", "Penilaian", "Catatan"])
    assert rows[header + 1] == [1, "Kabupaten/Kota", "3301", "Cilacap", "Baik", "Tepat"]
    assert rows[header + 2][3:5] == ["Desa Sidareja", "Kurang"]


def test_the_pdf_is_in_indonesian_even_for_an_english_reader(version, tk_member, login):
    c = login(tk_member)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    _reader, text = pdf_text(c.get(reverse("reports:version_pdf", args=[version.pk])).content)
    assert "Halaman 1" in text and "Kepada Yth." in text


def test_a_missing_pdf_library_gives_a_clear_message_not_a_stack_trace(version, tk_member, login, monkeypatch):
    def unavailable(_version):
        raise exports.ExportUnavailable("No module named 'reportlab'")

    monkeypatch.setattr(exports, "version_pdf", unavailable)
    response = login(tk_member).get(reverse("reports:version_pdf", args=[version.pk]))
    assert response.status_code == 503
    assert "Ekspor tidak tersedia" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_text_outside_latin_1_does_not_break_the_pdf(slots, tk_member, login):
    report = report_of("tk-triwulan")
    services.do_save_draft(
        user=tk_member, report=report, **content(report, rekomendasi="“Kutipan” — 中文 ✓ <b>bukan markup</b> & co")
    )
    version = services.do_submit_report(user=tk_member, report=report)
    _reader, text = pdf_text(login(tk_member).get(reverse("reports:version_pdf", args=[version.pk])).content)
    assert "<b>bukan markup</b> & co" in text
