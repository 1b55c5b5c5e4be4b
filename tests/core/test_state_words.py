"""One word per state: every page, panel, export and feed that shows the
state of the same task, report or meeting says the same word, because each
takes it from the model's one place (Task.status_pill, Report.status_pill /
reports.models.ReportState, Meeting.status_pill). And a chart's numbers
carry their unit."""

import csv
import datetime
import io
import re
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from duties.models import Task, shorten
from home.reconcile import run_schedule
from meetings import services as meeting_services
from meetings.models import CalendarFeed, Meeting
from reports import charts
from reports.models import ReportState
from reports.national import build, periodic_types, progress, provinces_for
from tests.factories import member
from tests.meetings.conftest import make_meeting
from tests.reports.conftest import report_of

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
PILL = re.compile(r'<span class="pill[^"]*">([^<]*)</span>')


def pills(html):
    return PILL.findall(html)


# --- meetings: the page, the list, the home panel and the iCalendar feed ---


@pytest.fixture
def october():
    with time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=JAKARTA), tick=False) as traveller:
        yield traveller


def feed_description(user, meeting):
    meeting_services.do_reset_calendar_feed(user=user)
    token = CalendarFeed.objects.get(user=user).token
    response = Client().get(reverse("meetings:ical_feed", args=[token]))
    assert response.status_code == 200
    (event,) = [
        e
        for e in Calendar.from_ical(response.content).walk("VEVENT")
        if str(e["UID"]).startswith(f"meeting-{meeting.pk}@")
    ]
    return str(event["DESCRIPTION"])


def test_a_past_unrecorded_meeting_is_belum_dicatat_on_its_page_its_list_and_in_the_feed(
    october, login, pjoprov_member
):
    meeting = make_meeting("pjoprov", "33", "2026-09")  # ended in September, never recorded
    assert meeting.status == Meeting.Status.SCHEDULED
    client = login(pjoprov_member)
    detail = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    listing = client.get(reverse("meetings:meeting_list"), {"semua": 1}).content.decode()
    word = pills(detail)[0]
    assert word == "Belum dicatat"
    assert word in pills(listing.split(reverse("meetings:meeting_detail", args=[meeting.pk]), 1)[1])[:1]
    assert feed_description(pjoprov_member, meeting) == word


def test_an_upcoming_meeting_has_the_same_word_on_its_page_and_in_the_feed(october, login, pjoprov_member):
    meeting = make_meeting("pjoprov", "33", "2026-11")
    client = login(pjoprov_member)
    detail = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    word = pills(detail)[0]
    assert word == str(Meeting.Status.SCHEDULED.label)
    assert feed_description(pjoprov_member, meeting) == word


def test_a_held_meeting_is_held_everywhere(october, pjoprov_member):
    meeting = make_meeting("pjoprov", "33", "2026-09")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    meeting.refresh_from_db()
    now = datetime.datetime(2026, 10, 12, 3, 0, tzinfo=datetime.UTC)
    assert meeting.status_pill(now) == ("pill-ok", Meeting.Status.HELD.label)
    assert feed_description(pjoprov_member, meeting) == str(Meeting.Status.HELD.label)


# --- reports: the report's page, the seknas home, the matrix and its CSV ---


@pytest.fixture
def tk_member(db):
    return member("tk-provinsi", "33", username="tk-jateng")


def matrix_cell(client, period_index):
    page = client.get(reverse("reports:national"), {"jenis": "tk-triwulan", "provinsi": "33", "tahun": 2026})
    row = page.content.decode().split("Jawa Tengah</th>", 1)[1].split("</tr>", 1)[0]
    return pills(row)[period_index]


def home_chips(client, period_label):
    page = client.get("/").content.decode()
    block = page.split('id="home-submissions"', 1)[1].split("</section>", 1)[0]
    tk = block.split(period_label, 1)[1].split('class="submission"', 1)[0]
    return {label.strip(): int(n) for n, label in re.findall(r'<span class="badge">(\d+)</span>([^<]*)<', tk)}


def csv_cell(client, period_index):
    response = client.get(reverse("reports:national_csv"), {"tahun": 2026, "jenis": "tk-triwulan", "provinsi": "33"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return rows[1][2 + period_index]


def report_page_word(client, report):
    return pills(client.get(reverse("reports:report_detail", args=[report.pk])).content.decode())[0]


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        # Q3 2026 has ended; its deadline (Monday 12 October) has not passed.
        (datetime.datetime(2026, 10, 5, 10, 0, tzinfo=JAKARTA), ReportState.DUE),
        # The deadline has passed and nothing was sent.
        (datetime.datetime(2026, 10, 13, 10, 0, tzinfo=JAKARTA), ReportState.OVERDUE),
    ],
)
def test_a_reports_state_is_one_word_on_its_page_the_seknas_home_the_matrix_and_the_csv(
    moment, state, login, tk_member, seknas_user
):
    with time_machine.travel(moment, tick=False):
        from reports.scheduler import create_report_slots

        create_report_slots(on=moment.date())
        report = report_of("tk-triwulan")
        seknas = login(seknas_user)
        word = matrix_cell(seknas, 2)  # Q1, Q2, Q3
        assert word == str(state.label)
        assert report_page_word(login(tk_member), report) == word
        assert csv_cell(seknas, 2) == word
        assert home_chips(seknas, "Triwulan III 2026").get(word) == 38


def test_a_period_not_yet_due_is_the_same_word_in_the_matrix_and_on_the_report(login, tk_member, seknas_user):
    with time_machine.travel(datetime.datetime(2026, 11, 5, 10, 0, tzinfo=JAKARTA), tick=False):
        from reports.scheduler import create_report_slots

        create_report_slots(on=datetime.date(2026, 11, 5))
        report = report_of("tk-triwulan", period="2026-Q4")
        word = matrix_cell(login(seknas_user), 3)
        assert word == str(ReportState.NOT_YET_DUE.label)
        assert report_page_word(login(tk_member), report) == word


# --- tasks: the list, the detail page and the home page ---------------------


def test_a_late_task_is_terlambat_on_the_list_and_on_its_page(login, pjoprov_member):
    with time_machine.travel(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=JAKARTA), tick=False):
        run_schedule(on=datetime.date(2026, 10, 12))
        task = Task.objects.filter(actor__kind__code="pjoprov", actor__province__code="33").order_by("id").first()
        Task.objects.filter(pk=task.pk).update(due_date=datetime.date(2026, 10, 1))
        client = login(pjoprov_member)
        listing = client.get(reverse("duties:task_list")).content.decode()
        row = listing.split(f'href="{reverse("duties:task_detail", args=[task.pk])}"', 1)[1].split("</tr>", 1)[0]
        detail = client.get(reverse("duties:task_detail", args=[task.pk])).content.decode()
        assert pills(row) == pills(detail)[:1] == ["Terlambat"]


# --- charts carry their unit; labels are cut at a word ----------------------


def test_every_number_a_chart_draws_carries_its_unit(login, seknas_user, tk_member):
    with time_machine.travel(datetime.datetime(2026, 10, 13, 10, 0, tzinfo=JAKARTA), tick=False):
        from reports.scheduler import create_report_slots

        create_report_slots(on=datetime.date(2026, 10, 13))
        matrices, _total = build([t for t in periodic_types() if t.code == "tk-triwulan"], 2026, provinces_for())
        chart = charts.progress_chart(progress(matrices[0]))
        drawn = [b["value_text"] for b in chart["columns"]["bars"] if b["percent"] is not None]
        drawn += [r["value_text"] for r in chart["rows"]["rows"] if r["percent"] is not None]
        assert drawn and all(text.endswith("%") for text in drawn)
        page = login(seknas_user).get(reverse("reports:national"), {"jenis": "tk-triwulan"}).content.decode()
        values = re.findall(r'<text class="chart-value"[^>]*>([^<]*)</text>', page)
        axis = re.findall(r'<text class="chart-axis"[^>]*text-anchor="end">([^<]*)</text>', page)
        assert values and all(v.endswith("%") or v == "—" for v in values)
        assert axis == ["0%", "50%", "100%"]


def test_a_long_label_is_cut_at_a_word_boundary_never_mid_word():
    text = "Melakukan pembinaan dan pengawasan terhadap pelaksanaan PNPM-MP kepada seluruh pelaku di provinsi"
    cut = shorten(text, 66)
    assert cut == "Melakukan pembinaan dan pengawasan terhadap pelaksanaan PNPM-MP…"
    assert len(cut) <= 66 and text.startswith(cut[:-1])
    assert shorten(text, len(text)) == text
    assert shorten("x" * 30, 10) == "x" * 9 + "…"  # one long word: cut where the limit falls


def test_a_tasks_own_name_is_cut_at_a_word(db):
    run_schedule(on=datetime.date(2026, 10, 12))
    for task in Task.objects.select_related("duty").filter(actor__province__code="33")[:40]:
        name = str(task)
        label = name.rsplit(" (", 1)[0] if task.period else name
        if label.endswith("…"):
            kept = label[:-1]
            assert task.label.startswith(kept) and not task.label[len(kept)].isalnum(), name


def test_a_late_follow_up_is_terlambat_on_its_meetings_page_as_on_the_task_list(october, login, pjoprov_member):
    from meetings.models import FollowUp

    meeting = make_meeting("pjoprov", "33", "2026-09")
    pj = meeting.actor
    task = Task.objects.create(
        actor=pj,
        duty=meeting.series.duty,
        origin=Task.Origin.FOLLOW_UP,
        title="Tindak lanjut: cek pencairan BLM",
        due_date=datetime.date(2026, 10, 1),
    )
    from core.permissions import sync_grants

    sync_grants([task])
    FollowUp.objects.create(meeting=meeting, task=task)
    client = login(pjoprov_member)
    detail = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    follow_up = detail.split("Tindak lanjut: cek pencairan BLM", 1)[1].split("</li>", 1)[0]
    listing = client.get(reverse("duties:task_list")).content.decode()
    row = listing.split(f'href="{reverse("duties:task_detail", args=[task.pk])}"', 1)[1].split("</tr>", 1)[0]
    assert pills(follow_up) == pills(row) == ["Terlambat"]
