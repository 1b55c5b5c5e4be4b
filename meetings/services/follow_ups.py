"""Follow-ups decided in a meeting: each becomes a task of an actor of the
province (duties.services), linked back to the meeting."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.notifications import notify
from core.templatetags.fmt import tanggal
from duties import services as duty_services

from ..models import FollowUp
from ._common import _clean_text, _lock, _record, _require, _require_held
from .invitations import actor_members
from .minutes import _require_minutes_editable


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
