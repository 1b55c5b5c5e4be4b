import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from actors.models import Actor
from core.forms import ModelIdsField, NoControlCharacters, SaneDateField
from duties.models import Duty, shorten

from . import services
from .models import Attendance, MeetingAttachment, MeetingSeries

PERSON_KEY = re.compile(r"^person_(\d+)$")
ACTOR_KEY = re.compile(r"^actor_(\d+)$")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class MeetingTimesForm(forms.Form):
    """A day and start/end times in the meeting's province's own time zone."""

    date = SaneDateField(label=_("Tanggal"))
    start_time = forms.TimeField(label=_("Jam mulai"), widget=TimeInput)
    end_time = forms.TimeField(label=_("Jam selesai"), widget=TimeInput)

    def __init__(self, *args, meeting, **kwargs):
        self.meeting = meeting
        tz = meeting.actor.province.tzinfo
        starts, ends = meeting.starts_at.astimezone(tz), meeting.ends_at.astimezone(tz)
        kwargs.setdefault("initial", {"date": starts.date(), "start_time": starts.time(), "end_time": ends.time()})
        super().__init__(*args, **kwargs)
        zone = meeting.actor.province.zone_label
        self.fields["start_time"].help_text = _("Waktu setempat (%(zone)s).") % {"zone": zone}

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            tz = self.meeting.actor.province.tzinfo
            data["starts_at"] = datetime.datetime.combine(day, start, tzinfo=tz)
            data["ends_at"] = datetime.datetime.combine(day, end, tzinfo=tz)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("Jam selesai harus setelah jam mulai."))
        return data


class OwnIds:
    """The meeting page shows several forms with the same field names: a
    prefix on the ids (not on the names) keeps each label on its own field."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class PostponeForm(OwnIds, MeetingTimesForm):
    id_prefix = "postpone"
    reason = forms.CharField(label=_("Alasan penundaan"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class CancelForm(OwnIds, forms.Form):
    id_prefix = "cancel"
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(OwnIds, forms.Form):
    id_prefix = "correction"
    reason = forms.CharField(label=_("Alasan koreksi"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class AgendaItemForm(OwnIds, forms.Form):
    id_prefix = "agenda"
    title = forms.CharField(label=_("Butir agenda baru"), max_length=300)


class MeetingEditForm(forms.Form):
    title = forms.CharField(label=_("Nama rapat"), max_length=200)
    location = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    chair = forms.ModelChoiceField(
        label=_("Pimpinan rapat"),
        queryset=None,
        required=False,
        empty_label=_("(belum ditetapkan)"),
        help_text=_("Pimpinan rapat menyetujui notulen."),
    )
    invited_actors = ModelIdsField(
        label=_("Pelaku yang diundang"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    invited_people = ModelIdsField(
        label=_("Orang yang diundang secara pribadi"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Anggota pelaku lain di provinsi ini yang diundang tanpa mengundang seluruh pelakunya."),
    )

    def __init__(self, *args, meeting, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": meeting.title,
                "location": meeting.location,
                "chair": meeting.chair_id,
                "invited_actors": list(meeting.invited_actors.values_list("pk", flat=True)),
                "invited_people": list(meeting.invited_people.values_list("pk", flat=True)),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = services.actor_members([meeting.actor_id]).order_by("full_name", "username")
        self.fields["invited_actors"].queryset = services.invitable_actors(meeting).select_related("kind", "province")
        self.fields["invited_people"].queryset = (
            services.province_members(meeting.actor.province_id)
            .exclude(pk__in=services.actor_members([meeting.actor_id]).values("pk"))
            .order_by("full_name", "username")
        )


class AttendanceForm(forms.Form):
    """One status (and a note) per invited person and per invited actor.
    A posted person or actor that is not on the list is refused as a whole."""

    def __init__(self, *args, meeting, people, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.people, self.actors = list(people), list(actors)
        rows = {(a.user_id, a.actor_id if a.user_id is None else None): a for a in meeting.attendance.all()}
        choices = [("", _("(belum dicatat)")), *Attendance.Status.choices]
        for person in self.people:
            row = rows.get((person.pk, None))
            self.fields[f"person_{person.pk}"] = forms.ChoiceField(
                label=person.display_name, choices=choices, required=False, initial=row.status if row else ""
            )
            self.fields[f"person_note_{person.pk}"] = forms.CharField(
                label=_("Keterangan"), max_length=200, required=False, initial=row.note if row else ""
            )
        for actor in self.actors:
            row = rows.get((None, actor.pk))
            self.fields[f"actor_{actor.pk}"] = forms.ChoiceField(
                label=actor.name, choices=choices, required=False, initial=row.status if row else ""
            )
            self.fields[f"actor_note_{actor.pk}"] = forms.CharField(
                label=_("Keterangan"), max_length=200, required=False, initial=row.note if row else ""
            )

    def clean(self):
        data = super().clean()
        for key in self.data:
            if (PERSON_KEY.match(key) or ACTOR_KEY.match(key)) and key not in self.fields:
                raise ValidationError(_("Hanya undangan rapat yang dapat dicatat kehadirannya."))
        return data

    def person_rows(self):
        return [(p, self[f"person_{p.pk}"], self[f"person_note_{p.pk}"]) for p in self.people]

    def actor_rows(self):
        return [(a, self[f"actor_{a.pk}"], self[f"actor_note_{a.pk}"]) for a in self.actors]

    def entries(self):
        data = self.cleaned_data
        people = {p.pk: (data[f"person_{p.pk}"], data[f"person_note_{p.pk}"]) for p in self.people}
        actors = {a.pk: (data[f"actor_{a.pk}"], data[f"actor_note_{a.pk}"]) for a in self.actors}
        return people, actors


class MinutesForm(forms.Form):
    notes = forms.CharField(
        label=_("Catatan umum"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, agenda, version, **kwargs):
        entries = {e.agenda_item_id: e for e in version.entries.all()} if version else {}
        kwargs.setdefault("initial", {"notes": version.notes if version else ""})
        super().__init__(*args, **kwargs)
        self.agenda = list(agenda)
        for item in self.agenda:
            entry = entries.get(item.pk)
            self.fields[f"problems_{item.pk}"] = forms.CharField(
                label=_("Permasalahan yang dibahas"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=entry.problems if entry else "",
            )
            self.fields[f"decisions_{item.pk}"] = forms.CharField(
                label=_("Keputusan"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=entry.decisions if entry else "",
            )

    def item_rows(self):
        return [(item, self[f"problems_{item.pk}"], self[f"decisions_{item.pk}"]) for item in self.agenda]

    def entries(self):
        data = self.cleaned_data
        return {item.pk: (data[f"problems_{item.pk}"], data[f"decisions_{item.pk}"]) for item in self.agenda}


class FollowUpForm(forms.Form):
    title = forms.CharField(label=_("Tindak lanjut"), max_length=200)
    actor = forms.ModelChoiceField(label=_("Pelaku penanggung jawab"), queryset=None)
    due_date = SaneDateField(label=_("Tenggat"))
    duty = forms.ModelChoiceField(
        label=_("Tugas pokok"),
        queryset=None,
        required=False,
        empty_label=_("(otomatis: tugas koordinasi pelaku itu)"),
        help_text=_("Harus tugas pokok pelaku penanggung jawab."),
    )
    agenda_item = forms.ModelChoiceField(
        label=_("Dari butir agenda"), queryset=None, required=False, empty_label=_("(tidak terkait butir tertentu)")
    )
    description = forms.CharField(
        label=_("Keterangan"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        actors = Actor.objects.filter(province_id=meeting.actor.province_id).select_related("kind", "province")
        self.fields["actor"].queryset = actors
        self.fields["actor"].initial = meeting.actor_id
        self.fields["duty"].queryset = Duty.objects.filter(kind__actors__in=actors).select_related("kind")
        self.fields["duty"].label_from_instance = lambda d: f"{d.ref}. {shorten(d.text, 80)}"
        self.fields["agenda_item"].queryset = meeting.agenda.all()

    def clean(self):
        data = super().clean()
        actor, duty = data.get("actor"), data.get("duty")
        if actor and duty and duty.kind_id != actor.kind_id:
            self.add_error("duty", _("Tugas pokok ini bukan milik %(actor)s.") % {"actor": actor})
        return data


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis lampiran"), choices=MeetingAttachment.Kind.choices)
    file = forms.FileField(
        label=_("Berkas"), help_text=_("Daftar hadir dan foto: PDF atau gambar. Dokumen lain: juga berkas kantor.")
    )


class MonthForm(forms.Form):
    bulan = forms.RegexField(
        regex=r"^(\d{4})-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": _("Bulan tidak valid. Gunakan format TTTT-BB, mis. 2026-11.")},
    )

    def clean_bulan(self):
        value = self.cleaned_data["bulan"]
        if value and not (2000 <= int(value[:4]) <= 2100):
            raise ValidationError(_("Bulan harus antara tahun 2000 dan 2100."))
        return value


class SeriesForm(NoControlCharacters, forms.Form):
    """The day rule, time, place and invited actors of a series, as its holder
    or the Governor's office changes them. `version` is the series as the form
    was opened (services.series_version): a change made since is refused."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    rule = forms.ChoiceField(
        label=_("Aturan tanggal"),
        choices=MeetingSeries.Rule.choices,
        error_messages={"required": _("Pilih aturan tanggal."), "invalid_choice": _("Pilih aturan tanggal.")},
    )
    week = forms.TypedChoiceField(
        label=_("Minggu ke-"),
        choices=[("", "—"), *((n, str(n)) for n in range(1, 5))],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Untuk aturan hari: 1-4."),
        error_messages={"invalid_choice": _("Minggu ke- harus 1-4.")},
    )
    weekday = forms.TypedChoiceField(
        label=_("Hari"),
        choices=[("", "—"), *MeetingSeries.Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Untuk aturan hari."),
        error_messages={"invalid_choice": _("Pilih hari Senin sampai Jumat.")},
    )
    day = forms.IntegerField(
        label=_("Tanggal"),
        min_value=1,
        max_value=28,
        required=False,
        help_text=_("Untuk aturan tanggal: 1-28, agar ada di setiap bulan."),
        error_messages={
            "invalid": _("Tanggal harus angka 1-28."),
            "min_value": _("Tanggal harus 1-28 (agar ada di setiap bulan)."),
            "max_value": _("Tanggal harus 1-28 (agar ada di setiap bulan)."),
        },
    )
    start_time = forms.TimeField(
        label=_("Jam mulai"),
        widget=TimeInput,
        error_messages={"required": _("Isi jam mulai."), "invalid": _("Jam tidak valid. Gunakan format JJ:MM.")},
    )
    end_time = forms.TimeField(
        label=_("Jam selesai"),
        widget=TimeInput,
        error_messages={"required": _("Isi jam selesai."), "invalid": _("Jam tidak valid. Gunakan format JJ:MM.")},
    )
    location = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    invited_actors = ModelIdsField(
        label=_("Pelaku yang diundang"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Hanya pelaku lain di provinsi yang sama yang dapat diundang.")},
    )

    def __init__(self, *args, series, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "version": services.series_version(series),
                "rule": series.rule,
                "week": series.week,
                "weekday": series.weekday,
                "day": series.day,
                "start_time": series.start_time,
                "end_time": series.end_time,
                "location": series.location,
                "invited_actors": list(
                    series.invited_actors.filter(province_id=series.actor.province_id).values_list("pk", flat=True)
                ),
            },
        )
        super().__init__(*args, **kwargs)
        self.series = series
        zone = series.actor.province.zone_label
        self.fields["start_time"].help_text = _("Waktu setempat (%(zone)s).") % {"zone": zone}
        self.fields["invited_actors"].queryset = services.series_invitable_actors(series).select_related(
            "kind", "province"
        )

    def clean(self):
        data = super().clean()
        rule = data.get("rule")
        if rule == MeetingSeries.Rule.NTH_WEEKDAY:
            if data.get("week") is None and "week" not in self.errors:
                self.add_error("week", _("Pilih minggu ke- (1-4) untuk aturan hari."))
            if data.get("weekday") is None and "weekday" not in self.errors:
                self.add_error("weekday", _("Pilih hari untuk aturan hari."))
        elif rule == MeetingSeries.Rule.DAY_OF_MONTH and data.get("day") is None and "day" not in self.errors:
            self.add_error("day", _("Isi tanggal (1-28) untuk aturan tanggal."))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Jam selesai harus setelah jam mulai."))
        return data

    def schedule(self):
        """The schedule the cleaned values describe (for the preview), unsaved."""
        data = self.cleaned_data
        draft = MeetingSeries(
            **{f.attname: getattr(self.series, f.attname) for f in MeetingSeries._meta.concrete_fields}
        )
        draft.actor = self.series.actor
        draft.rule = data["rule"]
        if draft.rule == MeetingSeries.Rule.NTH_WEEKDAY:
            draft.week, draft.weekday = data["week"], data["weekday"]
        else:
            draft.day = data["day"]
        draft.start_time, draft.end_time, draft.location = data["start_time"], data["end_time"], data["location"]
        people = frozenset(self.series.invited_people.values_list("pk", flat=True))
        return services.SeriesSchedule(draft, frozenset(a.pk for a in data["invited_actors"]), people)
