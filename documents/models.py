"""The record of an issued document: one per submitted report version,
recorded decree (SK) and approved minutes, made when the document is issued
and never changed. It holds what the paper shows, the SHA-256 of the stored
PDF's exact bytes and the unguessable code its QR code points to."""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, Province
from core.models import AppendOnly


def document_upload_to(instance, filename):
    return f"documents/{instance.issued_at:%Y/%m}/{uuid.uuid4().hex}/{filename}"


class Document(AppendOnly):
    class Kind(models.TextChoices):
        REPORT = "laporan", _("Laporan")
        DECREE = "sk", _("Surat keputusan (SK)")
        MINUTES = "notulen", _("Notulen rapat")

    code = models.CharField(_("kode verifikasi"), max_length=40, unique=True)
    kind = models.CharField(_("jenis dokumen"), max_length=20, choices=Kind.choices)
    # What the document is of (a report version, a decree, a minutes version):
    # the apps above say how it stands today (documents.standing).
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("provinsi")
    )
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="+", verbose_name=_("pelaku"))
    title = models.CharField(_("judul"), max_length=300)
    period = models.CharField(_("periode"), max_length=7, blank=True)
    subject = models.CharField(
        _("perihal"), max_length=300, blank=True, help_text=_("Rapat dan tanggalnya, atau nomor SK.")
    )
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    issued_at = models.DateTimeField(_("diterbitkan pada"))
    signer_name = models.CharField(_("nama penanda tangan"), max_length=150)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)
    on_behalf_of = models.CharField(_("atas nama"), max_length=200, blank=True)

    file = models.FileField(_("berkas PDF"), upload_to=document_upload_to, max_length=300)
    size = models.PositiveIntegerField(_("ukuran"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    signed = models.BooleanField(
        _("bertanda tangan elektronik"), help_text=_("PAdES, dengan sertifikat penandatanganan provinsi.")
    )
    certificate = models.CharField(_("sertifikat"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("dokumen terbit")
        verbose_name_plural = _("dokumen terbit")
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                name="document_one_per_source",
                violation_error_message=_("Dokumen ini sudah diterbitkan."),
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"

    @property
    def sha256_groups(self):
        """The hash in groups of eight, as people compare it (and a phone wraps it)."""
        return " ".join(self.sha256[i : i + 8] for i in range(0, len(self.sha256), 8))

    @property
    def code_words(self):
        from .codes import in_words

        return in_words(self.code)
