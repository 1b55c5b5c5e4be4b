from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Duty, NonWorkingDay, Task, TaskAttachment, TaskLink, shorten


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ("ref", "short_text", "category", "recurrence", "due_offset_days")
    list_filter = ("kind", "category", "recurrence")
    list_select_related = ("kind",)
    list_editable = ("category", "recurrence", "due_offset_days")
    # The duty lines are the seed document's words; only their scheduling is editable.
    readonly_fields = ("kind", "number", "text")

    @admin.display(description=_("Uraian"))
    def short_text(self, obj):
        return shorten(obj.text, 90)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "province")
    list_filter = ("province",)
    date_hierarchy = "date"


class TaskAttachmentInline(ReadOnlyInline):
    model = TaskAttachment
    fields = ("name", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields


class TaskLinkInline(ReadOnlyInline):
    model = TaskLink
    fields = ("url", "label", "added_by", "added_at")
    readonly_fields = fields


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    """Read-only: tasks change through the app, where permissions and the
    audit trail apply."""

    list_display = ("__str__", "actor", "period", "due_date", "status", "origin")
    list_filter = ("status", "origin", "duty__kind", "actor__province")
    list_select_related = ("duty", "actor__kind", "actor__province")
    search_fields = ("title", "duty__text", "period")
    inlines = [TaskAttachmentInline, TaskLinkInline]
