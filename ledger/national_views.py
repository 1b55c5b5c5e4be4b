"""/buku-tugas/nasional/: seknas's coverage matrix (ledger.national), one
quarter (?periode=2026-Q4; by default the current quarter in Jakarta), each
cell leading to the actor's ledger (read-only for seknas)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from core.periods import period_label

from . import national, permissions, standing

# How many quarters the page offers, the current one included.
QUARTERS_OFFERED = 12


def offered_quarters(current):
    quarters = [current]
    while len(quarters) < QUARTERS_OFFERED:
        quarters.append(quarters[-1].previous())
    return quarters


class CoverageFilterForm(forms.Form):
    periode = forms.ChoiceField(label=_("Triwulan"))

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = [(q.key, period_label(q.key)) for q in quarters]
        self.fields["periode"].initial = quarters[0].key
        self.fields["periode"].error_messages["invalid_choice"] = _(
            "Pilih triwulan dari daftar (mis. %(example)s)."
        ) % {"example": quarters[0].key}


@require_safe
def national_view(request):
    if not permissions.is_national(request.user):
        raise PermissionDenied
    # Seknas sits in Jakarta: its quarter is Jakarta's.
    current = standing.current_quarter(None)
    form = CoverageFilterForm(request.GET if "periode" in request.GET else None, quarters=offered_quarters(current))
    period, matrix, status = current, None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        if form.is_bound:
            period = standing.quarter(form.cleaned_data["periode"])
        matrix = national.build(period, national.provinces_for())
    context = {"form": form, "period": period, "matrix": matrix}
    return render(request, "ledger/national.html", context, status=status)
