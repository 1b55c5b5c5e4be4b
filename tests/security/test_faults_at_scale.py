"""Faults at scale, with a real Celery worker and Redis (tests/celery_fixtures.py).

- Redis stopped during a burst of 100 report submissions and reviews: all
  100 commit; every notification waits in the outbox and is emailed exactly
  once after Redis returns, however many delivery runs there are.
- Two beat processes for a simulated month (two threads, each running the
  reconcile for every day of the month, concurrently, on PostgreSQL): no
  meeting, task or report exists twice.
"""

import collections
import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.db import connection

from core.models import Notification
from core.notifications import deliver_pending
from core.tasks import deliver_notifications
from duties.models import Task
from home.reconcile import run_schedule
from meetings.models import Meeting
from reports import services
from reports.models import Report, ReportReview, ReportVersion
from reports.scheduler import create_report_slots
from tests.celery_fixtures import running_worker, unique_queue, use_broker, wait_until
from tests.concurrency import race
from tests.factories import member
from tests.reports.conftest import content

REAL_WORKER = pytest.mark.django_db(transaction=True, serialized_rollback=True)
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
DAY = datetime.date(2026, 10, 5)  # September's monthly and Q3's quarterly reports are due


def _burst_setting():
    """Per province: a PjOProv writer, a TK member (writes the quarterly
    report, reviews the PjOProv's), a Governor's office member (reviews TK's);
    complete drafts of both reports."""
    from actors.models import Province

    create_report_slots(on=DAY)
    plan = []
    for code in Province.objects.order_by("code").values_list("code", flat=True):
        pjoprov = member("pjoprov", code, username=f"pjo-{code}")
        tk = member("tk-provinsi", code, username=f"tk-{code}")
        member("gubernur", code, username=f"gub-{code}")
        monthly = Report.objects.get(report_type__code="pjoprov-bulanan", province__code=code, period="2026-09")
        quarterly = Report.objects.get(report_type__code="tk-triwulan", province__code=code, period="2026-Q3")
        services.do_save_draft(user=pjoprov, report=monthly, **content(monthly))
        services.do_save_draft(user=tk, report=quarterly, **content(quarterly))
        plan.append((pjoprov, tk, monthly, quarterly))
    return plan


@pytest.mark.celery_worker
@REAL_WORKER
def test_a_burst_of_100_submissions_and_reviews_with_redis_down_commits_all_and_emails_each_once(private_redis):
    queue = unique_queue("burst-outage")
    clock = time_machine.travel(datetime.datetime(2026, 10, 5, 10, 0, tzinfo=JAKARTA), tick=False)
    with clock, use_broker(private_redis.url, queue):
        plan = _burst_setting()
        Notification.objects.all().delete()
        mail.outbox.clear()
        private_redis.stop()

        done = 0
        for pjoprov, tk, monthly, quarterly in plan:  # 38 + 38 submissions
            services.do_submit_report(user=pjoprov, report=monthly)
            services.do_submit_report(user=tk, report=quarterly)
            done += 2
        for _pjoprov, tk, monthly, _quarterly in plan[: 100 - done]:  # 24 reviews
            services.do_review_report(user=tk, report=monthly, decision=ReportReview.Decision.ACKNOWLEDGE)
            done += 1
        assert done == 100

        # every action committed although each enqueue failed
        assert ReportVersion.objects.count() == 76
        assert ReportReview.objects.count() == 24
        waiting = Notification.objects.all()
        expected = collections.Counter(waiting.values_list("recipient__email", flat=True))
        assert sum(expected.values()) >= 100  # one reviewer per submission, the writer per review
        assert not waiting.filter(email_sent_at__isnull=False).exists()
        assert mail.outbox == []

        private_redis.start()
        # beat's tick and a retry: two delivery tasks wait in the queue
        deliver_notifications.apply_async()
        deliver_notifications.apply_async()
        with running_worker(private_redis.url, queue):
            wait_until(lambda: not Notification.objects.filter(email_sent_at__isnull=True).exists(), timeout=120)
        assert deliver_pending() == 0  # the reconcile's own delivery finds nothing left

    sent = collections.Counter(m.to[0] for m in mail.outbox)
    assert sent == expected
    assert len(mail.outbox) == sum(expected.values())


@REAL_WORKER
def test_two_beats_running_a_month_of_reconciles_at_once_create_nothing_twice():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's test database serialises writers, so two beats cannot race")
    days = [datetime.date(2030, 3, 1) + datetime.timedelta(d) for d in range(31)]

    def beat():
        for day in days:
            run_schedule(on=day)

    _results, errors = race(beat, timeout=600)
    assert errors == []
    assert Meeting.objects.exists() and Task.objects.exists() and Report.objects.exists()

    def duplicates(queryset, *fields):
        counts = collections.Counter(queryset.values_list(*fields))
        return {k: n for k, n in counts.items() if n > 1}

    assert duplicates(Meeting.objects, "series_id", "period") == {}
    assert duplicates(Task.objects.filter(origin=Task.Origin.SCHEDULE), "actor_id", "duty_id", "period") == {}
    assert duplicates(Report.objects, "report_type_id", "province_id", "period") == {}
    assert duplicates(Notification.objects, "recipient_id", "key") == {}
    # and the month made what one beat alone makes: a third run adds nothing
    before = (Meeting.objects.count(), Task.objects.count(), Report.objects.count())
    run_schedule(on=days[-1])
    assert (Meeting.objects.count(), Task.objects.count(), Report.objects.count()) == before
