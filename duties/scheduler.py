"""The duties' steps of the reconcile (home.reconcile.run_schedule): the
scheduled tasks of the period, created when missing, and overdue tasks.

The reconcile is idempotent: running it twice, from two beat processes,
or days late for a back-fill creates nothing twice. The unique constraint on
scheduled tasks (actor, duty, period) is the guarantee; the code below only
avoids asking the database to refuse what it already knows exists.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from actors.models import Actor, Membership
from core import clock
from core.bulk import create_missing
from core.notifications import Message, notify_many
from core.periods import MONTH, QUARTER, YEAR, period_containing

from .calendar import WorkingCalendar
from .models import Duty, Task

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
    return create_missing(
        Task, missing, unique=("actor", "duty", "period", "origin"), defaults=("period_start", "period_end", "due_date")
    )


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
    messages = []
    for task in tasks:
        recipients = [task.assignee] if task.assignee else members.get(task.actor_id, [])
        if recipients:
            messages.append(
                Message(
                    recipients,
                    key=f"task-overdue:{task.pk}",
                    subject=_("Tugas terlambat: %(task)s") % {"task": task.short_label(120)},
                    body=_("Tenggat %(due)s sudah lewat. Selesaikan tugas ini atau catat kendalanya.")
                    % {"due": task.due_date},
                    url=reverse("duties:task_detail", args=[task.pk]),
                )
            )
    notify_many(messages)
