"""The meetings' steps of the reconcile (duties.scheduler.run_schedule).

Each step is idempotent: a meeting is unique per (series, period), a reminder
per (person, meeting, day) in the outbox, and a held meeting's duty is marked
once. Two beats, a restart or a catch-up after downtime create nothing twice.
"""

import datetime
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from actors.models import Province
from core import audit, clock
from duties.calendar import WorkingCalendar
from duties.periods import period_containing

from . import permissions, services
from .models import AgendaItem, Meeting, MeetingSeries

log = logging.getLogger(__name__)


def due_occurrences(on=None):
    """[(series, period)] that should exist on `on`: the period containing the
    day (in the province's calendar) and every later period starting within
    the series' lead days."""
    wanted = []
    series_list = (
        MeetingSeries.objects.filter(is_active=True, actor__province__isnull=False)
        .select_related("actor__province", "actor__kind", "duty")
        .order_by("pk")
    )
    for series in series_list:
        today = clock.local_today(series.actor.province, on)
        period = period_containing(series.period_kind, today)
        while period.start - datetime.timedelta(days=series.lead_days) <= today:
            wanted.append((series, period))
            period = period.next()
    return wanted


def create_meetings(on=None, calendar=None):
    """Create the meetings that are due and missing, each with its invitees,
    agenda, grants and invitations, in its own transaction. Returns the number
    created."""
    calendar = calendar or WorkingCalendar()
    wanted = due_occurrences(on)
    if not wanted:
        return 0
    existing = set(
        Meeting.objects.filter(
            series_id__in={s.pk for s, _p in wanted}, period__in={p.key for _s, p in wanted}
        ).values_list("series_id", "period")
    )
    created = 0
    for series, period in wanted:
        if (series.pk, period.key) not in existing and create_occurrence(series, period, calendar, on):
            created += 1
    return created


@transaction.atomic
def create_occurrence(series, period, calendar, on=None):
    """The meeting of `series` in `period`, unless it exists (the unique
    constraint decides when two reconciles race). Returns it when created."""
    province = series.actor.province
    day = series.planned_date(period, calendar, province)
    meeting, created = Meeting.objects.get_or_create(
        series=series,
        period=period.key,
        defaults={
            "actor": series.actor,
            "title": series.title,
            "starts_at": datetime.datetime.combine(day, series.start_time, tzinfo=province.tzinfo),
            "ends_at": datetime.datetime.combine(day, series.end_time, tzinfo=province.tzinfo),
            "location": series.location,
            "chair": services.default_chair(series.actor, on),
        },
    )
    if not created:
        return None
    meeting.invited_actors.set(series.invited_actors.filter(province_id=province.pk))
    meeting.invited_people.set(series.invited_people.all())
    lines = [line.strip() for line in series.default_agenda.splitlines() if line.strip()]
    AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=meeting, order=i, title=line[:300]) for i, line in enumerate(lines, start=1)]
    )
    permissions.sync_meeting_permissions(meeting)
    audit.record(
        None,
        "meeting.scheduled",
        meeting,
        summary=meeting.label,
        changes={"after": {"starts_at": meeting.starts_at.isoformat(), "location": meeting.location}},
    )
    services.send_invitations(meeting, on)
    return meeting


def send_reminders(on=None):
    """The reminder to everyone invited, on the day before the meeting (or on
    the day itself when the day before was missed). Once per person and day:
    a postponed meeting is reminded again for its new date."""
    count = 0
    for zone in Province.Zone.values:
        province = Province(timezone=zone)
        today = clock.local_today(province, on)
        start = datetime.datetime.combine(today, datetime.time.min, tzinfo=province.tzinfo)
        meetings = (
            Meeting.objects.filter(
                status__in=Meeting.OPEN_STATUSES,
                starts_at__gte=start,
                starts_at__lt=start + datetime.timedelta(days=2),
                actor__province__timezone=zone,
            )
            .select_related("actor__province", "actor__kind")
            .order_by("pk")
        )
        for meeting in meetings:
            with transaction.atomic():
                count += services.notify_invitees(
                    meeting,
                    key=f"meeting-reminder:{meeting.pk}:{meeting.local_date.isoformat()}",
                    subject=_("Pengingat rapat: %(title)s %(actor)s, %(when)s")
                    % {"title": meeting.label, "actor": meeting.actor.name, "when": services._when(meeting)},
                    body=services.invitation_body(meeting),
                    on=on,
                )
    return count


def complete_held_meeting_duties():
    """Held meetings whose duty task did not exist yet when they were held:
    mark the task done now that the reconcile has created it."""
    done = 0
    pending = (
        Meeting.objects.filter(status=Meeting.Status.HELD, duty_task__isnull=True, series__duty__isnull=False)
        .select_related("actor__province", "actor__kind", "series__duty")
        .order_by("pk")
    )
    for meeting in pending:
        with transaction.atomic():
            if services.complete_meeting_duty(meeting) is not None:
                done += 1
    return done
