from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import NoControlCharacters

from .models import PersonalAccessToken
from .tokens import DEFAULT_DAYS, MAX_DAYS


class TokenForm(NoControlCharacters, forms.Form):
    name = forms.CharField(
        label=_("Nama"), max_length=80, help_text=_("Untuk apa token ini, mis. 'Dasbor seknas' atau 'Ponsel'.")
    )
    scope = forms.ChoiceField(
        label=_("Cakupan"),
        choices=PersonalAccessToken.Scope.choices,
        initial=PersonalAccessToken.Scope.READ,
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(
        label=_("Berlaku (hari)"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        help_text=_("Paling lama %(max)s hari.") % {"max": MAX_DAYS},
    )
