"""Meetings fixtures. The series come from the data migration; meetings are
made one at a time through the reconcile's own function, so a test pays only
for the province it looks at."""

import datetime

import pytest

from actors.models import Actor
from core.models import AuditEvent, Notification
from core.periods import parse_period
from duties.calendar import WorkingCalendar
from duties.models import Task
from meetings.models import (
    AgendaItem,
    Attendance,
    FollowUp,
    Meeting,
    MeetingAttachment,
    MeetingSeries,
    MinutesEntry,
    MinutesVersion,
)
from meetings.scheduler import create_occurrence
from tests.celery_fixtures import celery_eager, private_redis, redis_broker_url  # noqa: F401
from tests.factories import actor, member

PAST = "2025-03"  # first Tuesday 2025-03-04: always in the past
# A year still ahead on any date the suite runs (tests/moved_clock.py moves the clock).
FUTURE_YEAR = datetime.date.today().year + 5
FUTURE = f"{FUTURE_YEAR}-03"


def series_of(kind="pjoprov", province="33", meeting_kind=None):
    meeting_kind = meeting_kind or ("rutin" if kind == "pjoprov" else "evaluasi")
    return MeetingSeries.objects.select_related("actor__province", "actor__kind", "duty").get(
        actor=actor(kind, province), kind=meeting_kind
    )


def make_meeting(kind="pjoprov", province="33", period=PAST):
    """The meeting of that actor's series for the period, as the reconcile makes it."""
    meeting = create_occurrence(series_of(kind, province), parse_period(period), WorkingCalendar())
    return Meeting.objects.select_related("actor__province", "actor__kind", "series__duty").get(pk=meeting.pk)


def snapshot():
    """Everything a refused request must leave as it was."""
    return {
        "meetings": list(Meeting.objects.order_by("pk").values_list("pk", "status", "starts_at", "ends_at", "title")),
        "agenda": AgendaItem.objects.count(),
        "attendance": list(Attendance.objects.order_by("pk").values_list("pk", "status", "note")),
        "minutes": list(MinutesVersion.objects.order_by("pk").values_list("pk", "status", "notes")),
        "entries": list(MinutesEntry.objects.order_by("pk").values_list("pk", "problems", "decisions")),
        "follow_ups": FollowUp.objects.count(),
        "tasks": list(Task.objects.order_by("pk").values_list("pk", "status")),
        "attachments": MeetingAttachment.objects.count(),
        "audit": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


@pytest.fixture
def tk_member(db):
    return member("tk-provinsi", "33", username="tk-jateng", position="ketua")


@pytest.fixture
def tkpkd_member(db):
    return member("tkpkd", "33", username="tkpkd-jateng")


@pytest.fixture
def routine(pjoprov_member, colleague, tk_member):
    """Jawa Tengah's routine meeting of March 2025 (past), chaired by the
    PjOProv member; KMW and TK are invited."""
    return make_meeting("pjoprov", "33", PAST)


@pytest.fixture
def held(routine, pjoprov_member):
    from meetings import services

    tz = routine.actor.province.tzinfo
    return services.do_hold_meeting(
        user=pjoprov_member,
        meeting=routine,
        starts_at=datetime.datetime(2025, 3, 4, 9, 0, tzinfo=tz),
        ends_at=datetime.datetime(2025, 3, 4, 11, 30, tzinfo=tz),
    )


def actor_named(kind, province="33"):
    return Actor.objects.select_related("kind", "province").get(kind__code=kind, province__code=province)
