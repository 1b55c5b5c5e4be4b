"""The 33 duties of the seed document, the tasks made from them, and the
working-day calendar's extra days off."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from actors.models import ActorKind
from core.models import Attachment
from core.periods import period_label
from core.permissions import RestrictedQuerySet


def shorten(text, limit):
    """`text` in at most `limit` characters: whole, or cut at the last word
    boundary with an ellipsis ("... PNPM-MP…", never "... PNPM-MP kep"). A
    first word longer than half the limit is cut where the limit falls."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace():  # the cut falls inside a word: drop its start
        space = cut.rfind(" ")
        if space > limit // 2:
            cut = cut[:space]
    return cut.rstrip(" ,.;:-/(") + "…"


class Duty(models.Model):
    """One duty line of the seed document, verbatim, for one actor kind.

    The text and its place in the seed never change; category and recurrence
    are defaults chosen by reading the line, and an admin can edit them.
    """

    class Category(models.TextChoices):
        SOCIALISATION = "sosialisasi", _("Sosialisasi")
        PLANNING = "perencanaan", _("Perencanaan dan kebijakan")
        APPOINTMENT = "penetapan", _("Penetapan")
        GUIDANCE = "pembinaan", _("Pembinaan")
        OVERSIGHT = "pengawasan", _("Pengawasan")
        MONITORING = "pemantauan", _("Pemantauan dan supervisi")
        CONTROL = "pengendalian", _("Pengendalian")
        EVALUATION = "evaluasi", _("Evaluasi dan penilaian")
        COORDINATION = "koordinasi", _("Koordinasi")
        MEETING = "rapat", _("Rapat")
        REPORTING = "pelaporan", _("Pelaporan")
        MANAGEMENT = "manajemen", _("Manajemen dan operasional")

    class Recurrence(models.TextChoices):
        ONE_OFF = "sekali", _("Sekali")
        CONTINUOUS = "berkelanjutan", _("Berkelanjutan")
        MONTHLY = "bulanan", _("Bulanan")
        QUARTERLY = "triwulanan", _("Triwulanan")
        YEARLY = "tahunan", _("Tahunan")
        ON_EVENT = "insidental", _("Insidental (bila ada kejadian)")

    kind = models.ForeignKey(ActorKind, on_delete=models.PROTECT, related_name="duties", verbose_name=_("pelaku"))
    number = models.PositiveSmallIntegerField(_("nomor"), help_text=_("Urutan baris di dokumen sumber, per pelaku."))
    text = models.TextField(_("uraian tugas"), help_text=_("Teks tugas sesuai dokumen sumber."))
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    recurrence = models.CharField(_("pengulangan"), max_length=20, choices=Recurrence.choices)
    due_offset_days = models.PositiveSmallIntegerField(
        _("batas waktu (hari setelah periode berakhir)"),
        default=0,
        help_text=_("Tenggat tugas terjadwal: akhir periode ditambah sekian hari, digeser ke hari kerja berikutnya."),
    )

    class Meta:
        ordering = ["kind__order", "number"]
        verbose_name = _("tugas pokok")
        verbose_name_plural = _("tugas pokok")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number"],
                name="duty_unique_number_per_kind",
                violation_error_message=_("Nomor tugas ini sudah dipakai untuk pelaku ini."),
            ),
        ]

    def __str__(self):
        return f"{self.ref} {shorten(self.text, 60)}"

    @property
    def ref(self):
        """Stable reference to the seed line, e.g. 'PjOProv-5'."""
        return f"{self.kind.short_name}-{self.number}"


class NonWorkingDay(models.Model):
    """A day off beyond weekends and the national holiday calendar: a regional
    holiday, an extra cuti bersama, an office closure. Editable by an admin."""

    date = models.DateField(_("tanggal"))
    name = models.CharField(_("keterangan"), max_length=150)
    province = models.ForeignKey(
        "actors.Province",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="non_working_days",
        verbose_name=_("provinsi"),
        help_text=_("Kosong berarti berlaku nasional."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur tambahan")
        verbose_name_plural = _("hari libur tambahan")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "province"],
                name="non_working_day_unique",
                violation_error_message=_("Tanggal ini sudah tercatat sebagai hari libur."),
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.name}"


class TaskQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(status__in=Task.OPEN_STATUSES)

    def overdue(self, today):
        return self.open().filter(due_date__lt=today)

    def due_soon(self, today, days=7):
        return self.open().filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days))


class Task(models.Model):
    """One occurrence of a duty for one actor: 'PjOProv Jawa Tengah, rapat rutin
    bulanan, 2026-11'. Scheduled tasks are unique per (actor, duty, period);
    ad-hoc tasks and meeting follow-ups are not."""

    class Status(models.TextChoices):
        OPEN = "terbuka", _("Terbuka")
        IN_PROGRESS = "dikerjakan", _("Sedang dikerjakan")
        DONE = "selesai", _("Selesai")
        CANCELLED = "dibatalkan", _("Dibatalkan")

    class Origin(models.TextChoices):
        SCHEDULE = "jadwal", _("Terjadwal")
        ADHOC = "adhoc", _("Ad hoc")
        FOLLOW_UP = "tindak-lanjut", _("Tindak lanjut rapat")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    duty = models.ForeignKey(Duty, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("tugas pokok"))
    actor = models.ForeignKey("actors.Actor", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("pelaku"))
    origin = models.CharField(_("asal"), max_length=20, choices=Origin.choices, default=Origin.SCHEDULE)
    title = models.CharField(_("judul"), max_length=200, blank=True, help_text=_("Kosong: uraian tugas pokok."))
    description = models.TextField(_("keterangan"), blank=True)
    period = models.CharField(_("periode"), max_length=7, blank=True, help_text=_("Mis. 2026-11, 2026-Q4, 2026."))
    period_start = models.DateField(_("awal periode"), null=True, blank=True)
    period_end = models.DateField(_("akhir periode"), null=True, blank=True)
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tasks",
        verbose_name=_("penanggung jawab"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    completion_note = models.TextField(_("catatan penyelesaian"), blank=True)
    completed_at = models.DateTimeField(_("diselesaikan pada"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diselesaikan oleh"),
    )
    overdue_since = models.DateField(
        _("terlambat sejak"), null=True, blank=True, help_text=_("Diisi oleh penjadwal saat tenggat terlewati.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("tugas")
        verbose_name_plural = _("tugas")
        permissions = [("complete_task", _("Dapat menyelesaikan tugas"))]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "duty", "period"],
                condition=models.Q(origin="jadwal"),
                name="task_one_scheduled_per_actor_duty_period",
                violation_error_message=_("Tugas terjadwal untuk periode ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="task_period_in_order",
                violation_error_message=_("Akhir periode tidak boleh sebelum awal periode."),
            ),
        ]
        indexes = [
            # The task list of an actor, soonest due first (also the bench baseline).
            models.Index(fields=["actor", "due_date", "id"], name="task_actor_due"),
            # The overdue sweep of the reconcile: open tasks past their due date.
            models.Index(
                fields=["due_date"],
                condition=models.Q(status__in=["terbuka", "dikerjakan"]),
                name="task_open_due",
            ),
        ]

    def __str__(self):
        return f"{self.short_label()} ({period_label(self.period)})" if self.period else self.short_label()

    @property
    def label(self):
        return self.title or self.duty.text

    def short_label(self, limit=80):
        """The label for a line of a choice or a list: cut at a word boundary."""
        return shorten(self.label, limit)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today):
        return self.is_open and self.due_date is not None and self.due_date < today

    def status_pill(self, today):
        """(CSS class, label) of the status pill: done, cancelled, late (an
        open task past its due date) or the open status itself."""
        if self.status == self.Status.DONE:
            return "pill-ok", self.Status.DONE.label
        if self.status == self.Status.CANCELLED:
            return "tag-soft", self.Status.CANCELLED.label
        if self.is_overdue(today):
            return "pill-danger", _("Terlambat")
        return "", self.Status(self.status).label


class TaskGroupObjectPermission(GroupObjectPermissionBase):
    """Direct foreign-key guardian rows: (group, permission, task). Grants go
    to actor groups only (see duties/permissions.py)."""

    content_object = models.ForeignKey(Task, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("izin grup atas tugas")
        verbose_name_plural = _("izin grup atas tugas")


class TaskUserObjectPermission(UserObjectPermissionBase):
    """Exists so guardian never falls back to its generic table for tasks;
    the application never grants to people, so it stays empty."""

    content_object = models.ForeignKey(Task, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("izin pengguna atas tugas")
        verbose_name_plural = _("izin pengguna atas tugas")


def task_upload_to(instance, filename):
    return f"tasks/{instance.task_id}/{uuid.uuid4().hex}/{filename}"


class TaskAttachment(Attachment):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("tugas"))
    file = models.FileField(_("berkas"), upload_to=task_upload_to, max_length=300)

    class Meta(Attachment.Meta):
        verbose_name = _("lampiran tugas")
        verbose_name_plural = _("lampiran tugas")


class TaskLink(models.Model):
    """Evidence on the web (a shared folder, a news item, a document system)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="links", verbose_name=_("tugas"))
    url = models.URLField(_("tautan"), max_length=500)
    label = models.CharField(_("keterangan"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("oleh")
    )
    added_at = models.DateTimeField(_("ditambahkan"), default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("tautan bukti")
        verbose_name_plural = _("tautan bukti")

    def __str__(self):
        return self.label or self.url
