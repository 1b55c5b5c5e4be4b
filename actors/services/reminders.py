"""Reconcile steps for appointments, called by duties.scheduler.run_schedule.
Each is idempotent: hand-overs are unique per predecessor, reminders per
(recipient, notification key)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.notifications import notify

from ..models import Membership, Proposal
from .appointments import _members_of, hand_over


def hand_over_started_terms(on=None):
    """Hand over open tasks for every successor whose term has started and
    whose predecessor has left. Idempotent (one Handover per predecessor).
    Returns the number of hand-overs done."""
    pending = (
        Membership.objects.filter(predecessor__isnull=False, predecessor__handover__isnull=True)
        .select_related("actor__province", "predecessor__actor", "predecessor__user", "user")
        .order_by("start_date", "pk")
    )
    done = 0
    for successor in pending:
        today = clock.local_today(successor.actor.province, on)
        predecessor = successor.predecessor
        if successor.start_date <= today and predecessor.end_date is not None and predecessor.end_date < today:
            done += hand_over(predecessor, successor) is not None
    return done


def remind_waiting_proposals(on=None, calendar=None):
    """Tell the approver's members about proposals waiting more than
    APPOINTMENT_REMINDER_WORKING_DAYS working days, once per submitted version
    (the notification's (recipient, key) is unique). Returns reminders created."""
    from duties.calendar import WorkingCalendar

    calendar = calendar or WorkingCalendar()
    limit = settings.APPOINTMENT_REMINDER_WORKING_DAYS
    created = 0
    waiting = Proposal.objects.waiting().select_related("actor__kind", "approver_actor__province", "position")
    for proposal in waiting:
        province = proposal.approver_actor.province
        today = clock.local_today(province, on)
        submitted = timezone.localtime(proposal.submitted_at, province.tzinfo if province else None).date()
        days = calendar.working_days_between(submitted, today, province)
        if days <= limit:
            continue
        created += notify(
            _members_of(proposal.approver_actor, today),
            key=f"proposal-waiting:{proposal.pk}:v{proposal.version}",
            subject=_("Usulan menunggu %(days)s hari kerja: %(p)s") % {"days": days, "p": proposal},
            body=_("Usulan ini diajukan oleh %(proposer)s dan belum diputuskan.")
            % {"proposer": proposal.proposer_actor.name},
            url=reverse("actors:proposal_detail", args=[proposal.pk]),
        )
    return created


TERM_REMINDER_DAYS = 30


def remind_terms_ending(on=None):
    """30 days before a decree's term ends, tell the actor's members and the
    approver's (the Gubernur's office), once per membership and end date.
    Returns reminders created."""
    created = 0
    # Candidates for every province's today; each is then judged in its own.
    earliest, latest = (on, on) if on is not None else clock.today_span()
    ending = (
        Membership.objects.filter(proposal__isnull=False, end_date__isnull=False)
        .filter(end_date__gte=earliest, end_date__lte=latest + datetime.timedelta(days=TERM_REMINDER_DAYS))
        .select_related("actor__province", "actor__kind", "user", "position", "proposal__approver_actor", "decree")
    )
    for membership in ending:
        today = clock.local_today(membership.actor.province, on)
        if not (today <= membership.end_date <= today + datetime.timedelta(days=TERM_REMINDER_DAYS)):
            continue
        people = {
            u.pk: u
            for u in _members_of(membership.actor, today) + _members_of(membership.proposal.approver_actor, today)
        }
        created += notify(
            people.values(),
            key=f"term-ending:{membership.pk}:{membership.end_date}",
            subject=_("Masa jabatan berakhir %(end)s: %(position)s %(name)s")
            % {"end": membership.end_date, "position": membership.position_label, "name": membership.user},
            body=(
                _("%(decree)s berakhir pada %(end)s. Ajukan penetapan baru bila jabatan ini perlu diisi.")
                % {"decree": membership.decree or _("Masa jabatan"), "end": membership.end_date}
            ),
            url=reverse("actors:team", args=[membership.actor_id]),
        )
    return created
