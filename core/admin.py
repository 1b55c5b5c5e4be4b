from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Notification, NotificationPreference

admin.site.site_header = _("Administrasi PNPM-MP Provinsi")
admin.site.site_title = _("PNPM-MP Provinsi")
admin.site.index_title = _("Administrasi")


class ReadOnly:
    """Records that change only through the app's services (where
    permissions and the audit trail apply), or never: the admin can look,
    never add, edit or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    """The rows under a read-only record, shown and never changed."""

    extra = 0
    can_delete = False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail can be searched, never edited or deleted."""

    list_display = ("at", "user", "on_behalf_of", "action", "target_type", "target_id", "summary", "via")
    list_filter = ("action", "target_type", "via")
    search_fields = ("summary", "target_id", "user__username")
    date_hierarchy = "at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Read-only: what was told to whom and whether the email went out
    (written by core.notifications.notify, sent by the delivery)."""

    list_display = (
        "created_at",
        "recipient",
        "kind",
        "subject",
        "read_at",
        "email_wanted",
        "email_sent_at",
        "email_failed",
    )
    list_filter = ("kind", "email_wanted", "email_failed")
    search_fields = ("subject", "key", "recipient__username")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    """Read-only: each person chooses on their own settings page
    (/notifikasi/pengaturan/, core.notifications.do_set_email_preferences)."""

    list_display = ("user", "kind", "email", "updated_at")
    list_filter = ("kind", "email")
    search_fields = ("user__username",)
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
