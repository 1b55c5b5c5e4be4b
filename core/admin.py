from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

admin.site.site_header = _("Administrasi PNPM-MP Provinsi")
admin.site.site_title = _("PNPM-MP Provinsi")
admin.site.index_title = _("Administrasi")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail can be searched, never edited or deleted."""

    list_display = ("at", "user", "on_behalf_of", "action", "target_type", "target_id", "summary")
    list_filter = ("action", "target_type")
    search_fields = ("summary", "target_id", "user__username")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
