from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp import admin as totp_admin  # noqa: F401  (registers TOTPDevice first)
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import ReadOnlyAdmin

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


# django-otp's own page for authenticator apps lets an admin add, edit and
# delete them without a trace. Here they are read-only; the one write is the
# reset (lost phone and lost recovery codes), through the audited service.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields
    actions = ("reset_two_factor",)

    def has_reset_permission(self, request):
        return request.user.has_perm("otp_totp.delete_totpdevice")

    @admin.action(
        description=_("Reset verifikasi dua langkah (hapus aplikasi dan kode pemulihan; pemilik diberi tahu)"),
        permissions=["reset"],
    )
    def reset_two_factor(self, request, queryset):
        users = {device.user for device in queryset.select_related("user")}
        done = sum(services.do_reset_two_factor(user, by=request.user) for user in users)
        self.message_user(
            request,
            gettext("Verifikasi dua langkah %(n)d orang direset; mereka diberi tahu lewat email.") % {"n": done},
            messages.SUCCESS,
        )
