"""Cross-cutting records: the audit trail."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))

    def update(self, **kwargs):
        raise PermissionDenied("Audit events cannot be changed.")

    def delete(self):
        raise PermissionDenied("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """Who did what, when, to which object, from where. Append-only.

    Written by services inside their transaction, so an audit row exists if
    and only if the change it describes committed.
    """

    at = models.DateTimeField(_("waktu"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    on_behalf_of = models.CharField(
        _("atas nama"), max_length=200, blank=True, help_text=_("Jabatan yang diwakili oleh pejabat Plt./Pj./Plh.")
    )
    action = models.CharField(_("tindakan"), max_length=60)
    target_type = models.CharField(_("jenis objek"), max_length=60)
    target_id = models.CharField(_("id objek"), max_length=40)
    summary = models.TextField(_("ringkasan"), blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        indexes = [
            # History panel on each object's page: events for one object, newest first.
            models.Index(fields=["target_type", "target_id", "-at"], name="audit_target_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit events cannot be deleted.")
