from django.contrib import admin

from . import services
from .models import TwoFactorPolicy


@admin.register(TwoFactorPolicy)
class TwoFactorPolicyAdmin(admin.ModelAdmin):
    list_display = ("kind", "mode")
    list_editable = ("mode",)
    list_select_related = ("kind",)
    readonly_fields = ("kind",)

    def has_add_permission(self, request):
        # One row per actor kind exists from the migration.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        current = TwoFactorPolicy.objects.get(pk=obj.pk)
        services.do_set_two_factor_policy(current, mode=obj.mode, by=request.user)
