"""Every write to meetings. Each `do_*` function is atomic, checks the
permission against the meeting (meetings.permissions), writes the audit trail
and leaves notifications in the outbox (core.notifications), which delivers
them after commit or, when the broker is down, from the reconcile.

A refused call raises PermissionDenied (403) or ValidationError (Indonesian
message) before anything is written, so the database stays as it was.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actors.models import Actor, Membership, User
from actors.services import on_behalf_of
from core import audit, clock
from core.files import DOCUMENT_TYPES, SCAN_TYPES, validate_upload
from core.notifications import notify
from core.templatetags.fmt import tanggal, waktu_lokal
from duties import services as duty_services
from duties.calendar import WorkingCalendar
from duties.models import Duty
from duties.periods import MONTH, QUARTER, YEAR, parse_period, period_containing

from . import permissions
from .models import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    FollowUp,
    Meeting,
    MeetingAttachment,
    MeetingSeries,
    MinutesEntry,
    MinutesVersion,
    new_calendar_token,
)

S = Meeting.Status
# The period of a duty's scheduled task, by the duty's recurrence (as in duties.scheduler).
TASK_PERIOD_OF = {Duty.Recurrence.MONTHLY: MONTH, Duty.Recurrence.QUARTERLY: QUARTER, Duty.Recurrence.YEARLY: YEAR}
MAX_TEXT = 5000


# --- who is invited --------------------------------------------------------


def province_members(province_id, on=None):
    """People with a membership in force in an actor of the province."""
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.current(on).filter(actor__province_id=province_id).values("user_id"),
    )


def actor_members(actor_ids, on=None):
    return User.objects.filter(
        is_active=True, pk__in=Membership.objects.current(on).filter(actor_id__in=actor_ids).values("user_id")
    )


def invited_actor_ids(meeting):
    return {meeting.actor_id, *meeting.invited_actors.values_list("pk", flat=True)}


def recipients(meeting, on=None):
    """Everyone a message about the meeting goes to: current members of the
    holding and invited actors, and the people invited by name who are still
    current members of an actor of the province."""
    by_actor = actor_members(invited_actor_ids(meeting), on)
    by_name = province_members(meeting.actor.province_id, on).filter(pk__in=meeting.invited_people.values("pk"))
    return list(User.objects.filter(Q(pk__in=by_actor.values("pk")) | Q(pk__in=by_name.values("pk"))))


def eligible_attendees(meeting):
    """People whose attendance may be recorded: the invitees as above, plus
    whoever is already on the list (a member who has left since)."""
    recorded = meeting.attendance.filter(user__isnull=False).values("user_id")
    return User.objects.filter(Q(pk__in=[u.pk for u in recipients(meeting)]) | Q(pk__in=recorded)).order_by(
        "full_name", "username"
    )


def default_chair(actor, on=None):
    """The one current head of the actor (Ketua, PjOProv...), if there is exactly one."""
    heads = list(
        Membership.objects.current(on).filter(actor=actor, position__is_head=True).values_list("user_id", flat=True)
    )
    return User.objects.filter(pk=heads[0], is_active=True).first() if len(set(heads)) == 1 else None


def _when(meeting):
    return waktu_lokal(meeting.starts_at, meeting.actor.province)


def _url(meeting):
    return reverse("meetings:meeting_detail", args=[meeting.pk])


def notify_invitees(meeting, key, subject, body, on=None):
    return notify(recipients(meeting, on), key=key, subject=subject, body=body, url=_url(meeting))


def invitation_body(meeting):
    agenda = "\n".join(f"{item.order}. {item.title}" for item in meeting.agenda.all())
    body = _("Waktu: %(when)s\nTempat: %(place)s") % {"when": _when(meeting), "place": meeting.location or "-"}
    if agenda:
        body += "\n" + _("Agenda:") + "\n" + agenda
    return body


def send_invitations(meeting, on=None):
    """The invitation, once per person (new invitees get it when added)."""
    return notify_invitees(
        meeting,
        key=f"meeting-invitation:{meeting.pk}",
        subject=_("Undangan: %(title)s %(actor)s, %(when)s")
        % {"title": meeting.label, "actor": meeting.actor.name, "when": _when(meeting)},
        body=invitation_body(meeting),
        on=on,
    )


# --- helpers ----------------------------------------------------------------


def _record(user, action, meeting, summary="", changes=None):
    audit.record(
        user, action, meeting, summary=summary, changes=changes, on_behalf_of=on_behalf_of(user, meeting.actor)
    )


def _lock(meeting):
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("actor__province", "actor__kind", "series__duty")
        .get(pk=meeting.pk)
    )


def _require(user, meeting, perm=permissions.CHANGE):
    if not permissions.user_has_meeting_perm(user, meeting, perm):
        raise PermissionDenied


def _require_open(meeting):
    if not meeting.is_open:
        raise ValidationError(
            _("Rapat berstatus %(status)s tidak dapat diubah lagi.") % {"status": meeting.get_status_display()}
        )


def _require_held(meeting):
    if meeting.status != S.HELD:
        raise ValidationError(_("Catat dulu bahwa rapat sudah terlaksana."))


def _clean_text(value, field, required=False, max_length=MAX_TEXT):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Wajib diisi.")})
    if len(value) > max_length:
        raise ValidationError({field: _("Paling banyak %(n)s karakter.") % {"n": max_length}})
    return value


def _check_times(starts_at, ends_at):
    if starts_at is None or ends_at is None:
        raise ValidationError({"starts_at": _("Isi waktu mulai dan selesai.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Waktu selesai harus setelah waktu mulai.")})
    if ends_at - starts_at > datetime.timedelta(hours=24):
        raise ValidationError({"ends_at": _("Rapat paling lama 24 jam.")})


def latest_minutes(meeting):
    return meeting.minutes_versions.order_by("-number").first()


def minutes_locked(meeting):
    latest = latest_minutes(meeting)
    return latest is not None and latest.is_locked


def _require_minutes_editable(meeting):
    if minutes_locked(meeting):
        raise ValidationError(
            _("Notulen sudah disetujui dan terkunci. Buat koreksi (versi baru) dengan alasannya untuk mengubahnya.")
        )


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
    permissions.sync_meeting_permissions(meeting)
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


@transaction.atomic
def do_add_agenda_item(*, user, meeting, title):
    meeting = _lock(meeting)
    _require(user, meeting)
    if meeting.status == S.CANCELLED:
        raise ValidationError(_("Rapat yang dibatalkan tidak dapat diubah."))
    _require_minutes_editable(meeting)
    title = _clean_text(title, "title", required=True, max_length=300)
    order = (meeting.agenda.aggregate(m=Max("order"))["m"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, order=order, title=title)
    _record(user, "meeting.agenda_added", meeting, summary=f"{order}. {title}")
    return item


@transaction.atomic
def do_record_attendance(*, user, meeting, people, actors):
    """Set the attendance list of a held meeting. `people` maps user ids and
    `actors` actor ids to (status, note); an empty status clears the row.
    Only invitees may be on the list: anyone else refuses the whole call."""
    meeting = _lock(meeting)
    _require(user, meeting)
    _require_held(meeting)
    _require_minutes_editable(meeting)
    valid = set(Attendance.Status.values) | {""}
    eligible_people = set(eligible_attendees(meeting).values_list("pk", flat=True))
    eligible_actors = invited_actor_ids(meeting)
    strangers = [pk for pk in people if pk not in eligible_people]
    strangers += [f"actor {pk}" for pk in actors if pk not in eligible_actors]
    if strangers:
        raise ValidationError(_("Hanya undangan rapat yang dapat dicatat kehadirannya."))
    for status, note in [*people.values(), *actors.values()]:
        if status not in valid:
            raise ValidationError(_("Status kehadiran tidak dikenal: %(status)s.") % {"status": status})
        if len(note or "") > 200:
            raise ValidationError(_("Keterangan kehadiran paling banyak 200 karakter."))
    changed = 0
    for key, rows, entries in (
        ("user_id", meeting.attendance.filter(user__isnull=False), people),
        ("actor_id", meeting.attendance.filter(user__isnull=True), actors),
    ):
        current = {getattr(row, key): row for row in rows}
        for pk, (status, note) in entries.items():
            note = (note or "").strip()
            row = current.get(pk)
            if not status:
                if row is not None:
                    row.delete()
                    changed += 1
                continue
            if row is None:
                Attendance.objects.create(meeting=meeting, status=status, note=note, recorded_by=user, **{key: pk})
                changed += 1
            elif (row.status, row.note) != (status, note):
                row.status, row.note, row.recorded_by, row.recorded_at = status, note, user, timezone.now()
                row.save(update_fields=["status", "note", "recorded_by", "recorded_at"])
                changed += 1
    if changed:
        _record(user, "meeting.attendance_recorded", meeting, changes={"rows_changed": changed})
    return changed


# --- minutes ------------------------------------------------------------------


@transaction.atomic
def do_save_minutes(*, user, meeting, notes, entries):
    """Write the draft minutes of a held meeting: `entries` maps agenda item
    ids to (problems discussed, decisions). Refused once approved."""
    meeting = _lock(meeting)
    _require(user, meeting)
    _require_held(meeting)
    _require_minutes_editable(meeting)
    notes = _clean_text(notes, "notes")
    items = {item.pk: item for item in meeting.agenda.all()}
    if any(pk not in items for pk in entries):
        raise ValidationError(_("Butir agenda ini bukan milik rapat ini."))
    cleaned = {
        pk: (_clean_text(problems, "problems"), _clean_text(decisions, "decisions"))
        for pk, (problems, decisions) in entries.items()
    }
    version = latest_minutes(meeting)
    if version is None:
        version = MinutesVersion.objects.create(meeting=meeting, number=1, created_by=user)
    version.notes = notes
    version.save(update_fields=["notes"])
    for pk, (problems, decisions) in cleaned.items():
        MinutesEntry.objects.update_or_create(
            version=version, agenda_item_id=pk, defaults={"problems": problems, "decisions": decisions}
        )
    _record(
        user,
        "meeting.minutes_saved",
        meeting,
        summary=_("Notulen versi %(n)s") % {"n": version.number},
        changes={"version": version.number},
    )
    return version


@transaction.atomic
def do_approve_minutes(*, user, meeting):
    """The chair approves the draft minutes: they are locked from then on,
    and everyone invited is told (through the outbox, so a broker outage
    delays the email but loses nothing)."""
    meeting = _lock(meeting)
    _require(user, meeting)
    if not permissions.user_may_approve_minutes(user, meeting):
        raise PermissionDenied(_("Hanya pimpinan rapat yang dapat menyetujui notulen."))
    version = latest_minutes(meeting)
    if version is None or version.is_locked:
        raise ValidationError(_("Tidak ada draf notulen yang menunggu persetujuan."))
    has_content = version.notes or version.entries.exclude(problems="", decisions="").exists()
    if not has_content:
        raise ValidationError(_("Notulen masih kosong. Tulis isinya sebelum disetujui."))
    version.status = MinutesVersion.Status.APPROVED
    version.approved_by, version.approved_at = user, timezone.now()
    version.save(update_fields=["status", "approved_by", "approved_at"])
    _record(
        user,
        "meeting.minutes_approved",
        meeting,
        summary=_("Notulen versi %(n)s") % {"n": version.number},
        changes={"version": version.number},
    )
    notify_invitees(
        meeting,
        key=f"minutes-approved:{version.pk}",
        subject=_("Notulen disetujui: %(title)s %(actor)s (%(period)s)")
        % {"title": meeting.title, "actor": meeting.actor.name, "period": meeting.period_label},
        body=_("Notulen versi %(n)s disetujui oleh %(chair)s.") % {"n": version.number, "chair": user.display_name},
    )
    return version


@transaction.atomic
def do_start_minutes_correction(*, user, meeting, reason):
    """Approved minutes stay as they were; a correction is a new draft version,
    copied from the last one, with the reason for it."""
    meeting = _lock(meeting)
    _require(user, meeting)
    reason = _clean_text(reason, "reason", required=True)
    latest = latest_minutes(meeting)
    if latest is None or not latest.is_locked:
        raise ValidationError(_("Koreksi hanya untuk notulen yang sudah disetujui."))
    version = MinutesVersion.objects.create(
        meeting=meeting, number=latest.number + 1, reason=reason, notes=latest.notes, created_by=user
    )
    MinutesEntry.objects.bulk_create(
        [
            MinutesEntry(version=version, agenda_item_id=e.agenda_item_id, problems=e.problems, decisions=e.decisions)
            for e in latest.entries.all()
        ]
    )
    _record(user, "meeting.minutes_correction", meeting, summary=reason, changes={"version": version.number})
    return version


# --- follow-ups and attachments -------------------------------------------


@transaction.atomic
def do_add_follow_up(*, user, meeting, title, actor, due_date, description="", duty=None, agenda_item=None):
    """A follow-up action decided in the meeting becomes a task of `actor`
    (any actor of the province) with a due date, linked back to the meeting.
    Its members are told."""
    meeting = _lock(meeting)
    _require(user, meeting)
    _require_held(meeting)
    _require_minutes_editable(meeting)
    title = _clean_text(title, "title", required=True, max_length=200)
    description = _clean_text(description, "description")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Butir agenda ini bukan milik rapat ini.")})
    if due_date is not None and due_date < meeting.local_date:
        raise ValidationError({"due_date": _("Tenggat tidak boleh sebelum tanggal rapat.")})
    source = _("Tindak lanjut %(title)s %(actor)s, %(day)s.") % {
        "title": meeting.label,
        "actor": meeting.actor.name,
        "day": tanggal(meeting.local_date),
    }
    task = duty_services.do_create_follow_up_task(
        user=user,
        meeting=meeting,
        actor=actor,
        duty=duty,
        title=title,
        due_date=due_date,
        description=f"{description}\n\n{source}".strip(),
    )
    follow_up = FollowUp.objects.create(meeting=meeting, agenda_item=agenda_item, task=task, created_by=user)
    _record(
        user,
        "meeting.follow_up_added",
        meeting,
        summary=f"{title} ({actor.name}, {due_date})",
        changes={
            "task": task.pk,
            "actor": actor.pk,
            "title": title,
            "due_date": str(due_date) if due_date else None,
        },
    )
    notify(
        actor_members([actor.pk]),
        key=f"follow-up:{task.pk}",
        subject=_("Tindak lanjut rapat untuk %(actor)s: %(title)s") % {"actor": actor.name, "title": title[:120]},
        body=_("%(source)s Tenggat: %(due)s.") % {"source": source, "due": tanggal(due_date)},
        url=reverse("duties:task_detail", args=[task.pk]),
    )
    return follow_up


@transaction.atomic
def do_add_attachment(*, user, meeting, upload, kind):
    """Attach the signed attendance list scan, a photo or a document. The
    type is checked by content first; a refusal stores nothing."""
    meeting = _lock(meeting)
    _require(user, meeting)
    if kind not in MeetingAttachment.Kind.values:
        raise ValidationError({"kind": _("Jenis lampiran tidak dikenal.")})
    allowed = DOCUMENT_TYPES if kind == MeetingAttachment.Kind.OTHER else SCAN_TYPES
    name, mime = validate_upload(upload, allowed=allowed)
    attachment = MeetingAttachment(
        meeting=meeting, kind=kind, name=name, content_type=mime, size=upload.size, uploaded_by=user
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
        _record(user, "meeting.attachment_added", meeting, summary=name, changes={"kind": kind})
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


# --- calendar feed and series ----------------------------------------------


@transaction.atomic
def do_reset_calendar_feed(*, user):
    """Create the person's secret feed URL, or replace it: the old URL stops
    working at once."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed.objects.create(user=user)
        action = "calendar_feed.created"
    else:
        feed.token = new_calendar_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
        action = "calendar_feed.reset"
    audit.record(user, action, feed)
    return feed


# The fields of a series its holder and the Governor's office change in the
# app, in the order the history shows them.
SERIES_FIELDS = ("rule", "week", "weekday", "day", "start_time", "end_time", "location", "invited_actors")


@dataclass
class SeriesSchedule:
    """What a series makes of a meeting: the rule, times and place (on
    `series`, saved or not) and the invitees (actor ids of the province,
    people ids)."""

    series: MeetingSeries
    actor_ids: frozenset
    people_ids: frozenset

    @classmethod
    def of(cls, series):
        province_id = series.actor.province_id
        return cls(
            series,
            frozenset(series.invited_actors.filter(province_id=province_id).values_list("pk", flat=True)),
            frozenset(series.invited_people.values_list("pk", flat=True)),
        )

    def times(self, period_key, calendar):
        province = self.series.actor.province
        day = self.series.planned_date(parse_period(period_key), calendar, province)
        return (
            datetime.datetime.combine(day, self.series.start_time, tzinfo=province.tzinfo),
            datetime.datetime.combine(day, self.series.end_time, tzinfo=province.tzinfo),
        )


@dataclass
class SeriesPlan:
    """Which open meetings of a series a change moves, and which keep their
    schedule: inside the notice window (now, or by their new date), or no
    longer what the series made of them (postponed, or time, place or
    invitees changed by hand)."""

    window_end: datetime.date
    follow: list = field(default_factory=list)  # meetings that follow a change (beyond the window, plain)
    moves: list = field(default_factory=list)  # (meeting, starts_at, ends_at) for the given change
    in_window: list = field(default_factory=list)
    by_hand: list = field(default_factory=list)


def series_notice_window_end(province, on=None):
    """The first local day outside the notice window: a plain meeting on or
    after it follows a change of its series; earlier ones keep their schedule."""
    return clock.local_today(province, on) + datetime.timedelta(days=settings.MEETING_SERIES_NOTICE_DAYS)


def _local_date(moment, province):
    return timezone.localtime(moment, province.tzinfo).date()


def plan_series_change(series, before, after=None, on=None, calendar=None):
    """The plan of a change of `series` from the schedule `before` to `after`
    (None: only which meetings would follow a change). Reads, writes nothing."""
    calendar = calendar or WorkingCalendar()
    province = series.actor.province
    today = clock.local_today(province, on)
    plan = SeriesPlan(window_end=series_notice_window_end(province, on))
    meetings = (
        Meeting.objects.filter(
            series=series,
            status__in=Meeting.OPEN_STATUSES,
            starts_at__gte=datetime.datetime.combine(today, datetime.time.min, tzinfo=province.tzinfo),
        )
        .select_related("actor__province", "actor__kind")
        .prefetch_related("invited_actors", "invited_people")
        .order_by("starts_at", "id")
    )
    for meeting in meetings:
        if meeting.status != S.SCHEDULED:
            plan.by_hand.append(meeting)
            continue
        if _local_date(meeting.starts_at, province) < plan.window_end:
            plan.in_window.append(meeting)
            continue
        actor_ids = frozenset(a.pk for a in meeting.invited_actors.all())
        people_ids = frozenset(p.pk for p in meeting.invited_people.all())
        made = (*before.times(meeting.period, calendar), before.series.location, before.actor_ids, before.people_ids)
        if (meeting.starts_at, meeting.ends_at, meeting.location, actor_ids, people_ids) != made:
            plan.by_hand.append(meeting)
            continue
        if after is None:
            plan.follow.append(meeting)
            continue
        starts_at, ends_at = after.times(meeting.period, calendar)
        if _local_date(starts_at, province) < plan.window_end:
            plan.in_window.append(meeting)  # its new day would come without notice: it keeps its own
            continue
        plan.follow.append(meeting)
        new = (starts_at, ends_at, after.series.location, after.actor_ids, after.people_ids)
        if new != made:
            plan.moves.append((meeting, starts_at, ends_at))
    return plan


def _series_values(series, actor_ids):
    values = {name: getattr(series, name) for name in SERIES_FIELDS if name != "invited_actors"}
    values["start_time"] = values["start_time"].strftime("%H:%M")
    values["end_time"] = values["end_time"].strftime("%H:%M")
    actors = Actor.objects.filter(pk__in=actor_ids).select_related("kind", "province")
    values["invited_actors"] = [a.name for a in actors]  # in the actors' own order
    return values


def _follow_series(by, meeting, starts_at, ends_at, schedule, on=None):
    """Give one plain scheduled meeting the series' new time, place and
    invitees: grants follow the invitees, the iCalendar sequence goes up, the
    meeting's own history records it and its invitees are told once."""
    meeting = _lock(meeting)
    _require_open(meeting)
    location = schedule.series.location
    actor_ids = set(meeting.invited_actors.values_list("pk", flat=True))
    people_ids = set(meeting.invited_people.values_list("pk", flat=True))
    before, after = {}, {}
    for name, old, new in (
        ("starts_at", meeting.starts_at, starts_at),
        ("ends_at", meeting.ends_at, ends_at),
        ("location", meeting.location, location),
        ("invited_actors", sorted(actor_ids), sorted(schedule.actor_ids)),
        ("invited_people", sorted(people_ids), sorted(schedule.people_ids)),
    ):
        if old != new:
            before[name] = old.isoformat() if isinstance(old, datetime.datetime) else old
            after[name] = new.isoformat() if isinstance(new, datetime.datetime) else new
    meeting.starts_at, meeting.ends_at, meeting.location = starts_at, ends_at, location
    meeting.sequence += 1
    meeting.save(update_fields=["starts_at", "ends_at", "location", "sequence", "updated_at"])
    invited_before = invited_after = None
    if "invited_actors" in after or "invited_people" in after:
        invited_before = {user.pk: user for user in recipients(meeting, on)}
        meeting.invited_actors.set(schedule.actor_ids)
        meeting.invited_people.set(schedule.people_ids)
        permissions.sync_meeting_permissions(meeting)
        invited_after = {user.pk for user in recipients(meeting, on)}
    _record(
        by,
        "meeting.updated",
        meeting,
        summary=_("Mengikuti perubahan rangkaian rapat: %(when)s") % {"when": _when(meeting)},
        changes={"before": before, "after": after},
    )
    changed = {
        "key": f"meeting-changed:{meeting.pk}:{meeting.sequence}",
        "subject": _("Jadwal rapat berubah: %(title)s, %(when)s") % {"title": meeting.label, "when": _when(meeting)},
        "body": _("Rangkaian rapat ini diubah oleh %(actor)s. Jadwal baru:") % {"actor": meeting.actor.name}
        + "\n"
        + invitation_body(meeting),
    }
    if invited_before is None:
        notify_invitees(meeting, on=on, **changed)
        return meeting
    # The invitees changed: who stays is told of the change, who is new gets
    # the invitation (once per person), who is no longer invited is told so.
    notify([user for pk, user in invited_before.items() if pk in invited_after], url=_url(meeting), **changed)
    send_invitations(meeting, on=on)
    dropped = [user for pk, user in invited_before.items() if pk not in invited_after]
    notify(
        dropped,
        key=f"meeting-uninvited:{meeting.pk}:{meeting.sequence}",
        subject=_("Undangan dibatalkan: %(title)s, %(when)s") % {"title": meeting.label, "when": _when(meeting)},
        body=_("Rangkaian rapat ini diubah oleh %(actor)s; Anda tidak lagi termasuk yang diundang ke rapat ini.")
        % {"actor": meeting.actor.name},
    )
    return meeting


@transaction.atomic
def do_save_series(*, by, series, changed=(), invited_actors=None, invited_people=None, on=None):
    """Save a meeting series (the admin calls this; do_change_series too, after
    its checks) with its invitees (None: as they are), and bring the plain
    scheduled meetings beyond the notice window in line with it
    (plan_series_change). The history gets "meeting_series.saved" with the
    changed fields before and after; each moved meeting its own event and one
    message to its invitees. Atomic: a refusal writes nothing. Returns
    (series, moved meetings)."""
    old = None
    if series.pk is not None:
        old = (
            MeetingSeries.objects.select_for_update(of=("self",))
            .select_related("actor__province", "actor__kind")
            .filter(pk=series.pk)
            .first()
        )
    series.full_clean()
    province_id = series.actor.province_id
    strangers = [a.name for a in invited_actors or () if province_id and a.province_id != province_id]
    if strangers:
        # A meeting of one province never opens to another's actors (the
        # meetings would grant them view): refused, not dropped in silence.
        raise ValidationError(
            {
                "invited_actors": _(
                    "Hanya pelaku dari provinsi penyelenggara yang dapat diundang; bukan dari provinsi itu: %(names)s."
                )
                % {"names": ", ".join(strangers)}
            }
        )
    before = SeriesSchedule.of(old) if old else SeriesSchedule(series, frozenset(), frozenset())
    after = SeriesSchedule(
        series,
        frozenset(a.pk for a in invited_actors) if invited_actors is not None else before.actor_ids,
        frozenset(p.pk for p in invited_people) if invited_people is not None else before.people_ids,
    )
    plan = plan_series_change(series, before, after, on=on) if old and series.actor.province_id else None
    series.save()
    if invited_actors is not None:
        series.invited_actors.set(after.actor_ids)
    if invited_people is not None:
        series.invited_people.set(after.people_ids)
    old_values = _series_values(old, before.actor_ids) if old else {}
    new_values = _series_values(series, after.actor_ids)
    changes = {
        "before": {k: v for k, v in old_values.items() if new_values[k] != v},
        "after": {k: v for k, v in new_values.items() if old_values.get(k) != v},
    }
    if changed:  # the admin's form: every field it saw change, the ones above or not
        changes["fields"] = list(changed)
    moved = [_follow_series(by, m, starts, ends, after, on) for m, starts, ends in (plan.moves if plan else [])]
    summary = str(series)
    if moved:
        count = ngettext("%(n)s rapat terjadwal disesuaikan.", "%(n)s rapat terjadwal disesuaikan.", len(moved))
        summary += " · " + count % {"n": len(moved)}
    audit.record(
        by,
        "meeting_series.saved",
        series,
        summary=summary,
        changes=changes,
        on_behalf_of=on_behalf_of(by, series.actor),
    )
    return series, moved


def series_version(series):
    """What the edit form carries to notice a change made since it was opened."""
    return series.updated_at.isoformat()


@transaction.atomic
def do_change_series(
    *, user, series, version, rule, week, weekday, day, start_time, end_time, location, invited_actors, on=None
):
    """The holder's members or the Governor's office change a series' day rule,
    time, place and invited actors (meetings.permissions: series). Refused,
    with nothing written, when the series changed since the form was opened
    (`version`), or when a value is out of range. Returns (series, moved)."""
    series = (
        MeetingSeries.objects.select_for_update(of=("self",))
        .select_related("actor__province", "actor__kind")
        .get(pk=series.pk)
    )
    if not permissions.user_may_change_series(user, series):
        raise PermissionDenied
    if version != series_version(series):
        raise ValidationError(
            _(
                "Rangkaian rapat ini sudah diubah orang lain sejak formulir dibuka. Muat ulang halaman untuk "
                "melihat jadwal terbaru, lalu ulangi perubahan Anda."
            )
        )
    R = MeetingSeries.Rule
    errors = {}
    if rule not in R.values:
        errors["rule"] = _("Pilih aturan tanggal.")
    elif rule == R.NTH_WEEKDAY:
        if week not in (1, 2, 3, 4):
            errors["week"] = _("Minggu ke- harus 1-4.")
        if weekday not in MeetingSeries.Weekday.values:
            errors["weekday"] = _("Pilih hari Senin sampai Jumat.")
    elif day is None or not 1 <= day <= 28:
        errors["day"] = _("Tanggal harus 1-28 (agar ada di setiap bulan).")
    if start_time is None:
        errors["start_time"] = _("Isi jam mulai.")
    if end_time is None:
        errors["end_time"] = _("Isi jam selesai.")
    elif start_time is not None and end_time <= start_time:
        errors["end_time"] = _("Jam selesai harus setelah jam mulai.")
    invited_actors = list(invited_actors)
    if any(a.province_id != series.actor.province_id or a.pk == series.actor_id for a in invited_actors):
        errors["invited_actors"] = _("Hanya pelaku lain di provinsi yang sama yang dapat diundang.")
    if errors:
        raise ValidationError(errors)
    series.rule = rule
    if rule == R.NTH_WEEKDAY:
        series.week, series.weekday = week, weekday
    else:
        series.day = day
    series.start_time, series.end_time = start_time, end_time
    series.location = _clean_text(location, "location", max_length=200)
    return do_save_series(by=user, series=series, invited_actors=invited_actors, on=on)


def series_invitable_actors(series):
    return Actor.objects.filter(province_id=series.actor.province_id).exclude(pk=series.actor_id)


def invitable_actors(meeting):
    return Actor.objects.filter(province_id=meeting.actor.province_id).exclude(pk=meeting.actor_id)
