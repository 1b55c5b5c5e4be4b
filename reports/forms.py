import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import clock
from core.files import clean_upload
from core.forms import ModelIdsField, NoControlCharacters, SaneDateField
from core.periods import parse_period
from duties.models import Task

from . import permissions
from .models import AssessmentRow, Issue, Report, ReportReview, ReportSection, ReportType

MAX_ROWS = 300


def _blank(choices, label):
    return [("", label), *choices]


class ReportDraftForm(NoControlCharacters, forms.Form):
    """The sections (one text per section), the signature block and the
    evidence tasks. The assessment table and the issues are formsets."""

    signer_name = forms.CharField(label=_("Nama penanda tangan"), required=False, max_length=150)
    signer_position = forms.CharField(
        label=_("Jabatan penanda tangan"),
        required=False,
        max_length=150,
        help_text=_("Mis. Ketua Tim Koordinasi PNPM-MP Provinsi."),
    )
    sign_place = forms.CharField(label=_("Tempat"), required=False, max_length=100)
    sign_date = SaneDateField(label=_("Tanggal"), required=False)
    evidence_tasks = ModelIdsField(
        label=_("Tugas periode ini sebagai bukti"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, report, user, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.sections = sections
        section_fields = {}
        for section in sections:
            section_fields[f"section_{section.code}"] = forms.CharField(
                label=section.title,
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=section.help_text,
            )
        # Sections first, in their order; then the signature and evidence.
        self.fields = {**section_fields, **self.fields}
        tasks = Task.objects.for_user(user).filter(actor=report.actor).select_related("duty__kind")
        if report.period_start and report.period_end:
            tasks = tasks.filter(
                Q(period_start__lte=report.period_end, period_end__gte=report.period_start)
                | Q(period="", due_date__range=(report.period_start, report.period_end))
            )
        else:
            # Open tasks, and those done in the last 90 days of the province's calendar.
            since = clock.local_today(report.province) - datetime.timedelta(days=90)
            tasks = tasks.filter(
                Q(status__in=Task.OPEN_STATUSES)
                | Q(
                    completed_at__gte=datetime.datetime.combine(
                        since, datetime.time.min, clock.zone_of(report.province)
                    )
                )
            )
        self.fields["evidence_tasks"].queryset = tasks.order_by("due_date", "id")
        self.fields["evidence_tasks"].label_from_instance = lambda t: (
            f"{t.duty.ref}: {t.short_label(90)} ({t.period or '-'})"
        )

    def section_fields(self):
        return [self[f"section_{s.code}"] for s in self.sections]

    def signature_fields(self):
        return [self[name] for name in ("signer_name", "signer_position", "sign_place", "sign_date")]

    def texts(self):
        return {s.code: self.cleaned_data.get(f"section_{s.code}", "").strip() for s in self.sections}

    def signature(self):
        return {k: self.cleaned_data.get(k) for k in ("signer_name", "signer_position", "sign_place", "sign_date")}


class _RowForm(NoControlCharacters, forms.Form):
    """A row that is ignored unless the writer typed or chose something in
    it; partly filled rows must name the required fields.

    What the page shows before anyone touches it does not count: every select
    starts on an empty choice, so an untouched extra row posts only empty
    values and the formset skips it (has_changed() is false); and a value
    equal to a field's own default is not "something chosen" either."""

    REQUIRED: tuple = ()

    def is_filled(self, data):
        return any(
            value not in (None, "", False) and value != self.fields[name].initial
            for name, value in data.items()
            if name != "DELETE" and name in self.fields
        )

    def clean(self):
        data = super().clean()
        filled = self.is_filled(data)
        data["_empty"] = not filled or data.get("DELETE")
        if filled and not data.get("DELETE"):
            for name in self.REQUIRED:
                if not data.get(name):
                    self.add_error(name, _("Wajib diisi untuk baris ini."))
        return data


class AssessmentRowForm(_RowForm):
    REQUIRED = ("level", "unit_name", "rating")

    level = forms.ChoiceField(
        label=_("Tingkat"), required=False, choices=_blank(AssessmentRow.Level.choices, _("(pilih)"))
    )
    unit_code = forms.CharField(label=_("Kode wilayah"), required=False, max_length=20)
    unit_name = forms.CharField(label=_("Nama wilayah"), required=False, max_length=150)
    rating = forms.ChoiceField(
        label=_("Penilaian"), required=False, choices=_blank(AssessmentRow.Rating.choices, _("(pilih)"))
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500)


class IssueForm(_RowForm):
    REQUIRED = ("kind", "category", "description")

    kind = forms.ChoiceField(label=_("Jenis"), required=False, choices=())
    category = forms.ChoiceField(
        label=_("Kategori"), required=False, choices=_blank(Issue.Category.choices, _("(pilih)"))
    )
    description = forms.CharField(label=_("Uraian"), required=False, max_length=1000)
    # An empty choice first: an untouched row must post nothing. A filled
    # row left on it is "Belum ditangani" (clean below).
    state = forms.ChoiceField(label=_("Status"), required=False, choices=_blank(Issue.State.choices, _("(pilih)")))

    def __init__(self, *args, issue_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _blank([c for c in Issue.Kind.choices if c[0] in issue_kinds], _("(pilih)"))

    def clean(self):
        data = super().clean()
        if not data.get("_empty") and not data.get("state"):
            data["state"] = Issue.State.OPEN
        return data


AssessmentFormSet = forms.formset_factory(
    AssessmentRowForm, extra=1, can_delete=True, max_num=MAX_ROWS, validate_max=True
)
IssueFormSet = forms.formset_factory(IssueForm, extra=1, can_delete=True, max_num=MAX_ROWS, validate_max=True)
ROW_ERRORS = {"too_many_forms": _("Tabel ini paling banyak %(num)d baris. Hapus baris yang berlebih.")}


def formset_rows(formset, fields):
    # An untouched extra row is skipped by the formset and has no cleaned_data.
    return [
        {k: f.cleaned_data[k] for k in fields}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("_empty")
    ]


ASSESSMENT_FIELDS = ("level", "unit_code", "unit_name", "rating", "note")
ISSUE_FIELDS = ("kind", "category", "description", "state")

# How many fields the draft page may post: Django's limit for everything else
# on it, plus both tables one row past MAX_ROWS (each row's fields and its
# "delete" box), so that MAX_ROWS rows save and one more is told so by the
# formset instead of being a bare 400 (reports.views.report_edit).
_ROW_FIELDS = (MAX_ROWS + 1) * (len(ASSESSMENT_FIELDS) + 1 + len(ISSUE_FIELDS) + 1)
DRAFT_FIELD_LIMIT = (
    None if settings.DATA_UPLOAD_MAX_NUMBER_FIELDS is None else settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + _ROW_FIELDS
)


class DraftForms:
    """The draft page's form and formsets, bound or not, validated together:
    the normal save and the autosave use exactly this."""

    def __init__(self, report, user, data=None):
        sections = list(report.report_type.sections.all())
        self.report = report
        kinds = {s.kind for s in sections}
        self.has_assessment = ReportSection.Kind.ASSESSMENT in kinds
        self.issue_kinds = [k for k in (Issue.Kind.PROBLEM, Issue.Kind.CONSTRAINT) if k in kinds]
        initial = None
        if data is None:
            texts = {t.section_id: t.text for t in report.texts.all()}
            initial = {f"section_{s.code}": texts.get(s.pk, "") for s in sections}
            initial.update({k: getattr(report, k) for k in ("signer_name", "signer_position", "sign_place")})
            initial["sign_date"] = report.sign_date
            initial["evidence_tasks"] = [t.pk for t in report.evidence_tasks.all()]
        self.form = ReportDraftForm(data, initial=initial, report=report, user=user, sections=sections)
        self.assessment = AssessmentFormSet(
            data,
            prefix="penilaian",
            error_messages=ROW_ERRORS,
            initial=None if data is not None else list(report.assessment.values(*ASSESSMENT_FIELDS)),
        )
        self.issues = IssueFormSet(
            data,
            prefix="butir",
            error_messages=ROW_ERRORS,
            initial=None if data is not None else list(report.issues.values(*ISSUE_FIELDS)),
            form_kwargs={"issue_kinds": self.issue_kinds},
        )

    def invalid_formsets(self):
        """The tables with errors, for the error summary at the top of the page."""
        active = ((self.assessment, self.has_assessment), (self.issues, self.issue_kinds))
        return [f for f, on in active if on and f.is_bound and f.total_error_count()]

    def is_valid(self):
        valid = self.form.is_valid()
        if self.has_assessment:
            valid = self.assessment.is_valid() and valid
        if self.issue_kinds:
            valid = self.issues.is_valid() and valid
        return valid

    def values(self):
        return {
            "texts": self.form.texts(),
            "assessment": formset_rows(self.assessment, ASSESSMENT_FIELDS) if self.has_assessment else [],
            "issues": formset_rows(self.issues, ISSUE_FIELDS) if self.issue_kinds else [],
            "signature": self.form.signature(),
            "evidence_tasks": list(self.form.cleaned_data.get("evidence_tasks") or []),
        }

    def errors(self):
        """{field name: [messages]} for the autosave's JSON answer."""
        errors = {k: [str(m) for m in v] for k, v in self.form.errors.items()}
        for prefix, formset, active in (
            ("penilaian", self.assessment, self.has_assessment),
            ("butir", self.issues, self.issue_kinds),
        ):
            if not active or not formset.is_bound:
                continue
            for i, form_errors in enumerate(formset.errors):
                for field, messages in form_errors.items():
                    errors[f"{prefix}-{i}-{field}"] = [str(m) for m in messages]
            if formset.non_form_errors():
                errors[prefix] = [str(m) for m in formset.non_form_errors()]
        return errors


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Lampiran"), help_text=_("PDF, gambar atau dokumen perkantoran."))

    def clean_file(self):
        return clean_upload(self.cleaned_data["file"])


class IncidentalReportForm(NoControlCharacters, forms.Form):
    actor = forms.ModelChoiceField(label=_("Disusun oleh"), queryset=None, empty_label=None)
    title = forms.CharField(
        label=_("Judul singkat kejadian"), max_length=200, help_text=_("Mis. Banjir merusak jembatan desa.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = permissions.user_actors(user)


class ReviewForm(NoControlCharacters, forms.Form):
    decision = forms.ChoiceField(label=_("Keputusan"), choices=ReportReview.Decision.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Catatan umum"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[f"reason_{section.code}"] = forms.CharField(
                label=_("Alasan untuk bagian “%(title)s”") % {"title": section.title},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def reason_fields(self):
        return [self[f"reason_{s.code}"] for s in self.sections]

    def reasons(self):
        return {s.code: self.cleaned_data.get(f"reason_{s.code}", "") for s in self.sections}


class ReportFilterForm(forms.Form):
    jenis = forms.ChoiceField(label=_("Jenis laporan"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(Report.Status.choices, _("Semua status"))
    )
    periode = forms.CharField(
        label=_("Periode"), required=False, max_length=7, widget=forms.TextInput(attrs={"placeholder": "2026-Q4"})
    )

    def __init__(self, *args, report_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jenis"].choices = _blank([(t.code, t.name) for t in report_types], _("Semua jenis"))

    def clean_periode(self):
        value = self.cleaned_data["periode"].strip()
        if value:
            try:
                parse_period(value)
            except ValueError:
                raise ValidationError(_("Periode tidak valid. Contoh: 2026-11 atau 2026-Q4.")) from None
        return value

    def apply(self, queryset):
        data = self.cleaned_data
        if data.get("jenis"):
            queryset = queryset.filter(report_type__code=data["jenis"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("periode"):
            queryset = queryset.filter(period=data["periode"])
        return queryset


class MatrixFilterForm(forms.Form):
    jenis = forms.ChoiceField(label=_("Jenis laporan"), required=False)
    provinsi = forms.ChoiceField(label=_("Provinsi"), required=False)
    status = forms.ChoiceField(label=_("Hanya provinsi dengan status"), required=False)

    def __init__(self, *args, report_types, provinces, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jenis"].choices = _blank(
            [(t.code, t.name) for t in report_types if t.period != ReportType.Period.NONE], _("Semua jenis berkala")
        )
        self.fields["tahun"] = forms.IntegerField(
            label=_("Tahun"),
            required=False,
            min_value=2000,
            # The national matrix: seknas's year, in Jakarta.
            max_value=clock.local_today().year + 1,
            initial=clock.local_today().year,
        )
        self.fields["provinsi"].choices = _blank([(p.code, p.name) for p in provinces], _("Semua provinsi"))
        self.fields["status"].choices = _blank(statuses, _("Semua"))
        self.order_fields(["jenis", "tahun", "provinsi", "status"])
