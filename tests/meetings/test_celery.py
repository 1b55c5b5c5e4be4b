"""Celery for real: a worker executes the reconcile through Redis, and a
broker outage delays notifications without losing or doubling them."""

import datetime

import pytest
from django.core import mail

from core.models import Notification
from core.tasks import deliver_notifications
from home.reconcile import run_schedule
from home.tasks import run_schedule_task
from meetings import services
from meetings.models import Meeting, MeetingSeries, MinutesVersion
from tests.celery_fixtures import queue_length, running_worker, unique_queue, use_broker, wait_until

from .conftest import make_meeting

REAL_WORKER = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.celery_worker
@REAL_WORKER
def test_a_real_worker_runs_the_reconcile_task_through_redis(redis_broker_url):
    queue = unique_queue("meetings")
    routine = Meeting.objects.filter(series__kind=MeetingSeries.Kind.ROUTINE, period="2030-01")
    assert not routine.exists()
    with running_worker(redis_broker_url, queue):
        run_schedule_task.apply_async(kwargs={"on": "2030-01-15"})
        wait_until(lambda: routine.count() == 38, timeout=60)
        # beat ticking twice for the same day creates nothing twice
        run_schedule_task.apply_async(kwargs={"on": "2030-01-15"})
        run_schedule_task.apply_async(kwargs={"on": "2030-01-15"})
        wait_until(lambda: queue_length(redis_broker_url, queue) == 0, timeout=60)
    assert routine.count() == 38
    assert Meeting.objects.filter(period="2030-02", series__kind=MeetingSeries.Kind.ROUTINE).count() == 38
    assert Meeting.objects.filter(period="2030-Q1").count() == 38


def _held_with_draft_minutes(chair):
    meeting = make_meeting("pjoprov", "33", "2025-03")
    tz = meeting.actor.province.tzinfo
    services.do_hold_meeting(
        user=chair,
        meeting=meeting,
        starts_at=datetime.datetime(2025, 3, 4, 9, tzinfo=tz),
        ends_at=datetime.datetime(2025, 3, 4, 11, tzinfo=tz),
    )
    item = meeting.agenda.first()
    services.do_save_minutes(user=chair, meeting=meeting, notes="", entries={item.pk: ("Masalah", "Keputusan")})
    return meeting


@REAL_WORKER
def test_approval_commits_while_redis_is_down_and_the_email_goes_out_once_after(
    private_redis, pjoprov_member, colleague, tk_member
):
    queue = unique_queue("meetings-outage")
    with use_broker(private_redis.url, queue):
        meeting = _held_with_draft_minutes(pjoprov_member)
        mail.outbox.clear()
        private_redis.stop()
        version = services.do_approve_minutes(user=pjoprov_member, meeting=meeting)  # commits; on_commit enqueue fails
        # the approval is in the database, the notifications wait in the outbox
        assert MinutesVersion.objects.get(pk=version.pk).status == MinutesVersion.Status.APPROVED
        waiting = Notification.objects.filter(key=f"minutes-approved:{version.pk}")
        assert set(waiting.values_list("recipient__username", flat=True)) == {
            pjoprov_member.username,
            colleague.username,
            tk_member.username,
        }
        assert not waiting.filter(email_sent_at__isnull=False).exists()
        assert mail.outbox == []

        private_redis.start()
        # once the broker is back, the queued task delivers ...
        deliver_notifications.apply_async()
        assert queue_length(private_redis.url, queue) == 1
        with running_worker(private_redis.url, queue):
            wait_until(lambda: not waiting.filter(email_sent_at__isnull=True).exists())
        # ... and the reconcile that runs afterwards sends nothing again
        run_schedule(on=datetime.date(2025, 3, 5))
    approved = [m for m in mail.outbox if "Notulen disetujui" in m.subject]
    assert sorted(m.to[0] for m in approved) == sorted(u.email for u in (pjoprov_member, colleague, tk_member))


@REAL_WORKER
def test_with_redis_down_the_reconcile_alone_delivers_the_waiting_email_once(private_redis, pjoprov_member, colleague):
    queue = unique_queue("meetings-outage")
    with use_broker(private_redis.url, queue):
        meeting = _held_with_draft_minutes(pjoprov_member)
        mail.outbox.clear()
        private_redis.stop()
        version = services.do_approve_minutes(user=pjoprov_member, meeting=meeting)
        assert mail.outbox == []
        run_schedule(on=datetime.date(2025, 3, 5))
        run_schedule(on=datetime.date(2025, 3, 5))
        private_redis.start()
    key = f"minutes-approved:{version.pk}"
    assert not Notification.objects.filter(key=key, email_sent_at__isnull=True).exists()
    assert len([m for m in mail.outbox if "Notulen disetujui" in m.subject]) == 2
