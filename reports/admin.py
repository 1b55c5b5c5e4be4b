from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Report, ReportReview, ReportSection, ReportType, ReportVersion


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
