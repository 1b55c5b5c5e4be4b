"""The meetings' steps of the reconcile (home.reconcile.run_schedule).

Each step is idempotent: a meeting is unique per (series, period), a reminder
per (person, meeting, day) in the outbox, and a held meeting's duty is marked
once. Two beats, a restart or a catch-up after downtime create nothing twice.
"""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q, prefetch_related_objects
from django.utils.translation import gettext as _

from actors.models import Membership, Province
from core import audit, clock, notifications
from core.periods import period_containing
from core.permissions import sync_grants
from duties.calendar import WorkingCalendar

from . import services
from .models import AgendaItem, Meeting, MeetingSeries

log = logging.getLogger(__name__)
User = get_user_model()


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
    agenda, grants and invitations, together in one transaction (a catch-up
    of many costs the statements of a few; see create_occurrences). Returns
    the number created."""
    calendar = calendar or WorkingCalendar()
    wanted = due_occurrences(on)
    if not wanted:
        return 0
    existing = set(
        Meeting.objects.filter(
            series_id__in={s.pk for s, _p in wanted}, period__in={p.key for _s, p in wanted}
        ).values_list("series_id", "period")
    )
    missing = [(series, period) for series, period in wanted if (series.pk, period.key) not in existing]
    if not missing:
        return 0
    try:
        with transaction.atomic():
            return len(create_occurrences(missing, calendar, on))
    except IntegrityError:
        # Another reconcile (a second beat) created some of them meanwhile:
        # one by one, each in its own transaction, the unique constraint deciding.
        return sum(1 for series, period in missing if create_occurrence(series, period, calendar, on))


def create_occurrences(occurrences, calendar, on=None):
    """The meetings of [(series, period)], none of which exists yet, created
    as create_occurrence creates one: the same rows, grants, audit events and
    invitations, in statements that do not grow with the number of meetings.
    Call inside a transaction; a meeting created meanwhile by
    another reconcile makes the insert fail (IntegrityError). Returns them."""
    chairs = default_chairs({series.actor_id for series, _p in occurrences}, on)
    meetings = []
    for series, period in occurrences:
        province = series.actor.province
        day = series.planned_date(period, calendar, province)
        meetings.append(
            Meeting(
                series=series,
                period=period.key,
                actor=series.actor,
                title=series.title,
                starts_at=datetime.datetime.combine(day, series.start_time, tzinfo=province.tzinfo),
                ends_at=datetime.datetime.combine(day, series.end_time, tzinfo=province.tzinfo),
                location=series.location,
                chair=chairs.get(series.actor_id),
            )
        )
    Meeting.objects.bulk_create(meetings)

    # Invitees: the series' actors of the same province, and its people.
    series_ids = {meeting.series_id for meeting in meetings}
    invited_actors, invited_people = {}, {}
    for series_id, actor_id, province_id in MeetingSeries.invited_actors.through.objects.filter(
        meetingseries_id__in=series_ids
    ).values_list("meetingseries_id", "actor_id", "actor__province_id"):
        invited_actors.setdefault(series_id, []).append((actor_id, province_id))
    for series_id, user_id in MeetingSeries.invited_people.through.objects.filter(
        meetingseries_id__in=series_ids
    ).values_list("meetingseries_id", "user_id"):
        invited_people.setdefault(series_id, []).append(user_id)
    actor_rows, people_rows, agenda = [], [], []
    for meeting in meetings:
        province_id = meeting.actor.province_id
        meeting._invited_actor_ids = {
            actor_id
            for actor_id, actor_province in invited_actors.get(meeting.series_id, ())
            if actor_province == province_id
        }
        meeting._invited_people_ids = set(invited_people.get(meeting.series_id, ()))
        actor_rows += [
            Meeting.invited_actors.through(meeting_id=meeting.pk, actor_id=pk) for pk in meeting._invited_actor_ids
        ]
        people_rows += [
            Meeting.invited_people.through(meeting_id=meeting.pk, user_id=pk) for pk in meeting._invited_people_ids
        ]
        lines = [line.strip() for line in meeting.series.default_agenda.splitlines() if line.strip()]
        agenda += [AgendaItem(meeting=meeting, order=i, title=line[:300]) for i, line in enumerate(lines, start=1)]
    Meeting.invited_actors.through.objects.bulk_create(actor_rows)
    Meeting.invited_people.through.objects.bulk_create(people_rows)
    AgendaItem.objects.bulk_create(agenda)

    sync_grants(meetings)
    audit.record_many(
        audit.Event(
            None,
            "meeting.scheduled",
            meeting,
            summary=meeting.label,
            changes={"after": {"starts_at": meeting.starts_at.isoformat(), "location": meeting.location}},
        )
        for meeting in meetings
    )
    _send_invitations(meetings, on)
    return meetings


def default_chairs(actor_ids, on=None):
    """{actor_id: chair or None}: services.default_chair for many actors
    (the one current head, if there is exactly one) in two queries."""
    heads = {}
    for actor_id, user_id in (
        Membership.objects.current(on)
        .filter(actor_id__in=actor_ids, position__is_head=True)
        .values_list("actor_id", "user_id")
    ):
        heads.setdefault(actor_id, set()).add(user_id)
    single = {actor_id: users.pop() for actor_id, users in heads.items() if len(users) == 1}
    users = User.objects.filter(is_active=True).in_bulk(set(single.values()))
    return {actor_id: users.get(user_id) for actor_id, user_id in single.items()}


def _send_invitations(meetings, on=None):
    """services.send_invitations for meetings just created (their invitees in
    `_invited_actor_ids` / `_invited_people_ids`): everyone services.recipients
    names, once per person and meeting, in a few statements."""
    actor_ids = {pk for meeting in meetings for pk in (meeting.actor_id, *meeting._invited_actor_ids)}
    people_ids = {pk for meeting in meetings for pk in meeting._invited_people_ids}
    condition = Q(actor_id__in=actor_ids)
    if people_ids:
        condition |= Q(user_id__in=people_ids, actor__province_id__in={m.actor.province_id for m in meetings})
    by_actor, by_province = {}, {}
    for user_id, actor_id, province_id in (
        Membership.objects.current(on)
        .filter(condition, user__is_active=True)
        .values_list("user_id", "actor_id", "actor__province_id")
    ):
        by_actor.setdefault(actor_id, set()).add(user_id)
        by_province.setdefault(province_id, set()).add(user_id)
    users = User.objects.filter(is_active=True).in_bulk({pk for pks in by_province.values() for pk in pks})
    prefetch_related_objects(meetings, "agenda")
    messages = []
    for meeting in meetings:
        ids = set()
        for actor_id in (meeting.actor_id, *meeting._invited_actor_ids):
            ids |= by_actor.get(actor_id, set())
        ids |= meeting._invited_people_ids & by_province.get(meeting.actor.province_id, set())
        messages.append(
            notifications.Message(
                [users[pk] for pk in sorted(ids) if pk in users],
                **services.invitation_message(meeting),
                url=services._url(meeting),
            )
        )
    return notifications.notify_many(messages)


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
    sync_grants([meeting])
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
