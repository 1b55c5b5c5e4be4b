from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from actors.models import Membership, User
from core.files import clean_uploads
from core.forms import MultipleFileField, SaneDateField
from core.periods import parse_period

from . import permissions
from .models import Duty, Task, shorten


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Semua status"))])
    period = forms.CharField(
        label=_("Periode"), required=False, max_length=7, widget=forms.TextInput(attrs={"placeholder": "2026-11"})
    )
    duty = forms.ModelChoiceField(
        label=_("Tugas pokok"),
        required=False,
        queryset=Duty.objects.none(),
        empty_label=_("Semua tugas pokok"),
    )
    overdue = forms.BooleanField(label=_("Hanya yang terlambat"), required=False)

    def __init__(self, *args, user, reach=permissions.ALL, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices += Task.Status.choices
        duty = self.fields["duty"]
        # The duties of the list's actors only: the own list offers no duty
        # of an overseen actor, and the other way round.
        kinds = permissions.visible_task_kind_ids(user, reach)
        duty.queryset = Duty.objects.filter(kind_id__in=kinds).select_related("kind")  # validates a choice
        # The duties, read once (one query): the choices are made from them,
        # and the list view attaches them to its rows instead of joining.
        self.duties = list(duty.queryset)
        duty.choices = [("", duty.empty_label)] + [(d.pk, f"{d.ref}. {shorten(d.text, 70)}") for d in self.duties]

    def clean_period(self):
        value = self.cleaned_data["period"].strip()
        if value:
            try:
                parse_period(value)
            except ValueError:
                raise ValidationError(_("Periode tidak valid. Contoh: 2026-11, 2026-Q4 atau 2026.")) from None
        return value

    def apply(self, queryset, today):
        data = self.cleaned_data
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("period"):
            queryset = queryset.filter(period=data["period"])
        if data.get("duty"):
            queryset = queryset.filter(duty=data["duty"])
        if data.get("overdue"):
            queryset = queryset.overdue(today)
        return queryset


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=Task.Status.choices)
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wajib saat menyelesaikan atau membatalkan: apa yang sudah dilakukan, atau alasannya."),
    )
    files = MultipleFileField(
        label=_("Lampiran"),
        required=False,
        help_text=_("PDF, gambar atau dokumen perkantoran; beberapa berkas sekaligus boleh."),
    )
    link_url = forms.URLField(label=_("Tautan bukti"), required=False, max_length=500, assume_scheme="https")
    link_label = forms.CharField(label=_("Keterangan tautan"), required=False, max_length=200)

    def clean_files(self):
        return clean_uploads(self.cleaned_data["files"])

    def links(self):
        url = self.cleaned_data.get("link_url")
        return [(url, self.cleaned_data.get("link_label", ""))] if url else []


def current_members(actor):
    return User.objects.filter(
        pk__in=Membership.objects.current().filter(actor=actor).values("user_id"), is_active=True
    ).order_by("full_name", "username")


class TaskAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Penanggung jawab"), queryset=User.objects.none(), required=False, empty_label=_("(belum ada)")
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = current_members(actor)


class TaskCreateForm(forms.Form):
    actor = forms.ModelChoiceField(label=_("Pelaku"), queryset=None, empty_label=None)
    duty = forms.ModelChoiceField(label=_("Tugas pokok"), queryset=None)
    title = forms.CharField(label=_("Judul"), max_length=200)
    description = forms.CharField(
        label=_("Keterangan"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    due_date = SaneDateField(label=_("Tenggat"), required=False)
    assignee = forms.ModelChoiceField(
        label=_("Penanggung jawab"), queryset=None, required=False, empty_label=_("(belum ada)")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        actors = permissions.actors_user_can_create_tasks_for(user)
        self.fields["actor"].queryset = actors
        self.fields["duty"].queryset = Duty.objects.filter(kind__actors__in=actors).select_related("kind")
        self.fields["duty"].label_from_instance = lambda d: f"{d.ref}. {shorten(d.text, 90)}"
        self.fields["assignee"].queryset = User.objects.filter(
            pk__in=Membership.objects.current().filter(actor__in=actors).values("user_id"), is_active=True
        ).order_by("full_name", "username")

    def clean(self):
        data = super().clean()
        actor, duty, assignee = data.get("actor"), data.get("duty"), data.get("assignee")
        if actor and duty and duty.kind_id != actor.kind_id:
            self.add_error("duty", _("Tugas pokok ini bukan milik %(actor)s.") % {"actor": actor})
        if actor and assignee and not current_members(actor).filter(pk=assignee.pk).exists():
            self.add_error(
                "assignee", _("%(name)s bukan anggota %(actor)s saat ini.") % {"name": assignee, "actor": actor}
            )
        return data
