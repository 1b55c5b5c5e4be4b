"""Report types (data an admin edits), reports (one working copy per province,
type and period), their immutable submitted versions, and the reviews of
those versions."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from actors.models import Actor, ActorKind, Province
from core.models import AppendOnly, AppendOnlyQuerySet, Attachment
from core.periods import period_label
from core.permissions import RestrictedQuerySet
from duties.models import Duty, Task
from regions.models import Region


class ReportType(models.Model):
    """What a report is: who writes it, to whom it goes, who gets a tembusan,
    its period, its deadline rule and its sections. Rows are data (seeded by
    a migration, editable by an administrator)."""

    class Period(models.TextChoices):
        MONTHLY = "bulanan", _("Bulanan")
        QUARTERLY = "triwulanan", _("Triwulanan")
        NONE = "insidental", _("Tanpa periode (insidental)")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    title = models.CharField(
        _("judul resmi"), max_length=200, help_text=_("Judul di kepala dokumen, mis. LAPORAN TRIWULAN.")
    )
    writer_kind = models.ForeignKey(
        ActorKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_types_written",
        verbose_name=_("penyusun"),
        help_text=_("Kosong: setiap pelaku provinsi dapat menyusunnya (laporan insidental)."),
    )
    recipient_kinds = models.ManyToManyField(
        ActorKind, related_name="report_types_received", verbose_name=_("kepada"), blank=True
    )
    copy_kinds = models.ManyToManyField(
        ActorKind, related_name="report_types_copied", verbose_name=_("tembusan"), blank=True
    )
    reviewer_kind = models.ForeignKey(
        ActorKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_types_reviewed",
        verbose_name=_("peninjau"),
        help_text=_(
            "Pelaku provinsi yang menerima atau mengembalikan laporan. Kosong: pelaku yang dituju penyusun "
            "menurut data hubungan antar pelaku (melapor kepada)."
        ),
    )
    period = models.CharField(_("periode"), max_length=20, choices=Period.choices)
    deadline_days = models.PositiveSmallIntegerField(
        _("batas waktu (hari setelah periode berakhir)"),
        default=10,
        help_text=_("Tenggat: hari ke-sekian setelah periode berakhir, digeser ke hari kerja berikutnya."),
    )
    duty = models.ForeignKey(
        Duty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_types",
        verbose_name=_("tugas pokok"),
        help_text=_("Tugas terjadwal yang selesai saat laporan periode itu dikirim."),
    )
    active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("jenis laporan")
        verbose_name_plural = _("jenis laporan")

    def __str__(self):
        return self.name

    @property
    def is_periodic(self):
        return self.period != self.Period.NONE


class ReportSection(models.Model):
    """One section of a report type. The kind says what the writer fills in."""

    class Kind(models.TextChoices):
        TEXT = "teks", _("Teks")
        ASSESSMENT = "penilaian", _("Teks dan tabel penilaian kinerja")
        PROBLEMS = "masalah", _("Daftar masalah")
        CONSTRAINTS = "kendala", _("Daftar kendala")
        # Filled at submission from the writer's duty ledger (settings.REPORT_SNAPSHOT_EXTRAS), never typed.
        LEDGER = "buku-tugas", _("Buku tugas pelaku (dibekukan saat dikirim)")

    report_type = models.ForeignKey(
        ReportType, on_delete=models.CASCADE, related_name="sections", verbose_name=_("jenis laporan")
    )
    code = models.SlugField(_("kode"), max_length=40)
    title = models.CharField(_("judul"), max_length=150)
    help_text = models.CharField(_("petunjuk"), max_length=300, blank=True)
    kind = models.CharField(_("isi"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("wajib"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["report_type", "order", "id"]
        verbose_name = _("bagian laporan")
        verbose_name_plural = _("bagian laporan")
        constraints = [
            models.UniqueConstraint(
                fields=["report_type", "code"],
                name="report_section_unique_code",
                violation_error_message=_("Kode bagian ini sudah dipakai pada jenis laporan ini."),
            ),
        ]

    def __str__(self):
        return self.title


class ReportQuerySet(RestrictedQuerySet):
    def never_submitted(self):
        return self.filter(version_count=0)


class Report(models.Model):
    """The working copy of one report: a draft the writer edits until it is
    submitted, and edits again when it is returned. What was sent lives in
    ReportVersion, never here.

    Periodic reports are unique per (type, province, period); the reconcile
    creates them. Incidental reports (no period) are created by their writer.
    """

    class Status(models.TextChoices):
        DRAFT = "draf", _("Draf")
        SUBMITTED = "dikirim", _("Dikirim, menunggu tanggapan")
        RETURNED = "dikembalikan", _("Dikembalikan untuk perbaikan")
        ACKNOWLEDGED = "diterima", _("Diterima")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    report_type = models.ForeignKey(
        ReportType, on_delete=models.PROTECT, related_name="reports", verbose_name=_("jenis laporan")
    )
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="reports", verbose_name=_("penyusun"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="reports", verbose_name=_("provinsi"))
    period = models.CharField(_("periode"), max_length=7, blank=True, help_text=_("Mis. 2026-11, 2026-Q4."))
    period_start = models.DateField(_("awal periode"), null=True, blank=True)
    period_end = models.DateField(_("akhir periode"), null=True, blank=True)
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    title = models.CharField(_("judul"), max_length=200, blank=True, help_text=_("Untuk laporan insidental."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)

    signer_name = models.CharField(_("nama penanda tangan"), max_length=150, blank=True)
    signer_position = models.CharField(_("jabatan penanda tangan"), max_length=150, blank=True)
    sign_place = models.CharField(_("tempat"), max_length=100, blank=True)
    sign_date = models.DateField(_("tanggal tanda tangan"), null=True, blank=True)
    evidence_tasks = models.ManyToManyField(Task, blank=True, related_name="+", verbose_name=_("tugas sebagai bukti"))

    version_count = models.PositiveSmallIntegerField(_("jumlah versi"), default=0)
    latest_version = models.ForeignKey(
        "ReportVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("versi terakhir"),
    )
    first_submitted_at = models.DateTimeField(_("pertama dikirim"), null=True, blank=True)
    submitted_on_time = models.BooleanField(_("dikirim tepat waktu"), null=True, blank=True)
    overdue_since = models.DateField(_("terlambat sejak"), null=True, blank=True)
    reminder_level = models.PositiveSmallIntegerField(
        _("pengingat terakhir (hari kerja sebelum tenggat)"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "report_type__order", "province__code", "id"]
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        permissions = [("review_report", _("Dapat menerima atau mengembalikan laporan"))]
        constraints = [
            models.UniqueConstraint(
                fields=["report_type", "province", "period"],
                condition=~Q(period=""),
                name="report_one_per_type_province_period",
                violation_error_message=_("Laporan jenis ini untuk provinsi dan periode ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="report_period_in_order",
                violation_error_message=_("Akhir periode tidak boleh sebelum awal periode."),
            ),
        ]
        indexes = [
            # The national matrix: reports of some types and periods, all provinces.
            models.Index(fields=["report_type", "period"], name="report_type_period"),
            # The reconcile's reminder and overdue sweeps: never-submitted reports by due date.
            models.Index(fields=["due_date"], condition=Q(version_count=0), name="report_unsubmitted_due"),
        ]

    def __str__(self):
        return f"{self.label} - {self.actor}"

    @property
    def label(self):
        if self.period:
            return f"{self.report_type.name} {period_label(self.period)}"
        return self.title or self.report_type.name

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    def state(self, today):
        """The ReportState in the province's `today` (None: an undated draft)."""
        return report_state(self.status, self.due_date, self.period_end, self.submitted_on_time, today)

    def status_pill(self, today):
        """(CSS class, label) of the report's pill: its ReportState, the
        word the national matrix uses for the same report; an undated draft
        is a draft."""
        state = self.state(today) if today else None
        if state is None:
            return "tag-soft", self.get_status_display()
        return STATE_CSS[state], state.label


class ReportState(models.TextChoices):
    """What a report of a period has come to, in one word per state: the
    national matrix's cells, the seknas home's counts, the pill on the report
    pages and panels, the exports. `report_state` decides which; a draft
    with neither a deadline nor a period (an incidental one) has no state
    here and shows Report.Status.DRAFT's label."""

    NOT_YET_DUE = "belum", _("Belum jatuh tempo")
    DUE = "jatuh-tempo", _("Jatuh tempo")
    OVERDUE = "terlambat", _("Terlambat, belum dikirim")
    ON_TIME = "tepat-waktu", _("Dikirim tepat waktu")
    LATE = "dikirim-terlambat", _("Dikirim terlambat")
    RETURNED = "dikembalikan", Report.Status.RETURNED.label
    ACKNOWLEDGED = "diterima", Report.Status.ACKNOWLEDGED.label
    NONE = "tidak-ada", _("Tidak ada data")


# The pill's CSS class of each state.
STATE_CSS = {
    ReportState.NOT_YET_DUE: "",
    ReportState.DUE: "pill-warn",
    ReportState.OVERDUE: "pill-danger",
    ReportState.ON_TIME: "pill-ok",
    ReportState.LATE: "pill-warn",
    ReportState.RETURNED: "pill-warn",
    ReportState.ACKNOWLEDGED: "pill-ok",
    ReportState.NONE: "tag-soft",
}


def report_state(status, due_date, period_end, submitted_on_time, today):
    """The ReportState of a report from its fields (a model or a values()
    row), in its province's `today`; None for a draft with neither a
    deadline nor a period end."""
    if status == Report.Status.ACKNOWLEDGED:
        return ReportState.ACKNOWLEDGED
    if status == Report.Status.RETURNED:
        return ReportState.RETURNED
    if status == Report.Status.SUBMITTED:
        return ReportState.ON_TIME if submitted_on_time else ReportState.LATE
    if due_date and today > due_date:
        return ReportState.OVERDUE
    if period_end and today > period_end:
        return ReportState.DUE
    if due_date or period_end:
        return ReportState.NOT_YET_DUE
    return None


class ReportGroupObjectPermission(GroupObjectPermissionBase):
    """Direct foreign-key guardian rows (group, permission, report), granted to
    actor groups only (see reports/permissions.py)."""

    content_object = models.ForeignKey(Report, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("izin grup atas laporan")
        verbose_name_plural = _("izin grup atas laporan")


class ReportUserObjectPermission(UserObjectPermissionBase):
    """Keeps guardian off its generic table for reports; stays empty."""

    content_object = models.ForeignKey(Report, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("izin pengguna atas laporan")
        verbose_name_plural = _("izin pengguna atas laporan")


class SectionText(models.Model):
    """The draft text of one section."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="texts", verbose_name=_("laporan"))
    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="+", verbose_name=_("bagian"))
    text = models.TextField(_("isi"), blank=True)

    class Meta:
        verbose_name = _("isi bagian")
        verbose_name_plural = _("isi bagian")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "section"],
                name="section_text_once_per_report",
                violation_error_message=_("Bagian ini sudah diisi."),
            ),
        ]

    def __str__(self):
        return f"{self.report_id}/{self.section_id}"


class AssessmentRow(models.Model):
    """One unit in the performance assessment table of a draft."""

    class Level(models.TextChoices):
        DESA = "desa", _("Desa/Kelurahan")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KABUPATEN = "kabupaten", _("Kabupaten/Kota")
        PROVINSI = "provinsi", _("Provinsi")

    class Rating(models.TextChoices):
        VERY_GOOD = "sangat-baik", _("Sangat baik")
        GOOD = "baik", _("Baik")
        FAIR = "cukup", _("Cukup")
        POOR = "kurang", _("Kurang")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="assessment", verbose_name=_("laporan"))
    level = models.CharField(_("tingkat"), max_length=20, choices=Level.choices)
    # The official unit (regions.Region); empty on rows written as free text
    # before the tree was loaded, until match_assessment_units or a person
    # matches them. unit_code and unit_name keep the code and the name as
    # printed when the row was written, so a version reads as it was sent.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("wilayah resmi")
    )
    unit_code = models.CharField(_("kode wilayah"), max_length=20, blank=True)
    unit_name = models.CharField(_("nama wilayah"), max_length=150)
    rating = models.CharField(_("penilaian"), max_length=20, choices=Rating.choices)
    note = models.CharField(_("catatan"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["report", "order", "id"]
        verbose_name = _("baris penilaian kinerja")
        verbose_name_plural = _("baris penilaian kinerja")

    def __str__(self):
        return f"{self.unit_name}: {self.rating}"


class UnitNameMatch(models.Model):
    """A unit written by hand in assessment rows (a draft's or a submitted
    version's), matched to an official unit. match_assessment_units proposes
    these: an exact, unambiguous match is taken at once ("otomatis"); every
    other name waits for a person to choose in the admin ("perlu
    keputusan"), who may also decide that no unit fits. Versions are never
    rewritten: the assessment across reports reads the match beside them."""

    class Status(models.TextChoices):
        AUTOMATIC = "otomatis", _("Cocok otomatis (tepat dan tunggal)")
        PENDING = "perlu-keputusan", _("Perlu keputusan")
        CONFIRMED = "dikonfirmasi", _("Dipilih petugas")
        NO_UNIT = "tidak-ada", _("Tidak ada wilayah yang sesuai")

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+", verbose_name=_("provinsi"))
    level = models.CharField(_("tingkat"), max_length=20, choices=AssessmentRow.Level.choices)
    written_name = models.CharField(_("nama tertulis"), max_length=150)
    written_code = models.CharField(_("kode tertulis"), max_length=20, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("wilayah resmi")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    candidates = models.JSONField(
        _("calon"), default=list, blank=True, help_text=_("Kode wilayah yang namanya mirip, untuk dipilih petugas.")
    )
    rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)

    class Meta:
        ordering = ["province", "level", "written_name", "written_code"]
        verbose_name = _("pencocokan nama wilayah")
        verbose_name_plural = _("pencocokan nama wilayah")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "level", "written_name", "written_code"],
                name="unit_name_match_once",
                violation_error_message=_("Nama wilayah ini sudah dicocokkan."),
            ),
        ]

    def __str__(self):
        return f"{self.written_name} ({self.get_level_display()})"


class Issue(models.Model):
    """A problem (masalah) or a constraint (kendala) listed in a draft."""

    class Kind(models.TextChoices):
        PROBLEM = "masalah", _("Masalah")
        CONSTRAINT = "kendala", _("Kendala")

    class Category(models.TextChoices):
        INSTITUTIONAL = "kelembagaan", _("Kelembagaan")
        FINANCE = "keuangan", _("Keuangan dan dana")
        INFRASTRUCTURE = "infrastruktur", _("Prasarana")
        FACILITATORS = "fasilitator", _("Konsultan dan fasilitator")
        ADMINISTRATION = "administrasi", _("Administrasi dan pelaporan")
        COMPLAINTS = "pengaduan", _("Pengaduan")
        OTHER = "lainnya", _("Lainnya")

    class State(models.TextChoices):
        OPEN = "belum", _("Belum ditangani")
        IN_HAND = "ditangani", _("Sedang ditangani")
        RESOLVED = "selesai", _("Selesai")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="issues", verbose_name=_("laporan"))
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices)
    description = models.CharField(_("uraian"), max_length=1000)
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.OPEN)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["report", "kind", "order", "id"]
        verbose_name = _("masalah atau kendala")
        verbose_name_plural = _("masalah dan kendala")

    def __str__(self):
        return self.description[:80]


def report_upload_to(instance, filename):
    return f"reports/{instance.report_id}/{uuid.uuid4().hex}/{filename}"


class ReportAttachment(Attachment):
    """A file attached to a report. Once it was part of a submitted version it
    is never deleted (that version must stay readable): removing it from the
    draft only withdraws it from the next version."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("laporan"))
    file = models.FileField(_("berkas"), upload_to=report_upload_to, max_length=300)
    submitted = models.BooleanField(_("pernah dikirim"), default=False)
    withdrawn = models.BooleanField(_("ditarik dari draf"), default=False)

    class Meta(Attachment.Meta):
        verbose_name = _("lampiran laporan")
        verbose_name_plural = _("lampiran laporan")


class ReportVersionQuerySet(AppendOnlyQuerySet, RestrictedQuerySet):
    pass


class ReportVersion(AppendOnly):
    """What was submitted, as a full snapshot: sections, assessment rows,
    problems and constraints, signature, attachments, recipients, timing.
    Immutable in the model, its queryset and the admin."""

    objects = ReportVersionQuerySet.as_manager()

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions", verbose_name=_("laporan"))
    number = models.PositiveSmallIntegerField(_("versi"))
    submitted_at = models.DateTimeField(_("dikirim pada"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dikirim oleh")
    )
    on_behalf_of = models.CharField(_("atas nama"), max_length=200, blank=True)
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    on_time = models.BooleanField(_("tepat waktu"))
    snapshot = models.JSONField(_("isi laporan"))

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("versi laporan")
        verbose_name_plural = _("versi laporan")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"],
                name="report_version_unique_number",
                violation_error_message=_("Versi ini sudah ada."),
            ),
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"


class ReportReview(AppendOnly):
    """The recipient's answer to one version: acknowledged, or returned for
    revision with a reason per section. One per version; immutable."""

    class Decision(models.TextChoices):
        ACKNOWLEDGE = "diterima", _("Diterima")
        RETURN = "dikembalikan", _("Dikembalikan untuk perbaikan")

    version = models.OneToOneField(
        ReportVersion, on_delete=models.PROTECT, related_name="review", verbose_name=_("versi")
    )
    decision = models.CharField(_("keputusan"), max_length=20, choices=Decision.choices)
    note = models.TextField(_("catatan"), blank=True)
    section_reasons = models.JSONField(
        _("alasan per bagian"), default=dict, blank=True, help_text=_("Kode bagian -> alasan pengembalian.")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh")
    )
    on_behalf_of = models.CharField(_("atas nama"), max_length=200, blank=True)
    reviewed_at = models.DateTimeField(_("pada"), default=timezone.now)

    class Meta:
        ordering = ["reviewed_at", "id"]
        verbose_name = _("tanggapan laporan")
        verbose_name_plural = _("tanggapan laporan")

    def __str__(self):
        return f"{self.version}: {self.get_decision_display()}"
