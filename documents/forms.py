from django import forms
from django.utils.translation import gettext_lazy as _

from . import codes

UNKNOWN_CODE = _("Kode verifikasi ini tidak dikenal. Periksa kembali kode yang tertulis di bawah kode QR.")
PDF_HELP = _("Pilih atau seret berkas PDF dokumen itu ke sini. Berkas hanya dihitung sidik jarinya, tidak disimpan.")


class VerifyForm(forms.Form):
    """A code as printed under the QR code, or the PDF file, or both (then
    the file is compared with that code's document)."""

    kode = forms.CharField(
        label=_("Kode verifikasi"),
        required=False,
        help_text=_("Tertulis di bawah kode QR, mis. k3m9-…; huruf besar atau kecil, dengan atau tanpa tanda hubung."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )
    berkas = forms.FileField(
        label=_("Berkas PDF"),
        required=False,
        help_text=_(
            "Pilih atau seret berkas PDF dokumen itu ke sini. Berkas hanya dihitung sidik jarinya, tidak disimpan."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_kode(self):
        typed = self.cleaned_data["kode"].strip()
        if not typed:
            return None
        # One answer for every wrong code: it never says which part was wrong.
        code = codes.normalize(typed)
        if code is None:
            raise forms.ValidationError(UNKNOWN_CODE, code="unknown")
        return code

    def clean_berkas(self):
        hashed = self.cleaned_data["berkas"]
        if hashed and not hashed.looks_like_pdf:
            raise forms.ValidationError(_("Berkas ini bukan PDF. Pilih berkas PDF dokumen yang hendak diperiksa."))
        return hashed

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("kode") and not cleaned.get("berkas"):
            raise forms.ValidationError(_("Ketik kode verifikasi, atau pilih berkas PDF-nya."))
        return cleaned


class CompareForm(forms.Form):
    """The PDF file to compare with the document on its verification page."""

    berkas = forms.FileField(
        label=_("Berkas PDF"),
        required=False,
        help_text=PDF_HELP,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_berkas(self):
        hashed = self.cleaned_data["berkas"]
        if not hashed:
            raise forms.ValidationError(_("Pilih berkas PDF yang hendak dicocokkan."))
        if not hashed.looks_like_pdf:
            raise forms.ValidationError(_("Berkas ini bukan PDF. Pilih berkas PDF dokumen yang hendak diperiksa."))
        return hashed
