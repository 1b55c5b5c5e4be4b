"""Cross-cutting records: the audit trail, the notification outbox and the
people's choice of which notifications also come by email."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- shared abstract bases ---------------------------------------------------


class AppendOnlyQuerySet(models.QuerySet):
    """Rows are written once: a bulk update or delete is refused."""

    def update(self, **kwargs):
        raise PermissionDenied(f"{self.model._meta.label} rows cannot be changed once written.")

    def delete(self):
        raise PermissionDenied(f"{self.model._meta.label} rows cannot be deleted.")


class AppendOnly(models.Model):
    """Rows written once and never changed or deleted, by anyone: the model,
    its queryset (update(), delete()) and its manager all refuse. Saving a
    new object always inserts (an explicit primary key never overwrites a
    row)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied(f"{self._meta.label} rows cannot be changed once written.")
        if self.pk is not None:
            kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(f"{self._meta.label} rows cannot be deleted.")


class Attachment(models.Model):
    """A file someone attached (to a task, a meeting, a report, a proposal):
    its name and type as checked by core.files.validate_upload, its size,
    who uploaded it and when. Each concrete model adds the foreign key to
    what it is attached to and its own `file` field (its own upload_to)."""

    file = models.FileField(_("berkas"), max_length=300)
    name = models.CharField(_("nama berkas"), max_length=120)
    content_type = models.CharField(_("jenis"), max_length=120)
    size = models.PositiveIntegerField(_("ukuran"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("oleh")
    )
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name

    @classmethod
    def store(cls, upload, *, checked=None, allowed=None, user=None, **fields):
        """Save `upload` as a new attachment of this model. `checked` is the
        (name, mime) validate_upload already returned; without it the upload
        is checked here (by content: a refusal raises ValidationError and
        stores nothing). If saving the row fails, the stored file goes too."""
        from .files import validate_upload

        name, mime = checked or validate_upload(upload, allowed=allowed)
        attachment = cls(name=name, content_type=mime, size=upload.size, uploaded_by=user, **fields)
        attachment.file.save(name, upload, save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.storage.delete(attachment.file.name)
            raise
        return attachment


# --- the audit trail and notifications ----------------------------------------


class AuditEventQuerySet(AppendOnlyQuerySet):
    def for_object(self, obj):
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))


class AuditEvent(AppendOnly):
    """Who did what, when, to which object, from where. Append-only.

    Written by services inside their transaction, so an audit row exists if
    and only if the change it describes committed.
    """

    class Via(models.TextChoices):
        WEB = "web", _("halaman web")
        API = "api", _("API")

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
    # How the change reached the app, from the request's context
    # (core.middleware.request_via); empty outside a request (the reconcile, a command).
    via = models.CharField(_("lewat"), max_length=10, blank=True, default="", choices=Via.choices)

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


class NotificationKind(models.TextChoices):
    """What a notification is about, from its key's prefix
    (core.notifications.kind_of_key). A person may turn the email of a kind
    off, except ACCOUNT and OTHER (see ALWAYS_EMAILED)."""

    TASK = "tugas", _("Tugas")
    REPORT = "laporan", _("Laporan")
    MEETING = "rapat", _("Rapat")
    APPOINTMENT = "penetapan", _("Penetapan")
    ACCOUNT = "akun", _("Akun dan keamanan")
    OTHER = "lainnya", _("Lainnya")


# Mail nobody may turn off: account activation, a recovery code used, a
# second factor reset (a person must learn at once of a change to their
# account they did not make), and anything whose key no kind claims yet (a new
# kind of message is emailed until someone decides it may be turned off).
ALWAYS_EMAILED = frozenset({NotificationKind.ACCOUNT, NotificationKind.OTHER})


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def email_pending(self):
        return self.filter(email_sent_at__isnull=True, email_failed=False, email_wanted=True)


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
    kind = models.CharField(_("jenis"), max_length=20, choices=NotificationKind.choices, default=NotificationKind.OTHER)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("email terkirim"), null=True, blank=True)
    email_failed = models.BooleanField(_("email gagal"), default=False)
    email_attempts = models.PositiveSmallIntegerField(_("percobaan kirim"), default=0)
    # False when the recipient had turned email off for this kind when the row
    # was written (or turned it off before it was sent): the row is shown in
    # the app only, never claimed by a delivery run, never counted as failed.
    email_wanted = models.BooleanField(_("dikirim lewat email"), default=True)
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
                condition=models.Q(email_sent_at__isnull=True, email_failed=False, email_wanted=True),
                name="notification_email_pending",
            ),
            # The navigation's "Pemberitahuan" badge and "mark all read":
            # unread notifications of one person.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"


class NotificationPreference(models.Model):
    """A person's choice for one kind of notification: by email too, or in
    the app only. No row means email (the default); the kinds in
    ALWAYS_EMAILED have no row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("pengguna"),
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=NotificationKind.choices)
    email = models.BooleanField(_("kirim email"), default=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("pilihan pemberitahuan")
        verbose_name_plural = _("pilihan pemberitahuan")
        constraints = [
            # notify() reads the rows of the recipients for one kind.
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="notification_preference_once_per_user_and_kind",
                violation_error_message=_("Pilihan untuk jenis pemberitahuan ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=sorted(ALWAYS_EMAILED)),
                name="notification_preference_only_for_kinds_that_may_be_turned_off",
                violation_error_message=_("Email akun dan keamanan selalu dikirim."),
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} {'email' if self.email else '-'}"
