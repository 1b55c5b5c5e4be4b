"""The load test's report history (home/management/commands/loadtest_data.py):
made through the reconcile and reports.services, deterministic, idempotent."""

import datetime

import pytest

from core.models import AuditEvent
from home.management.commands.loadtest_data import build_reports, plan_report
from reports.models import Report, ReportGroupObjectPermission, ReportReview, ReportVersion
from tests.reports.conftest import JAKARTA

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 10, 5, 10, 0, tzinfo=JAKARTA)


def snapshot():
    return sorted(
        Report.objects.values_list("report_type__code", "province__code", "period", "status", "version_count")
    )


def test_two_years_of_two_provinces_are_sent_late_returned_and_acknowledged_through_the_services(clock):
    counts = build_reports(years=2, now=NOW, provinces=["33", "34"], log=lambda *a: None)
    reports = Report.objects.filter(province__code__in=["33", "34"], period_start__gte=datetime.date(2025, 1, 1))
    due = reports.filter(due_date__lt=NOW.date())
    sent = due.filter(version_count__gt=0)
    # 2 provinces x (4 + 12 + 12 periods) x 2 years (this year's up to October).
    assert 80 < reports.count() <= 2 * 28 * 2
    assert 0.8 < sent.count() / due.count() < 1
    assert 0.05 < sent.filter(submitted_on_time=False).count() / sent.count() < 0.4
    assert sum(counts.values()) >= reports.count()
    # What the services leave behind: versions, grants to seknas and the
    # reviewer, audit events, reviews by someone else than the sender.
    assert ReportVersion.objects.filter(report__in=sent).count() >= sent.count()
    assert ReportGroupObjectPermission.objects.filter(content_object__in=sent).count() > 2 * sent.count()
    assert AuditEvent.objects.filter(action="report.submitted").count() == ReportVersion.objects.count()
    assert ReportReview.objects.filter(decision="diterima").exists()
    for review in ReportReview.objects.select_related("version"):
        assert review.reviewed_by_id != review.version.submitted_by_id
    for version in ReportVersion.objects.select_related("report"):
        assert version.submitted_at.date() >= version.report.period_end


def test_the_history_is_deterministic_and_a_second_run_changes_nothing(clock):
    build_reports(years=1, now=NOW, provinces=["33"], log=lambda *a: None)
    first = snapshot()
    build_reports(years=1, now=NOW, provinces=["33"], log=lambda *a: None)
    assert snapshot() == first
    report = Report.objects.filter(province__code="33").select_related("report_type", "province").first()
    assert plan_report(report, NOW, 20) == plan_report(report, NOW, 20)
