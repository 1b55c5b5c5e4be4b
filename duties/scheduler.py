"""The reconcile: what should exist by a given date, created when missing.

`run_schedule(on)` is idempotent: running it twice, from two beat processes,
or days late for a back-fill creates nothing twice. The unique constraint on
scheduled tasks (actor, duty, period) is the guarantee; the code below only
avoids asking the database to refuse what it already knows exists.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from actors.models import Actor, Membership
from actors.services import (
    hand_over_started_terms,
    remind_terms_ending,
    remind_waiting_proposals,
    sync_actor_groups,
)
from core import clock
from core.notifications import deliver_pending, notify
from meetings import scheduler as meetings_scheduler
from reports.scheduler import create_report_slots, mark_reports_overdue, remind_returned_reports, send_report_reminders

from .calendar import WorkingCalendar
from .models import Duty, Task
from .periods import MONTH, QUARTER, YEAR, period_containing
from .permissions import grant_task_permissions

log = logging.getLogger(__name__)

PERIOD_OF = {Duty.Recurrence.MONTHLY: MONTH, Duty.Recurrence.QUARTERLY: QUARTER, Duty.Recurrence.YEARLY: YEAR}
SCHEDULED = [*PERIOD_OF, Duty.Recurrence.ONE_OFF]


def desired_tasks(on=None, calendar=None):
    """The scheduled tasks that should exist on `on`, as unsaved Task objects
    keyed by (actor_id, duty_id, period)."""
    calendar = calendar or WorkingCalendar()
    actors_by_kind = {}
    for actor in Actor.objects.provincial().select_related("province"):
        actors_by_kind.setdefault(actor.kind_id, []).append(actor)
    desired = {}
    for duty in Duty.objects.filter(recurrence__in=SCHEDULED):
        for actor in actors_by_kind.get(duty.kind_id, ()):
            today = clock.local_today(actor.province, on)
            task = Task(duty=duty, actor=actor, origin=Task.Origin.SCHEDULE)
            if duty.recurrence in PERIOD_OF:
                period = period_containing(PERIOD_OF[duty.recurrence], today)
                task.period, task.period_start, task.period_end = period.key, period.start, period.end
                task.due_date = calendar.next_working_day(
                    period.end + datetime.timedelta(days=duty.due_offset_days), actor.province
                )
            desired[(actor.pk, duty.pk, task.period)] = task
    return desired


def create_scheduled_tasks(on=None, calendar=None):
    """Create the current period's task for every province and scheduled duty
    when missing, with its object permissions. Returns the number created."""
    desired = desired_tasks(on, calendar)
    periods = {key[2] for key in desired}
    existing = set(
        Task.objects.filter(origin=Task.Origin.SCHEDULE, period__in=periods).values_list(
            "actor_id", "duty_id", "period"
        )
    )
    missing = [task for key, task in desired.items() if key not in existing]
    if not missing:
        return 0
    try:
        with transaction.atomic():
            created = Task.objects.bulk_create(missing)
            grant_task_permissions(created)
        return len(created)
    except IntegrityError:
        # Another reconcile (a second beat) created some of them meanwhile.
        return _create_one_by_one(missing)


def _create_one_by_one(missing):
    count = 0
    for task in missing:
        with transaction.atomic():
            obj, created = Task.objects.get_or_create(
                actor=task.actor,
                duty=task.duty,
                period=task.period,
                origin=Task.Origin.SCHEDULE,
                defaults={"period_start": task.period_start, "period_end": task.period_end, "due_date": task.due_date},
            )
            if created:
                grant_task_permissions([obj])
                count += 1
    return count


def mark_overdue(on=None):
    """Flag open tasks past their due date (in each province's own calendar)
    and tell the people responsible, once. Returns the number flagged."""
    flagged = []
    for zone in clock.ZONES:
        today = clock.local_today(zone, on)
        with transaction.atomic():
            tasks = list(
                Task.objects.open()
                .select_for_update(skip_locked=True)
                .filter(overdue_since__isnull=True, due_date__lt=today, actor__province__timezone=zone)
            )
            # Late from the first day after the deadline, whenever the sweep noticed.
            Task.objects.filter(pk__in=[t.pk for t in tasks]).update(
                overdue_since=F("due_date") + datetime.timedelta(days=1)
            )
            flagged += tasks
    if flagged:
        _notify_overdue(flagged, on)
    return len(flagged)


def _notify_overdue(tasks, on):
    tasks = Task.objects.filter(pk__in=[t.pk for t in tasks]).select_related("assignee", "duty", "actor__kind")
    members = {}
    for m in Membership.objects.current(on).filter(actor__in={t.actor_id for t in tasks}).select_related("user"):
        members.setdefault(m.actor_id, []).append(m.user)
    for task in tasks:
        recipients = [task.assignee] if task.assignee else members.get(task.actor_id, [])
        if recipients:
            notify(
                recipients,
                key=f"task-overdue:{task.pk}",
                subject=_("Tugas terlambat: %(task)s") % {"task": task.short_label(120)},
                body=_("Tenggat %(due)s sudah lewat. Selesaikan tugas ini atau catat kendalanya.")
                % {"due": task.due_date},
                url=reverse("duties:task_detail", args=[task.pk]),
            )


def run_schedule(on=None):
    """Reconcile everything for the date `on` (default: today in each
    province). Returns a dict of counts for logs and the command's output."""
    calendar = WorkingCalendar()
    joins, leaves = sync_actor_groups(on)
    result = {
        "group_joins": joins,
        "group_leaves": leaves,
        "tasks_created": create_scheduled_tasks(on, calendar),
        "tasks_overdue": mark_overdue(on),
        "handovers": hand_over_started_terms(on),
        "proposal_reminders": remind_waiting_proposals(on, calendar),
        "term_end_reminders": remind_terms_ending(on),
        "reports_created": create_report_slots(on, calendar),
        "report_reminders": send_report_reminders(on, calendar),
        "reports_overdue": mark_reports_overdue(on),
        "returned_report_reminders": remind_returned_reports(on, calendar),
        "meetings_created": meetings_scheduler.create_meetings(on, calendar),
        "meeting_reminders": meetings_scheduler.send_reminders(on),
        "meeting_duties_completed": meetings_scheduler.complete_held_meeting_duties(),
        "emails_sent": deliver_pending(),
    }
    log.info("run_schedule on=%s %s", on, result)
    return result
