from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Actor, ActorKind, ActorRelation, Membership, Position, Province, User, normalise_nip
from .services.validation import accounts_matching


class AccountForm(UserChangeForm):
    """One person, one account: a NIP (spaces ignored) or an email (any case)
    that another account holds is refused here with that account's name,
    before the user_nip_unique constraint would refuse it."""

    class Meta(UserChangeForm.Meta):
        model = User

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "nip" in self.fields:
            # Typed with spaces ("19800101 200501 2 001") and stored without.
            nip = self.fields["nip"]
            self.fields["nip"] = forms.CharField(
                label=nip.label, help_text=nip.help_text, required=False, max_length=30
            )

    def _other_accounts(self, **identity):
        return accounts_matching(**identity).exclude(pk=self.instance.pk)

    def clean_nip(self):
        nip = normalise_nip(self.cleaned_data.get("nip"))
        if nip and "nip" in self.changed_data and (not nip.isdigit() or len(nip) != 18):
            raise ValidationError(_("NIP terdiri atas 18 angka."))
        changed = nip and "nip" in self.changed_data  # an unchanged NIP never blocks other edits
        other = self._other_accounts(nip=nip).filter(nip_key=nip).first() if changed else None
        if other is not None:
            raise ValidationError(
                _("NIP ini sudah dipakai oleh akun %(username)s (%(name)s). Satu orang hanya punya satu akun.")
                % {"username": other.username, "name": other.display_name}
            )
        return nip

    def clean_email(self):
        email = self.cleaned_data.get("email") or ""
        if email and "email" in self.changed_data:
            other = self._other_accounts(email=email).first()
            if other is not None:
                raise ValidationError(
                    _("Email ini sudah dipakai oleh akun %(username)s (%(name)s). Satu orang hanya punya satu akun.")
                    % {"username": other.username, "name": other.display_name}
                )
        return email


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = AccountForm
    list_display = ("username", "full_name", "nip", "agency", "is_active", "is_staff")
    search_fields = ("username", "full_name", "nip", "email")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Data kepegawaian"), {"fields": ("full_name", "nip", "phone", "agency")}),
    )


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "bps_code", "timezone")
    search_fields = ("code", "name")


class ActorRelationInline(admin.TabularInline):
    model = ActorRelation
    fk_name = "source"
    extra = 0


@admin.register(ActorKind)
class ActorKindAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "level", "seed_number", "order")
    inlines = [ActorRelationInline]
    # The seed's text is the source of truth and stays verbatim.
    readonly_fields = ("code", "name", "description", "seed_number")


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "province", "group")
    list_filter = ("kind", "province")
    list_select_related = ("kind", "province", "group")
    readonly_fields = ("kind", "province", "group")

    def has_add_permission(self, request):
        # Actors exist for every province and kind by migration.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_head", "order")
    filter_horizontal = ("kinds",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "actor", "position", "mode", "start_date", "end_date", "decree")
    list_filter = ("actor__kind", "actor__province", "mode")
    list_select_related = ("user", "actor__kind", "actor__province", "position", "decree")
    search_fields = ("user__username", "user__full_name")
    autocomplete_fields = ("user", "acting_for")
    fields = ("user", "actor", "position", "mode", "acting_for", "start_date", "end_date", "decree", "predecessor")

    def get_readonly_fields(self, request, obj=None):
        # An existing term can only be ended; everything else is history.
        # Decrees and successions come from approved proposals only.
        if obj is not None:
            return ("user", "actor", "position", "mode", "acting_for", "start_date", "decree", "predecessor")
        return ("decree", "predecessor")

    def save_model(self, request, obj, form, change):
        if change:
            services.do_end_membership(obj, end_date=obj.end_date, by=request.user)
        else:
            created = services.do_add_membership(
                user=obj.user,
                actor=obj.actor,
                position=obj.position,
                start_date=obj.start_date,
                end_date=obj.end_date,
                mode=obj.mode,
                acting_for=obj.acting_for,
                by=request.user,
            )
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False
