"""The assessment across reports (reports.assessment): the page and its
Excel export, both from assessment.build().

Who: seknas (every province, and the national scope), the TK and the
Governor's office of a province (their province); anyone else gets a 403.
A unit outside the person's provinces is a 404, exactly like a missing one.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core import clock
from core.forms import NoControlCharacters

from . import assessment, permissions

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AssessmentFilterForm(NoControlCharacters, forms.Form):
    """The page's GET parameters: the report type, the year and the scope (a
    province, a kabupaten or a kecamatan by its official code). The codes'
    form is checked here; whether the unit exists and is the person's, in
    assessment.build() (a 404)."""

    jenis = forms.ChoiceField(label=gettext_lazy("Jenis laporan"), required=False)
    provinsi = forms.RegexField(
        regex=r"^\d{2}\Z",
        label=gettext_lazy("Provinsi"),
        required=False,
        widget=forms.Select,
        error_messages={"invalid": gettext_lazy("Kode provinsi ditulis dua angka, mis. 33.")},
    )
    kabupaten = forms.RegexField(
        regex=r"^\d{2}\.\d{2}\Z",
        label=gettext_lazy("Kabupaten/Kota"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": gettext_lazy("Kode kabupaten/kota ditulis seperti 33.01.")},
    )
    kecamatan = forms.RegexField(
        regex=r"^\d{2}\.\d{2}\.\d{2}\Z",
        label=gettext_lazy("Kecamatan"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": gettext_lazy("Kode kecamatan ditulis seperti 33.01.15.")},
    )

    def __init__(self, *args, report_types, provinces, national, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jenis"].choices = [(t.code, t.name) for t in report_types]
        # From 2000 to a year ahead of the latest zone's.
        self.fields["tahun"] = forms.IntegerField(
            label=_("Tahun"), required=False, min_value=2000, max_value=clock.today_span()[1].year + 1
        )
        self.order_fields(["jenis", "tahun", "provinsi", "kabupaten", "kecamatan"])
        choices = [(p.code, p.name) for p in provinces]
        if national:
            choices.insert(0, ("", _("Semua provinsi")))
        self.fields["provinsi"].widget.choices = choices
        # Shown only when there is a choice to make.
        self.show_type = len(report_types) > 1
        self.show_province = len(choices) > 1

    def clean(self):
        data = super().clean()
        chain = [data.get("provinsi"), data.get("kabupaten"), data.get("kecamatan")]
        for outer, inner in zip(chain, chain[1:], strict=False):
            if outer and inner and not inner.startswith(outer + "."):
                raise forms.ValidationError(
                    _("Wilayah %(inner)s tidak berada di dalam %(outer)s.") % {"inner": inner, "outer": outer}
                )
        return data

    def scope_code(self):
        data = self.cleaned_data
        return data.get("kecamatan") or data.get("kabupaten") or data.get("provinsi") or ""


def _assessment(request):
    """(form, data or None, status): the page's filter and what build()
    returned for it. PermissionDenied for a person with no province here,
    Http404 for a unit that is missing or not theirs."""
    provinces = permissions.assessment_provinces(request.user)
    if not provinces:
        raise PermissionDenied
    national = permissions.is_national_viewer(request.user)
    report_types = assessment.assessment_types()
    form = AssessmentFilterForm(request.GET or None, report_types=report_types, provinces=provinces, national=national)
    if form.is_bound and not form.is_valid():
        return form, None, 400
    data = form.cleaned_data if form.is_bound else {}
    if not report_types:
        return form, None, 200
    report_type = next((t for t in report_types if t.code == data.get("jenis")), report_types[0])
    code = form.scope_code() if form.is_bound else ""
    if not code and not national:
        code = provinces[0].code
    scope = assessment.Scope.of(code)
    by_code = {p.code: p for p in provinces}
    if scope.level != assessment.NATIONAL and scope.province_code not in by_code:
        raise Http404
    # The current year in the province's zone (Jakarta's for the whole country).
    year = data.get("tahun") or clock.local_today(by_code.get(scope.province_code)).year
    form.fields["tahun"].initial = year
    form.fields["provinsi"].initial = scope.province_code
    # Below a province, the crumbs lead elsewhere: a province chosen there
    # would contradict the kabupaten or kecamatan the form keeps.
    form.show_province = form.show_province and scope.level in (assessment.NATIONAL, assessment.Level.PROVINSI)
    try:
        built = assessment.build(
            user=request.user, report_type=report_type, year=year, scope=scope, provinces=provinces
        )
    except assessment.NoSuchUnit:
        raise Http404 from None
    return form, built, 200


def _links(request, data):
    """Each row's drill-down link and the crumbs up the tree (province,
    kabupaten, kecamatan; the last one is the page itself), keeping the
    page's type and year."""
    keep = {k: request.GET[k] for k in ("jenis", "tahun") if request.GET.get(k)}

    def href(level, code):
        return "?" + urlencode({**keep, level: code})

    child = assessment.CHILD[data["scope"].level]
    for row in [*data["rows"], *data["counts"]]:
        row["href"] = href(child, row["code"]) if row["drill"] else ""
    scope, own = data["scope"], data["own"]
    if scope.level == assessment.NATIONAL:
        return []
    trail = [(assessment.Level.PROVINSI, scope.province_code, data["province"].name)]
    if scope.level == assessment.Level.KECAMATAN and own.parent:
        trail.append((own.parent.level, own.parent.code, own.parent.short_name))
    if scope.level != assessment.Level.PROVINSI:
        trail.append((scope.level, scope.code, own.short_name))
    return [
        {"label": label, "href": href(level, code) if i < len(trail) - 1 else ""}
        for i, (level, code, label) in enumerate(trail)
    ]


@require_safe
def assessment_view(request):
    form, data, status = _assessment(request)
    context = {"form": form, "data": data, "crumbs": [], "query": request.GET.urlencode()}
    if data:
        context["crumbs"] = _links(request, data)
        context["header"] = assessment.table_header(data)
        context["counts_header"] = assessment.counts_header(data)
        context["total_label"] = assessment.total_label(data)
        context["scope_name"] = assessment.scope_name(data)
        context["unmatched_text"] = assessment.unmatched_text(data["unmatched"])
    return render(request, "reports/assessment.html", context, status=status)


@require_safe
def assessment_xlsx(request):
    form, data, status = _assessment(request)
    if status != 200:
        return HttpResponse(_("Saringan tidak valid."), status=400, content_type="text/plain; charset=utf-8")
    if data is None:
        raise Http404
    scope = data["scope"].code or "nasional"
    filename = f"penilaian-{data['type'].code}-{data['year']}-{scope}.xlsx"
    response = HttpResponse(assessment.workbook(data), content_type=XLSX)
    # A permission-checked file: no cache keeps a copy (as core.files.attachment_response).
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
