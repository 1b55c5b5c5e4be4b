from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin

from .models import Region, RegionLoad


class RetiredFilter(admin.SimpleListFilter):
    title = _("berlaku")
    parameter_name = "dihapus"

    def lookups(self, request, model_admin):
        return [("tidak", _("Masih berlaku")), ("ya", _("Dihapus dari edisi terbaru"))]

    def queryset(self, request, queryset):
        if self.value() == "tidak":
            return queryset.filter(retired_in="")
        if self.value() == "ya":
            return queryset.exclude(retired_in="")
        return queryset


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    """Reference data loaded by `manage.py load_regions`: looked at and
    searched (the unit matches' autocomplete searches here), never edited."""

    list_display = ("code", "name", "level", "parent", "province_code", "retired_in")
    list_filter = ("level", "province_code", RetiredFilter)
    search_fields = ("^code", "name")
    list_select_related = ("parent__parent__parent",)
    ordering = ("code",)
    show_full_result_count = False

    def get_queryset(self, request):
        # The label (str) of a unit names its kabupaten and kecamatan.
        return super().get_queryset(request).select_related("parent__parent")


@admin.register(RegionLoad)
class RegionLoadAdmin(ReadOnlyAdmin):
    list_display = ("loaded_at", "edition", "provinces", "added", "changed", "retired", "total", "licence")
