"""Every write to tasks. Each function is atomic, checks the permission
against the object (through duties.permissions), and writes the audit trail."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.models import Membership
from actors.services import on_behalf_of
from core import audit
from core.files import validate_upload
from core.permissions import CHANGE, sync_grants, user_may

from . import permissions
from .models import Duty, Task, TaskAttachment, TaskLink

S = Task.Status
# (from, to) -> permission needed. Anything else is refused.
TRANSITIONS = {
    (S.OPEN, S.IN_PROGRESS): permissions.CHANGE,
    (S.IN_PROGRESS, S.OPEN): permissions.CHANGE,
    (S.OPEN, S.DONE): permissions.COMPLETE,
    (S.IN_PROGRESS, S.DONE): permissions.COMPLETE,
    (S.OPEN, S.CANCELLED): permissions.CHANGE,
    (S.IN_PROGRESS, S.CANCELLED): permissions.CHANGE,
    (S.DONE, S.OPEN): permissions.CHANGE,
    (S.CANCELLED, S.OPEN): permissions.CHANGE,
}
NOTE_REQUIRED = {S.DONE, S.CANCELLED}


def _record(user, action, task, summary="", changes=None):
    audit.record(user, action, task, summary=summary, changes=changes, on_behalf_of=on_behalf_of(user, task.actor))


def _require(user, task, perm):
    if not user_may(user, task, perm):
        raise PermissionDenied


def _check_assignee(actor, assignee):
    if assignee is not None and not Membership.objects.current().filter(user=assignee, actor=actor).exists():
        raise ValidationError(
            {"assignee": _("%(name)s bukan anggota %(actor)s saat ini.") % {"name": assignee, "actor": actor}}
        )


@transaction.atomic
def do_create_task(*, user, actor, duty, title, due_date=None, description="", assignee=None, origin=Task.Origin.ADHOC):
    """An ad-hoc task (or a meeting follow-up) under one of the actor's duties.

    The user must be in the actor's group (a current member); the duty must be
    one of the actor kind's duties; the assignee a current member.
    """
    if not permissions.actors_user_can_create_tasks_for(user).filter(pk=actor.pk).exists():
        raise PermissionDenied
    if duty.kind_id != actor.kind_id:
        raise ValidationError({"duty": _("Tugas pokok ini bukan milik %(actor)s.") % {"actor": actor}})
    _check_assignee(actor, assignee)
    task = Task(
        duty=duty,
        actor=actor,
        origin=origin,
        title=title,
        description=description,
        due_date=due_date,
        assignee=assignee,
        created_by=user,
    )
    task.full_clean()
    task.save()
    sync_grants([task])
    _record(user, "task.created", task, summary=task.label, changes={"after": {"due_date": str(due_date or "")}})
    return task


@transaction.atomic
def do_update_task_status(*, user, task, status, note="", files=(), links=()):
    """Move a task to `status` with a note, attachments and evidence links.

    Completing needs the complete permission and a note; cancelling and
    reopening need the change permission and a note for cancelling. Files
    are validated by content before anything is written; a refusal leaves the
    task, its files and its history exactly as they were.
    """
    task = Task.objects.select_for_update().select_related("actor__kind", "duty").get(pk=task.pk)
    if status not in S.values:
        raise ValidationError({"status": _("Status tidak dikenal: %(status)s.") % {"status": status}})
    if status == task.status:
        _require(user, task, permissions.CHANGE)
    else:
        needed = TRANSITIONS.get((task.status, status))
        if needed is None:
            raise ValidationError(
                {
                    "status": _("Tugas berstatus %(from)s tidak dapat diubah menjadi %(to)s.")
                    % {"from": task.get_status_display(), "to": S(status).label}
                }
            )
        _require(user, task, needed)
    note = (note or "").strip()
    if status in NOTE_REQUIRED and not note:
        raise ValidationError({"note": _("Tuliskan catatan: apa yang sudah dilakukan, atau alasan pembatalan.")})
    checked = [(upload, *validate_upload(upload)) for upload in files]

    before = {"status": task.status}
    task.status = status
    fields = ["status", "updated_at"]
    if status == S.DONE:
        task.completion_note = note
        task.completed_at = timezone.now()
        task.completed_by = user
        fields += ["completion_note", "completed_at", "completed_by"]
    elif before["status"] == S.DONE:
        task.completed_at = None
        task.completed_by = None
        fields += ["completed_at", "completed_by"]
    task.save(update_fields=fields)
    saved = []
    try:
        for upload, name, mime in checked:
            saved.append(_attach(task, upload, name, mime, user))
    except Exception:
        # The rows roll back with the transaction; the files must go too.
        for attachment in saved:
            attachment.file.storage.delete(attachment.file.name)
        raise
    for url, label in links:
        TaskLink.objects.create(task=task, url=url, label=label, added_by=user)
    _record(
        user,
        "task.status_changed" if before["status"] != status else "task.noted",
        task,
        summary=note,
        changes={
            "before": before,
            "after": {"status": status},
            "files": [name for _u, name, _m in checked],
            "links": [url for url, _l in links],
        },
    )
    return task


def _attach(task, upload, name, mime, user):
    return TaskAttachment.store(upload, checked=(name, mime), user=user, task=task)


@transaction.atomic
def do_assign_task(*, user, task, assignee):
    """Give the task to a current member of its actor (or to nobody)."""
    task = Task.objects.select_for_update().select_related("actor").get(pk=task.pk)
    _require(user, task, permissions.CHANGE)
    _check_assignee(task.actor, assignee)
    before = task.assignee_id
    task.assignee = assignee
    task.save(update_fields=["assignee", "updated_at"])
    _record(
        user,
        "task.assigned",
        task,
        summary=str(assignee or "-"),
        changes={"before": {"assignee": before}, "after": {"assignee": assignee.pk if assignee else None}},
    )
    return task


@transaction.atomic
def complete_scheduled_task(*, actor, duty, period, by=None, note="", evidence=""):
    """Mark the scheduled task (actor, duty, period) done because the work it
    stands for happened elsewhere in the app: a meeting was held, a report was
    submitted. Called by other apps' services, inside their transaction; the
    permission was checked there. Idempotent; returns the task or None when
    the reconcile has not created it (yet)."""
    task = (
        Task.objects.select_for_update()
        .filter(actor=actor, duty=duty, period=period, origin=Task.Origin.SCHEDULE)
        .first()
    )
    if task is None or task.status == S.DONE:
        return task
    before = task.status
    task.status = S.DONE
    task.completion_note = note
    task.completed_at = timezone.now()
    task.completed_by = by
    task.save(update_fields=["status", "completion_note", "completed_at", "completed_by", "updated_at"])
    _record(
        by,
        "task.completed_by_system",
        task,
        summary=evidence or note,
        changes={"before": {"status": before}, "after": {"status": S.DONE}},
    )
    return task


@transaction.atomic
def reassign_open_tasks(actor, from_user, to_user, *, by=None, successor=None):
    """Hand-over: move the open tasks of `actor` assigned to `from_user` (the
    predecessor) to `to_user` (the successor), each with an audit record.
    Called by actors' hand-over inside its transaction; the caller decided
    that the successor is in post. Returns the number of tasks moved."""
    tasks = list(Task.objects.select_for_update().open().filter(actor=actor, assignee=from_user).order_by("pk"))
    if not tasks:
        return 0
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(assignee=to_user, updated_at=timezone.now())
    stamp = on_behalf_of(by, actor)
    for task in tasks:
        audit.record(
            by,
            "task.handed_over",
            task,
            summary=_("Serah terima: dari %(from)s kepada %(to)s") % {"from": from_user, "to": to_user},
            changes={
                "before": {"assignee": from_user.pk},
                "after": {"assignee": to_user.pk, "successor_membership": successor.pk if successor else None},
            },
            on_behalf_of=stamp,
        )
    return len(tasks)


# Duty categories a follow-up lands under when the meeting does not name a duty.
FOLLOW_UP_CATEGORIES = (
    Duty.Category.COORDINATION,
    Duty.Category.EVALUATION,
    Duty.Category.MONITORING,
    Duty.Category.MANAGEMENT,
    Duty.Category.OVERSIGHT,
    Duty.Category.GUIDANCE,
)


def default_follow_up_duty(kind):
    """The duty of an actor kind that a meeting follow-up goes under by default."""
    duties = list(Duty.objects.filter(kind=kind).order_by("number"))
    for category in FOLLOW_UP_CATEGORIES:
        for duty in duties:
            if duty.category == category:
                return duty
    return duties[0] if duties else None


@transaction.atomic
def do_create_follow_up_task(*, user, meeting, actor, title, due_date, description="", duty=None):
    """A meeting's follow-up action (tindak lanjut) as a task of `actor`, which
    may be any actor of the meeting's province, not only the user's own.

    The permission is the meeting's: the user must be allowed to edit the
    meeting (meetings.permissions), not be a member of `actor`. The task gets
    the usual grants (the actor's group and its supervisors). Atomic.
    """
    if not user_may(user, meeting, CHANGE):
        raise PermissionDenied
    if actor.province_id is None or actor.province_id != meeting.actor.province_id:
        raise ValidationError({"actor": _("Penanggung jawab tindak lanjut harus pelaku di provinsi yang sama.")})
    duty = duty or default_follow_up_duty(actor.kind)
    if duty is None or duty.kind_id != actor.kind_id:
        raise ValidationError({"duty": _("Tugas pokok ini bukan milik %(actor)s.") % {"actor": actor}})
    if not due_date:
        raise ValidationError({"due_date": _("Tindak lanjut harus memiliki tenggat.")})
    task = Task(
        duty=duty,
        actor=actor,
        origin=Task.Origin.FOLLOW_UP,
        title=title,
        description=description,
        due_date=due_date,
        created_by=user,
    )
    task.full_clean()
    task.save()
    # The usual grants only: the holding actor follows the action on the
    # meeting's page (which shows each follow-up's status), not through a grant
    # outside its scope (see duties/permissions.py).
    sync_grants([task])
    # The user acts for the meeting's holding actor, not for `actor`.
    audit.record(
        user,
        "task.created",
        task,
        summary=task.label,
        changes={"after": {"due_date": str(due_date), "meeting": meeting.pk}},
        on_behalf_of=on_behalf_of(user, meeting.actor),
    )
    return task
