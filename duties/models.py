"""The 33 duties of the seed document."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from actors.models import ActorKind


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
        return f"{self.ref} {self.text[:60]}"

    @property
    def ref(self):
        """Stable reference to the seed line, e.g. 'PjOProv-5'."""
        return f"{self.kind.short_name}-{self.number}"
