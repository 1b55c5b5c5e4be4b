"""The duty ledger: what an actor writes about its duties in a quarter where
the application holds no other evidence. An ongoing (berkelanjutan) duty
gets a short quarterly account with links to the actor's own work; an
incidental (insidental) duty gets a record of each occurrence, or, for a
quarter with none, the actor's declaration "tidak ada kejadian". Every other
standing is derived from evidence (ledger.standing), never typed."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Actor
from core.models import Attachment
from documents.models import Document
from duties.models import Duty, Task
from meetings.models import Meeting


class DutyAccount(models.Model):
    """One actor's word on one duty for one quarter: the account of an
    ongoing duty (what was done, with links to its own work), or the
    declaration that an incidental duty had no occurrence."""

    class Kind(models.TextChoices):
        ACCOUNT = "uraian", _("Uraian pelaksanaan")
        NO_OCCURRENCE = "tidak-ada-kejadian", _("Tidak ada kejadian")

    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="duty_accounts", verbose_name=_("pelaku"))
    duty = models.ForeignKey(Duty, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("tugas pokok"))
    period = models.CharField(_("triwulan"), max_length=7, help_text=_("Mis. 2026-Q4."))
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("uraian"), blank=True)
    tasks = models.ManyToManyField(Task, blank=True, related_name="+", verbose_name=_("tugas terkait"))
    meetings = models.ManyToManyField(Meeting, blank=True, related_name="+", verbose_name=_("rapat terkait"))
    documents = models.ManyToManyField(Document, blank=True, related_name="+", verbose_name=_("dokumen terkait"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ditulis oleh")
    )
    written_at = models.DateTimeField(_("ditulis pada"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        ordering = ["actor", "period", "duty__number"]
        verbose_name = _("uraian tugas triwulan")
        verbose_name_plural = _("uraian tugas triwulan")
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "duty", "period"],
                name="duty_account_once_per_quarter",
                violation_error_message=_("Tugas ini sudah memiliki uraian untuk triwulan ini."),
            ),
        ]
        indexes = [models.Index(fields=["period", "actor"], name="duty_account_period")]

    def __str__(self):
        return f"{self.duty.ref} {self.period}"


class DutyOccurrence(models.Model):
    """An occurrence of an incidental duty: what happened, when, what was done."""

    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="duty_occurrences", verbose_name=_("pelaku")
    )
    duty = models.ForeignKey(Duty, on_delete=models.PROTECT, related_name="occurrences", verbose_name=_("tugas pokok"))
    occurred_on = models.DateField(_("tanggal kejadian"))
    what = models.TextField(_("kejadian"))
    action = models.TextField(_("yang dilakukan"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )
    recorded_at = models.DateTimeField(_("dicatat pada"), default=timezone.now)

    class Meta:
        ordering = ["actor", "occurred_on", "id"]
        verbose_name = _("kejadian tugas insidental")
        verbose_name_plural = _("kejadian tugas insidental")
        indexes = [models.Index(fields=["actor", "occurred_on"], name="duty_occurrence_actor_day")]

    def __str__(self):
        return f"{self.duty.ref} {self.occurred_on}"


def ledger_upload_to(instance, filename):
    return f"ledger/{instance.actor_id}/{uuid.uuid4().hex}/{filename}"


class LedgerAttachment(Attachment):
    """A file attached to a quarterly account or to an occurrence."""

    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+", verbose_name=_("pelaku"))
    account = models.ForeignKey(
        DutyAccount, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    occurrence = models.ForeignKey(
        DutyOccurrence, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("berkas"), upload_to=ledger_upload_to, max_length=300)

    class Meta(Attachment.Meta):
        verbose_name = _("lampiran buku tugas")
        verbose_name_plural = _("lampiran buku tugas")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(account__isnull=False, occurrence__isnull=True)
                | models.Q(account__isnull=True, occurrence__isnull=False),
                name="ledger_attachment_one_owner",
            ),
        ]
