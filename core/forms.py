"""Form pieces shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import clock

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SaneDateField(forms.DateField):
    """A date between 2000 and ten years from now, in ISO or dd/mm/yyyy form."""

    default_error_messages = {
        "invalid": _("Tanggal tidak valid. Gunakan format TTTT-BB-HH, mis. 2026-11-30."),
        "out_of_range": _("Tanggal harus antara tahun 2000 dan %(max_year)s."),
    }
    widget = DateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except (OverflowError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        super().validate(value)
        max_year = clock.local_today().year + 10
        if value and not (2000 <= value.year <= max_year):
            raise ValidationError(
                self.error_messages["out_of_range"], code="out_of_range", params={"max_year": max_year}
            )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, max_files=10, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            if len(data) > self.max_files:
                raise ValidationError(_("Paling banyak %(n)s berkas sekaligus."), params={"n": self.max_files})
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ModelIdsField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField that refuses ids no database integer can hold
    before querying: Django's own field lets "99999999999999999999" reach an
    `id IN (...)` query, which SQLite answers with OverflowError (a 500)."""

    MAX_ID = 2**63 - 1

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            # isascii: "²".isdigit() is true, but int("²") raises ValueError.
            if not (text.isascii() and text.isdigit()) or int(text) > self.MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)
