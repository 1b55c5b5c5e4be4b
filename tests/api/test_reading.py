"""The API's read endpoints for meetings, reports, report versions and the
national matrix (api/reading.py): each for a persona who may and one who may
not (another province's member sees none of Jawa Tengah's rows and gets a 404
on them), the filters, the links, the national matrix equal to the seknas
page's (numbers and CSV bytes), a fixed number of queries whatever the page
and table size, and bad query parameters answered 400 naming the field."""

import base64
import datetime
from urllib.parse import urlencode

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.tokens import do_create_token
from core import clock as core_clock
from meetings import services as meeting_services
from meetings.models import Meeting
from reports import services as report_services
from reports.models import Report, ReportVersion
from reports.scheduler import create_report_slots
from tests.factories import member
from tests.meetings.conftest import PAST, make_meeting
from tests.reports.conftest import DAY, JAKARTA, content, report_of

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/rapat/"
REPORTS = "/api/v1/laporan/"
VERSIONS = "/api/v1/versi-laporan/"
NATIONAL = "/api/v1/nasional/"
HOST = "http://testserver"


def bearer(user):
    """A client with a read token of `user`."""
    _record, token = do_create_token(user=user, name="t", scope="baca")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def rows(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return response.json()["results"]


# The reports' frozen day (tests/reports/conftest.py): 5 October 2026, 10.00 WIB.
@pytest.fixture
def clock():
    with time_machine.travel(datetime.datetime(2026, 10, 5, 10, 0, tzinfo=JAKARTA), tick=False) as traveller:
        yield traveller


@pytest.fixture
def slots(db, clock):
    create_report_slots(on=DAY)


@pytest.fixture
def tk_member(db):
    return member("tk-provinsi", "33", username="tk-jateng")


def submit(user, report):
    report_services.do_save_draft(user=user, report=report, **content(report))
    return report_services.do_submit_report(user=user, report=report)


# --- meetings -------------------------------------------------------------------


@pytest.fixture
def meetings(pjoprov_member, outsider, colleague):
    """Jawa Tengah's and DI Yogyakarta's routine meetings of March 2025 (past)."""
    return make_meeting("pjoprov", "33", PAST), make_meeting("pjoprov", "34", PAST)


def test_a_member_lists_and_reads_their_provinces_meetings_and_another_province_gets_404(
    meetings, pjoprov_member, outsider
):
    jateng, diy = meetings
    mine = rows(bearer(pjoprov_member), MEETINGS)
    assert [m["id"] for m in mine] == [jateng.pk]
    row = mine[0]
    now = datetime.datetime.now(datetime.UTC)
    assert row["title"] == jateng.title and row["actor"] == jateng.actor_id and row["province"] == "33"
    assert row["period"] == PAST and row["period_label"] == "Maret 2025"
    assert row["status"] == "terjadwal"
    # Open and ended without a record: the page's word (Meeting.status_label).
    assert row["status_label"] == str(jateng.status_label(now)) == "Belum dicatat"
    assert row["location"] == jateng.location
    assert row["links"] == {
        "html": f"{HOST}{reverse('meetings:meeting_detail', args=[jateng.pk])}",
        "ical": None,
        "minutes_pdf": [],
    }
    detail = bearer(pjoprov_member).get(f"{MEETINGS}{jateng.pk}/")
    assert detail.status_code == 200 and detail.json() == row

    other = bearer(outsider)
    assert [m["id"] for m in rows(other, MEETINGS)] == [diy.pk]
    assert all(m["province"] != "33" for m in rows(other, MEETINGS))
    assert other.get(f"{MEETINGS}{jateng.pk}/").status_code == 404
    # Missing and not visible are alike; a bad id too.
    assert other.get(f"{MEETINGS}999999/").status_code == 404
    assert other.get(f"{MEETINGS}99999999999999999999999/").status_code == 404
    assert Client().get(MEETINGS).status_code == 401


def test_seknas_sees_no_provincial_meeting(meetings, seknas_user):
    assert rows(bearer(seknas_user), MEETINGS) == []


def test_the_ical_link_is_the_persons_own_feed_once_they_have_one(meetings, pjoprov_member, colleague):
    jateng, _diy = meetings
    feed = meeting_services.do_reset_calendar_feed(user=pjoprov_member)
    (row,) = rows(bearer(pjoprov_member), MEETINGS)
    assert row["links"]["ical"] == f"{HOST}{reverse('meetings:ical_feed', args=[feed.token])}"
    assert Client().get(row["links"]["ical"]).status_code == 200  # the live feed
    # KMW is invited to PjOProv's routine meeting; it has no feed yet.
    assert [(m["id"], m["links"]["ical"]) for m in rows(bearer(colleague), MEETINGS)] == [(jateng.pk, None)]


def approve_minutes(meeting, chair):
    tz = meeting.actor.province.tzinfo
    start = meeting.starts_at.astimezone(tz).replace(hour=9, minute=0)
    meeting_services.do_hold_meeting(
        user=chair, meeting=meeting, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    item = meeting.agenda.first()
    meeting_services.do_save_minutes(user=chair, meeting=meeting, notes="", entries={item.pk: ("Masalah", "Putusan")})
    return meeting_services.do_approve_minutes(user=chair, meeting=meeting)


def test_approved_minutes_are_linked_and_the_filters_narrow_the_list(meetings, pjoprov_member):
    jateng, _diy = meetings
    later = make_meeting("pjoprov", "33", "2025-04")
    version = approve_minutes(jateng, pjoprov_member)
    c = bearer(pjoprov_member)
    row = c.get(f"{MEETINGS}{jateng.pk}/").json()
    assert row["status"] == "terlaksana" and row["status_label"] == str(Meeting.Status.HELD.label)
    assert [(v["number"], v["url"]) for v in row["links"]["minutes_pdf"]] == [
        (version.number, f"{HOST}{reverse('meetings:minutes_pdf', args=[jateng.pk, version.number])}")
    ]
    assert row["links"]["minutes_pdf"][0]["approved_at"]
    assert [m["id"] for m in rows(c, MEETINGS)] == [later.pk, jateng.pk]  # newest id first
    assert [m["id"] for m in rows(c, MEETINGS, {"period": "2025-04"})] == [later.pk]
    assert [m["id"] for m in rows(c, MEETINGS, {"status": "terlaksana"})] == [jateng.pk]
    assert rows(c, MEETINGS, {"status": "dibatalkan"}) == []
    assert rows(c, MEETINGS, {"period": "2025-Q1"}) == []


# --- reports ----------------------------------------------------------------------


def test_reports_for_their_writer_and_404_for_another_province(slots, pjoprov_member, outsider):
    report = report_of("pjoprov-bulanan", period="2026-09")
    mine = rows(bearer(pjoprov_member), REPORTS)
    assert report.pk in {r["id"] for r in mine}
    assert {(r["province"], r["actor"]) for r in mine} == {("33", report.actor_id)}
    row = next(r for r in mine if r["id"] == report.pk)
    today = core_clock.local_today(report.province)
    assert row == {
        "id": report.pk,
        "type": "pjoprov-bulanan",
        "province": "33",
        "actor": report.actor_id,
        "period": "2026-09",
        "period_label": "September 2026",
        "label": report.label,
        "title": "",
        "due_date": report.due_date.isoformat(),
        "status": "draf",
        "status_label": "Draf",
        "state": str(report.state(today)),
        "state_label": str(report.status_pill(today)[1]),
        "version_count": 0,
        "latest_version": None,
        "links": {"html": f"{HOST}{reverse('reports:report_detail', args=[report.pk])}"},
    }
    assert row["state"] == "jatuh-tempo" and row["state_label"] == "Jatuh tempo"
    assert bearer(pjoprov_member).get(f"{REPORTS}{report.pk}/").json() == row

    other = bearer(outsider)
    theirs = rows(other, REPORTS)
    assert theirs and all(r["province"] == "34" for r in theirs)
    assert other.get(f"{REPORTS}{report.pk}/").status_code == 404


def test_a_sent_report_opens_to_its_recipients_and_seknas_never_to_a_draft(
    slots, tk_member, gubernur_office, seknas_user
):
    report = report_of("tk-triwulan")
    assert report.pk not in {r["id"] for r in rows(bearer(seknas_user), REPORTS)}
    version = submit(tk_member, report)
    for user in (gubernur_office, seknas_user):
        row = bearer(user).get(f"{REPORTS}{report.pk}/").json()
        assert (row["status"], row["state"], row["state_label"]) == ("dikirim", "tepat-waktu", "Dikirim tepat waktu")
        assert (row["version_count"], row["latest_version"]) == (1, version.pk)
    assert {r["status"] for r in rows(bearer(seknas_user), REPORTS)} == {"dikirim"}


def test_report_filters(slots, pjoprov_member, clock):
    create_report_slots(on=datetime.date(2026, 9, 1))
    c = bearer(pjoprov_member)
    every = rows(c, REPORTS)
    assert {r["period"] for r in every} >= {"2026-08", "2026-09"}
    assert {r["period"] for r in rows(c, REPORTS, {"period": "2026-08"})} == {"2026-08"}
    assert {r["type"] for r in rows(c, REPORTS, {"type": "pjoprov-bulanan"})} == {"pjoprov-bulanan"}
    assert rows(c, REPORTS, {"type": "tk-triwulan"}) == []
    assert {r["status"] for r in rows(c, REPORTS, {"status": "draf"})} == {"draf"}
    assert rows(c, REPORTS, {"status": "diterima"}) == []


# --- report versions ---------------------------------------------------------------


def test_a_version_reads_as_structured_content_with_its_pdf_and_excel_links(
    slots, tk_member, gubernur_office, tk_outsider_member
):
    report = report_of("tk-triwulan")
    version = submit(tk_member, report)
    row = bearer(gubernur_office).get(f"{VERSIONS}{version.pk}/").json()
    snapshot = ReportVersion.objects.get(pk=version.pk).snapshot
    expected = {k: v for k, v in snapshot.items() if k != "schema"}
    # A row's official code: "" for a row written as free text (no region_code in older snapshots).
    expected["assessment"] = [{**r, "region_code": r.get("region_code") or ""} for r in expected["assessment"]]
    assert row["content"] == expected
    assert (row["number"], row["report"], row["on_time"]) == (1, report.pk, True)
    assert row["due_date"] == report.due_date.isoformat() and row["on_behalf_of"] == version.on_behalf_of
    assert row["submitted_at"]
    content_ = row["content"]
    assert {"title", "kind", "text"} <= set(content_["sections"][0])
    assert content_["assessment"][0]["unit_name"] == "Kabupaten Cilacap"
    assert content_["issues"] and content_["signature"]["name"] == "Drs. Budi Santoso"
    assert content_["recipients"] and isinstance(content_["copies"], list)
    assert row["links"] == {
        "html": f"{HOST}{reverse('reports:version_detail', args=[version.pk])}",
        "pdf": f"{HOST}{reverse('reports:version_pdf', args=[version.pk])}",
        "excel": f"{HOST}{reverse('reports:version_excel', args=[version.pk])}",
    }
    assert [v["id"] for v in rows(bearer(tk_member), VERSIONS)] == [version.pk]

    other = bearer(tk_outsider_member)
    assert rows(other, VERSIONS) == []
    assert other.get(f"{VERSIONS}{version.pk}/").status_code == 404


@pytest.fixture
def tk_outsider_member(db):
    return member("tk-provinsi", "34", username="tk-diy")


def test_a_version_without_assessment_rows_has_no_excel_link_and_the_report_filter(slots, pjoprov_member, tk_member):
    pjoprov = submit(pjoprov_member, report_of("pjoprov-bulanan", period="2026-09"))
    c = bearer(pjoprov_member)
    (row,) = rows(c, VERSIONS)
    assert row["id"] == pjoprov.pk and row["content"]["assessment"] == [] and row["links"]["excel"] is None
    tk = submit(tk_member, report_of("tk-triwulan"))
    seknas = bearer(member("seknas", username="seknas"))
    assert {v["id"] for v in rows(seknas, VERSIONS)} == {pjoprov.pk, tk.pk}
    assert [v["id"] for v in rows(seknas, VERSIONS, {"report": tk.report_id})] == [tk.pk]


# --- the national matrix -------------------------------------------------------------


def _tally(t):
    return (t.expected, t.submitted, t.on_time, t.completeness, t.timeliness, dict(t.by_status))


def _api_tally(t):
    return (t["expected"], t["submitted"], t["on_time"], t["completeness"], t["timeliness"], t["by_state"])


def page_numbers(matrices, total):
    """The seknas page's matrices as comparable numbers and words."""
    return [
        (
            m["type"].code,
            [(p["key"], str(p["label"])) for p in m["periods"]],
            [
                (
                    row["province"].code,
                    row["province"].name,
                    [(c["period"], str(c["status"]), c["label"], c["version_id"]) for c in row["cells"]],
                    _tally(row["tally"]),
                )
                for row in m["rows"]
            ],
            _tally(m["tally"]),
        )
        for m in matrices
    ], _tally(total)


def api_numbers(data):
    return [
        (
            m["type"]["code"],
            [(p["key"], p["label"]) for p in m["periods"]],
            [
                (
                    row["code"],
                    row["name"],
                    [(c["period"], c["state"], c["label"], c["version"]) for c in row["cells"]],
                    _api_tally(row["tally"]),
                )
                for row in m["rows"]
            ],
            _api_tally(m["tally"]),
        )
        for m in data["matrices"]
    ], _api_tally(data["tally"])


@pytest.fixture
def mixed_year(slots, clock, tk_member, gubernur_office, pjoprov_member):
    """Q3 2026 sent on time in Jawa Tengah and returned; September's PjOProv
    report sent; then the clock past the deadlines: the others are overdue."""
    submit(tk_member, report_of("tk-triwulan"))
    report_services.do_review_report(
        user=gubernur_office,
        report=report_of("tk-triwulan"),
        decision="dikembalikan",
        section_reasons={"kemajuan": "Kurang rinci."},
    )
    submit(pjoprov_member, report_of("pjoprov-bulanan", period="2026-09"))
    clock.move_to(datetime.datetime(2026, 10, 20, 9, 0, tzinfo=JAKARTA))


@pytest.mark.parametrize(
    "params",
    [
        {"tahun": 2026},
        {"tahun": 2026, "jenis": "tk-triwulan"},
        {"tahun": 2026, "jenis": "pjoprov-bulanan", "provinsi": "33"},
        {"tahun": 2026, "status": "terlambat"},
        {},
    ],
)
def test_the_matrix_has_the_pages_numbers(mixed_year, seknas_user, login, params):
    page = login(seknas_user).get(reverse("reports:national"), params).context["page"]
    response = bearer(seknas_user).get(NATIONAL, params)
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == 2026
    assert api_numbers(data) == page_numbers(page.matrices, page.total)
    assert data["matrices"] and data["tally"]["expected"] > 0
    if params.get("jenis", "tk-triwulan") == "tk-triwulan" and "status" not in params:
        tk = next(m for m in data["matrices"] if m["type"]["code"] == "tk-triwulan")
        q3 = next(c for row in tk["rows"] if row["code"] == "33" for c in row["cells"] if c["period"] == "2026-Q3")
        assert (q3["state"], q3["label"]) == ("dikembalikan", "Dikembalikan untuk perbaikan")
        assert q3["version"] == report_of("tk-triwulan").latest_version_id


def test_the_csv_is_the_pages_csv_byte_for_byte(mixed_year, seknas_user, login):
    params = {"tahun": 2026, "jenis": "tk-triwulan"}
    page = login(seknas_user).get(reverse("reports:national_csv"), params)
    assert page.status_code == 200
    c = bearer(seknas_user)
    for response in (c.get(NATIONAL, {**params, "format": "csv"}), c.get(NATIONAL, params, HTTP_ACCEPT="text/csv")):
        assert response.status_code == 200
        assert response.content == page.content
        assert response["Content-Type"] == page["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == page["Content-Disposition"]
    filtered = {**params, "provinsi": "33", "format": "csv"}
    page = login(seknas_user).get(reverse("reports:national_csv"), filtered)
    assert c.get(NATIONAL, filtered).content == page.content
    # One report type per CSV: say which.
    response = c.get(NATIONAL, {"tahun": 2026, "format": "csv"})
    assert response.status_code == 400 and "jenis" in response.json()


@pytest.mark.parametrize("persona", ["pjoprov_member", "gubernur_office", "colleague"])
def test_only_seknas_reads_the_matrix(persona, request):
    c = bearer(request.getfixturevalue(persona))
    for url in (NATIONAL, f"{NATIONAL}?jenis=tk-triwulan&format=csv"):
        response = c.get(url)
        assert response.status_code == 403
        assert response["Content-Type"] == "application/json" and "Sekretariat Nasional" in response.json()["detail"]
    # Only ever read: a write is a 405 for everybody (a read token's is a 403 before that).
    assert c.post(NATIONAL).status_code == 403
    _record, token = do_create_token(user=request.getfixturevalue(persona), name="rw", scope="baca-tulis")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(NATIONAL).status_code == 405
    assert Client().get(NATIONAL).status_code == 401


# --- a fixed number of queries -------------------------------------------------------


def count(client, url, params):
    """Queries of one request (after one to warm up: the token's last use is
    written once a minute) and its rows."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    data = response.json()
    return len(queries.captured_queries), data.get("results", data)


def test_the_meeting_list_costs_the_same_whatever_the_sizes(pjoprov_member, colleague, outsider):
    c = bearer(pjoprov_member)
    make_meeting("pjoprov", "33", "2025-01")
    small, got = count(c, MEETINGS, {"page_size": 1})
    assert len(got) == 1
    held = make_meeting("pjoprov", "33", "2025-02")
    approve_minutes(held, pjoprov_member)
    for period in ("2025-03", "2025-04", "2025-05", "2025-06"):
        make_meeting("pjoprov", "33", period)
    meeting_services.do_reset_calendar_feed(user=pjoprov_member)
    large, got = count(c, MEETINGS, {"page_size": 50})
    assert len(got) == 6 and any(m["links"]["minutes_pdf"] for m in got)
    assert small == large


def test_the_report_list_costs_the_same_whatever_the_sizes(slots, pjoprov_member, seknas_user):
    c = bearer(pjoprov_member)
    small, got = count(c, REPORTS, {"page_size": 1})
    assert len(got) == 1
    for month in range(1, 10):
        create_report_slots(on=datetime.date(2026, month, 1))
    large, got = count(c, REPORTS, {"page_size": 50})
    assert len(got) >= 8
    assert small == large


def test_the_version_list_costs_the_same_whatever_the_sizes(slots, pjoprov_member):
    c = bearer(pjoprov_member)
    first = submit(pjoprov_member, report_of("pjoprov-bulanan", period="2026-09"))
    small, got = count(c, VERSIONS, {"page_size": 1})
    assert len(got) == 1
    fields = ("submitted_at", "submitted_by", "on_behalf_of", "due_date", "on_time", "snapshot")
    for number in range(2, 7):
        ReportVersion.objects.create(report=first.report, number=number, **{f: getattr(first, f) for f in fields})
    large, got = count(c, VERSIONS, {"page_size": 50})
    assert len(got) == 6
    assert small == large


def test_the_matrix_costs_the_same_whatever_the_sizes(slots, seknas_user, clock):
    c = bearer(seknas_user)
    small, _data = count(c, NATIONAL, {"tahun": 2026})
    for month in range(1, 10):
        create_report_slots(on=datetime.date(2026, month, 1))
    reports = list(Report.objects.filter(period__startswith="2026").order_by("pk"))
    for i, report in enumerate(reports):
        if i % 2:
            report.status, report.version_count, report.submitted_on_time = "dikirim", 1, i % 3 == 0
    Report.objects.bulk_update(reports, ["status", "version_count", "submitted_on_time"])
    large, data = count(c, NATIONAL, {"tahun": 2026})
    assert data["tally"]["submitted"] > 0
    assert small == large


# --- bad parameters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, params, field",
    [
        (MEETINGS, {"period": "xyz"}, "period"),
        (MEETINGS, {"period": "2026-13"}, "period"),
        (MEETINGS, {"period": "2026-11\x00"}, "period"),
        (MEETINGS, {"status": "selesai"}, "status"),
        (REPORTS, {"period": "abc"}, "period"),
        (REPORTS, {"type": "tidak-ada"}, "type"),
        (REPORTS, {"type": "tk-triwulan\x00"}, "type"),
        (REPORTS, {"type": "x" * 100_000}, "type"),
        (REPORTS, {"status": "x"}, "status"),
        (VERSIONS, {"report": "abc"}, "report"),
        (VERSIONS, {"report": "-1"}, "report"),
        (VERSIONS, {"report": "9" * 30}, "report"),
        (NATIONAL, {"tahun": "abc"}, "tahun"),
        (NATIONAL, {"tahun": "1066"}, "tahun"),
        (NATIONAL, {"tahun": "9" * 30}, "tahun"),
        (NATIONAL, {"jenis": "tidak-ada"}, "jenis"),
        (NATIONAL, {"jenis": "insidental"}, "jenis"),
        (NATIONAL, {"provinsi": "99"}, "provinsi"),
        (NATIONAL, {"status": "x"}, "status"),
        (NATIONAL, {"tahun": "abc", "jenis": "tk-triwulan", "format": "csv"}, "tahun"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_the_field(seknas_user, url, params, field):
    response = bearer(seknas_user).get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()
    assert list(errors) == [field] and errors[field][0]


def test_a_forged_cursor_is_a_404_not_a_500(seknas_user, pjoprov_member):
    c = bearer(seknas_user)
    c.raise_request_exception = False
    for position in ("abc", "9" * 30, "-1.5", "\x00"):
        cursor = base64.b64encode(urlencode({"p": position}).encode()).decode()
        for url in (MEETINGS, REPORTS, VERSIONS, "/api/v1/tugas/", "/api/v1/pelaku/"):
            status = c.get(url, {"cursor": cursor}).status_code
            # A number past the column's range is simply no row on SQLite.
            assert status == 404 or (status == 200 and position.isdigit()), (url, position, status)


def test_bad_ids_and_cursors_are_404s_and_a_bad_page_size_is_ignored(seknas_user):
    c = bearer(seknas_user)
    for url in (MEETINGS, REPORTS, VERSIONS):
        assert c.get(f"{url}abc/").status_code == 404
        assert c.get(f"{url}{'9' * 30}/").status_code == 404
        assert c.get(url, {"cursor": "bukan-kursor"}).status_code == 404
        assert c.get(url, {"page_size": "abc"}).status_code == 200


def test_the_kept_matrix_changes_at_once_with_a_submission(slots, seknas_user, clock):
    c = bearer(seknas_user)
    c.get("/api/v1/provinsi/")  # the token's last use, written once a minute
    with CaptureQueriesContext(connection) as cold:
        data = c.get(NATIONAL, {"tahun": 2026}).json()
    with CaptureQueriesContext(connection) as kept:
        assert c.get(NATIONAL, {"tahun": 2026}).json() == data
    # Kept under the page's own key: counting the reports, not building the matrix.
    assert len(kept.captured_queries) < len(cold.captured_queries)
    writer = member("tk-provinsi", "33", username="tk-jateng-kedua")
    submit(writer, report_of("tk-triwulan"))
    _n, after = count(c, NATIONAL, {"tahun": 2026})
    assert after["tally"]["submitted"] == data["tally"]["submitted"] + 1
