"""The official region tree (Kemendagri): provinsi, kabupaten/kota,
kecamatan and desa/kelurahan with their codes, loaded from a versioned data
package by `manage.py load_regions` (regions/edition.py). Reference data:
nobody edits it by hand, and a unit a newer edition drops is retired, never
deleted, because submitted reports still cite it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import clock


class RegionQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(retired_in="")


class Region(models.Model):
    class Level(models.TextChoices):
        # The same values as reports.AssessmentRow.Level.
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten/Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Desa/Kelurahan")

    # The level of a code by its number of dot-separated parts: 33, 33.01,
    # 33.01.15, 33.01.15.2001.
    LEVEL_OF_PARTS = {1: Level.PROVINSI, 2: Level.KABUPATEN, 3: Level.KECAMATAN, 4: Level.DESA}

    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    name = models.CharField(_("nama"), max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("induk")
    )
    province_code = models.CharField(_("kode provinsi"), max_length=2)
    search_name = models.CharField(_("nama untuk pencarian"), max_length=100, editable=False)
    added_in = models.CharField(
        _("dimuat dari edisi"),
        max_length=60,
        help_text=_("Edisi data yang pertama memuatnya, mis. idn-area-data 4.0.1."),
    )
    retired_in = models.CharField(
        _("dihapus pada edisi"),
        max_length=60,
        blank=True,
        help_text=_("Kosong: masih berlaku. Wilayah yang dihapus tetap disimpan karena laporan lama menyebutnya."),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        indexes = [
            # The picker's search: one province, one level, a name fragment
            # (LIKE 'x%' uses it on PostgreSQL through the pattern operators).
            models.Index(
                fields=["province_code", "level", "search_name"],
                name="region_search",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            # Descendants of a unit by code prefix (33.01.%).
            models.Index(fields=["code"], name="region_code_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return f"{self.label}"

    @property
    def short_name(self):
        """'Kab. Cilacap' for 'Kabupaten Cilacap'; other names as they are."""
        prefix = "Kabupaten "
        return f"Kab. {self.name[len(prefix) :]}" if self.name.startswith(prefix) else self.name

    @property
    def context(self):
        """Where the unit lies, for a reader who does not know it: the
        kabupaten of a kecamatan, the kecamatan and kabupaten of a desa.
        Reads parent and grandparent (select_related("parent__parent"))."""
        if self.level == self.Level.KECAMATAN and self.parent:
            return self.parent.short_name
        if self.level == self.Level.DESA and self.parent:
            regency = self.parent.parent
            district = f"Kec. {self.parent.name}"
            return f"{district}, {regency.short_name}" if regency else district
        return ""

    @property
    def printed_name(self):
        """The name as a report prints it: 'Wanareja — Kab. Cilacap'."""
        return f"{self.name} — {self.context}" if self.context else self.name

    @property
    def label(self):
        """'Wanareja — Kab. Cilacap (33.01.15)', as the picker shows it."""
        return f"{self.printed_name} ({self.code})"

    @property
    def retired(self):
        return bool(self.retired_in)

    @classmethod
    def level_of_code(cls, code):
        return cls.LEVEL_OF_PARTS.get(len(code.split(".")))

    @staticmethod
    def ancestor_codes(code):
        """'33.01.15.2001' -> ['33', '33.01', '33.01.15']."""
        parts = code.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]


class RegionLoad(models.Model):
    """One run of load_regions that changed something, or its first run: the
    edition, the provinces it covered and what it did. Written by the loader,
    read by people (the admin) and smoke_check."""

    edition = models.CharField(_("edisi"), max_length=60)
    licence = models.CharField(_("lisensi"), max_length=100)
    provinces = models.CharField(_("provinsi"), max_length=200, help_text=_("Kosong: semua provinsi."), blank=True)
    loaded_at = models.DateTimeField(_("dimuat pada"), auto_now_add=True)
    added = models.PositiveIntegerField(_("ditambah"))
    changed = models.PositiveIntegerField(_("diubah"))
    retired = models.PositiveIntegerField(_("dihapus (disimpan)"))
    total = models.PositiveIntegerField(_("jumlah wilayah dalam edisi"))

    class Meta:
        ordering = ["-loaded_at", "-id"]
        get_latest_by = "loaded_at"
        verbose_name = _("pemuatan data wilayah")
        verbose_name_plural = _("pemuatan data wilayah")

    def __str__(self):
        # The tree is national: its loads are dated in Jakarta.
        return f"{self.edition} ({timezone.localtime(self.loaded_at, clock.zone_of()):%Y-%m-%d})"
