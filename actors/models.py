"""Provinces, the program's actors, the people in them and their terms."""

from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext_lazy as _

from core import clock
from core.permissions import RestrictedQuerySet


def normalise_nip(value):
    """A NIP as compared everywhere: '19800101 200501 2 001' is 198001012005012001."""
    return "".join((value or "").split())


class User(AbstractUser):
    """A person who logs in. Which actor they work for is a Membership."""

    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        help_text=_("Nomor Induk Pegawai (18 digit), untuk pegawai negeri sipil."),
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    agency = models.CharField(_("instansi"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            # One person, one account: a NIP (spaces ignored) belongs to one
            # account. Migration 0005 refuses to add it over duplicates.
            models.UniqueConstraint(
                Replace("nip", Value(" "), Value("")),
                condition=~Q(nip=""),
                name="user_nip_unique",
                violation_error_message=_("NIP ini sudah dipakai oleh akun lain."),
            ),
        ]

    def __str__(self):
        return self.display_name

    def clean(self):
        super().clean()
        self.nip = normalise_nip(self.nip)

    @property
    def display_name(self):
        return self.full_name or self.get_full_name() or self.username

    def home_zone(self):
        """The time zone of the province this person works in today (their
        earliest current seat in a provincial actor), or None for someone
        who sits only in a national actor, or nowhere: their dates are Jakarta's."""
        return (
            Membership.objects.current()
            .filter(user=self, actor__province__isnull=False)
            .order_by("start_date", "pk")
            .values_list("actor__province__timezone", flat=True)
            .first()
        )


class Province(models.Model):
    class Zone(models.TextChoices):
        WIB = "Asia/Jakarta", "WIB"
        WITA = "Asia/Makassar", "WITA"
        WIT = "Asia/Jayapura", "WIT"

    code = models.CharField(
        _("kode Kemendagri"), max_length=2, unique=True, help_text=_("Kode wilayah Kemendagri, mis. 33.")
    )
    bps_code = models.CharField(
        _("kode BPS"),
        max_length=2,
        blank=True,
        help_text=_("Kode BPS; berbeda dari kode Kemendagri untuk beberapa provinsi."),
    )
    name = models.CharField(_("nama"), max_length=100, unique=True)
    timezone = models.CharField(_("zona waktu"), max_length=20, choices=Zone.choices, default=Zone.WIB)

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self):
        return self.name

    @property
    def zone_label(self):
        return self.Zone(self.timezone).label

    @property
    def tzinfo(self):
        return ZoneInfo(self.timezone)

    def today(self):
        """The calendar date it is now in this province (core.clock)."""
        return clock.local_today(self)


class ActorKind(models.Model):
    """One of the program's actors (pelaku), e.g. PjOProv; rows come from the seed."""

    class Level(models.TextChoices):
        PROVINCIAL = "provinsi", _("Provinsi")
        NATIONAL = "nasional", _("Nasional")

    # Codes the application refers to; the rows themselves are data.
    GUBERNUR = "gubernur"
    TKPKD = "tkpkd"
    TK_PROVINSI = "tk-provinsi"
    PJOPROV = "pjoprov"
    KMW = "kmw"
    SEKNAS = "seknas"
    TK_PUSAT = "tk-pusat"

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200, help_text=_("Nama sesuai dokumen sumber."))
    short_name = models.CharField(_("nama singkat"), max_length=50)
    description = models.TextField(_("uraian"), blank=True, help_text=_("Uraian peran sesuai dokumen sumber."))
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    seed_number = models.PositiveSmallIntegerField(
        _("nomor di dokumen sumber"), null=True, blank=True, help_text=_("Urutan pelaku di dokumen sumber (1-5).")
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("jenis pelaku")
        verbose_name_plural = _("jenis pelaku")

    def __str__(self):
        return self.short_name


class ActorRelation(models.Model):
    """Who answers to whom, as data: "TKPKD is responsible to the Gubernur"."""

    class Relation(models.TextChoices):
        RESPONSIBLE_TO = "bertanggung-jawab", _("bertanggung jawab kepada")
        APPOINTED_BY = "ditetapkan", _("ditetapkan oleh")
        GUIDED_BY = "dibina", _("dibina oleh")
        SUPERVISED_BY = "diawasi", _("diawasi kinerjanya oleh")
        EXECUTES_FOR = "pelaksana-harian", _("pelaksana harian dari")
        REPORTS_TO = "melapor", _("melapor kepada")
        COPY_TO = "tembusan", _("tembusan kepada")

    source = models.ForeignKey(
        ActorKind, on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("pelaku")
    )
    relation = models.CharField(_("hubungan"), max_length=30, choices=Relation.choices)
    target = models.ForeignKey(
        ActorKind, on_delete=models.CASCADE, related_name="relations_in", verbose_name=_("kepada")
    )
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["source__order", "order"]
        verbose_name = _("hubungan antar pelaku")
        verbose_name_plural = _("hubungan antar pelaku")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "relation", "target"],
                name="actor_relation_unique",
                violation_error_message=_("Hubungan ini sudah tercatat."),
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")),
                name="actor_relation_not_self",
                violation_error_message=_("Pelaku tidak dapat berhubungan dengan dirinya sendiri."),
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.get_relation_display()} {self.target}"


class ActorQuerySet(RestrictedQuerySet):
    def provincial(self):
        return self.filter(province__isnull=False)

    def national(self):
        return self.filter(province__isnull=True)


class Actor(models.Model):
    """An actor in one province (PjOProv Jawa Tengah) or a national body (seknas).

    Each actor owns one auth group: a current member is in the group, and
    object permissions are granted to the group, never to people.
    """

    kind = models.ForeignKey(ActorKind, on_delete=models.PROTECT, related_name="actors", verbose_name=_("jenis"))
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actors",
        verbose_name=_("provinsi"),
        help_text=_("Kosong untuk lembaga nasional."),
    )
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="actor", verbose_name=_("grup"))

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["province__code", "kind__order"]
        verbose_name = _("pelaku")
        verbose_name_plural = _("pelaku")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "province"],
                condition=Q(province__isnull=False),
                name="actor_one_per_kind_and_province",
                violation_error_message=_("Provinsi ini sudah memiliki pelaku jenis ini."),
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(province__isnull=True),
                name="actor_one_national_per_kind",
                violation_error_message=_("Lembaga nasional jenis ini sudah ada."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_for(self.kind.short_name, self.province.name if self.province_id else None)

    @staticmethod
    def name_for(kind_short_name, province_name=None):
        """ "PjOProv Jawa Tengah"; a national actor is its kind alone."""
        return f"{kind_short_name} {province_name}" if province_name else kind_short_name

    @staticmethod
    def group_name_for(kind_code, province_code=None):
        return f"{kind_code}-{province_code}" if province_code else kind_code


class Position(models.Model):
    """A seat in an actor (ketua, sekretaris, koordinator...); editable by an admin."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    kinds = models.ManyToManyField(
        ActorKind,
        blank=True,
        related_name="positions",
        verbose_name=_("untuk pelaku"),
        help_text=_("Kosong berarti dapat dipakai semua pelaku."),
    )
    is_head = models.BooleanField(
        _("pimpinan"), default=False, help_text=_("Hanya satu orang menjabat pada satu waktu (mis. ketua).")
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """Memberships in force on `on`; without it, in force today in each
        one's own province (a WIT term that ends today ends at Papua's
        midnight) and in Jakarta for national actors."""
        if on is not None:
            return self.filter(_in_force(on))
        earliest, latest = clock.today_span()
        if earliest == latest:  # 22 hours a day every zone has the same date
            return self.filter(_in_force(earliest))
        by_zone = Q(actor__province__isnull=True) & _in_force(clock.local_today())
        for zone in clock.ZONES:
            by_zone |= Q(actor__province__timezone=zone) & _in_force(clock.local_today(zone))
        return self.filter(by_zone)


def _in_force(on):
    return (Q(end_date__isnull=True) | Q(end_date__gte=on)) & Q(start_date__lte=on)


class Membership(models.Model):
    """A person's seat in an actor for a term. Being current is the access grant."""

    class Mode(models.TextChoices):
        DEFINITIVE = "definitif", _("Definitif")
        PLT = "plt", _("Plt.")
        PJ = "pj", _("Pj.")
        PLH = "plh", _("Plh.")

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("orang"))
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("pelaku"))
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+", verbose_name=_("jabatan"))
    mode = models.CharField(_("status jabatan"), max_length=10, choices=Mode.choices, default=Mode.DEFINITIVE)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("selesai"), null=True, blank=True, help_text=_("Kosong bila belum ditentukan."))
    acting_for = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bertindak untuk"),
        help_text=_("Pejabat definitif yang diwakili oleh Plt./Pj./Plh.; kosong bila jabatan lowong."),
    )
    decree = models.ForeignKey(
        "actors.Decree",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("surat keputusan"),
    )
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("menggantikan"),
        help_text=_("Keanggotaan yang diakhiri oleh penetapan ini; tugas terbukanya diserahterimakan."),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["actor", "position__order", "start_date"]
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_not_before_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
        ]
        indexes = [
            # sync_actor_groups() and the home page: "memberships of this user in force today".
            models.Index(fields=["user", "start_date", "end_date"], name="membership_user_term"),
        ]

    def __str__(self):
        return f"{self.user} - {self.position_label} {self.actor}"

    @property
    def is_acting(self):
        return self.mode != self.Mode.DEFINITIVE

    @property
    def position_label(self):
        """'Plt. Ketua' for an acting official, 'Ketua' otherwise."""
        if self.is_acting:
            return f"{self.get_mode_display()} {self.position.name}"
        return self.position.name

    def is_current(self, on=None):
        if on is None:
            on = clock.local_today(self.actor.province)
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)
