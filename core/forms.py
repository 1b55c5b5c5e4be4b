"""Form pieces shared by the apps."""

import re
from urllib.parse import parse_qsl

from django import forms
from django.conf import settings
from django.core import validators
from django.core.exceptions import TooManyFieldsSent, ValidationError
from django.http import QueryDict
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


# Control characters ---------------------------------------------------------

# C0 and C1 control characters and DEL, except tab and newline; a carriage
# return only as the first half of CRLF (what browsers send for a newline).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


CONTROL_CHARACTERS_MESSAGE = _(
    "Teks berisi karakter kontrol yang tidak terlihat, biasanya terbawa saat menyalin. Hapus lalu ketik ulang."
)


def no_control_characters(value):
    """Refuse text with control characters (a pasted form feed, an escape
    sequence, a NUL): they break the PDF and Excel exports and are invisible
    on the page. Tab, newline and CRLF are text."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")


class NoControlCharacters:
    """A form mixin: every free-text field (a CharField, password fields
    excepted) refuses control characters, the fields a form adds in its own
    __init__ included. Replaces Django's own NUL check on those fields, so a
    NUL gets one message, not two."""

    def full_clean(self):
        for field in self.fields.values():
            if (
                isinstance(field, forms.CharField)
                and not isinstance(field.widget, forms.PasswordInput)
                and no_control_characters not in field.validators
            ):
                field.validators = [
                    v for v in field.validators if not isinstance(v, validators.ProhibitNullCharactersValidator)
                ]
                field.validators.append(no_control_characters)
        super().full_clean()


# A POST with more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS ------------------


def read_post_with_field_limit(request, max_fields):
    """request.POST for a view that legitimately takes more fields than
    DATA_UPLOAD_MAX_NUMBER_FIELDS (a table of many rows), for that view only.

    Django checks its limit when request.POST is first read, so the view must
    be csrf_exempt and check the token after this (csrf_protect), the pattern
    Django documents for changing upload handlers per view. A form-encoded
    body (what a browser sends for a form without files) is parsed here with
    `max_fields` as the limit, the way QueryDict parses it; anything else is
    left to Django's own limit. Raises TooManyFieldsSent past the limit, and
    RequestDataTooBig past DATA_UPLOAD_MAX_MEMORY_SIZE, as Django would."""
    if request.method != "POST" or request.content_type != "application/x-www-form-urlencoded":
        return request.POST
    encoding = request.encoding or settings.DEFAULT_CHARSET
    body = request.body
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        text = body.decode("iso-8859-1")
    try:
        pairs = parse_qsl(text, keep_blank_values=True, encoding=encoding, max_num_fields=max_fields)
    except ValueError:
        raise TooManyFieldsSent(
            f"The number of GET/POST parameters exceeded this view's limit of {max_fields}."
        ) from None
    post = QueryDict(mutable=True, encoding=encoding)
    for key, value in pairs:
        post.appendlist(key, value)
    request.POST = post
    return post


# Notification preferences ---------------------------------------------------


class EmailPreferenceForm(forms.Form):
    """Per kind of notification: by email too, or in the app only. One
    required choice per kind (core.notifications.OPTIONAL_KINDS): a value
    other than the two offered is refused with a message, never read as
    "on" or "off"."""

    EMAIL, APP_ONLY = "email", "aplikasi"
    HELP = {
        "tugas": _("Tugas terlambat, tindak lanjut rapat yang menjadi tugas Anda."),
        "laporan": _("Laporan yang dikirim kepada Anda, hasil telaah, pengingat tenggat dan keterlambatan."),
        "rapat": _("Undangan, pengingat, perubahan, penundaan, pembatalan rapat dan notulen yang disahkan."),
        "penetapan": _("Usulan penetapan yang diajukan, diputuskan atau menunggu, penetapan dan akhir masa jabatan."),
    }

    def __init__(self, *args, choices_now=None, **kwargs):
        from .notifications import OPTIONAL_KINDS

        super().__init__(*args, **kwargs)
        choices = [(self.EMAIL, _("Di aplikasi dan lewat email")), (self.APP_ONLY, _("Hanya di aplikasi"))]
        for kind in OPTIONAL_KINDS:
            on = (choices_now or {}).get(kind, True)
            self.fields[kind] = forms.ChoiceField(
                label=kind.label,
                choices=choices,
                initial=self.EMAIL if on else self.APP_ONLY,
                help_text=self.HELP.get(kind.value, ""),
                error_messages={
                    "required": _("Pilih apakah pemberitahuan jenis ini juga dikirim lewat email."),
                    "invalid_choice": _("Pilih salah satu pilihan yang tersedia."),
                },
            )

    def email_choices(self):
        """{kind: email on?} of the cleaned form."""
        return {kind: value == self.EMAIL for kind, value in self.cleaned_data.items()}


def add_errors(form, exc):
    """A service's ValidationError on the form: per field when it has a dict
    of errors (a field the form does not have goes to the form as a whole),
    else (one message, or a list) for the form as a whole."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
