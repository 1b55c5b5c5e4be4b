"""Meetings: the series an actor holds (as data), their occurrences, and what
happens in them (agenda, attendance, minutes, follow-ups, attachments).

A series says *when* (cadence and a date rule, moved to the next working day
of the province), *where*, and *who is invited*. The reconcile creates one
meeting per series and period, a configurable number of days ahead; the unique
constraint (series, period) is what makes a second beat or a catch-up harmless.
"""

import calendar
import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.models import Attachment
from core.periods import MONTH, QUARTER, period_label
from core.permissions import RestrictedQuerySet


class MeetingSeries(models.Model):
    """A recurring meeting of one actor, e.g. the monthly routine meeting of
    PjOProv Jawa Tengah. Seeded for every province; an admin can edit it."""

    class Kind(models.TextChoices):
        ROUTINE = "rutin", _("Rapat rutin bulanan")
        EVALUATION = "evaluasi", _("Rapat evaluasi dan koordinasi")

    class Cadence(models.TextChoices):
        MONTHLY = "bulanan", _("Bulanan")
        QUARTERLY = "triwulanan", _("Triwulanan")

    class Rule(models.TextChoices):
        NTH_WEEKDAY = "hari", _("Hari tertentu pada minggu ke-n (mis. Selasa pertama)")
        DAY_OF_MONTH = "tanggal", _("Tanggal tertentu (mis. tanggal 5)")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Senin")
        TUESDAY = 1, _("Selasa")
        WEDNESDAY = 2, _("Rabu")
        THURSDAY = 3, _("Kamis")
        FRIDAY = 4, _("Jumat")

    PERIOD_KIND = {Cadence.MONTHLY: MONTH, Cadence.QUARTERLY: QUARTER}

    actor = models.ForeignKey(
        "actors.Actor", on_delete=models.PROTECT, related_name="meeting_series", verbose_name=_("pelaku penyelenggara")
    )
    kind = models.CharField(_("jenis rapat"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("nama rapat"), max_length=200)
    duty = models.ForeignKey(
        "duties.Duty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tugas pokok"),
        help_text=_("Tugas pokok yang dianggap selesai untuk periodenya saat rapat terlaksana."),
    )
    cadence = models.CharField(_("frekuensi"), max_length=20, choices=Cadence.choices, default=Cadence.MONTHLY)
    month_of_period = models.PositiveSmallIntegerField(
        _("bulan ke- dalam triwulan"), default=1, help_text=_("1-3; untuk rapat bulanan selalu 1.")
    )
    rule = models.CharField(_("aturan tanggal"), max_length=10, choices=Rule.choices, default=Rule.NTH_WEEKDAY)
    week = models.PositiveSmallIntegerField(_("minggu ke-"), default=1, help_text=_("1-4, untuk aturan hari."))
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices, default=Weekday.TUESDAY)
    day = models.PositiveSmallIntegerField(_("tanggal"), default=5, help_text=_("1-28, untuk aturan tanggal."))
    start_time = models.TimeField(_("jam mulai"), default=datetime.time(9, 0))
    end_time = models.TimeField(_("jam selesai"), default=datetime.time(12, 0))
    location = models.CharField(_("tempat"), max_length=200, blank=True)
    lead_days = models.PositiveSmallIntegerField(
        _("dijadwalkan sebelum periode (hari)"),
        default=31,
        help_text=_(
            "Rapat suatu periode dibuat sekian hari sebelum periode itu dimulai. 31 berarti rapat bulan depan "
            "selalu sudah terjadwal."
        ),
    )
    default_agenda = models.TextField(_("agenda baku"), blank=True, help_text=_("Satu butir agenda per baris."))
    invited_actors = models.ManyToManyField(
        "actors.Actor", blank=True, related_name="+", verbose_name=_("pelaku yang diundang")
    )
    invited_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("orang yang diundang")
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["actor__province__code", "actor__kind__order", "kind"]
        verbose_name = _("rangkaian rapat")
        verbose_name_plural = _("rangkaian rapat")
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "kind"],
                name="meeting_series_one_per_actor_and_kind",
                violation_error_message=_("Pelaku ini sudah memiliki rangkaian rapat jenis ini."),
            ),
            models.CheckConstraint(
                condition=Q(month_of_period__gte=1, month_of_period__lte=3)
                & (Q(cadence="triwulanan") | Q(month_of_period=1)),
                name="meeting_series_month_of_period_valid",
                violation_error_message=_("Bulan ke- harus 1-3 untuk rapat triwulanan dan 1 untuk rapat bulanan."),
            ),
            models.CheckConstraint(
                condition=Q(week__gte=1, week__lte=4, weekday__lte=4, day__gte=1, day__lte=28),
                name="meeting_series_rule_valid",
                violation_error_message=_("Minggu ke- harus 1-4, hari Senin-Jumat, dan tanggal 1-28."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="meeting_series_ends_after_start",
                violation_error_message=_("Jam selesai harus setelah jam mulai."),
            ),
            models.CheckConstraint(
                condition=Q(lead_days__lte=366),
                name="meeting_series_lead_days_max",
                violation_error_message=_("Paling lama 366 hari sebelum periode."),
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.actor}"

    @property
    def period_kind(self):
        return self.PERIOD_KIND[self.cadence]

    def planned_date(self, period, calendar_, province):
        """The meeting day of `period` by the rule, moved to the next working day."""
        month_number = period.start.month + self.month_of_period - 1
        year = period.start.year
        if self.rule == self.Rule.DAY_OF_MONTH:
            day = datetime.date(year, month_number, min(self.day, calendar.monthrange(year, month_number)[1]))
        else:
            first = datetime.date(year, month_number, 1)
            day = first + datetime.timedelta(days=(self.weekday - first.weekday()) % 7 + 7 * (self.week - 1))
        return calendar_.next_working_day(day, province)

    def rule_label(self):
        if self.rule == self.Rule.DAY_OF_MONTH:
            text = _("tanggal %(day)s") % {"day": self.day}
        else:
            text = _("%(weekday)s minggu ke-%(week)s") % {"weekday": self.get_weekday_display(), "week": self.week}
        if self.cadence == self.Cadence.QUARTERLY:
            text = _("%(rule)s, bulan ke-%(month)s tiap triwulan") % {"rule": text, "month": self.month_of_period}
        return text


class MeetingQuerySet(RestrictedQuerySet):
    def upcoming(self, now=None):
        return self.filter(status__in=Meeting.OPEN_STATUSES, ends_at__gte=now or timezone.now())

    def in_range(self, start, end):
        return self.filter(starts_at__gte=start, starts_at__lt=end)


class Meeting(models.Model):
    """One occurrence of a series: 'Rapat rutin bulanan PjOProv Jawa Tengah, 2026-11'."""

    class Status(models.TextChoices):
        SCHEDULED = "terjadwal", _("Terjadwal")
        POSTPONED = "ditunda", _("Ditunda (jadwal baru)")
        HELD = "terlaksana", _("Terlaksana")
        CANCELLED = "dibatalkan", _("Dibatalkan")

    OPEN_STATUSES = (Status.SCHEDULED, Status.POSTPONED)

    series = models.ForeignKey(
        MeetingSeries, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("rangkaian rapat")
    )
    actor = models.ForeignKey(
        "actors.Actor", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("pelaku penyelenggara")
    )
    period = models.CharField(_("periode"), max_length=7)
    title = models.CharField(_("nama rapat"), max_length=200)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    location = models.CharField(_("tempat"), max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pimpinan rapat"),
        help_text=_("Menyetujui notulen."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    status_reason = models.TextField(_("alasan"), blank=True)
    sequence = models.PositiveIntegerField(
        _("revisi jadwal"), default=0, help_text=_("Naik setiap kali waktu, tempat atau status berubah (iCalendar).")
    )
    duty_task = models.ForeignKey(
        "duties.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tugas terjadwal yang diselesaikan"),
        help_text=_("Diisi saat rapat terlaksana menyelesaikan tugas pokok periodenya."),
    )
    invited_actors = models.ManyToManyField(
        "actors.Actor", blank=True, related_name="meeting_invitations", verbose_name=_("pelaku yang diundang")
    )
    invited_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="meeting_invitations",
        verbose_name=_("orang yang diundang"),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("rapat")
        verbose_name_plural = _("rapat")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "period"],
                name="meeting_one_per_series_and_period",
                violation_error_message=_("Rapat rangkaian ini untuk periode tersebut sudah ada."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("Waktu selesai harus setelah waktu mulai."),
            ),
        ]
        indexes = [
            # The meeting list and the home panel: meetings of an actor by start.
            models.Index(fields=["actor", "starts_at"], name="meeting_actor_start"),
            # The reconcile's duty sweep: held meetings whose duty task is not marked done yet.
            models.Index(
                fields=["id"],
                condition=Q(status="terlaksana", duty_task__isnull=True),
                name="meeting_held_duty_pending",
            ),
            # The reminder sweep and the calendar: open meetings starting in a window.
            models.Index(
                fields=["starts_at"], condition=Q(status__in=["terjadwal", "ditunda"]), name="meeting_open_start"
            ),
        ]

    def __str__(self):
        return f"{self.label} {self.actor}"

    @property
    def period_label(self):
        """The period in words: 'November 2026', 'Triwulan IV 2026'."""
        return period_label(self.period)

    @property
    def label(self):
        """What a person reads: 'Rapat rutin bulanan November 2026'. Computed,
        not stored: the title stays the series' (or the holder's) own words and
        the period its code."""
        return f"{self.title} {self.period_label}"

    @property
    def province(self):
        return self.actor.province

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def local_date(self):
        return timezone.localtime(self.starts_at, self.actor.province.tzinfo).date()

    # An open meeting that has ended without being recorded as held.
    NOT_RECORDED = _("Belum dicatat")

    def is_unrecorded(self, now):
        return self.is_open and self.ends_at < now

    def status_pill(self, now):
        """(CSS class, label): the one wording of a meeting's state, for its
        pages, the home panel and the iCalendar feed. A scheduled or postponed
        meeting that has ended is "Belum dicatat" (its record is missing)."""
        if self.status == self.Status.HELD:
            return "pill-ok", self.Status.HELD.label
        if self.status == self.Status.CANCELLED:
            return "tag-soft", self.Status.CANCELLED.label
        if self.is_unrecorded(now):
            return "pill-danger", self.NOT_RECORDED
        if self.status == self.Status.POSTPONED:
            return "pill-warn", self.Status.POSTPONED.label
        return "", self.Status(self.status).label

    def status_label(self, now):
        return self.status_pill(now)[1]


class MeetingGroupObjectPermission(GroupObjectPermissionBase):
    """Direct foreign-key guardian rows (group, permission, meeting), granted
    to actor groups only (see meetings/permissions.py)."""

    content_object = models.ForeignKey(Meeting, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("izin grup atas rapat")
        verbose_name_plural = _("izin grup atas rapat")


class MeetingUserObjectPermission(UserObjectPermissionBase):
    """Keeps guardian off its generic table for meetings; stays empty."""

    content_object = models.ForeignKey(Meeting, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("izin pengguna atas rapat")
        verbose_name_plural = _("izin pengguna atas rapat")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("rapat"))
    order = models.PositiveSmallIntegerField(_("urutan"))
    title = models.CharField(_("butir agenda"), max_length=300)

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("butir agenda")
        verbose_name_plural = _("agenda")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="agenda_item_unique_order",
                violation_error_message=_("Urutan agenda ini sudah dipakai."),
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"


class Attendance(models.Model):
    """Who came: per person (optionally for an actor) or per actor as a whole."""

    class Status(models.TextChoices):
        PRESENT = "hadir", _("Hadir")
        EXCUSED = "izin", _("Izin")
        ABSENT = "tidak-hadir", _("Tidak hadir")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("rapat"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("orang"),
    )
    actor = models.ForeignKey(
        "actors.Actor", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("pelaku")
    )
    status = models.CharField(_("kehadiran"), max_length=20, choices=Status.choices)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("dicatat oleh")
    )
    recorded_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "actor_id", "id"]
        verbose_name = _("kehadiran")
        verbose_name_plural = _("daftar hadir")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(actor__isnull=False),
                name="attendance_person_or_actor",
                violation_error_message=_("Kehadiran dicatat untuk orang atau pelaku."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="attendance_once_per_person",
                violation_error_message=_("Kehadiran orang ini sudah dicatat."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "actor"],
                condition=Q(user__isnull=True),
                name="attendance_once_per_actor",
                violation_error_message=_("Kehadiran pelaku ini sudah dicatat."),
            ),
        ]

    def __str__(self):
        return f"{self.user or self.actor}: {self.get_status_display()}"


class MinutesVersion(models.Model):
    """The minutes (notulen) of a meeting, versioned: a draft is edited; the
    chair's approval locks it; a later correction is a new version with a reason."""

    class Status(models.TextChoices):
        DRAFT = "draf", _("Draf")
        APPROVED = "disetujui", _("Disetujui")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="minutes_versions", verbose_name=_("rapat")
    )
    number = models.PositiveSmallIntegerField(_("versi"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    reason = models.TextField(_("alasan koreksi"), blank=True)
    notes = models.TextField(_("catatan umum"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("dibuat oleh")
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disetujui oleh"),
    )
    approved_at = models.DateTimeField(_("disetujui pada"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "-number"]
        verbose_name = _("versi notulen")
        verbose_name_plural = _("versi notulen")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="minutes_version_unique_number",
                violation_error_message=_("Versi notulen ini sudah ada."),
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(status="draf"),
                name="minutes_one_draft_per_meeting",
                violation_error_message=_("Rapat ini sudah memiliki draf notulen."),
            ),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""),
                name="minutes_correction_has_reason",
                violation_error_message=_("Koreksi notulen harus disertai alasan."),
            ),
            models.CheckConstraint(
                condition=Q(status="draf") | Q(approved_at__isnull=False),
                name="minutes_approved_has_time",
                violation_error_message=_("Notulen yang disetujui harus memiliki waktu persetujuan."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} v{self.number}"

    @property
    def is_locked(self):
        return self.status == self.Status.APPROVED


class MinutesEntry(models.Model):
    """What was said about one agenda item in one version of the minutes."""

    version = models.ForeignKey(
        MinutesVersion, on_delete=models.CASCADE, related_name="entries", verbose_name=_("versi notulen")
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="minutes_entries", verbose_name=_("butir agenda")
    )
    problems = models.TextField(_("permasalahan yang dibahas"), blank=True)
    decisions = models.TextField(_("keputusan"), blank=True)

    class Meta:
        ordering = ["version", "agenda_item__order"]
        verbose_name = _("isi notulen")
        verbose_name_plural = _("isi notulen")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "agenda_item"],
                name="minutes_entry_once_per_item",
                violation_error_message=_("Butir agenda ini sudah ada di versi notulen ini."),
            ),
        ]

    def __str__(self):
        return f"{self.version} - {self.agenda_item}"


class FollowUp(models.Model):
    """A follow-up action (tindak lanjut) decided in a meeting. It lives as a
    task of the responsible actor; this row links the task back to the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("rapat"))
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("butir agenda"),
    )
    task = models.OneToOneField(
        "duties.Task", on_delete=models.PROTECT, related_name="meeting_follow_up", verbose_name=_("tugas")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("dibuat oleh")
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")

    def __str__(self):
        return str(self.task)


def meeting_upload_to(instance, filename):
    return f"meetings/{instance.meeting_id}/{uuid.uuid4().hex}/{filename}"


class MeetingAttachment(Attachment):
    class Kind(models.TextChoices):
        ATTENDANCE_SCAN = "daftar-hadir", _("Pindaian daftar hadir bertanda tangan")
        PHOTO = "foto", _("Foto kegiatan")
        OTHER = "lainnya", _("Dokumen lain")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("rapat"))
    kind = models.CharField(_("jenis lampiran"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("berkas"), upload_to=meeting_upload_to, max_length=300)

    class Meta(Attachment.Meta):
        verbose_name = _("lampiran rapat")
        verbose_name_plural = _("lampiran rapat")


def new_calendar_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret that opens a person's private iCalendar feed. Resetting it
    replaces the token, so every old subscription URL stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("pengguna")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    class Meta:
        verbose_name = _("langganan kalender")
        verbose_name_plural = _("langganan kalender")

    def __str__(self):
        return str(self.user)
