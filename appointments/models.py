"""Appointments: who proposes and who approves which actor's seats (as data),
proposals with their versions and attachments, the decree (SK) that approves
one, and the hand-over of open tasks from a predecessor to a successor.

These models belong to the `actors` app label (Meta.app_label = "actors"):
their tables (actors_proposal, ...), content types, guardian permission rows
and migrations (actors/migrations) stay where they were before the code moved
to this app, so moving it needed no data migration. Models here import
actors.models (downward); actors.models refers to these by string only
("actors.Decree").
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from actors.models import Actor, ActorKind, Membership, Position
from actors.uploads import decree_upload_to, proposal_upload_to
from core.models import Attachment
from core.permissions import RestrictedQuerySet


class AppointmentRule(models.Model):
    """'Appointments to TK PNPM-MP Provinsi are proposed by PjOProv (or the TK
    secretariat) and approved by the Gubernur's office of the same province.'

    Data an administrator can change; seeded from the issue by migration.
    """

    target_kind = models.OneToOneField(
        ActorKind, on_delete=models.CASCADE, related_name="appointment_rule", verbose_name=_("jabatan pada pelaku")
    )
    proposer_kinds = models.ManyToManyField(
        ActorKind,
        related_name="+",
        verbose_name=_("diusulkan oleh pelaku"),
        help_text=_("Pelaku yang boleh mengusulkan."),
    )
    proposer_positions = models.ManyToManyField(
        Position,
        blank=True,
        related_name="+",
        verbose_name=_("diusulkan oleh jabatan"),
        help_text=_("Kosong berarti semua anggota pelaku pengusul boleh mengusulkan."),
    )
    approver_kind = models.ForeignKey(
        ActorKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("disetujui oleh pelaku")
    )
    requires_decree = models.BooleanField(
        _("dengan surat keputusan"),
        default=True,
        help_text=_("Tidak dicentang: anggota didaftarkan tanpa SK (mis. staf KMW)."),
    )
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        app_label = "actors"
        ordering = ["target_kind__order"]
        verbose_name = _("aturan penetapan")
        verbose_name_plural = _("aturan penetapan")
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_kind=models.F("approver_kind")),
                name="appointment_rule_not_self_approved",
                violation_error_message=_("Pelaku tidak dapat menyetujui penetapan anggotanya sendiri."),
            ),
        ]

    def __str__(self):
        return f"{self.target_kind} ← {self.approver_kind}"


class ProposalQuerySet(RestrictedQuerySet):
    def waiting(self):
        return self.filter(status=Proposal.Status.SUBMITTED)


class Proposal(models.Model):
    """A proposal to seat a person in an actor for a term (usulan penetapan)."""

    class Status(models.TextChoices):
        DRAFT = "draf", _("Draf")
        SUBMITTED = "diajukan", _("Menunggu persetujuan")
        RETURNED = "dikembalikan", _("Dikembalikan untuk perbaikan")
        APPROVED = "disetujui", _("Disetujui")
        REJECTED = "ditolak", _("Ditolak")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("pelaku yang dituju")
    )
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+", verbose_name=_("jabatan"))
    proposer_actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="proposals_made", verbose_name=_("pengusul")
    )
    approver_actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="proposals_to_approve", verbose_name=_("penyetuju")
    )
    requires_decree = models.BooleanField(_("dengan surat keputusan"), default=True)
    # The person: an existing account, or a new person whose account is made on approval.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment_proposals",
        verbose_name=_("orang (akun yang ada)"),
    )
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    agency = models.CharField(_("instansi"), max_length=200, blank=True)
    mode = models.CharField(
        _("status jabatan"), max_length=10, choices=Membership.Mode.choices, default=Membership.Mode.DEFINITIVE
    )
    acting_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bertindak untuk"),
    )
    replaces = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("menggantikan"),
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"), null=True, blank=True)
    reason = models.TextField(_("alasan"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    membership = models.OneToOneField(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("keanggotaan"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dibuat oleh")
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        app_label = "actors"
        ordering = ["-created_at", "-id"]
        verbose_name = _("usulan penetapan")
        verbose_name_plural = _("usulan penetapan")
        permissions = [("approve_proposal", _("Dapat menyetujui, mengembalikan atau menolak usulan"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="proposal_end_not_before_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(full_name="") & ~Q(email=""),
                name="proposal_names_a_person",
                violation_error_message=_("Pilih akun yang ada, atau isi nama lengkap dan email orang baru."),
            ),
        ]
        indexes = [
            # The approval inbox: waiting proposals of one approver actor, oldest first.
            models.Index(fields=["approver_actor", "status", "submitted_at"], name="proposal_inbox"),
            # The reconcile's waiting reminder: every submitted proposal by age.
            models.Index(fields=["submitted_at"], condition=Q(status="diajukan"), name="proposal_waiting_since"),
        ]

    def __str__(self):
        return _("%(person)s sebagai %(position)s %(actor)s") % {
            "person": self.person_name,
            "position": self.position_label,
            "actor": self.actor.name,
        }

    @property
    def person_name(self):
        return self.user.display_name if self.user_id else self.full_name

    @property
    def is_acting(self):
        return self.mode != Membership.Mode.DEFINITIVE

    @property
    def position_label(self):
        if self.is_acting:
            return f"{self.get_mode_display()} {self.position.name}"
        return self.position.name

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    def snapshot(self):
        """What the proposal says, for the version history."""
        return {
            "actor": self.actor.name,
            "position": self.position_label,
            "person": self.person_name,
            "user_id": self.user_id,
            "nip": self.nip,
            "email": self.email,
            "phone": self.phone,
            "agency": self.agency,
            "mode": self.mode,
            "acting_for": self.acting_for_id,
            "replaces": self.replaces_id,
            "start_date": str(self.start_date),
            "end_date": str(self.end_date) if self.end_date else None,
            "reason": self.reason,
        }


class ProposalVersion(models.Model):
    """The proposal as it was each time it was submitted."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions", verbose_name=_("usulan"))
    number = models.PositiveSmallIntegerField(_("versi"))
    data = models.JSONField(_("isi"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diajukan oleh")
    )
    submitted_at = models.DateTimeField(_("diajukan pada"), default=timezone.now)

    class Meta:
        app_label = "actors"
        ordering = ["proposal", "number"]
        verbose_name = _("versi usulan")
        verbose_name_plural = _("versi usulan")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"],
                name="proposal_version_unique",
                violation_error_message=_("Versi ini sudah tercatat."),
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id} v{self.number}"


class ProposalAttachment(Attachment):
    class Kind(models.TextChoices):
        DRAFT_DECREE = "draf-sk", _("Draf SK")
        CV = "cv", _("Daftar riwayat hidup")
        OTHER = "lain", _("Lainnya")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("usulan")
    )
    kind = models.CharField(_("jenis lampiran"), max_length=10, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(_("versi usulan"))
    file = models.FileField(_("berkas"), upload_to=proposal_upload_to, max_length=300)

    class Meta:
        app_label = "actors"
        ordering = ["version", "uploaded_at", "id"]
        verbose_name = _("lampiran usulan")
        verbose_name_plural = _("lampiran usulan")


class Decree(models.Model):
    """The Governor's decree (SK) that approved a proposal. One per proposal:
    the unique proposal column is what makes two simultaneous approvals
    create one decree."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="decree", verbose_name=_("usulan"))
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="decrees", verbose_name=_("pelaku"))
    number = models.CharField(
        _("nomor SK"), max_length=100, help_text=_("Sesuai tertulis, mis. 188/379/KPTS/013/2021.")
    )
    date = models.DateField(_("tanggal SK"))
    subject = models.CharField(_("tentang"), max_length=300)
    signed_by = models.CharField(_("ditandatangani oleh"), max_length=150)
    start_date = models.DateField(_("berlaku mulai"))
    end_date = models.DateField(_("berlaku sampai"), null=True, blank=True)
    scan = models.FileField(_("pindaian SK"), upload_to=decree_upload_to, max_length=300)
    scan_name = models.CharField(_("nama berkas"), max_length=120)
    scan_content_type = models.CharField(_("jenis berkas"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dicatat oleh")
    )
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        app_label = "actors"
        ordering = ["-date", "-id"]
        verbose_name = _("surat keputusan")
        verbose_name_plural = _("surat keputusan")
        constraints = [
            models.CheckConstraint(
                condition=~Q(number=""),
                name="decree_number_required",
                violation_error_message=_("Nomor SK wajib diisi."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="decree_end_not_before_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
        ]

    def __str__(self):
        return _("SK %(number)s") % {"number": self.number}


class Handover(models.Model):
    """Open tasks of a predecessor moved to the successor, once per ended
    membership (the unique predecessor makes the reconcile step idempotent)."""

    predecessor = models.OneToOneField(
        Membership, on_delete=models.PROTECT, related_name="handover", verbose_name=_("pendahulu")
    )
    successor = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+", verbose_name=_("pengganti"))
    tasks_moved = models.PositiveIntegerField(_("tugas dialihkan"), default=0)
    at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        app_label = "actors"
        ordering = ["-at"]
        verbose_name = _("serah terima")
        verbose_name_plural = _("serah terima")

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


class ProposalGroupObjectPermission(GroupObjectPermissionBase):
    """Direct foreign-key guardian rows (group, permission, proposal), granted
    to actor groups only (see appointments/permissions.py)."""

    content_object = models.ForeignKey(Proposal, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        app_label = "actors"
        verbose_name = _("izin grup atas usulan")
        verbose_name_plural = _("izin grup atas usulan")


class ProposalUserObjectPermission(UserObjectPermissionBase):
    """Keeps guardian off its generic table for proposals; stays empty."""

    content_object = models.ForeignKey(Proposal, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        app_label = "actors"
        verbose_name = _("izin pengguna atas usulan")
        verbose_name_plural = _("izin pengguna atas usulan")
