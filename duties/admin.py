from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Duty


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
        return obj.text[:90]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
