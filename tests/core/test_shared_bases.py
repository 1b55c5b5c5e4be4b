"""The pieces the apps share from core: the append-only base (the audit trail,
report versions and reviews), the attachment base (tasks, meetings, reports,
proposals), the read-only admin and the form-error helper."""

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from appointments.models import ProposalAttachment
from core import audit
from core.admin import ReadOnlyAdmin
from core.forms import add_errors
from core.models import AppendOnly, Attachment, AuditEvent
from duties.models import Duty, Task, TaskAttachment
from meetings.models import MeetingAttachment
from reports.models import ReportAttachment, ReportReview, ReportVersion
from tests.duties.files import disguised_exe, pdf
from tests.factories import actor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [AuditEvent, ReportVersion, ReportReview])
def test_the_append_only_models_share_one_base(model):
    assert issubclass(model, AppendOnly)
    assert type(model.objects.all()).update is type(AuditEvent.objects.all()).update


def test_an_audit_event_is_written_once_never_changed_or_deleted(pjoprov_member):
    event = audit.record(pjoprov_member, "task.created", pjoprov_member, summary="asli")
    event.summary = "palsu"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(summary="palsu")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).delete()
    # A new object carrying an existing id inserts (and fails), never overwrites.
    copy = AuditEvent(pk=event.pk, action="x", target_type="x", target_id="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    assert AuditEvent.objects.get(pk=event.pk).summary == "asli"


@pytest.mark.parametrize("model", [TaskAttachment, MeetingAttachment, ReportAttachment, ProposalAttachment])
def test_the_attachment_models_share_one_base(model):
    assert issubclass(model, Attachment)
    fields = {f.name: f for f in model._meta.get_fields()}
    for name in ("file", "name", "content_type", "size", "uploaded_by", "uploaded_at"):
        assert name in fields
    assert fields["file"].max_length == 300
    # Each keeps its own folder. Proposals' function stays in actors.uploads: the
    # actors migration that made the table names it (appointments/models.py).
    own_module = {ProposalAttachment: "actors.uploads"}.get(model, model.__module__)
    assert fields["file"].upload_to.__module__ == own_module


def _task():
    pjoprov = actor("pjoprov")
    return Task.objects.create(duty=Duty.objects.filter(kind_id=pjoprov.kind_id).first(), actor=pjoprov)


def test_store_checks_the_upload_and_keeps_the_file(pjoprov_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = TaskAttachment.store(pdf("Rencana Kerja.pdf"), user=pjoprov_member, task=_task())
    assert (attachment.name, attachment.content_type, str(attachment)) == (
        "rencana-kerja.pdf",
        "application/pdf",
        "rencana-kerja.pdf",
    )
    assert attachment.file.name.startswith(f"tasks/{attachment.task_id}/")
    assert attachment.file.storage.exists(attachment.file.name)


def test_store_refuses_a_disguised_file_and_keeps_nothing(pjoprov_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError):
        TaskAttachment.store(disguised_exe(), user=pjoprov_member, task=_task())
    assert not TaskAttachment.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_store_removes_the_file_when_the_row_cannot_be_saved(pjoprov_member, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path

    def refuse(self, *args, **kwargs):
        raise RuntimeError("the database is gone")

    monkeypatch.setattr(TaskAttachment, "save", refuse)
    with pytest.raises(RuntimeError):
        TaskAttachment.store(pdf(), user=pjoprov_member, task=_task())
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_the_read_only_admins_share_one_class():
    read_only = [type(a).__name__ for m, a in admin.site._registry.items() if isinstance(a, ReadOnlyAdmin)]
    for name in ("AuditEventAdmin", "NotificationAdmin", "ProposalAdmin", "ReportAdmin", "TaskAdmin", "MeetingAdmin"):
        assert name in read_only
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, ReadOnlyAdmin):
            assert not model_admin.has_add_permission(None)
            assert not model_admin.has_change_permission(None)
            assert not model_admin.has_delete_permission(None)


class _Form(forms.Form):
    title = forms.CharField(required=False)


@pytest.mark.parametrize(
    "exc, expected",
    [
        (ValidationError({"title": "Judul salah."}), {"title": ["Judul salah."]}),
        (ValidationError({"unknown": "Lain."}), {"__all__": ["Lain."]}),
        (ValidationError("Satu pesan."), {"__all__": ["Satu pesan."]}),
        (ValidationError(["Satu.", "Dua."]), {"__all__": ["Satu.", "Dua."]}),
    ],
)
def test_add_errors_puts_a_services_errors_on_the_form(exc, expected):
    form = _Form({})
    assert form.is_valid()
    add_errors(form, exc)
    assert form.errors == expected
