"""What a change of a meeting series would do, read-only: the schedule a
series makes of a meeting (SeriesSchedule), the notice window, and which open
meetings follow or keep their own schedule (SeriesPlan, plan_series_change)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from core import clock
from core.periods import parse_period
from duties.calendar import WorkingCalendar

from ..models import Meeting, MeetingSeries
from ._common import S


@dataclass
class SeriesSchedule:
    """What a series makes of a meeting: the rule, times and place (on
    `series`, saved or not) and the invitees (actor ids of the province,
    people ids)."""

    series: MeetingSeries
    actor_ids: frozenset
    people_ids: frozenset

    @classmethod
    def of(cls, series):
        province_id = series.actor.province_id
        return cls(
            series,
            frozenset(series.invited_actors.filter(province_id=province_id).values_list("pk", flat=True)),
            frozenset(series.invited_people.values_list("pk", flat=True)),
        )

    def times(self, period_key, calendar):
        province = self.series.actor.province
        day = self.series.planned_date(parse_period(period_key), calendar, province)
        return (
            datetime.datetime.combine(day, self.series.start_time, tzinfo=province.tzinfo),
            datetime.datetime.combine(day, self.series.end_time, tzinfo=province.tzinfo),
        )


@dataclass
class SeriesPlan:
    """Which open meetings of a series a change moves, and which keep their
    schedule: inside the notice window (now, or by their new date), or no
    longer what the series made of them (postponed, or time, place or
    invitees changed by hand)."""

    window_end: datetime.date
    follow: list = field(default_factory=list)  # meetings that follow a change (beyond the window, plain)
    moves: list = field(default_factory=list)  # (meeting, starts_at, ends_at) for the given change
    in_window: list = field(default_factory=list)
    by_hand: list = field(default_factory=list)


def series_notice_window_end(province, on=None):
    """The first local day outside the notice window: a plain meeting on or
    after it follows a change of its series; earlier ones keep their schedule."""
    return clock.local_today(province, on) + datetime.timedelta(days=settings.MEETING_SERIES_NOTICE_DAYS)


def _local_date(moment, province):
    return timezone.localtime(moment, province.tzinfo).date()


def plan_series_change(series, before, after=None, on=None, calendar=None):
    """The plan of a change of `series` from the schedule `before` to `after`
    (None: only which meetings would follow a change). Reads, writes nothing."""
    calendar = calendar or WorkingCalendar()
    province = series.actor.province
    today = clock.local_today(province, on)
    plan = SeriesPlan(window_end=series_notice_window_end(province, on))
    meetings = (
        Meeting.objects.filter(
            series=series,
            status__in=Meeting.OPEN_STATUSES,
            starts_at__gte=datetime.datetime.combine(today, datetime.time.min, tzinfo=province.tzinfo),
        )
        .select_related("actor__province", "actor__kind")
        .prefetch_related("invited_actors", "invited_people")
        .order_by("starts_at", "id")
    )
    for meeting in meetings:
        if meeting.status != S.SCHEDULED:
            plan.by_hand.append(meeting)
            continue
        if _local_date(meeting.starts_at, province) < plan.window_end:
            plan.in_window.append(meeting)
            continue
        actor_ids = frozenset(a.pk for a in meeting.invited_actors.all())
        people_ids = frozenset(p.pk for p in meeting.invited_people.all())
        made = (*before.times(meeting.period, calendar), before.series.location, before.actor_ids, before.people_ids)
        if (meeting.starts_at, meeting.ends_at, meeting.location, actor_ids, people_ids) != made:
            plan.by_hand.append(meeting)
            continue
        if after is None:
            plan.follow.append(meeting)
            continue
        starts_at, ends_at = after.times(meeting.period, calendar)
        if _local_date(starts_at, province) < plan.window_end:
            plan.in_window.append(meeting)  # its new day would come without notice: it keeps its own
            continue
        plan.follow.append(meeting)
        new = (starts_at, ends_at, after.series.location, after.actor_ids, after.people_ids)
        if new != made:
            plan.moves.append((meeting, starts_at, ends_at))
    return plan
