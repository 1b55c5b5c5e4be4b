"""The meeting's life: change its name, place, chair and invitees,
postpone, cancel, or record that it was held (which completes the duty it
stands for in its period)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.periods import MONTH, QUARTER, YEAR, parse_period, period_containing
from core.permissions import sync_grants
from duties import services as duty_services
from duties.models import Duty

from ._common import S, _check_times, _clean_text, _lock, _record, _require, _require_open, _url, _when
from .invitations import actor_members, notify_invitees, province_members, send_invitations

# The period of a duty's scheduled task, by the duty's recurrence (as in duties.scheduler).
TASK_PERIOD_OF = {Duty.Recurrence.MONTHLY: MONTH, Duty.Recurrence.QUARTERLY: QUARTER, Duty.Recurrence.YEARLY: YEAR}


def task_period_key(meeting, duty):
    """The period of `duty`'s scheduled task that the meeting's period falls in."""
    kind = TASK_PERIOD_OF.get(duty.recurrence)
    if kind is None:
        return ""
    return period_containing(kind, parse_period(meeting.period).start).key


def complete_meeting_duty(meeting, by=None):
    """Mark the duty the meeting stands for done for its period (PjOProv-5 for
    the month, TK-4 for the quarter). Idempotent; returns the task or None when
    the reconcile has not created it yet (it will retry)."""
    duty = meeting.series.duty
    if duty is None or meeting.status != S.HELD:
        return None
    task = duty_services.complete_scheduled_task(
        actor=meeting.actor,
        duty=duty,
        period=task_period_key(meeting, duty),
        by=by,
        note=_("Rapat terlaksana: %(title)s, %(when)s.") % {"title": meeting.label, "when": _when(meeting)},
        evidence=_url(meeting),
    )
    if task is not None and meeting.duty_task_id != task.pk:
        meeting.duty_task = task
        meeting.save(update_fields=["duty_task", "updated_at"])
    return task


# --- the meeting's life -------------------------------------------------------


@transaction.atomic
def do_update_meeting(*, user, meeting, title, location, chair, invited_actors, invited_people):
    """Change the name, place, chair and invitees of a meeting not yet held.

    Invitees must be actors / current members of the meeting's province; the
    chair a current member of the holding actor. Grants follow the invitees;
    new invitees get the invitation; a new place is announced to everyone.
    """
    meeting = _lock(meeting)
    _require(user, meeting)
    _require_open(meeting)
    title = _clean_text(title, "title", required=True, max_length=200)
    location = _clean_text(location, "location", max_length=200)
    province_id = meeting.actor.province_id
    invited_actors = list(invited_actors)
    invited_people = list(invited_people)
    if any(a.province_id != province_id or a.pk == meeting.actor_id for a in invited_actors):
        raise ValidationError({"invited_actors": _("Hanya pelaku lain di provinsi yang sama yang dapat diundang.")})
    allowed_people = set(province_members(province_id).values_list("pk", flat=True))
    if any(p.pk not in allowed_people for p in invited_people):
        raise ValidationError(
            {"invited_people": _("Hanya anggota pelaku di provinsi ini yang masih menjabat yang dapat diundang.")}
        )
    if chair is not None and not actor_members([meeting.actor_id]).filter(pk=chair.pk).exists():
        raise ValidationError(
            {"chair": _("Pimpinan rapat harus anggota %(actor)s saat ini.") % {"actor": meeting.actor.name}}
        )
    before = {
        "title": meeting.title,
        "location": meeting.location,
        "chair": meeting.chair_id,
        "invited_actors": sorted(meeting.invited_actors.values_list("pk", flat=True)),
        "invited_people": sorted(meeting.invited_people.values_list("pk", flat=True)),
    }
    moved = location != meeting.location
    meeting.title, meeting.location, meeting.chair = title, location, chair
    fields = ["title", "location", "chair", "updated_at"]
    if moved:
        meeting.sequence += 1
        fields.append("sequence")
    meeting.save(update_fields=fields)
    meeting.invited_actors.set(invited_actors)
    meeting.invited_people.set(invited_people)
    sync_grants([meeting])
    after = {
        "title": title,
        "location": location,
        "chair": chair.pk if chair else None,
        "invited_actors": sorted(a.pk for a in invited_actors),
        "invited_people": sorted(p.pk for p in invited_people),
    }
    _record(user, "meeting.updated", meeting, summary=title, changes={"before": before, "after": after})
    send_invitations(meeting)
    if moved:
        notify_invitees(
            meeting,
            key=f"meeting-changed:{meeting.pk}:{meeting.sequence}",
            subject=_("Tempat rapat berubah: %(title)s, %(when)s") % {"title": meeting.label, "when": _when(meeting)},
            body=_("Tempat baru: %(place)s") % {"place": location or "-"},
        )
    return meeting


@transaction.atomic
def do_postpone_meeting(*, user, meeting, starts_at, ends_at, reason):
    """Move a meeting not yet held to a new (future) time, with a reason.
    Everyone invited is told; the day-before reminder follows the new date."""
    meeting = _lock(meeting)
    _require(user, meeting)
    _require_open(meeting)
    reason = _clean_text(reason, "reason", required=True)
    _check_times(starts_at, ends_at)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Jadwal baru harus di masa depan.")})
    before = {
        "status": meeting.status,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
    }
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.status, meeting.status_reason = S.POSTPONED, reason
    meeting.sequence += 1
    meeting.save(update_fields=["starts_at", "ends_at", "status", "status_reason", "sequence", "updated_at"])
    _record(
        user,
        "meeting.postponed",
        meeting,
        summary=reason,
        changes={"before": before, "after": {"status": S.POSTPONED, "starts_at": starts_at.isoformat()}},
    )
    notify_invitees(
        meeting,
        key=f"meeting-postponed:{meeting.pk}:{meeting.sequence}",
        subject=_("Rapat ditunda: %(title)s, jadwal baru %(when)s") % {"title": meeting.label, "when": _when(meeting)},
        body=_("Alasan: %(reason)s") % {"reason": reason},
    )
    return meeting


@transaction.atomic
def do_cancel_meeting(*, user, meeting, reason):
    """Cancel a meeting not yet held, with a reason; everyone invited is told."""
    meeting = _lock(meeting)
    _require(user, meeting)
    _require_open(meeting)
    reason = _clean_text(reason, "reason", required=True)
    before = meeting.status
    meeting.status, meeting.status_reason = S.CANCELLED, reason
    meeting.sequence += 1
    meeting.save(update_fields=["status", "status_reason", "sequence", "updated_at"])
    _record(
        user,
        "meeting.cancelled",
        meeting,
        summary=reason,
        changes={"before": {"status": before}, "after": {"status": S.CANCELLED}},
    )
    notify_invitees(
        meeting,
        key=f"meeting-cancelled:{meeting.pk}",
        subject=_("Rapat dibatalkan: %(title)s, %(when)s") % {"title": meeting.label, "when": _when(meeting)},
        body=_("Alasan: %(reason)s") % {"reason": reason},
    )
    return meeting


@transaction.atomic
def do_hold_meeting(*, user, meeting, starts_at, ends_at):
    """Record that the meeting took place (at the given times, not in the
    future). Completes the duty it stands for in its period (the month's
    'Menyelenggarakan rapat rutin bulanan', TK's quarterly meeting duty)."""
    meeting = _lock(meeting)
    _require(user, meeting)
    _require_open(meeting)
    _check_times(starts_at, ends_at)
    if starts_at > timezone.now():
        raise ValidationError({"starts_at": _("Rapat yang belum dimulai belum dapat dicatat terlaksana.")})
    before = {"status": meeting.status, "starts_at": meeting.starts_at.isoformat()}
    meeting.starts_at, meeting.ends_at, meeting.status = starts_at, ends_at, S.HELD
    meeting.sequence += 1
    meeting.save(update_fields=["starts_at", "ends_at", "status", "sequence", "updated_at"])
    _record(
        user,
        "meeting.held",
        meeting,
        summary=_when(meeting),
        changes={"before": before, "after": {"status": S.HELD, "starts_at": starts_at.isoformat()}},
    )
    complete_meeting_duty(meeting, by=user)
    return meeting
