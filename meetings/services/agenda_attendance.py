"""A meeting's agenda items and its attendance list (people and actors)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AgendaItem, Attendance
from ._common import S, _clean_text, _lock, _record, _require, _require_held
from .invitations import eligible_attendees, invited_actor_ids
from .minutes import _require_minutes_editable


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
