"""Scheduling meetings works in bulk: 208 new meetings take the statements of
52, grants included, and each has what create_occurrence gives one."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.models import AuditEvent, Notification
from duties.calendar import WorkingCalendar
from meetings.models import Meeting, MeetingGroupObjectPermission, MeetingSeries
from meetings.scheduler import create_meetings, create_occurrence, due_occurrences
from tests.factories import member
from tests.statements import statements

pytestmark = pytest.mark.django_db
User = get_user_model()

ON = datetime.date(2030, 3, 3)
PER_SERIES = 13  # March 2030 to March 2031 with 366 days ahead
PEOPLE_IN = ("33", "51", "91")  # WIB, WITA, WIT


@pytest.fixture
def people():
    """Holders, invitees and overseers in three zones; a person invited by
    name who is a member in the province and one who is not; a second head
    in Bali (no default chair there)."""
    for province in PEOPLE_IN:
        for kind in ("pjoprov", "kmw", "gubernur", "tk-provinsi"):
            member(kind, province)
    member("pjoprov", "51", username="second-head")
    by_name = member("tkpkd", "33", username="by-name")
    elsewhere = member("tkpkd", "34", username="elsewhere")
    for series in MeetingSeries.objects.filter(kind=MeetingSeries.Kind.ROUTINE):
        series.invited_people.add(by_name, elsewhere)
    MeetingSeries.objects.update(lead_days=366, default_agenda="Pembukaan\n\n Laporan kemajuan \nPenutup")


def only(n_series):
    """Leave `n_series` routine series active: those of PEOPLE_IN first."""
    routine = MeetingSeries.objects.filter(kind=MeetingSeries.Kind.ROUTINE).values_list("pk", "actor__province__code")
    chosen = [pk for pk, code in sorted(routine, key=lambda r: (r[1] not in PEOPLE_IN, r[1]))][:n_series]
    MeetingSeries.objects.exclude(pk__in=chosen).update(is_active=False)
    MeetingSeries.objects.filter(pk__in=chosen).update(is_active=True)


def schedule(n_series):
    """create_meetings for `n_series` series in a savepoint rolled back
    afterwards: (meetings created, statements)."""
    with transaction.atomic():
        only(n_series)
        with CaptureQueriesContext(connection) as captured:
            created = create_meetings(on=ON)
        transaction.set_rollback(True)
    return created, statements(captured.captured_queries)


def test_208_meetings_take_the_statements_of_52(people):
    schedule(1)  # what a process reads once and keeps (the permission ids) is read here
    created_52, count_52 = schedule(4)
    created_208, count_208 = schedule(16)
    assert (created_52, created_208) == (4 * PER_SERIES, 16 * PER_SERIES)
    assert count_208 == count_52
    assert count_52 <= 35


def snapshot():
    """Everything a scheduled meeting brings, keyed by (series, period)."""
    meetings = {m.pk: (m.series_id, m.period) for m in Meeting.objects.all()}
    rows = {}
    for meeting in Meeting.objects.prefetch_related("invited_actors", "invited_people", "agenda"):
        rows[meetings[meeting.pk]] = {
            "fields": (
                meeting.actor_id,
                meeting.title,
                meeting.starts_at,
                meeting.ends_at,
                meeting.location,
                meeting.chair_id,
                meeting.status,
            ),
            "actors": {a.pk for a in meeting.invited_actors.all()},
            "people": {u.pk for u in meeting.invited_people.all()},
            "agenda": [(i.order, i.title) for i in meeting.agenda.all()],
            "grants": set(
                MeetingGroupObjectPermission.objects.filter(content_object=meeting).values_list(
                    "group_id", "permission_id"
                )
            ),
            "audit": list(
                AuditEvent.objects.for_object(meeting).values_list("user_id", "action", "summary", "changes")
            ),
            "invitations": set(
                Notification.objects.filter(key=f"meeting-invitation:{meeting.pk}").values_list(
                    "recipient_id", "subject", "body", "url", "email_wanted"
                )
            ),
        }
    return rows


def test_each_meeting_has_what_create_occurrence_gives_one(people):
    only(6)
    with transaction.atomic():
        calendar = WorkingCalendar()
        for series, period in due_occurrences(ON):
            create_occurrence(series, period, calendar, ON)
        one_by_one = snapshot()
        transaction.set_rollback(True)
    assert create_meetings(on=ON) == 6 * PER_SERIES
    in_bulk = snapshot()
    # The ids differ between the two runs: compare what does not name them.
    for key in one_by_one:
        for side in (one_by_one[key], in_bulk[key]):
            side["invitations"] = {(r, s, b, e) for r, s, b, _url, e in side["invitations"]}
    assert in_bulk == one_by_one
    assert len(in_bulk) == 6 * PER_SERIES
    province_of = dict(MeetingSeries.objects.values_list("pk", "actor__province__code"))
    by_province = {}
    for (series_id, _period), rows in in_bulk.items():
        by_province.setdefault(province_of[series_id], []).append(rows)
    by_name, elsewhere = (User.objects.get(username=name).pk for name in ("by-name", "elsewhere"))
    for rows in by_province["33"]:
        assert rows["agenda"] == [(1, "Pembukaan"), (2, "Laporan kemajuan"), (3, "Penutup")]
        assert rows["fields"][5] is not None  # the one head chairs
        invited = {r[0] for r in rows["invitations"]}
        assert by_name in invited and elsewhere not in invited
        assert len(rows["audit"]) == 1 and len(rows["grants"]) >= 3
    assert all(rows["fields"][5] is None for rows in by_province["51"])  # two heads: no chair
    assert create_meetings(on=ON) == 0
    assert Meeting.objects.count() == 6 * PER_SERIES
