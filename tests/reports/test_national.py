import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from reports import services
from reports.models import Report
from reports.national import Cell, build, cell_status, periodic_types, provinces_for
from reports.scheduler import create_report_slots
from tests.reports.conftest import JAKARTA, content, report_of

pytestmark = pytest.mark.django_db


def cells_of(province_code, type_code, year=2026):
    matrices, _total = build([t for t in periodic_types() if t.code == type_code], year, provinces_for(province_code))
    return {c["period"]: c for c in matrices[0]["rows"][0]["cells"]}, matrices[0]["rows"][0]["tally"]


def test_cells_go_from_due_to_submitted_on_time_and_to_acknowledged(slots, tk_member, gubernur_office):
    report = report_of("tk-triwulan")
    cells, _ = cells_of("33", "tk-triwulan")
    assert cells["2026-Q3"]["status"] == Cell.DUE
    assert cells["2026-Q4"]["status"] == Cell.NOT_YET_DUE
    assert cells["2026-Q1"]["status"] == Cell.NONE  # before the app: no slot
    services.do_save_draft(user=tk_member, report=report, **content(report))
    version = services.do_submit_report(user=tk_member, report=report)
    cells, tally = cells_of("33", "tk-triwulan")
    assert cells["2026-Q3"]["status"] == Cell.ON_TIME and cells["2026-Q3"]["version_id"] == version.pk
    assert (tally.expected, tally.submitted, tally.completeness, tally.timeliness) == (1, 1, 100, 100)
    services.do_review_report(user=gubernur_office, report=report, decision="diterima")
    assert cells_of("33", "tk-triwulan")[0]["2026-Q3"]["status"] == Cell.ACKNOWLEDGED


def test_after_the_deadline_an_unsent_report_is_overdue_and_a_late_one_counts_against_timeliness(
    slots, tk_member, gubernur_office, clock
):
    clock.move_to(datetime.datetime(2026, 10, 13, 8, 0, tzinfo=JAKARTA))
    cells, tally = cells_of("33", "tk-triwulan")
    assert cells["2026-Q3"]["status"] == Cell.OVERDUE
    assert (tally.expected, tally.completeness) == (1, 0)
    report = report_of("tk-triwulan")
    services.do_save_draft(user=tk_member, report=report, **content(report))
    services.do_submit_report(user=tk_member, report=report)
    cells, tally = cells_of("33", "tk-triwulan")
    assert cells["2026-Q3"]["status"] == Cell.LATE
    assert (tally.completeness, tally.timeliness) == (100, 0)
    services.do_review_report(
        user=gubernur_office, report=report, decision="dikembalikan", section_reasons={"kemajuan": "Kurang rinci."}
    )
    assert cells_of("33", "tk-triwulan")[0]["2026-Q3"]["status"] == Cell.RETURNED


def test_cell_status_of_a_future_period_without_a_report_is_not_yet_due():
    from core.periods import quarter

    assert cell_status(None, quarter(2027, 2), datetime.date(2026, 10, 5)) == Cell.NOT_YET_DUE


@pytest.fixture
def full_year(db):
    """Every province, periodic type and period of 2026, with a mix of statuses."""
    for month in range(1, 13):
        create_report_slots(on=datetime.date(2026, month, 1))
    reports = list(Report.objects.filter(period__startswith="2026").order_by("pk"))
    for i, report in enumerate(reports):
        if i % 3 == 0:
            report.status, report.version_count, report.submitted_on_time = "dikirim", 1, i % 2 == 0
        elif i % 3 == 1:
            report.status, report.version_count, report.submitted_on_time = "diterima", 1, True
    Report.objects.bulk_update(reports, ["status", "version_count", "submitted_on_time"])
    return reports


def test_the_matrix_of_38_provinces_12_months_and_all_types_uses_at_most_11_queries(
    full_year, seknas_user, login, django_assert_max_num_queries, clock
):
    clock.move_to(datetime.datetime(2027, 2, 1, 9, 0, tzinfo=JAKARTA))
    c = login(seknas_user)
    # A fragment cache miss: the cache key's query and the build's.
    with django_assert_max_num_queries(11):
        response = c.get(reverse("reports:national"), {"tahun": 2026})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<th scope="row">') == 38 * 3
    assert page.count("pill pill-") >= 38 * (4 + 12 + 12)
    with django_assert_max_num_queries(10):
        assert c.get(reverse("reports:national_xlsx"), {"tahun": 2026}).status_code == 200


def test_filters_narrow_the_matrix_to_a_type_province_and_status(full_year, seknas_user, login, clock):
    clock.move_to(datetime.datetime(2027, 2, 1, 9, 0, tzinfo=JAKARTA))
    c = login(seknas_user)
    page = c.get(reverse("reports:national"), {"tahun": 2026, "jenis": "kmw-bulanan", "provinsi": "33"}).content
    page = page.decode()
    assert page.count('<th scope="row">') == 1 and "Jawa Tengah" in page and "Laporan bulanan KMW" in page
    only_overdue = c.get(reverse("reports:national"), {"tahun": 2026, "status": "terlambat"}).content.decode()
    assert 0 < only_overdue.count('<th scope="row">') <= 38 * 3


def test_a_bad_filter_is_a_400_with_an_indonesian_message(seknas_user, login):
    response = login(seknas_user).get(reverse("reports:national"), {"tahun": "1066", "jenis": "tidak-ada"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "2000" in page  # "Pastikan nilai ini ... 2000."
    assert "Masukkan pilihan yang valid" in page
    assert login(seknas_user).get(reverse("reports:national_csv"), {"tahun": "x"}).status_code == 400


def test_the_csv_and_excel_exports_hold_the_matrix_with_percentages(slots, tk_member, seknas_user, login):
    report = report_of("tk-triwulan")
    services.do_save_draft(user=tk_member, report=report, **content(report))
    services.do_submit_report(user=tk_member, report=report)
    c = login(seknas_user)
    params = {"tahun": 2026, "jenis": "tk-triwulan"}
    response = c.get(reverse("reports:national_csv"), params)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    jateng = next(r for r in rows if len(r) > 1 and r[1] == "Jawa Tengah")
    assert header[2:6] == ["Triwulan I 2026", "Triwulan II 2026", "Triwulan III 2026", "Triwulan IV 2026"]
    assert jateng[4] == "Dikirim tepat waktu"
    assert jateng[-2:] == ["100", "100"]
    # The province's Kemendagri code in its own column.
    assert (header[0], jateng[0]) == ("Kode", "33")
    book = openpyxl.load_workbook(io.BytesIO(c.get(reverse("reports:national_xlsx"), params).content))
    sheet = book["tk-triwulan"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert any(row[:2] == ["33", "Jawa Tengah"] and row[4] == "Dikirim tepat waktu" for row in values)
    assert values[1][:2] == ["Kode", "Provinsi"]
    assert values[-1][1] == "Nasional"


def test_the_page_shows_each_provinces_code_beside_its_name(slots, seknas_user, login):
    page = login(seknas_user).get(reverse("reports:national"), {"tahun": 2026, "jenis": "tk-triwulan"})
    text = page.content.decode()
    # Above the name, in the row header (the table keeps its width at 1280 px).
    assert '<th scope="row"><span class="muted">33</span> <br>Jawa Tengah</th>' in text
    assert '<th scope="row"><span class="muted">32</span> <br>Jawa Barat</th>' in text


def test_seknas_drills_down_from_a_cell_to_the_submitted_version(slots, tk_member, seknas_user, login):
    report = report_of("tk-triwulan")
    services.do_save_draft(user=tk_member, report=report, **content(report))
    version = services.do_submit_report(user=tk_member, report=report)
    c = login(seknas_user)
    page = c.get(reverse("reports:national"), {"jenis": "tk-triwulan", "tahun": 2026}).content.decode()
    link = reverse("reports:version_detail", args=[version.pk])
    assert link in page
    assert c.get(link).status_code == 200
    # The drafts of other cells are never linked.
    assert page.count("/laporan/versi/") == 1


def test_seknas_home_shows_the_national_summary(slots, seknas_user, login):
    page = login(seknas_user).get("/").content.decode()
    assert "Matriks nasional" in page and "Nasional tahun ini" in page


def test_the_writers_home_lists_the_report_to_write(slots, tk_member, login):
    page = login(tk_member).get("/").content.decode()
    assert reverse("reports:report_edit", args=[report_of("tk-triwulan").pk]) in page


def test_the_navigation_offers_reports_to_everyone_and_the_national_view_to_seknas(seknas_user, tk_member, login):
    seknas_page = login(seknas_user).get("/").content.decode()
    tk_page = login(tk_member).get("/").content.decode()
    national = f'href="{reverse("reports:national")}"'
    assert national in seknas_page and national not in tk_page
    assert f'href="{reverse("reports:report_list")}"' in tk_page
