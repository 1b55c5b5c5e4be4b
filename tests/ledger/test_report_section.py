"""The TK's quarterly report carries the TK's own duty ledger as a section
(ReportSection.Kind.LEDGER, reports/migrations/0005), frozen into the version
when it is sent (settings.REPORT_SNAPSHOT_EXTRAS -> ledger.snapshot): the
snapshot, the version page, the PDF and the Excel workbook hold the duty lines
and their standings; a later change to the ledger leaves the sent version as
it was; a version made before the section existed reads as before."""

import copy
import datetime
import io
import zoneinfo

import openpyxl
import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from duties.models import Duty
from ledger import services as ledger_services
from ledger.standing import quarter
from reports import exports, views
from reports import services as report_services
from reports.models import ReportSection, ReportVersion
from reports.scheduler import create_report_slots
from tests.factories import member
from tests.reports.conftest import content, report_of

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
# 5 October 2026, 10.00 WIB: Q3 2026 is over, its report due on 12 October.
DAY = datetime.date(2026, 10, 5)
Q3 = quarter("2026-Q3")
ACCOUNT = "Menjaga pelaksanaan sesuai prinsip: kunjungan ke Kabupaten Cilacap dan Banyumas."
LATER = "Uraian yang ditulis ulang sesudah laporan dikirim."
OCCURRENCE = "Masukan pembinaan fasilitator kecamatan di Kabupaten Brebes."


@pytest.fixture
def clock():
    with time_machine.travel(datetime.datetime(2026, 10, 5, 10, 0, tzinfo=JAKARTA), tick=False) as traveller:
        yield traveller


@pytest.fixture
def tk_member(db):
    return member("tk-provinsi", "33", username="tk-jateng")


@pytest.fixture
def report(clock):
    create_report_slots(on=DAY)
    return report_of("tk-triwulan")


def tk_duty(number):
    return Duty.objects.get(kind__code="tk-provinsi", number=number)


def write_ledger(report, user):
    """The TK's own words in its Q3 ledger: an account of duty 1 (ongoing)
    and an occurrence of duty 6 (incidental)."""
    actor = report.actor
    ledger_services.do_save_account(user=user, actor=actor, duty=tk_duty(1), period=Q3, text=ACCOUNT)
    ledger_services.do_record_occurrence(
        user=user,
        actor=actor,
        duty=tk_duty(6),
        period=Q3,
        occurred_on=datetime.date(2026, 8, 14),
        what=OCCURRENCE,
        action="Rekomendasi tertulis kepada KMW.",
    )


def send(report, user):
    report_services.do_save_draft(user=user, report=report, **content(report))
    return report_services.do_submit_report(user=user, report=report)


@pytest.fixture
def version(report, tk_member):
    write_ledger(report, tk_member)
    return send(report, tk_member)


def rows_by_number(snapshot):
    return {int(row["ref"].rsplit("-", 1)[1]): row for row in snapshot["ledger"]}


def flat(text):
    return " ".join(text.split())


def test_the_tk_quarterly_report_has_a_ledger_section_that_is_not_typed(report):
    section = report.report_type.sections.get(kind=ReportSection.Kind.LEDGER)
    assert (section.code, section.required) == ("buku-tugas", False)
    codes = list(report.report_type.sections.values_list("code", flat=True))
    assert codes.index("buku-tugas") == codes.index("penilaian") + 1
    assert codes[-1] == "rekomendasi"
    # Only the TK's quarterly report has one.
    assert set(
        ReportSection.objects.filter(kind=ReportSection.Kind.LEDGER).values_list("report_type__code", flat=True)
    ) == {"tk-triwulan"}


def test_the_snapshot_holds_the_tks_ledger_at_submission(version):
    snap = version.snapshot
    duties = list(Duty.objects.filter(kind__code="tk-provinsi").order_by("number"))
    assert [row["ref"] for row in snap["ledger"]] == [d.ref for d in duties]
    assert [row["text"] for row in snap["ledger"]] == [d.text for d in duties]  # verbatim, in seed order
    rows = rows_by_number(snap)
    assert (rows[1]["standing"], rows[1]["standing_label"], rows[1]["account"]) == ("terlaksana", "Terlaksana", ACCOUNT)
    assert rows[1]["source_label"] == "Uraian triwulan pelaku"
    assert rows[6]["standing"] == "terlaksana"
    assert rows[6]["occurrences"] == [
        {
            "occurred_on": "2026-08-14",
            "occurred_on_label": "14 Agustus 2026",
            "what": OCCURRENCE,
            "action": "Rekomendasi tertulis kepada KMW.",
        }
    ]
    assert rows[6]["evidence"] == [{"label": OCCURRENCE, "note": "2026-08-14"}]
    # The report being sent counts for its own duty (TK 5): sent on time with this version.
    assert rows[5]["standing"] == "terlaksana"
    assert rows[5]["evidence"] == [
        {"label": "Laporan triwulan TK PNPM-MP Provinsi Triwulan III 2026", "note": "dikirim tepat waktu"}
    ]
    # TK 7 reads the assessment table this very version carries.
    assert rows[7]["standing"] == "terlaksana"
    assert rows[7]["evidence"] == [
        {
            "label": "Laporan triwulan TK PNPM-MP Provinsi Triwulan III 2026",
            "note": f"{len(snap['assessment'])} baris penilaian (versi 1)",
        }
    ]
    # The section itself carries no typed text, whatever the draft held.
    section = next(s for s in snap["sections"] if s["kind"] == ReportSection.Kind.LEDGER)
    assert section["text"] == ""


def test_a_later_change_to_the_ledger_does_not_change_the_sent_version(version, tk_member):
    frozen = copy.deepcopy(version.snapshot)
    actor = version.report.actor
    ledger_services.do_save_account(user=tk_member, actor=actor, duty=tk_duty(1), period=Q3, text=LATER)
    ledger_services.do_record_occurrence(
        user=tk_member,
        actor=actor,
        duty=tk_duty(6),
        period=Q3,
        occurred_on=datetime.date(2026, 9, 2),
        what="Kejadian kedua.",
        action="Ditangani.",
    )
    version = ReportVersion.objects.get(pk=version.pk)
    assert version.snapshot == frozen
    assert rows_by_number(version.snapshot)[1]["account"] == ACCOUNT
    assert LATER not in flat(pdf_text(exports.version_pdf(version)))


def pdf_text(content_bytes):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content_bytes)).pages)


def test_the_pdf_holds_the_duty_lines_and_their_standings(version):
    text = flat(pdf_text(exports.version_pdf(version)))
    for duty in Duty.objects.filter(kind__code="tk-provinsi"):
        assert flat(duty.text) in text, duty.ref
    assert "Pelaksanaan tugas pokok (buku tugas)" in text
    assert "Terlaksana" in text and "Belum" in text
    assert ACCOUNT in text and OCCURRENCE in text


def test_the_workbook_has_a_ledger_sheet(version, login, tk_member):
    response = login(tk_member).get(reverse("reports:version_excel", args=[version.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[1] == "Buku tugas"
    rows = [[c.value for c in row] for row in book["Buku tugas"].iter_rows()]
    header = rows.index(["Kode", "Tugas pokok", "Kedudukan", "Sumber", "Bukti", "Uraian", "Kejadian"])
    body = rows[header + 1 :]
    duties = list(Duty.objects.filter(kind__code="tk-provinsi").order_by("number"))
    assert [r[:2] for r in body] == [[d.ref, d.text] for d in duties]
    standings = {r[0]: r[2] for r in body}
    assert standings[tk_duty(1).ref] == "Terlaksana" and standings[tk_duty(7).ref] == "Terlaksana"
    assert next(r for r in body if r[0] == tk_duty(1).ref)[5] == ACCOUNT
    assert next(r for r in body if r[0] == tk_duty(6).ref)[6] == (
        f"14 Agustus 2026: {OCCURRENCE} (Rekomendasi tertulis kepada KMW.)"
    )


def test_the_version_page_shows_the_frozen_ledger(version, login, gubernur_office):
    html = login(gubernur_office).get(reverse("reports:version_detail", args=[version.pk])).content.decode()
    assert "Buku tugas pelaku pada saat laporan dikirim" in html
    assert tk_duty(4).text in html and ACCOUNT in html and "14 Agustus 2026" in html
    assert "Tabel penilaian dan buku tugas (Excel)" in html


def test_the_draft_says_the_section_comes_from_the_ledger(report, tk_member, login):
    html = login(tk_member).get(reverse("reports:report_edit", args=[report.pk])).content.decode()
    link = reverse("ledger:ledger", kwargs={"actor_pk": report.actor_id, "period": "2026-Q3"})
    assert f'href="{link}"' in html
    assert "Bagian ini tidak diketik" in html
    assert 'name="section_buku-tugas"' not in html


def test_a_version_without_the_ledger_reads_as_before(version, login, tk_member):
    """A version sent before the section existed: no ledger key, no ledger section."""
    snap = copy.deepcopy(version.snapshot)
    del snap["ledger"]
    snap["sections"] = [s for s in snap["sections"] if s["kind"] != ReportSection.Kind.LEDGER]
    older = copy.copy(version)  # in memory only: versions are append-only
    older.snapshot = snap
    html = render_version_page(older, tk_member)
    assert "Buku tugas pelaku pada saat laporan dikirim" not in html and tk_duty(4).text not in html
    assert "Tabel penilaian (Excel)" in html
    text = flat(pdf_text(exports.version_pdf(older)))
    assert "Pelaksanaan tugas pokok" not in text and tk_duty(4).text not in text
    book = openpyxl.load_workbook(io.BytesIO(exports.version_assessment_xlsx(older)))
    assert len(book.sheetnames) == 1
    # A version whose ledger section froze nothing (the key missing) shows a dash, not an error.
    snap_with_section = copy.deepcopy(version.snapshot)
    del snap_with_section["ledger"]
    older.snapshot = snap_with_section
    assert "Pelaksanaan tugas pokok (buku tugas)" in flat(pdf_text(exports.version_pdf(older)))
    html = render_version_page(older, tk_member)
    assert "Pelaksanaan tugas pokok (buku tugas)" in html and tk_duty(4).text not in html


def render_version_page(version, user):
    request = RequestFactory().get(reverse("reports:version_detail", args=[version.pk]))
    request.user = user
    request.session = {}
    return render_to_string("reports/version_detail.html", views._version_context(version), request=request)


def test_a_long_account_and_many_occurrences_still_make_a_pdf_and_a_workbook(version):
    """An account at the form's limit and several long occurrences: the PDF
    prints them after the table (a table row cannot break across pages), the
    workbook keeps each cell within Excel's limit."""
    snapshot = copy.deepcopy(version.snapshot)
    rows = rows_by_number(snapshot)
    rows[1]["account"] = "Koordinasi dengan kabupaten dan kecamatan. " * 70  # about 3,000 characters
    rows[6]["occurrences"] = [
        {
            "occurred_on": "2026-08-14",
            "occurred_on_label": "14 Agustus 2026",
            "what": "Kejadian. " * 300,
            "action": "Tindakan. " * 300,
        }
        for _ in range(12)
    ]
    other = copy.copy(version)
    other.snapshot = snapshot
    text = flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(exports.version_pdf(other))).pages))
    assert "TK PNPM-MP Provinsi-1, uraian:" in text
    assert text.count("TK PNPM-MP Provinsi-6, kejadian 14 Agustus 2026:") == 12
    sheet = openpyxl.load_workbook(io.BytesIO(exports.version_assessment_xlsx(other)))["Buku tugas"]
    assert all(len(str(c.value or "")) <= 32767 for row in sheet.iter_rows() for c in row)
