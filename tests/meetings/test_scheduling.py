"""The reconcile schedules the meetings: once per series and period, on
working days, a configurable number of days ahead, with invitations and a
day-before reminder that are never sent twice."""

import datetime

import pytest
import time_machine

from core.models import Notification
from duties.calendar import WorkingCalendar
from home.reconcile import run_schedule
from meetings import services
from meetings.models import Meeting, MeetingSeries
from meetings.scheduler import create_meetings, send_reminders
from tests.factories import actor, member

from .conftest import make_meeting, series_of

pytestmark = pytest.mark.django_db

YEAR = 2030
PROVINCES = 38


def days_of(year):
    day = datetime.date(year, 1, 1)
    while day.year == year:
        yield day
        day += datetime.timedelta(days=1)


def test_a_simulated_year_of_daily_reconciles_makes_12_routine_and_4_evaluation_meetings_per_province():
    member("pjoprov", "33")
    for day in days_of(YEAR):
        run_schedule(on=day)
    in_year = Meeting.objects.filter(period__startswith=str(YEAR))
    routine = in_year.filter(series__kind=MeetingSeries.Kind.ROUTINE)
    evaluation = in_year.filter(series__kind=MeetingSeries.Kind.EVALUATION)
    assert routine.count() == 12 * PROVINCES
    assert evaluation.count() == 4 * PROVINCES
    per_series = {}
    for series_id in in_year.values_list("series_id", flat=True):
        per_series[series_id] = per_series.get(series_id, 0) + 1
    assert sorted(set(per_series.values())) == [4, 12]
    calendar = WorkingCalendar()
    for meeting in in_year.select_related("actor__province"):
        day = meeting.local_date
        assert day.weekday() < 5, meeting
        assert calendar.holiday_name(day, meeting.actor.province) is None, (meeting, day)


def test_meetings_avoid_holidays_by_moving_to_the_next_working_day():
    # 2030-01-01 (Tahun Baru) is a Tuesday: the first Tuesday rule moves to Wednesday the 2nd.
    meeting = make_meeting("pjoprov", "33", "2030-01")
    assert meeting.local_date == datetime.date(2030, 1, 2)
    # In Bali (WITA) the same rule gives 09.00 WITA, i.e. 01.00 UTC.
    bali = make_meeting("pjoprov", "51", "2030-01")
    assert bali.starts_at == datetime.datetime(2030, 1, 2, 1, 0, tzinfo=datetime.UTC)


def test_the_tk_evaluation_meeting_is_in_the_quarters_third_month_by_default():
    meeting = make_meeting("tk-provinsi", "33", "2030-Q2")
    # second Thursday of June 2030
    assert meeting.local_date == datetime.date(2030, 6, 13)


@pytest.mark.parametrize(
    "day",
    [datetime.date(2030, 1, 1), datetime.date(2030, 1, 31), datetime.date(2030, 2, 28), datetime.date(2030, 12, 31)],
)
def test_on_any_day_next_months_routine_meeting_already_exists(day):
    create_meetings(on=day)
    following = (day.replace(day=1) + datetime.timedelta(days=32)).strftime("%Y-%m")
    assert Meeting.objects.filter(series=series_of("pjoprov", "33"), period=following).exists()


def test_the_number_of_days_ahead_is_configurable_per_series():
    series = series_of("pjoprov", "33")
    series.lead_days = 0
    series.save(update_fields=["lead_days"])
    create_meetings(on=datetime.date(2030, 5, 20))
    assert list(Meeting.objects.filter(series=series).values_list("period", flat=True)) == ["2030-05"]


def test_the_reconcile_running_twice_for_the_same_day_creates_nothing_twice():
    member("kmw", "33", username="kmw")
    first = run_schedule(on=datetime.date(2030, 3, 3))
    notifications = Notification.objects.count()
    second = run_schedule(on=datetime.date(2030, 3, 3))
    assert first["meetings_created"] == PROVINCES * 4  # March and April routine, Q1 and Q2 evaluation
    assert second["meetings_created"] == 0
    assert second["meeting_reminders"] == 0
    assert Notification.objects.count() == notifications


def test_a_catch_up_after_downtime_only_fills_what_is_missing():
    create_meetings(on=datetime.date(2030, 3, 3))
    before = set(Meeting.objects.values_list("series_id", "period"))
    assert create_meetings(on=datetime.date(2030, 4, 10)) == PROVINCES * 1 + 0  # May routine; Q2 TK already exists
    after = set(Meeting.objects.values_list("series_id", "period"))
    assert before < after
    assert len(after) == len(before) + PROVINCES


def test_invitations_go_once_to_members_of_the_holding_and_invited_actors():
    pjo = member("pjoprov", "33", username="pjo")
    kmw = member("kmw", "33", username="kmw")
    gub = member("gubernur", "33", username="gub")
    meeting = make_meeting("pjoprov", "33", "2030-05")
    invited = Notification.objects.filter(key=f"meeting-invitation:{meeting.pk}")
    assert set(invited.values_list("recipient__username", flat=True)) == {pjo.username, kmw.username}
    assert gub.notifications.count() == 0
    assert services.send_invitations(meeting) == 0


@time_machine.travel(datetime.datetime(2031, 2, 1, 3, 0, tzinfo=datetime.UTC), tick=False)
def test_the_reminder_goes_the_day_before_once_and_again_after_a_postponement():
    """Postponing needs a date ahead of the clock: it is set to February 2031."""
    pjo = member("pjoprov", "33", username="pjo")
    meeting = make_meeting("pjoprov", "33", "2031-03")  # Tuesday 2031-03-04
    assert send_reminders(on=datetime.date(2031, 3, 2)) == 0
    assert send_reminders(on=datetime.date(2031, 3, 3)) == 1
    assert send_reminders(on=datetime.date(2031, 3, 3)) == 0
    assert send_reminders(on=datetime.date(2031, 3, 4)) == 0  # same day: already reminded
    tz = meeting.actor.province.tzinfo
    services.do_postpone_meeting(
        user=pjo,
        meeting=meeting,
        starts_at=datetime.datetime(2031, 3, 11, 9, tzinfo=tz),
        ends_at=datetime.datetime(2031, 3, 11, 12, tzinfo=tz),
        reason="Bertepatan dengan kunjungan kerja.",
    )
    assert send_reminders(on=datetime.date(2031, 3, 10)) == 1
    keys = set(pjo.notifications.filter(key__startswith="meeting-reminder").values_list("key", flat=True))
    assert keys == {f"meeting-reminder:{meeting.pk}:2031-03-04", f"meeting-reminder:{meeting.pk}:2031-03-11"}


def test_a_cancelled_meeting_gets_no_reminder():
    pjo = member("pjoprov", "33", username="pjo")
    meeting = make_meeting("pjoprov", "33", "2031-03")
    services.do_cancel_meeting(user=pjo, meeting=meeting, reason="Anggaran belum tersedia.")
    assert send_reminders(on=datetime.date(2031, 3, 3)) == 0


def test_an_inactive_series_schedules_nothing():
    MeetingSeries.objects.filter(actor=actor("pjoprov", "33")).update(is_active=False)
    create_meetings(on=datetime.date(2030, 3, 3))
    assert not Meeting.objects.filter(actor=actor("pjoprov", "33")).exists()
    assert Meeting.objects.filter(actor=actor("pjoprov", "34")).exists()


def test_the_chair_is_the_actors_single_current_head():
    head = member("pjoprov", "33", username="pjo-head")
    member("pjoprov", "33", username="pjo-staff", position="staf-sekretariat")
    assert make_meeting("pjoprov", "33", "2030-05").chair == head
    # TK with nobody seated as Ketua: no chair until one is set on the meeting.
    member("tk-provinsi", "33", username="tk-sekretaris", position="sekretaris")
    assert make_meeting("tk-provinsi", "33", "2030-Q2").chair is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reconciles_racing_on_the_same_day_create_each_meeting_once():
    from django.db import connection

    from tests.concurrency import race

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's test database serialises writers, so there is no race to test")
    results, errors = race(lambda: create_meetings(on=datetime.date(2030, 3, 3)))
    assert errors == []
    assert sum(results) == PROVINCES * 4
    assert Meeting.objects.count() == PROVINCES * 4
