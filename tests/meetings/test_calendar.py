"""The month view of the user's meetings and task due dates, and the private
iCalendar feed (token URL, resettable, times in WIB/WITA/WIT)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from duties.scheduler import create_scheduled_tasks
from meetings import services
from meetings.models import CalendarFeed
from tests.factories import member

from .conftest import make_meeting

pytestmark = pytest.mark.django_db


def feed_url(user):
    feed = CalendarFeed.objects.get(user=user)
    return reverse("meetings:ical_feed", args=[feed.token])


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(cal):
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_month_view_shows_meetings_and_task_due_dates(login, pjoprov_member):
    meeting = make_meeting("pjoprov", "33", "2030-03")
    create_scheduled_tasks(on=datetime.date(2030, 3, 10))
    page = login(pjoprov_member).get(reverse("meetings:calendar"), {"bulan": "2030-03"}).content.decode()
    assert reverse("meetings:meeting_detail", args=[meeting.pk]) in page
    assert "09.00 WIB Rapat rutin bulanan" in page
    # March's monthly tasks are due at the end of the month: 31 March 2030 is a Sunday.
    april = login(pjoprov_member).get(reverse("meetings:calendar"), {"bulan": "2030-04"}).content.decode()
    assert "Tenggat: Menyelenggarakan rapat rutin bulanan" in april


def test_the_month_view_of_another_province_shows_nothing_of_it(login, outsider):
    make_meeting("pjoprov", "33", "2030-03")
    page = login(outsider).get(reverse("meetings:calendar"), {"bulan": "2030-03"}).content.decode()
    assert "Rapat rutin bulanan" not in page
    assert "Tidak ada rapat atau tenggat" in page


def test_a_bad_month_is_a_clear_400(login, pjoprov_member):
    response = login(pjoprov_member).get(reverse("meetings:calendar"), {"bulan": "2030-13"})
    assert response.status_code == 400
    assert "Bulan tidak valid" in response.content.decode()


def test_the_month_view_query_count_does_not_grow_with_meetings(login, pjoprov_member, django_assert_max_num_queries):
    make_meeting("pjoprov", "33", "2030-03")
    c = login(pjoprov_member)
    with django_assert_max_num_queries(20) as few:
        c.get(reverse("meetings:calendar"), {"bulan": "2030-03"})
    make_meeting("tk-provinsi", "33", "2030-Q1")
    create_scheduled_tasks(on=datetime.date(2030, 3, 10))
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(reverse("meetings:calendar"), {"bulan": "2030-03"})


def month_ahead():
    """The month two months from now: ahead of the clock and inside the feed's window."""
    return f"{datetime.date.today() + datetime.timedelta(days=62):%Y-%m}"


def test_the_feed_parses_and_has_the_local_times_of_wib_wita_and_wit(login):
    period = month_ahead()
    user = member("pjoprov", "33", username="pjo-33")
    for province in ("51", "91"):  # Bali (WITA), Papua (WIT)
        member("pjoprov", province, user=user)
    meetings = {code: make_meeting("pjoprov", code, period) for code in ("33", "51", "91")}
    services.do_reset_calendar_feed(user=user)
    cal = parse(Client().get(feed_url(user)))
    found = events(cal)
    for code, zone in (("33", "Asia/Jakarta"), ("51", "Asia/Makassar"), ("91", "Asia/Jayapura")):
        event = found[f"meeting-{meetings[code].pk}@127.0.0.1:8000"]
        start = event["DTSTART"].dt
        assert (start.hour, start.minute) == (9, 0)
        assert str(start.tzinfo) == zone or getattr(start.tzinfo, "key", None) == zone
        assert start == meetings[code].starts_at
        assert event["DTEND"].dt - start == datetime.timedelta(hours=3)
    assert start.astimezone(ZoneInfo("UTC")).hour == 0  # 09.00 WIT is 00.00 UTC
    zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    assert zones == {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}


def test_the_feed_needs_no_login_and_shows_only_what_its_owner_may_see(pjoprov_member, outsider):
    own = make_meeting("pjoprov", "33", month_ahead())
    other = make_meeting("pjoprov", "34", month_ahead())
    services.do_reset_calendar_feed(user=pjoprov_member)
    uids = set(events(parse(Client().get(feed_url(pjoprov_member)))))
    assert f"meeting-{own.pk}@127.0.0.1:8000" in uids
    assert f"meeting-{other.pk}@127.0.0.1:8000" not in uids


def test_resetting_the_token_kills_the_old_url(login, pjoprov_member):
    c = login(pjoprov_member)
    assert c.post(reverse("meetings:calendar_feed_reset")).status_code == 302
    old = feed_url(pjoprov_member)
    assert Client().get(old).status_code == 200
    assert c.post(reverse("meetings:calendar_feed_reset")).status_code == 302
    new = feed_url(pjoprov_member)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert new in c.get(reverse("meetings:calendar_feed")).content.decode()


def test_an_unknown_token_or_an_inactive_owner_gets_404(pjoprov_member):
    services.do_reset_calendar_feed(user=pjoprov_member)
    url = feed_url(pjoprov_member)
    assert Client().get(reverse("meetings:ical_feed", args=["tebakan"])).status_code == 404
    pjoprov_member.is_active = False
    pjoprov_member.save(update_fields=["is_active"])
    assert Client().get(url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/rapat/kalender/abc%00def.ics",  # PostgreSQL refuses a NUL in a query parameter
        "/rapat/kalender/abc%0D%0Adef.ics",
        "/rapat/kalender/" + "a" * 65 + ".ics",
        "/rapat/kalender/%FF%FE.ics",
        "/rapat/kalender/abc%20def.ics",
    ],
)
def test_a_token_that_cannot_be_valid_is_a_404_without_a_query(path, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 404


def test_a_cancelled_meeting_is_cancelled_in_the_feed_with_a_higher_sequence(pjoprov_member):
    meeting = make_meeting("pjoprov", "33", month_ahead())
    services.do_cancel_meeting(user=pjoprov_member, meeting=meeting, reason="Anggaran belum tersedia")
    services.do_reset_calendar_feed(user=pjoprov_member)
    event = events(parse(Client().get(feed_url(pjoprov_member))))[f"meeting-{meeting.pk}@127.0.0.1:8000"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
