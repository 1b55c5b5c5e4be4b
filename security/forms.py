from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from . import services


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Kata sandi Anda saat ini"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Kode 6 angka dari aplikasi autentikator"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=9,
        error_messages={"invalid": _("Masukkan 6 angka, mis. 123456.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}),
    )


class VerifyForm(forms.Form):
    """The login's code: 6 digits from the app, or a recovery code."""

    token = forms.RegexField(
        label=_("Kode 6 angka dari aplikasi autentikator, atau kode pemulihan"),
        regex=r"^\s*(\d{3}\s?\d{3}|[A-Za-z0-9]{4}[\s-]?[A-Za-z0-9]{4}[\s-]?[A-Za-z0-9]{4})\s*$",
        max_length=20,
        error_messages={"invalid": _("Masukkan 6 angka dari aplikasi (mis. 123456) atau satu kode pemulihan.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "size": 16}),
    )


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the old password checked like a login
    (security.services.password_matches): wrong ones count towards the
    login lockout, and a locked account's password is refused here too."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not services.password_matches(self.request, self.user, old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
