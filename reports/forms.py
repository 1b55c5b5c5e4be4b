import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core import clock
from core.files import clean_upload
from core.forms import ModelIdsField, NoControlCharacters, SaneDateField, add_errors
from core.periods import parse_period
from duties.models import Task
from regions.models import Region

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

    def __init__(self, *args, narrowing=False, **kwargs):
        super().__init__(*args, **kwargs)
        # The page only narrows a row's unit choices (action=narrow): no
        # "required" errors the writer did not cause yet, in any table.
        self.narrowing = narrowing

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
        if filled and not data.get("DELETE") and not self.narrowing:
            for name in self.REQUIRED:
                if not data.get(name):
                    self.add_error(name, _("Wajib diisi untuk baris ini."))
        return data


class AssessmentRowForm(_RowForm):
    """A row of the assessment table: an official unit (regions.Region, its
    code posted as a plain value) of the row's level. Without JavaScript the
    unit is a select that narrows by a submit (action=narrow): the row's
    kabupaten/kota, then its kecamatan; with JavaScript the combobox of
    static/js/unit-picker.js writes the chosen code into the same field.
    Whether the unit exists, lies in the report's province, is of the row's
    level and is in force is decided by reports.services.do_save_draft."""

    REQUIRED = ("level", "unit", "rating")
    # Helpers only: choosing in them alone is not "something chosen" in the row.
    HELPERS = ("kabupaten", "kecamatan", "written")

    level = forms.ChoiceField(
        label=_("Tingkat"), required=False, choices=_blank(AssessmentRow.Level.choices, _("(pilih)"))
    )
    unit = forms.CharField(label=_("Wilayah"), required=False, max_length=20, widget=forms.Select)
    rating = forms.ChoiceField(
        label=_("Penilaian"), required=False, choices=_blank(AssessmentRow.Rating.choices, _("(pilih)"))
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=500)
    kabupaten = forms.CharField(label=_("Kabupaten/kota"), required=False, max_length=20, widget=forms.Select)
    kecamatan = forms.CharField(label=_("Kecamatan"), required=False, max_length=20, widget=forms.Select)
    # The name written by hand on a row made before the official units (shown, never stored).
    written = forms.CharField(required=False, max_length=150, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("unit", "kabupaten", "kecamatan"):
            # A select has no maxlength (CharField adds it to its widget).
            self.fields[name].widget.attrs.pop("maxlength", None)

    def is_filled(self, data):
        return super().is_filled({k: v for k, v in data.items() if k not in self.HELPERS})

    def clean(self):
        if self.narrowing:
            # Only narrowing the choices: no "required" errors the writer did not cause yet.
            data = forms.Form.clean(self)
            data["_empty"] = True
            return data
        return super().clean()

    def cell_fields(self):
        """The table's columns (the narrowing selects sit in the unit's cell)."""
        return [self[name] for name in ("level", "unit", "rating", "note")]


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


class _KeptEmptyFormSet(forms.BaseFormSet):
    """empty_form built once, so that the choices set on it (the rows'
    unit choices) are those the page's <template> row renders."""

    @cached_property
    def empty_form(self):
        return super().empty_form


AssessmentFormSet = forms.formset_factory(
    AssessmentRowForm, formset=_KeptEmptyFormSet, extra=1, can_delete=True, max_num=MAX_ROWS, validate_max=True
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


ASSESSMENT_FIELDS = ("level", "unit", "rating", "note")
ISSUE_FIELDS = ("kind", "category", "description", "state")

# How many fields the draft page may post: Django's limit for everything else
# on it, plus both tables one row past MAX_ROWS (each row's fields and its
# "delete" box), so that MAX_ROWS rows save and one more is told so by the
# formset instead of being a bare 400 (reports.views.report_edit).
_ROW_FIELDS = (MAX_ROWS + 1) * (len(AssessmentRowForm.base_fields) + 1 + len(ISSUE_FIELDS) + 1)
DRAFT_FIELD_LIMIT = (
    None if settings.DATA_UPLOAD_MAX_NUMBER_FIELDS is None else settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + _ROW_FIELDS
)


L = AssessmentRow.Level
# The narrowing selects a row of each level shows (without JavaScript).
SHOWS_KABUPATEN = {"", L.KECAMATAN, L.DESA}
SHOWS_KECAMATAN = {"", L.DESA}


def _placed(level, unit, kabupaten, kecamatan, narrowing):
    """(unit, kabupaten, kecamatan) of a row, consistent with each other. A
    row holding a unit starts on its own kabupaten/kecamatan (its select then
    lists its siblings); while narrowing, what the writer chose in the
    narrowing selects wins and a unit outside them is let go."""
    if unit and not narrowing:
        above = Region.ancestor_codes(unit)
        return unit, (above[1] if len(above) > 1 else ""), (above[2] if len(above) > 2 else "")
    if level not in SHOWS_KABUPATEN:
        kabupaten = ""
    if level not in SHOWS_KECAMATAN or not kabupaten or not kecamatan.startswith(f"{kabupaten}."):
        kecamatan = ""
    parent = {L.KECAMATAN: kabupaten, L.DESA: kecamatan}.get(level)
    if unit and (Region.level_of_code(unit) != level or (parent is not None and not unit.startswith(f"{parent}."))):
        unit = ""
    return unit, kabupaten, kecamatan


class UnitChoices:
    """Every row's unit choices and narrowing selects, from one query
    whatever the number of rows: the province, its kabupaten/kota, the
    children of every kabupaten/kecamatan a row is narrowed to, and every
    unit a row holds (in force or not, of this province or not: a refused
    unit is shown as it was posted)."""

    def __init__(self, province_code, places):
        parents = set()
        units = set()
        prefix = f"{province_code}."
        for level, unit, kabupaten, kecamatan in places:
            # Only this province's kabupaten/kecamatan narrow a row (a forged one lists nothing).
            kabupaten = kabupaten if kabupaten.startswith(prefix) else ""
            kecamatan = kecamatan if kecamatan.startswith(prefix) else ""
            if unit:
                units.add(unit)
            if kabupaten and level in SHOWS_KABUPATEN:
                parents.add(kabupaten)
            if kecamatan and level in SHOWS_KECAMATAN:
                parents.add(kecamatan)
        query = Q(province_code=province_code, level__in=[L.PROVINSI, L.KABUPATEN]) | Q(code__in=units)
        if parents:
            query |= Q(parent__code__in=parents)
        found = list(Region.objects.filter(query).select_related("parent__parent").order_by("code"))
        self.province_code = province_code
        self.by_code = {r.code: r for r in found}
        self.children = {}
        for region in found:
            if region.parent_id and region.parent and not region.retired_in:
                self.children.setdefault(region.parent.code, []).append(region)
        ours = [r for r in found if r.province_code == province_code and not r.retired_in]
        self.province = next((r for r in ours if r.level == L.PROVINSI), None)
        self.kabupaten = [r for r in ours if r.level == L.KABUPATEN]
        self.loaded = bool(self.province or self.kabupaten)

    def units(self, level, kabupaten, kecamatan):
        if level == L.PROVINSI:
            return [self.province] if self.province else []
        if level == L.KABUPATEN:
            return self.kabupaten
        parent = {L.KECAMATAN: kabupaten, L.DESA: kecamatan}.get(level)
        if not parent or not parent.startswith(f"{self.province_code}."):
            return []
        return self.children.get(parent, [])

    def apply(self, form, level, unit, kabupaten, kecamatan):
        """Set the row's select choices and what its cell shows."""
        units = self.units(level, kabupaten, kecamatan)
        if not level:
            blank = _("(pilih tingkat dahulu)")
        elif level == L.KECAMATAN and not kabupaten:
            blank = _("(pilih kabupaten/kota dahulu)")
        elif level == L.DESA and not kecamatan:
            blank = _("(pilih kecamatan dahulu)")
        else:
            blank = _("(pilih wilayah)")
        choices = [(r.code, r.label) for r in units]
        if unit and unit not in {r.code for r in units}:
            held = self.by_code.get(unit)
            choices.insert(0, (unit, held.label if held else unit))
        form.fields["unit"].widget.choices = [("", blank), *choices]
        form.fields["kabupaten"].widget.choices = [
            ("", _("(kabupaten/kota)")),
            *((r.code, r.name) for r in self.kabupaten),
        ]
        form.fields["kecamatan"].widget.choices = [
            ("", _("(kecamatan)") if kabupaten else _("(pilih kabupaten/kota dahulu)")),
            *((r.code, r.name) for r in self.children.get(kabupaten, []) if r.province_code == self.province_code),
        ]
        form.shows_kabupaten = level in SHOWS_KABUPATEN
        form.shows_kecamatan = level in SHOWS_KECAMATAN


class DraftForms:
    """The draft page's form and formsets, bound or not, validated together:
    the normal save and the autosave use exactly this.

    narrowing: the writer without JavaScript asked for the unit choices of
    what they chose (action=narrow): the page comes back with what was posted,
    nothing saved and no "required" errors."""

    def __init__(self, report, user, data=None, narrowing=False):
        sections = list(report.report_type.sections.all())
        self.report = report
        self.narrowing = narrowing
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
        else:
            # Mutable: a row's narrowing selects are made consistent with its unit.
            data = data.copy()
        self.form = ReportDraftForm(data, initial=initial, report=report, user=user, sections=sections)
        self.assessment = AssessmentFormSet(
            data,
            prefix="penilaian",
            error_messages=ROW_ERRORS,
            initial=None if data is not None or not self.has_assessment else self._saved_rows(),
            form_kwargs={"narrowing": narrowing},
        )
        self.issues = IssueFormSet(
            data,
            prefix="butir",
            error_messages=ROW_ERRORS,
            initial=None if data is not None else list(report.issues.values(*ISSUE_FIELDS)),
            form_kwargs={"issue_kinds": self.issue_kinds, "narrowing": narrowing},
        )
        self.units = self._unit_choices() if self.has_assessment else None
        # No official units for the province: the table cannot be filled and
        # the saved rows are left as they are (values()["assessment"] is None).
        self.units_missing = self.has_assessment and not self.units.loaded

    def _saved_rows(self):
        rows = []
        for row in self.report.assessment.values("level", "region__code", "unit_name", "rating", "note"):
            code = row.pop("region__code")
            written = row.pop("unit_name")
            row.update(unit=code or "", written="" if code else written)
            rows.append(row)
        return rows

    def _unit_choices(self):
        forms_ = [*self.assessment.forms, self.assessment.empty_form]
        places = []
        for form in forms_:
            # Read before anything renders: a BoundField keeps its initial once read.
            values = [
                str((form[name].data if form.is_bound else form.initial.get(name)) or "")
                for name in ("level", "unit", "kabupaten", "kecamatan")
            ]
            level = values[0]
            unit, kabupaten, kecamatan = _placed(*values, narrowing=self.narrowing)
            if form.is_bound:
                for name, value in (("unit", unit), ("kabupaten", kabupaten), ("kecamatan", kecamatan)):
                    form.data[form.add_prefix(name)] = value
            else:
                form.initial.update(unit=unit, kabupaten=kabupaten, kecamatan=kecamatan)
            places.append((level, unit, kabupaten, kecamatan))
        units = UnitChoices(self.report.province.code, places)
        for form, place in zip(forms_, places, strict=True):
            units.apply(form, *place)
        return units

    def add_service_errors(self, exc):
        """A refusal of reports.services.do_save_draft on the page: a row's
        unit (keyed "assessment-<i>-unit", i counting the rows it was given)
        on that row's field, anything else on the form (core.forms.add_errors)."""
        if not hasattr(exc, "error_dict"):
            add_errors(self.form, exc)
            return
        rest = {}
        for key, messages in exc.message_dict.items():
            parts = key.split("-")
            if len(parts) == 3 and parts[0] == "assessment" and parts[1].isdigit():
                forms_ = self._row_forms(self.assessment)
                index = int(parts[1])
                if index < len(forms_) and parts[2] in forms_[index].fields:
                    forms_[index].add_error(parts[2], messages)
                    continue
            rest[key] = messages
        if rest:
            add_errors(self.form, ValidationError(rest))

    @staticmethod
    def _row_forms(formset):
        return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("_empty")]

    def invalid_formsets(self):
        """The tables with errors, for the error summary at the top of the page
        (none while only narrowing a row's choices)."""
        if self.narrowing:
            return []
        active = ((self.assessment, self.has_assessment and not self.units_missing), (self.issues, self.issue_kinds))
        return [f for f, on in active if on and f.is_bound and f.total_error_count()]

    def is_valid(self):
        valid = self.form.is_valid()
        if self.has_assessment and not self.units_missing:
            valid = self.assessment.is_valid() and valid
        if self.issue_kinds:
            valid = self.issues.is_valid() and valid
        return valid

    def values(self):
        return {
            "texts": self.form.texts(),
            "assessment": (
                None
                if self.units_missing
                else formset_rows(self.assessment, ASSESSMENT_FIELDS)
                if self.has_assessment
                else []
            ),
            "issues": formset_rows(self.issues, ISSUE_FIELDS) if self.issue_kinds else [],
            "signature": self.form.signature(),
            "evidence_tasks": list(self.form.cleaned_data.get("evidence_tasks") or []),
        }

    def errors(self):
        """{field name: [messages]} for the autosave's JSON answer."""
        errors = {k: [str(m) for m in v] for k, v in self.form.errors.items()}
        for prefix, formset, active in (
            ("penilaian", self.assessment, self.has_assessment and not self.units_missing),
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
