"""Reminders are rows created by the reconcile, once; a broker outage delays
their email and loses none."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from kombu.exceptions import OperationalError

from actors.models import User
from appointments import services
from appointments.models import Proposal
from core.models import Notification
from duties.calendar import WorkingCalendar
from home.reconcile import run_schedule
from tests.actors.conftest import approve, submitted, today
from tests.factories import actor, member

pytestmark = pytest.mark.django_db


def waiting_reminders():
    return Notification.objects.filter(key__startswith="proposal-waiting:")


def test_the_governors_office_is_reminded_once_after_n_working_days(pjoprov_member, gubernur_office, settings):
    settings.APPOINTMENT_REMINDER_WORKING_DAYS = 5
    proposal = submitted(pjoprov_member)
    province = actor("gubernur").province
    sent_on = datetime.date(2027, 3, 1)
    Proposal.objects.filter(pk=proposal.pk).update(
        submitted_at=datetime.datetime(2027, 3, 1, 9, 0, tzinfo=province.tzinfo)
    )
    calendar = WorkingCalendar()
    last_quiet_day = calendar.add_working_days(sent_on, 5, province)
    assert services.remind_waiting_proposals(on=last_quiet_day) == 0
    first_day = calendar.add_working_days(sent_on, 6, province)
    assert run_schedule(on=first_day)["proposal_reminders"] == 1
    assert run_schedule(on=first_day + datetime.timedelta(days=1))["proposal_reminders"] == 0
    reminder = waiting_reminders().get()
    assert reminder.recipient == gubernur_office
    assert reminder.url == f"/penetapan/{proposal.pk}/"


def test_a_resubmitted_version_is_reminded_again(pjoprov_member, gubernur_office, settings):
    settings.APPOINTMENT_REMINDER_WORKING_DAYS = 1
    proposal = submitted(pjoprov_member)
    later = today() + datetime.timedelta(days=10)
    services.remind_waiting_proposals(on=later)
    services.do_return_proposal(user=gubernur_office, proposal=proposal, reason="Perbaiki.")
    services.do_submit_proposal(user=pjoprov_member, proposal=proposal)
    services.remind_waiting_proposals(on=later)
    assert sorted(waiting_reminders().values_list("key", flat=True)) == [
        f"proposal-waiting:{proposal.pk}:v1",
        f"proposal-waiting:{proposal.pk}:v2",
    ]


def test_30_days_before_a_term_ends_the_actor_and_the_governors_office_are_reminded_once(
    pjoprov_member, gubernur_office
):
    end = today() + datetime.timedelta(days=100)
    proposal = approve(submitted(pjoprov_member, end_date=end), gubernur_office)
    person = proposal.membership.user
    assert services.remind_terms_ending(on=end - datetime.timedelta(days=31)) == 0
    result = run_schedule(on=end - datetime.timedelta(days=30))
    recipients = set(
        Notification.objects.filter(key__startswith="term-ending:").values_list("recipient__username", flat=True)
    )
    assert {person.username, gubernur_office.username} <= recipients
    assert result["term_end_reminders"] == len(recipients)
    assert run_schedule(on=end - datetime.timedelta(days=29))["term_end_reminders"] == 0


def test_the_30_days_count_from_each_provinces_own_date(pjoprov_member, gubernur_office):
    """At 00.30 WIT on 1 December (22.30 WIB on 30 November) a Papuan term
    ending on 31 December is 30 days away; the same end in Jawa Tengah is 31."""
    end = datetime.date(2026, 12, 31)
    with time_machine.travel(datetime.datetime(2026, 6, 1, 3, tzinfo=datetime.UTC), tick=False):
        papua_pjo, papua_gub = member("pjoprov", "91"), member("gubernur", "91")
        papuan = approve(submitted(papua_pjo, province="91", end_date=end), papua_gub).membership.user
        javanese = approve(
            submitted(pjoprov_member, end_date=end, full_name="Budi Santoso", email="budi@example.invalid", nip=""),
            gubernur_office,
        ).membership.user
    with time_machine.travel(datetime.datetime(2026, 11, 30, 15, 30, tzinfo=datetime.UTC), tick=False):
        assert services.remind_terms_ending() > 0
    reminded = set(Notification.objects.filter(key__startswith="term-ending:").values_list("recipient_id", flat=True))
    assert papuan.pk in reminded and papua_gub.pk in reminded
    assert javanese.pk not in reminded and gubernur_office.pk not in reminded


def test_an_approval_commits_when_the_broker_is_down_and_the_reconcile_sends_the_email(
    pjoprov_member, gubernur_office, django_capture_on_commit_callbacks
):
    from core.tasks import deliver_notifications

    with (
        mock.patch.object(deliver_notifications, "apply_async", side_effect=OperationalError("redis down")) as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        proposal = approve(submitted(pjoprov_member), gubernur_office)
    assert send.called
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    person = User.objects.get(email="siti@example.invalid")
    activation = Notification.objects.get(recipient=person, key__startswith="account-activation:")
    assert activation.email_sent_at is None and mail.outbox == []

    def activation_emails():
        # The reconcile also sends other reminders (e.g. reports) to the new member.
        return [m for m in mail.outbox if m.to == [person.email] and activation.url in m.body]

    run_schedule(on=today())
    activation.refresh_from_db()
    assert activation.email_sent_at is not None
    assert len(activation_emails()) == 1
    run_schedule(on=today())
    assert len(activation_emails()) == 1
