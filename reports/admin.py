from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.forms import add_errors

from . import matching
from .models import Report, ReportReview, ReportSection, ReportType, ReportVersion, UnitNameMatch


class ReportSectionInline(admin.TabularInline):
    model = ReportSection
    extra = 0
    fields = ("order", "code", "title", "kind", "required", "help_text")


@admin.register(ReportType)
class ReportTypeAdmin(admin.ModelAdmin):
    """Report types are data: who writes, to whom, tembusan, period, deadline
    rule and sections are all editable here."""

    list_display = ("name", "code", "writer_kind", "reviewer_kind", "period", "deadline_days", "active", "order")
    list_editable = ("deadline_days", "active", "order")
    filter_horizontal = ("recipient_kinds", "copy_kinds")
    inlines = [ReportSectionInline]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "province", "period", "due_date", "status", "version_count", "submitted_on_time")
    list_filter = ("report_type", "status", "province")
    list_select_related = ("report_type", "actor__kind", "actor__province", "province")
    search_fields = ("period", "title", "province__name")


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "number", "submitted_at", "submitted_by", "on_time")
    list_filter = ("on_time", "report__report_type")
    list_select_related = ("report__report_type", "report__actor__kind", "report__actor__province", "submitted_by")


@admin.register(ReportReview)
class ReportReviewAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "decision", "reviewed_by", "reviewed_at")
    list_select_related = ("version__report__report_type", "version__report__actor__kind", "reviewed_by")


class UnitNameMatchForm(forms.ModelForm):
    """A person's decision: the official unit, or that none fits. The
    service (reports.matching.decide) checks and applies it; the unit of
    another province or level is refused here as a form error."""

    no_unit = forms.BooleanField(
        label=_("Tidak ada wilayah yang sesuai"),
        required=False,
        help_text=_("Centang bila tidak ada wilayah resmi untuk nama ini (kosongkan wilayah resmi)."),
    )

    class Meta:
        model = UnitNameMatch
        fields = ["region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["no_unit"].initial = self.instance.status == UnitNameMatch.Status.NO_UNIT

    def clean(self):
        cleaned = super().clean()
        region, no_unit = cleaned.get("region"), cleaned.get("no_unit")
        if "region" in self.errors:
            return cleaned
        if region is not None and no_unit:
            raise ValidationError(_("Pilih satu: wilayah resmi, atau tandai tidak ada wilayah yang sesuai."))
        if region is None and not no_unit:
            self.add_error("region", _("Pilih wilayah resmi, atau tandai tidak ada wilayah yang sesuai."))
            return cleaned
        try:
            matching.check_region(self.instance, region)
        except ValidationError as error:
            add_errors(self, error)
        return cleaned


@admin.register(UnitNameMatch)
class UnitNameMatchAdmin(admin.ModelAdmin):
    """The names match_assessment_units could not match alone wait here for
    a person (filter "Perlu keputusan"): choose the official unit among the
    candidates (or any unit of the province and level), or mark that none
    fits. Saving applies the choice to the drafts' rows at once
    (reports.matching.decide); submitted versions are never changed."""

    form = UnitNameMatchForm
    list_display = ("written_name", "written_code", "level", "province", "status", "region", "candidate_list", "rows")
    list_filter = ("status", "level", "province")
    search_fields = ("written_name", "written_code", "region__code", "region__name")
    list_select_related = ("province", "region__parent__parent", "decided_by")
    autocomplete_fields = ("region",)
    fields = (
        "province",
        "level",
        "written_name",
        "written_code",
        "rows",
        "status",
        "candidate_list",
        "region",
        "no_unit",
        "decided_by",
        "decided_at",
    )
    readonly_fields = (
        "province",
        "level",
        "written_name",
        "written_code",
        "rows",
        "status",
        "candidate_list",
        "decided_by",
        "decided_at",
    )

    def has_add_permission(self, request):
        # Matches come from what reports wrote (match_assessment_units).
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # The candidates' labels of the whole page in one query.
        matching.attach_candidate_labels(changelist.result_list)
        return changelist

    @admin.display(description=_("calon"))
    def candidate_list(self, match):
        labels = getattr(match, "candidate_labels", None)
        if labels is None:
            labels = matching.attach_candidate_labels([match])[0].candidate_labels
        return "\n".join(labels) or "—"

    def save_model(self, request, obj, form, change):
        matching.decide(
            obj, user=request.user, region=form.cleaned_data.get("region"), no_unit=form.cleaned_data.get("no_unit")
        )
