"""Periods in the words an official writes wherever a person reads them
("Triwulan III 2026", "Maret 2025", "Rapat rutin bulanan Maret 2025"); the
codes ("2026-Q3", "2025-03") stay in URLs, form values and machine columns."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from core.models import Notification
from duties.models import Task
from duties.scheduler import create_scheduled_tasks
from meetings import services as meeting_services
from meetings.models import CalendarFeed
from reports import services as report_services
from reports.scheduler import create_report_slots
from tests.factories import actor, member
from tests.meetings.conftest import make_meeting
from tests.reports.conftest import DAY, JAKARTA, content, report_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.fixture
def clock():
    with time_machine.travel(datetime.datetime(2026, 10, 5, 10, 0, tzinfo=JAKARTA), tick=False):
        yield


def test_a_task_list_row_says_the_month_not_the_code(clock, login):
    writer = member("pjoprov", "33")
    create_scheduled_tasks(on=DAY)
    task = Task.objects.filter(actor=actor("pjoprov", "33"), period="2026-10").first()
    assert task is not None
    page = login(writer).get(reverse("duties:task_list")).content.decode()
    row = next(line for line in page.splitlines() if f'href="{reverse("duties:task_detail", args=[task.pk])}"' in line)
    assert "Oktober 2026" in row
    assert "2026-10" not in row
    detail = login(writer).get(reverse("duties:task_detail", args=[task.pk])).content.decode()
    assert "Oktober 2026" in detail
    assert "(Oktober 2026)" in str(task)


def test_the_report_list_and_page_say_the_quarter_in_words(clock, login):
    tk = member("tk-provinsi", "33")
    create_report_slots(on=DAY)
    report = report_of("tk-triwulan")
    c = login(tk)
    listing = c.get(reverse("reports:report_list")).content.decode()
    assert "Triwulan III 2026" in listing
    assert "2026-Q3" not in listing.split("<tbody>")[1]
    page = c.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "Triwulan III 2026" in page and "2026-Q3" not in page


def test_the_version_page_names_the_evidence_period_in_words(clock, login):
    tk = member("tk-provinsi", "33")
    create_report_slots(on=DAY)
    create_scheduled_tasks(on=DAY)
    report = report_of("tk-triwulan")
    values = content(report)
    evidence = list(Task.objects.filter(actor=report.actor, period__contains="-")[:1])  # a month or a quarter
    assert evidence
    report_services.do_save_draft(user=tk, report=report, **values, evidence_tasks=evidence)
    version = report_services.do_submit_report(user=tk, report=report)
    page = login(tk).get(reverse("reports:version_detail", args=[version.pk])).content.decode()
    words = {"2026-Q4": "Triwulan IV 2026", "2026-10": "Oktober 2026"}[evidence[0].period]
    assert f"({words}," in page and evidence[0].period not in page


def test_a_meeting_page_title_and_breadcrumb_say_the_month(login):
    writer = member("pjoprov", "33")
    meeting = make_meeting("pjoprov", "33", "2025-03")
    c = login(writer)
    page = c.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    crumbs = page.split('<nav class="crumbs"')[1].split("</nav>")[0]
    assert "Rapat rutin bulanan Maret 2025" in title and "2025-03" not in title
    assert "Rapat rutin bulanan Maret 2025" in crumbs and "2025-03" not in crumbs
    assert '<span class="muted">Maret 2025</span>' in page
    for name in ("meetings:meeting_edit", "meetings:attendance", "meetings:minutes_edit"):
        sub = c.get(reverse(name, args=[meeting.pk])).content.decode()
        crumbs = sub.split('<nav class="crumbs"')[1].split("</nav>")[0]
        assert "Maret 2025" in crumbs and "2025-03" not in crumbs, name
    listing = c.get(reverse("meetings:meeting_list"), {"status": ""}).content.decode()
    assert "Maret 2025" in listing


def test_a_notification_subject_says_the_month(login):
    chair = member("pjoprov", "33")
    meeting = make_meeting("pjoprov", "33", "2025-03")
    tz = meeting.actor.province.tzinfo
    meeting_services.do_hold_meeting(
        user=chair,
        meeting=meeting,
        starts_at=datetime.datetime(2025, 3, 4, 9, tzinfo=tz),
        ends_at=datetime.datetime(2025, 3, 4, 11, tzinfo=tz),
    )
    item = meeting.agenda.first()
    meeting_services.do_save_minutes(user=chair, meeting=meeting, notes="", entries={item.pk: ("Masalah", "Putusan")})
    version = meeting_services.do_approve_minutes(user=chair, meeting=meeting)
    subjects = set(Notification.objects.filter(key=f"minutes-approved:{version.pk}").values_list("subject", flat=True))
    assert subjects
    for subject in subjects:
        assert "Maret 2025" in subject and "2025-03" not in subject


def test_an_ical_summary_says_the_meeting_and_its_month(clock):
    user = member("pjoprov", "33")
    meeting = make_meeting("pjoprov", "33", "2026-12")  # inside the feed's window on 5 October 2026
    meeting_services.do_reset_calendar_feed(user=user)
    feed = CalendarFeed.objects.get(user=user)
    response = Client().get(reverse("meetings:ical_feed", args=[feed.token]))
    events = {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    summary = str(next(e for uid, e in events.items() if uid.startswith(f"meeting-{meeting.pk}@"))["SUMMARY"])
    assert summary == "Rapat rutin bulanan Desember 2026 PjOProv Jawa Tengah"
