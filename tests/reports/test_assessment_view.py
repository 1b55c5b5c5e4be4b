"""The assessment across reports (reports.assessment, /penilaian-kinerja/):
the ratings of the submitted TK quarterly reports per unit and period, the
counts per rating, drill-down province -> kabupaten -> kecamatan, who may see
it, its Excel export (the same cells as the page) and its constant number of
queries."""

import datetime
import io

import lxml.html
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.periods import parse_period
from core.permissions import sync_grants
from regions.models import Region
from regions.search import fold
from reports.models import Report, ReportType, ReportVersion, UnitNameMatch
from tests.factories import UserFactory, actor, member

pytestmark = pytest.mark.django_db

URL = reverse("reports:assessment")
XLSX = reverse("reports:assessment_xlsx")
LABELS = {"sangat-baik": "Sangat baik", "baik": "Baik", "cukup": "Cukup", "kurang": "Kurang"}
LEVEL_LABELS = {
    "provinsi": "Provinsi",
    "kabupaten": "Kabupaten/Kota",
    "kecamatan": "Kecamatan",
    "desa": "Desa/Kelurahan",
}
Q = ["Triwulan I 2026", "Triwulan II 2026", "Triwulan III 2026", "Triwulan IV 2026"]


def row(level, name, rating, region_code="", unit_code=""):
    """One assessment row as a version's snapshot keeps it."""
    return {
        "level": level,
        "level_label": LEVEL_LABELS[level],
        "unit_code": unit_code or region_code,
        "unit_name": name,
        "rating": rating,
        "rating_label": LABELS[rating],
        "note": "",
        "region_code": region_code,
    }


def legacy(level, name, rating, unit_code=""):
    """A row written as free text before the tree was loaded (no region_code key at all)."""
    r = row(level, name, rating, unit_code=unit_code)
    del r["region_code"]
    return r


def submit(province, period, rows, *, type_code="tk-triwulan", writer_kind="tk-provinsi"):
    """A new submitted version of the TK report of `province` and `period`
    with these assessment rows; it becomes the report's latest version."""
    writer = actor(writer_kind, province)
    span = parse_period(period)
    report, _created = Report.objects.get_or_create(
        report_type=ReportType.objects.get(code=type_code),
        province=writer.province,
        period=period,
        defaults={"actor": writer, "period_start": span.start, "period_end": span.end},
    )
    number = report.version_count + 1
    version = ReportVersion.objects.create(
        report=report,
        number=number,
        submitted_at=timezone.now(),
        submitted_by=UserFactory(),
        on_time=True,
        snapshot={"schema": 1, "period": period, "assessment": rows},
    )
    Report.objects.filter(pk=report.pk).update(
        latest_version=version, version_count=number, status=Report.Status.SUBMITTED
    )
    # What submission grants: the recipients, the reviewer and seknas view it.
    report.refresh_from_db()
    sync_grants([report])
    return version


@pytest.fixture
def world(regions):
    """Jawa Tengah's 2026: Q1 sent twice (the second version changes
    Cilacap's rating and holds a matched and two unmatched free-text rows),
    Q2 once; DI Yogyakarta's Q1; a 2025 report and a draft that never count."""
    submit(
        "33",
        "2026-Q1",
        [
            row("provinsi", "Jawa Tengah", "sangat-baik", "33"),
            row("kabupaten", "Kab. Cilacap", "sangat-baik", "33.01"),
            legacy("desa", "Desa Lama", "baik"),
        ],
    )
    submit(
        "33",
        "2026-Q1",
        [
            row("provinsi", "Jawa Tengah", "baik", "33"),
            row("kabupaten", "Kab. Cilacap", "kurang", "33.01"),
            row("kecamatan", "Wanareja — Kab. Cilacap", "cukup", "33.01.15"),
            row("desa", "Tarisi — Kec. Wanareja, Kab. Cilacap", "kurang", "33.01.15.2001"),
            legacy("kecamatan", "Kedungreja", "baik", unit_code="3301-01"),
            legacy("desa", "Desa Entah", "cukup"),
            legacy("kabupaten", "Magelang", "baik"),
        ],
    )
    submit(
        "33",
        "2026-Q2",
        [row("kabupaten", "Kab. Cilacap", "cukup", "33.01"), row("kabupaten", "Kab. Magelang", "baik", "33.08")],
    )
    submit("34", "2026-Q1", [row("provinsi", "DIY", "cukup", "34"), row("kabupaten", "Sleman", "baik", "34.04")])
    submit("33", "2025-Q4", [row("kabupaten", "Kab. Cilacap", "sangat-baik", "33.01")])
    writer = actor("tk-provinsi", "33")
    Report.objects.create(
        report_type=ReportType.objects.get(code="tk-triwulan"),
        province=writer.province,
        actor=writer,
        period="2026-Q3",
    )
    province = writer.province
    UnitNameMatch.objects.create(
        province=province,
        level="kecamatan",
        written_name="Kedungreja",
        written_code="3301-01",
        region=regions["33.01.01"],
        status=UnitNameMatch.Status.AUTOMATIC,
    )
    # Waiting for a person: not counted.
    UnitNameMatch.objects.create(
        province=province,
        level="kabupaten",
        written_name="Magelang",
        status=UnitNameMatch.Status.PENDING,
        candidates=["33.08", "33.71"],
    )
    return regions


@pytest.fixture
def tk(db):
    return member("tk-provinsi", "33", username="tk-jateng")


def table(page, table_id):
    """A table of the page as lists of cell texts (header, body and footer rows)."""
    tree = lxml.html.fromstring(page)
    return [
        [" ".join(cell.text_content().split()) for cell in tr.xpath("./th|./td")]
        for tr in tree.xpath(f'//table[@id="{table_id}"]//tr')
    ]


def sheet_rows(sheet):
    return [["" if c.value is None else str(c.value) for c in r] for r in sheet.iter_rows()]


def get(client, **params):
    return client.get(URL, {"tahun": 2026, **params})


# Scopes and drill-down -----------------------------------------------------


def test_the_province_shows_its_own_row_and_one_row_per_kabupaten(world, tk, login):
    response = get(login(tk))
    assert response.status_code == 200
    rows = table(response.content, "assessment-units")
    assert rows[0] == ["Kode wilayah", "Wilayah", "Tingkat", *Q]
    assert rows[1] == ["33", "Jawa Tengah", "Provinsi", "Baik", "—", "—", "—"]
    assert rows[2] == ["33.01", "Kabupaten Cilacap", "Kabupaten/Kota", "Kurang", "Cukup", "—", "—"]
    assert rows[3] == ["33.08", "Kabupaten Magelang", "Kabupaten/Kota", "—", "Baik", "—", "—"]
    assert rows[4] == ["33.71", "Kota Magelang", "Kabupaten/Kota", "—", "—", "—", "—"]
    assert len(rows) == 5


def test_counts_per_rating_per_kabupaten_add_up_every_rating_below_it(world, tk, login):
    counts = table(get(login(tk)).content, "assessment-counts-table")
    assert counts[0] == ["Kode wilayah", "Wilayah", "Sangat baik", "Baik", "Cukup", "Kurang", "Jumlah"]
    # Cilacap: itself twice (Kurang, Cukup), Wanareja (Cukup), Tarisi (Kurang), Kedungreja (Baik, matched by name).
    assert counts[1] == ["33.01", "Kabupaten Cilacap", "0", "1", "2", "2", "5"]
    assert counts[2] == ["33.08", "Kabupaten Magelang", "0", "1", "0", "0", "1"]
    assert counts[3] == ["33.71", "Kota Magelang", "0", "0", "0", "0", "0"]
    # The province's own rating counts in the total only.
    assert counts[4] == ["", "Jumlah Jawa Tengah", "0", "3", "2", "2", "7"]


def test_the_latest_version_wins_and_older_years_and_drafts_do_not_count(world, tk, login):
    page = get(login(tk)).content.decode()
    rows = table(page, "assessment-units")
    assert rows[1][3] == "Baik"  # not the first version's "Sangat baik"
    assert "Sangat baik" not in [cell for r in rows[1:] for cell in r]
    assert "Desa Lama" not in page


def test_rows_not_matched_to_a_unit_are_counted_and_explained(world, tk, login):
    page = get(login(tk)).content.decode()
    # "Desa Entah" has no match, "Magelang" waits for a person's decision.
    assert "2 baris belum dicocokkan dengan wilayah resmi" in page
    assert "match_assessment_units" in page


def test_a_kabupaten_shows_itself_and_its_kecamatan(world, tk, login):
    c = login(tk)
    page = get(c).content.decode()
    assert 'href="?tahun=2026&amp;kabupaten=33.01"' in page
    response = get(c, kabupaten="33.01")
    assert response.status_code == 200
    rows = table(response.content, "assessment-units")
    assert rows[1:] == [
        ["33.01", "Kabupaten Cilacap", "Kabupaten/Kota", "Kurang", "Cukup", "—", "—"],
        ["33.01.01", "Kedungreja", "Kecamatan", "Baik", "—", "—", "—"],
        ["33.01.15", "Wanareja", "Kecamatan", "Cukup", "—", "—", "—"],
        ["33.01.21", "Cilacap Selatan", "Kecamatan", "—", "—", "—", "—"],
    ]
    counts = table(response.content, "assessment-counts-table")
    assert counts[1:] == [
        ["33.01.01", "Kedungreja", "0", "1", "0", "0", "1"],
        ["33.01.15", "Wanareja", "0", "0", "1", "1", "2"],
        ["33.01.21", "Cilacap Selatan", "0", "0", "0", "0", "0"],
        ["", "Jumlah Kabupaten Cilacap", "0", "1", "2", "2", "5"],
    ]
    crumbs = lxml.html.fromstring(response.content).xpath('//nav[@class="crumbs"]')[0].text_content()
    assert "Jawa Tengah" in crumbs and "Kab. Cilacap" in crumbs
    assert 'href="?tahun=2026&amp;kecamatan=33.01.15"' in response.content.decode()


def test_a_kecamatan_shows_its_desa_without_further_links(world, tk, login):
    response = get(login(tk), kecamatan="33.01.15")
    assert response.status_code == 200
    rows = table(response.content, "assessment-units")
    assert rows[1] == ["33.01.15", "Wanareja — Kab. Cilacap", "Kecamatan", "Cukup", "—", "—", "—"]
    assert [r[:2] for r in rows[2:]] == [
        ["33.01.15.2001", "Tarisi"],
        ["33.01.15.2002", "Bantar"],
        ["33.01.15.2003", "Wanareja"],
        ["33.01.15.2004", "Limbangan"],
    ]
    assert rows[2][3] == "Kurang"
    assert "desa=" not in response.content.decode() and "kecamatan=33.01.15." not in response.content.decode()


def test_seknas_sees_every_province_and_counts_per_province(world, seknas_user, login):
    response = get(login(seknas_user))
    assert response.status_code == 200
    rows = table(response.content, "assessment-units")
    assert len(rows) == 1 + 38
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["33"][3:] == ["Baik", "—", "—", "—"]
    assert by_code["34"][3:] == ["Cukup", "—", "—", "—"]
    assert by_code["11"][3:] == ["—", "—", "—", "—"]
    counts = {r[0]: r for r in table(response.content, "assessment-counts-table")[1:]}
    assert counts["33"][2:] == ["0", "3", "2", "2", "7"]
    assert counts["34"][2:] == ["0", "1", "1", "0", "2"]
    assert counts[""][1:] == ["Jumlah Nasional", "0", "4", "3", "2", "9"]
    assert 'href="?tahun=2026&amp;provinsi=33"' in response.content.decode()
    # Drilling into a province, then into a kabupaten.
    assert table(get(login(seknas_user), provinsi="34").content, "assessment-units")[2][:2] == [
        "34.04",
        "Kabupaten Sleman",
    ]
    assert get(login(seknas_user), kabupaten="33.01").status_code == 200


def test_the_default_year_is_the_current_year_in_the_provinces_zone(world, tk, login):
    # 31 December 2026, 23.30 WIB: already 2027 in WITA and WIT, still 2026 in Jawa Tengah.
    import time_machine

    moment = datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        page = login(tk).get(URL).content.decode()
    assert "Penilaian kinerja: Jawa Tengah, 2026" in page


def test_nothing_submitted_yet_shows_the_empty_state(regions, tk, login):
    response = get(login(tk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Belum ada laporan yang dikirim" in page
    assert 'id="assessment-units"' not in page


def test_a_retired_unit_shows_only_when_rated_and_an_unknown_code_by_its_written_name(world, tk, login):
    Region.objects.filter(code__in=["33.01.21", "33.01.01"]).update(retired_in="uji 2")
    submit("33", "2026-Q3", [row("kecamatan", "Kecamatan Baru", "baik", "33.01.88")])
    rows = table(get(login(tk), kabupaten="33.01").content, "assessment-units")
    assert [r[:2] for r in rows[2:]] == [
        ["33.01.01", "Kedungreja"],  # retired, rated in Q1
        ["33.01.15", "Wanareja"],
        ["33.01.88", "Kecamatan Baru"],  # not in the loaded tree
    ]
    assert rows[4][3:] == ["—", "—", "Baik", "—"]


def test_a_rating_below_a_retired_unit_keeps_its_row_so_the_counts_add_up(world, tk, login):
    # Cilacap Selatan (33.01.21) retired; one of its desa was rated.
    Region.objects.filter(code="33.01.21").update(retired_in="uji 2")
    submit("33", "2026-Q3", [row("desa", "Sidakaya", "baik", "33.01.21.1001")])
    counts = table(get(login(tk), kabupaten="33.01").content, "assessment-counts-table")
    body, total = counts[1:-1], counts[-1]
    assert ["33.01.21", "Cilacap Selatan", "0", "1", "0", "0", "1"] in body
    # The total: the rows below, and Cilacap's own ratings (Kurang in Q1, Cukup in Q2).
    own = [0, 0, 1, 1, 2]
    assert [sum(int(r[i]) for r in body) + own[i - 2] for i in range(2, 7)] == [int(v) for v in total[2:7]]


# Permissions ---------------------------------------------------------------


def test_only_reports_the_person_may_view_count(world, tk, gubernur_office, login):
    # KMW's monthly report goes to the TK and seknas, not to the Governor's office.
    submit(
        "33", "2026-09", [row("kabupaten", "Kab. Cilacap", "baik", "33.01")], type_code="kmw-bulanan", writer_kind="kmw"
    )
    rows = table(get(login(tk), jenis="kmw-bulanan").content, "assessment-units")
    assert rows[0][3] == "Januari 2026" and len(rows[0]) == 3 + 12
    assert rows[2][:2] == ["33.01", "Kabupaten Cilacap"] and rows[2][3 + 8] == "Baik"
    page = get(login(gubernur_office), jenis="kmw-bulanan").content.decode()
    assert "Belum ada laporan yang dikirim" in page


def test_tk_governors_office_and_seknas_may_open_it(world, tk, gubernur_office, seknas_user, login):
    for user in (tk, gubernur_office, seknas_user):
        assert get(login(user)).status_code == 200
        assert login(user).get(XLSX, {"tahun": 2026}).status_code == 200


def test_other_members_and_the_superuser_get_403(world, pjoprov_member, colleague, outsider, login):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    for user in (pjoprov_member, colleague, outsider, root):
        assert get(login(user)).status_code == 403
        assert login(user).get(XLSX).status_code == 403


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_term_that_ended_opens_nothing(world, login):
    user = member("tk-provinsi", "33", start=datetime.date(2000, 1, 1), end=datetime.date(2001, 1, 1))
    assert get(login(user)).status_code == 403


def test_another_provinces_governors_office_sees_its_own_province_only(world, login):
    other = member("gubernur", "34", username="gub-diy")
    c = login(other)
    rows = table(get(c).content, "assessment-units")
    assert rows[1][:2] == ["34", "Daerah Istimewa Yogyakarta"]
    for params in ({"provinsi": "33"}, {"kabupaten": "33.01"}, {"kecamatan": "33.01.15"}):
        assert get(c, **params).status_code == 404
        assert c.get(XLSX, {"tahun": 2026, **params}).status_code == 404


def test_a_province_member_may_not_ask_for_the_national_scope(world, tk, login):
    # No "provinsi" means their own province, never the whole country.
    rows = table(get(login(tk), provinsi="").content, "assessment-units")
    assert rows[1][0] == "33" and len(rows) == 5


def test_the_navigation_offers_it_to_seknas(world, seknas_user, pjoprov_member, login):
    assert f'href="{URL}"' in login(seknas_user).get(reverse("home")).content.decode()
    assert f'href="{URL}"' not in login(pjoprov_member).get(reverse("home")).content.decode()


def test_the_navigation_entry_follows_the_assessment_viewers(world, tk, gubernur_office, pjoprov_member):
    from reports.navigation import report_nav_items
    from reports.permissions import assessment_viewer_groups

    today = datetime.date(2026, 10, 5)
    assert assessment_viewer_groups(tk).exists() and assessment_viewer_groups(gubernur_office).exists()
    assert not assessment_viewer_groups(pjoprov_member).exists()
    labels = [i["label"] for i in report_nav_items(tk, today, national=False, assessment=True)]
    assert "Penilaian kinerja" in labels
    labels = [i["label"] for i in report_nav_items(pjoprov_member, today, national=False, assessment=False)]
    assert "Penilaian kinerja" not in labels


# Bad parameters -------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"tahun": "dua ribu"},
        {"tahun": "1999"},
        {"tahun": str(10**30)},
        {"tahun": "9999"},
        {"jenis": "tidak-ada"},
        {"provinsi": "3\x00"},
        {"provinsi": "Jawa Tengah"},
        {"kabupaten": "33.01.15"},  # a kecamatan's code as a kabupaten
        {"kecamatan": "33.01"},
        {"kecamatan": "33.01.15.2001"},
        {"kabupaten": "33.01", "kecamatan": "33.08.01"},
        {"provinsi": "34", "kabupaten": "33.01"},
        {"kabupaten": "33.01\r\n"},
    ],
)
def test_malformed_parameters_get_a_clear_400(world, seknas_user, login, params):
    c = login(seknas_user)
    response = c.get(URL, params)
    assert response.status_code == 400
    assert "Ada yang perlu diperbaiki" in response.content.decode()
    assert c.get(XLSX, params).status_code == 400


@pytest.mark.parametrize("params", [{"provinsi": "99"}, {"kabupaten": "33.99"}, {"kecamatan": "33.01.99"}])
def test_unknown_units_are_404(world, seknas_user, login, params):
    c = login(seknas_user)
    assert c.get(URL, params).status_code == 404
    assert c.get(XLSX, params).status_code == 404


# The export -----------------------------------------------------------------


@pytest.mark.parametrize("scope", [{}, {"provinsi": "33"}, {"kabupaten": "33.01"}, {"kecamatan": "33.01.15"}])
def test_the_export_has_the_pages_cells(world, seknas_user, login, scope):
    c = login(seknas_user)
    page = get(c, **scope).content
    response = c.get(XLSX, {"tahun": 2026, **scope})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    units, counts = book.worksheets
    # Row 1 names the type, the year and the unit; the tables follow.
    assert sheet_rows(units)[1:] == table(page, "assessment-units")
    assert sheet_rows(counts)[1:-2] == table(page, "assessment-counts-table")
    assert sheet_rows(counts)[-1][0] == "2 baris belum dicocokkan dengan wilayah resmi"


def test_the_export_keeps_codes_as_text(world, tk, login):
    book = openpyxl.load_workbook(io.BytesIO(login(tk).get(XLSX, {"tahun": 2026}).content))
    cell = book.worksheets[0]["A3"]
    assert cell.value == "33" and cell.data_type == "s"


# Constant queries ------------------------------------------------------------


def _more_units(regions, start, n):
    """n more kecamatan of Kabupaten Cilacap, each rated in Q1 and Q2 of 2026
    (as a new version) and named once more as free text matched by name."""
    cilacap = regions["33.01"]
    units = [
        Region(
            code=f"33.01.{i:02d}",
            level="kecamatan",
            name=f"Kecamatan Uji {i}",
            parent=cilacap,
            province_code="33",
            search_name=fold(f"Kecamatan Uji {i}"),
            added_in="uji",
        )
        for i in range(start, start + n)
    ]
    Region.objects.bulk_create(units)
    province = actor("tk-provinsi", "33").province
    UnitNameMatch.objects.bulk_create(
        UnitNameMatch(
            province=province, level="kecamatan", written_name=u.name, region=u, status=UnitNameMatch.Status.CONFIRMED
        )
        for u in units
    )
    return units


def _measure(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_units_versions_or_provinces(regions, tk, seknas_user, login, settings):
    settings.NAV_BADGE_SECONDS = 0  # the badges are counted on every page alike
    from actors.models import Province

    codes = list(Province.objects.order_by("code").values_list("code", flat=True))

    def grow(start, n):
        units = _more_units(regions, start, n)
        for period in ("2026-Q1", "2026-Q2"):
            rows = [row("kecamatan", u.name, "baik", u.code) for u in units]
            rows += [legacy("kecamatan", u.name, "cukup") for u in units]
            submit("33", period, rows)
        for code in codes[:n]:
            if code != "33":
                submit(code, "2026-Q1", [row("provinsi", code, "baik", code)])

    measured = []
    grow(40, 3)
    for n in (3, 30):
        if n == 30:
            grow(43, 27)
        counted = {}
        for who, user, scopes in (
            ("tk", tk, [{}, {"kabupaten": "33.01"}, {"kecamatan": "33.01.15"}]),
            ("seknas", seknas_user, [{}, {"provinsi": "33"}]),
        ):
            c = login(user)
            c.get(URL)  # the session's first page
            for scope in scopes:
                params = {"tahun": 2026, **scope}
                key = (who, tuple(scope))
                counted[(key, "page")] = _measure(c, URL, params)
                counted[(key, "xlsx")] = _measure(c, XLSX, params)
        measured.append(counted)
    assert measured[0] == measured[1]
    # The page: session, user, badges, seknas?, provinces, types, regions, reports, matches.
    assert max(measured[0].values()) <= 12
    # The 30 kecamatan are there.
    page = login(tk).get(URL, {"tahun": 2026, "kabupaten": "33.01"}).content
    assert len(table(page, "assessment-units")) == 1 + 1 + 3 + 30


def test_without_the_region_tree_the_page_still_shows_the_province(db, gubernur_office, seknas_user, login):
    submit("33", "2026-Q1", [row("provinsi", "Jawa Tengah", "baik", "33"), legacy("kecamatan", "Wanareja", "cukup")])
    rows = table(get(login(gubernur_office)).content, "assessment-units")
    assert rows[1:] == [["33", "Jawa Tengah", "Provinsi", "Baik", "—", "—", "—"]]
    assert get(login(seknas_user)).status_code == 200
    assert login(seknas_user).get(XLSX, {"tahun": 2026, "provinsi": "33"}).status_code == 200


def test_it_only_reads(world, seknas_user, login):
    c = login(seknas_user)
    assert c.post(URL).status_code == 405
    assert c.post(XLSX).status_code == 405


def test_seknas_chooses_a_province_in_the_filter_except_below_one(world, seknas_user, login):
    c = login(seknas_user)
    assert 'name="provinsi"' in get(c).content.decode()
    page = get(c, kabupaten="33.01").content.decode()
    assert 'name="provinsi"' not in page and 'name="kabupaten" value="33.01"' in page
