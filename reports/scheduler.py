"""The reports' steps of the reconcile (home.reconcile.run_schedule).

Each step is idempotent: report slots are unique per (type, province, period)
in the database; reminders and overdue notices are notifications with
once-only keys (unique per recipient and key), and the report remembers the
last reminder level and the day it was flagged so a re-run does no work.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.models import Actor, ActorKind
from core import clock
from core.bulk import create_missing, group_members_by_group
from core.notifications import Message, notify, notify_many
from duties.calendar import WorkingCalendar

from . import permissions
from .models import Report, ReportType
from .periods import current_and_previous
from .services import group_members

log = logging.getLogger(__name__)

REMINDER_DAYS = (7, 3, 1)
# The furthest a due date can be while a reminder is due: 7 working days plus
# weekends and the longest holiday run (Lebaran cuti bersama).
REMINDER_HORIZON = datetime.timedelta(days=30)


def desired_reports(on=None, calendar=None):
    """The periodic reports that should exist on `on` (default: today in each
    province): for every active periodic type and province, the current
    period's report and the previous one's (which is due just after it ended).
    Unsaved, keyed by (type_id, province_id, period)."""
    calendar = calendar or WorkingCalendar()
    types = list(
        ReportType.objects.filter(active=True, writer_kind__isnull=False).exclude(period=ReportType.Period.NONE)
    )
    actors = Actor.objects.provincial().filter(kind__in={t.writer_kind_id for t in types}).select_related("province")
    by_kind = {}
    for actor in actors:
        by_kind.setdefault(actor.kind_id, []).append(actor)
    desired = {}
    for report_type in types:
        for actor in by_kind.get(report_type.writer_kind_id, ()):
            today = clock.local_today(actor.province, on)
            for period in current_and_previous(report_type.period, today):
                due = calendar.next_working_day(
                    period.end + datetime.timedelta(days=report_type.deadline_days), actor.province
                )
                desired[(report_type.pk, actor.province_id, period.key)] = Report(
                    report_type=report_type,
                    actor=actor,
                    province_id=actor.province_id,
                    period=period.key,
                    period_start=period.start,
                    period_end=period.end,
                    due_date=due,
                )
    return desired


def create_report_slots(on=None, calendar=None):
    """Create the missing drafts with their due dates and the writer's
    permissions. Returns the number created."""
    desired = desired_reports(on, calendar)
    if not desired:
        return 0
    existing = set(
        Report.objects.filter(
            report_type_id__in={k[0] for k in desired}, period__in={k[2] for k in desired}
        ).values_list("report_type_id", "province_id", "period")
    )
    missing = [report for key, report in desired.items() if key not in existing]
    if not missing:
        return 0
    return create_missing(
        Report,
        missing,
        unique=("report_type", "province_id", "period"),
        defaults=("actor", "period_start", "period_end", "due_date"),
    )


def reminder_level(working_days_left):
    """7, 3 or 1: the reminder due with this many working days left, or None."""
    fitting = [d for d in REMINDER_DAYS if working_days_left <= d]
    return min(fitting) if fitting else None


def send_report_reminders(on=None, calendar=None):
    """Remind the writers 7, 3 and 1 working days before the deadline of a
    report not yet submitted (a late run sends the level it is at, once).
    Returns the number of reports reminded."""
    calendar = calendar or WorkingCalendar()
    # Candidates for every province's today; each is then judged in its own.
    earliest, latest = (on, on) if on is not None else clock.today_span()
    reminded = 0
    with transaction.atomic():
        reports = list(
            Report.objects.never_submitted()
            .select_for_update(skip_locked=True, of=("self",))
            .filter(due_date__gt=earliest, due_date__lte=latest + REMINDER_HORIZON)
            .select_related("report_type", "actor__province", "province")
        )
        for report in reports:
            today = clock.local_today(report.province, on)
            if report.due_date <= today:
                continue
            level = reminder_level(calendar.working_days_between(today, report.due_date, report.province))
            if level is None or (report.reminder_level is not None and report.reminder_level <= level):
                continue
            notify(
                group_members([report.actor.group_id]),
                key=f"report-reminder:{report.pk}:{level}",
                subject=_("Pengingat: %(label)s jatuh tempo dalam %(n)s hari kerja")
                % {"label": report.label, "n": level},
                body=_("Tenggat laporan %(label)s: %(due)s. Lengkapi dan kirim laporannya.")
                % {"label": report.label, "due": report.due_date.isoformat()},
                url=reverse("reports:report_edit", args=[report.pk]),
            )
            report.reminder_level = level
            report.save(update_fields=["reminder_level"])
            reminded += 1
    return reminded


def mark_reports_overdue(on=None):
    """Flag reports never submitted by their deadline (in each province's own
    calendar) and tell the writers and their supervisor (PjOProv and KMW ->
    TK Provinsi; TK Provinsi -> the Governor's office), once."""
    flagged = []
    for zone in clock.ZONES:
        today = clock.local_today(zone, on)
        with transaction.atomic():
            reports = list(
                Report.objects.never_submitted()
                .select_for_update(skip_locked=True, of=("self",))
                .filter(overdue_since__isnull=True, due_date__lt=today, province__timezone=zone)
            )
            # Late from the first day after the deadline, whenever the sweep noticed.
            Report.objects.filter(pk__in=[r.pk for r in reports]).update(
                overdue_since=F("due_date") + datetime.timedelta(days=1)
            )
            flagged += reports
    if flagged:
        _notify_overdue(
            Report.objects.filter(pk__in=[r.pk for r in flagged])
            .select_related("report_type", "actor__kind", "actor__province", "province")
            .order_by("pk")
        )
    return len(flagged)


def _notify_overdue(reports):
    """Tell the writers of each overdue report and their supervisor, in a
    number of statements that grows with the report types, not the reports."""
    reports = list(reports)
    reviewers = reviewers_of(reports)
    members = group_members_by_group(
        {r.actor.group_id for r in reports} | {a.group_id for a in reviewers.values() if a is not None}
    )
    messages = []
    for report in reports:
        subject = _("Laporan terlambat: %(label)s, %(actor)s") % {"label": report.label, "actor": report.actor}
        body = _("Tenggat %(due)s sudah lewat dan laporan belum dikirim.") % {"due": report.due_date.isoformat()}
        key = f"report-overdue:{report.pk}"
        messages.append(
            Message(
                members.get(report.actor.group_id, []),
                key=key,
                subject=subject,
                body=body,
                url=reverse("reports:report_edit", args=[report.pk]),
            )
        )
        reviewer = reviewers[report.pk]
        if reviewer:
            # The supervisor cannot open a draft; the notice itself is the message.
            messages.append(Message(members.get(reviewer.group_id, []), key=key, subject=subject, body=body))
    notify_many(messages)


def reviewers_of(reports):
    """{report pk: reviewer actor or None}: permissions.recipients_of(report)[0]
    for many reports at once (the reviewing kind once per type and writer
    kind, the actors in one query)."""
    kinds = {}
    for report in reports:
        pair = (report.report_type_id, report.actor.kind_id)
        if pair not in kinds:
            kinds[pair] = permissions.reviewer_kind_for(report.report_type, report.actor.kind)
    wanted = {k.pk: k for k in kinds.values() if k is not None}
    actors = {}
    if wanted:
        national = [pk for pk, k in wanted.items() if k.level == ActorKind.Level.NATIONAL]
        candidates = Actor.objects.filter(
            Q(kind_id__in=wanted.keys() - set(national), province_id__in={r.province_id for r in reports})
            | Q(kind_id__in=national, province__isnull=True)
        ).select_related("kind", "province")
        # The first in the actors' own order, as _actor_for_kind's .first().
        for actor in candidates.order_by(*Actor._meta.ordering, "pk"):
            actors.setdefault((actor.kind_id, actor.province_id), actor)
    result = {}
    for report in reports:
        kind = kinds[(report.report_type_id, report.actor.kind_id)]
        if kind is None:
            result[report.pk] = None
        elif kind.level == ActorKind.Level.NATIONAL:
            result[report.pk] = actors.get((kind.pk, None))
        else:
            result[report.pk] = actors.get((kind.pk, report.province_id))
    return result


def remind_returned_reports(on=None, calendar=None):
    """Chase a report returned for revision and not resubmitted: remind the
    writer's group REPORT_RETURN_REMINDER_WORKING_DAYS working days after the
    return (in the province's calendar), and the writer's supervisor (the one
    mark_reports_overdue tells) as many working days later. Once each per
    returned version (the outbox keys name the version); resubmitting takes the
    report out of the sweep. Returns the number of reports reminded."""
    calendar = calendar or WorkingCalendar()
    days = settings.REPORT_RETURN_REMINDER_WORKING_DAYS
    reports = Report.objects.filter(status=Report.Status.RETURNED, latest_version__review__isnull=False).select_related(
        "report_type", "actor__kind", "actor__province", "province", "latest_version__review"
    )
    reminded = 0
    for report in reports:
        version = report.latest_version
        returned_on = timezone.localtime(version.review.reviewed_at, clock.zone_of(report.province)).date()
        waited = calendar.working_days_between(returned_on, clock.local_today(report.province, on), report.province)
        if waited < days:
            continue
        key = f"report-returned-reminder:{report.pk}:v{version.number}"
        url = reverse("reports:report_edit", args=[report.pk])
        sent = notify(
            group_members([report.actor.group_id]),
            key=f"{key}:writer",
            subject=_("Pengingat: %(label)s dikembalikan untuk perbaikan dan belum dikirim ulang")
            % {"label": report.label},
            body=_(
                "Versi %(n)s dikembalikan %(days)s hari kerja yang lalu. "
                "Perbaiki draf sesuai alasan per bagian dan kirim ulang."
            )
            % {"n": version.number, "days": waited},
            url=url,
        )
        reviewer = permissions.recipients_of(report)[0] if waited >= 2 * days else None
        if reviewer:
            # The supervisor cannot open a draft; the notice itself is the message.
            sent += notify(
                group_members([reviewer.group_id]),
                key=f"{key}:supervisor",
                subject=_("Laporan belum diperbaiki: %(label)s, %(actor)s")
                % {"label": report.label, "actor": report.actor},
                body=_(
                    "Versi %(n)s dikembalikan untuk perbaikan %(days)s hari kerja yang lalu dan belum dikirim ulang."
                )
                % {"n": version.number, "days": waited},
            )
        reminded += bool(sent)
    return reminded
