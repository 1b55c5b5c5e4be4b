from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from . import services
from .models import AgendaItem, Attendance, FollowUp, Meeting, MeetingSeries, MinutesVersion


class MeetingSeriesAdminForm(forms.ModelForm):
    # The admin gives it its model and fields (modelform_factory).

    def clean(self):
        """Invited actors of the holder's province only (services.do_save_series
        refuses the others too; here it is a message on the field, not a 500)."""
        cleaned = super().clean()
        actor, invited = cleaned.get("actor"), cleaned.get("invited_actors")
        if actor is not None and actor.province_id and invited:
            strangers = [a.name for a in invited if a.province_id != actor.province_id]
            if strangers:
                self.add_error(
                    "invited_actors",
                    gettext(
                        "Hanya pelaku dari provinsi penyelenggara yang dapat diundang; bukan dari provinsi itu: "
                        "%(names)s."
                    )
                    % {"names": ", ".join(strangers)},
                )
        return cleaned


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    """The series are configuration: cadence, date rule, time, place and
    invitees are defaults an administrator sets per province. The holder and
    the Governor's office change the rule, time, place and invited actors in
    the app too (/rapat/rangkaian/<id>/ubah/); both go through
    services.do_save_series."""

    form = MeetingSeriesAdminForm
    list_display = ("title", "actor", "cadence", "rule_text", "start_time", "location", "lead_days", "is_active")
    list_filter = ("kind", "cadence", "is_active", "actor__province")
    list_select_related = ("actor__kind", "actor__province")
    search_fields = ("title", "location", "actor__province__name")
    filter_horizontal = ("invited_actors", "invited_people")
    raw_id_fields = ("duty",)

    @admin.display(description=_("Aturan tanggal"))
    def rule_text(self, obj):
        return obj.rule_label()

    def save_model(self, request, obj, form, change):
        """Saved with its invitees in save_related: the service needs them
        together to move the scheduled meetings and record the change once."""

    def save_related(self, request, form, formsets, change):
        services.do_save_series(
            by=request.user,
            series=form.instance,
            changed=form.changed_data,
            invited_actors=form.cleaned_data.get("invited_actors", []),
            invited_people=form.cleaned_data.get("invited_people", []),
        )

    def has_delete_permission(self, request, obj=None):
        return False


class AgendaInline(ReadOnlyInline):
    model = AgendaItem
    fields = readonly_fields = ("order", "title")


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = readonly_fields = ("user", "actor", "status", "note")


class MinutesInline(ReadOnlyInline):
    model = MinutesVersion
    fields = readonly_fields = ("number", "status", "reason", "approved_by", "approved_at")


class FollowUpInline(ReadOnlyInline):
    model = FollowUp
    fields = readonly_fields = ("task", "agenda_item", "created_by", "created_at")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    """Read-only: meetings change through the app, where permissions and
    the audit trail apply."""

    list_display = ("title", "actor", "period", "starts_at", "status")
    list_filter = ("status", "series__kind", "actor__province")
    list_select_related = ("actor__kind", "actor__province")
    date_hierarchy = "starts_at"
    inlines = [AgendaInline, AttendanceInline, MinutesInline, FollowUpInline]
