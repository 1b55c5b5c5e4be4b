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


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def email_pending(self):
        return self.filter(email_sent_at__isnull=True, email_failed=False)


class Notification(models.Model):
    """A message to one person: shown in the app and sent by email.

    This table is the outbox. A service writes the row in its transaction; a
    task queued after commit (or, when the broker is down, the next reconcile)
    sends the email and stamps `email_sent_at`. `(recipient, key)` is unique, so
    the same reminder is never created, nor sent, twice.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("penerima")
    )
    key = models.CharField(_("kunci"), max_length=200, help_text=_("Mencegah pemberitahuan ganda."))
    subject = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("email terkirim"), null=True, blank=True)
    email_failed = models.BooleanField(_("email gagal"), default=False)
    email_attempts = models.PositiveSmallIntegerField(_("percobaan kirim"), default=0)
    # Set when a delivery run takes the row, in a transaction of its own, and
    # cleared when the email is sent or the attempt failed: a run that dies in
    # between leaves it set, and only after the lease
    # (core.notifications.CLAIM_LEASE) does another run send that one again.
    email_claimed_at = models.DateTimeField(_("email sedang dikirim sejak"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pemberitahuan")
        verbose_name_plural = _("pemberitahuan")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_recipient_and_key"),
        ]
        indexes = [
            # The outbox sweep: emails not yet sent, oldest first.
            models.Index(
                fields=["created_at"],
                condition=models.Q(email_sent_at__isnull=True, email_failed=False),
                name="notification_email_pending",
            ),
            # The bell in the top bar: unread notifications of one person.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"
