"""The overdue sweep works in bulk: flagging 200 reports takes the statements
of flagging 50, and tells exactly the people the one-by-one sweep told."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Notification, NotificationKind, NotificationPreference
from reports import permissions
from reports.models import Report
from reports.scheduler import create_report_slots, mark_reports_overdue
from reports.services import group_members
from tests.factories import member
from tests.statements import statements

from .conftest import DAY

pytestmark = pytest.mark.django_db

SWEEP = datetime.date(2026, 10, 20)
PEOPLE_IN = ("33", "51", "91")  # WIB, WITA, WIT


@pytest.fixture
def people():
    """Writers and supervisors in three provinces of the three time zones,
    one of them without email for reports, and one inactive."""
    for province in PEOPLE_IN:
        for kind in ("tk-provinsi", "gubernur", "pjoprov", "kmw"):
            member(kind, province)
    quiet = member("gubernur", "33")
    NotificationPreference.objects.create(user=quiet, kind=NotificationKind.REPORT, email=False)
    gone = member("pjoprov", "51")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    create_report_slots(on=DAY)


def late(n):
    """Exactly `n` reports past their deadline on SWEEP, the others not due yet."""
    # The provinces with people first (every type and zone), then the others.
    rows = Report.objects.values_list("pk", "province__code", "report_type__code", "period")
    chosen = [pk for pk, *_ in sorted(rows, key=lambda r: (r[1] not in PEOPLE_IN, r[1:]))]
    assert len(chosen) >= n
    Report.objects.filter(pk__in=chosen[:n]).update(due_date=SWEEP - datetime.timedelta(days=3))
    Report.objects.exclude(pk__in=chosen[:n]).update(due_date=SWEEP + datetime.timedelta(days=30))
    return chosen[:n]


def sweep(n):
    """Flag `n` late reports in a savepoint rolled back afterwards: (flagged,
    statements, notifications created)."""
    with transaction.atomic():
        late(n)
        before = Notification.objects.count()
        with CaptureQueriesContext(connection) as captured:
            flagged = mark_reports_overdue(on=SWEEP)
        made = Notification.objects.count() - before
        transaction.set_rollback(True)
    return flagged, statements(captured.captured_queries), made


def test_flagging_200_reports_takes_the_statements_of_flagging_50(people):
    flagged_50, count_50, made_50 = sweep(50)
    flagged_200, count_200, made_200 = sweep(200)
    assert (flagged_50, flagged_200) == (50, 200)
    assert made_200 >= made_50 > 0
    assert count_200 == count_50
    assert count_50 <= 30


def test_the_bulk_sweep_tells_whom_the_report_by_report_sweep_told(people):
    pks = late(150)
    flagged = mark_reports_overdue(on=SWEEP)
    assert flagged == 150
    expected = set()
    for report in Report.objects.filter(pk__in=pks).select_related(
        "report_type", "actor__kind", "actor__province", "province"
    ):
        assert report.overdue_since == report.due_date + datetime.timedelta(days=1)
        subject = f"Laporan terlambat: {report.label}, {report.actor}"
        body = f"Tenggat {report.due_date.isoformat()} sudah lewat dan laporan belum dikirim."
        key = f"report-overdue:{report.pk}"
        url = reverse("reports:report_edit", args=[report.pk])
        writers = {u.pk for u in group_members([report.actor.group_id])}
        expected |= {(pk, key, subject, body, url) for pk in writers}
        reviewer = permissions.recipients_of(report)[0]
        if reviewer:
            expected |= {
                (u.pk, key, subject, body, "") for u in group_members([reviewer.group_id]) if u.pk not in writers
            }
    rows = Notification.objects.filter(key__startswith="report-overdue:")
    got = set(rows.values_list("recipient_id", "key", "subject", "body", "url"))
    assert got == expected
    assert rows.count() == len(expected)  # once per person and report
    assert not rows.filter(recipient__is_active=False).exists()
    quiet = NotificationPreference.objects.get().user
    assert rows.filter(recipient=quiet).exists()
    assert not rows.filter(recipient=quiet, email_wanted=True).exists()
    assert rows.exclude(recipient=quiet).filter(email_wanted=False).count() == 0
    assert mark_reports_overdue(on=SWEEP + datetime.timedelta(days=1)) == 0
    assert Notification.objects.filter(key__startswith="report-overdue:").count() == len(expected)
