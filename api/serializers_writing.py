"""The bodies of the API's writes (api/writing.py) and the attendance list it
answers with. Each body maps one to one onto its service's arguments; the
service still checks everything (a body that passes here may be refused
there, with the page's own words)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from meetings.models import Attendance

# Ids as the database stores them (a bigger number is refused here, never sent on).
MAX_ID = 2**63 - 1
# Attendance rows in one call: more than any province's invitees.
MAX_ROWS = 1000
# "" clears a row, as "(belum dicatat)" on the page.
STATUS_CHOICES = [("", _("(belum dicatat)")), *Attendance.Status.choices]

TEXT_ERRORS = {
    "invalid": _("Tulis sebagai teks."),
    "null": _("Tulis sebagai teks (boleh kosong), bukan null."),
}


def _id_field(help_text):
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text=help_text,
        error_messages={
            "required": _("Wajib diisi."),
            "null": _("Wajib diisi."),
            "invalid": _("Tulis id berupa angka."),
            "min_value": _("Id berupa angka positif."),
            "max_value": _("Id ini terlalu besar."),
            "max_string_length": _("Id ini terlalu besar."),
        },
    )


def _status_field():
    return serializers.ChoiceField(
        choices=STATUS_CHOICES,
        allow_blank=True,
        help_text=_("hadir, izin, tidak-hadir, atau kosong untuk menghapus baris."),
        error_messages={
            "required": _("Wajib diisi."),
            "null": _("Wajib diisi."),
            "invalid_choice": _("Pilih salah satu: hadir, izin, tidak-hadir, atau kosong untuk menghapus baris."),
        },
    )


def _note_field(max_length, help_text):
    return serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=max_length,
        help_text=help_text,
        error_messages={**TEXT_ERRORS, "max_length": _("Paling banyak {max_length} karakter.")},
    )


class TaskNoteSerializer(serializers.Serializer):
    """Completing or reopening a task: the note the page asks for (required
    when completing, optional when reopening; the service decides)."""

    default_error_messages = {"invalid": _("Kirim objek JSON, mis. dengan catatan (note).")}

    note = _note_field(5000, _("Apa yang sudah dilakukan (wajib saat menyelesaikan), atau alasan membuka kembali."))


class PersonAttendanceSerializer(serializers.Serializer):
    user = _id_field(_("Id orang yang diundang (atau sudah tercatat hadir)."))
    status = _status_field()
    note = _note_field(200, _("Keterangan, mis. alasan izin."))


class ActorAttendanceSerializer(serializers.Serializer):
    actor = _id_field(_("Id pelaku pemilik rapat atau pelaku yang diundang."))
    status = _status_field()
    note = _note_field(200, _("Keterangan, mis. siapa yang mewakili."))


def _rows(child):
    return child(
        many=True,
        required=False,
        max_length=MAX_ROWS,
        error_messages={
            "invalid": _("Tiap baris berupa objek JSON dengan id, status dan keterangan."),
            "not_a_list": _("Kirim daftar (list) baris."),
            "null": _("Kirim daftar (list) baris, boleh kosong."),
            "max_length": _("Paling banyak {max_length} baris sekali kirim."),
        },
    )


class AttendanceWriteSerializer(serializers.Serializer):
    """do_record_attendance(people=, actors=): a row per person and per actor
    to set; those left out keep what they had; an empty status clears a row."""

    default_error_messages = {"invalid": _("Kirim objek JSON dengan daftar people dan actors.")}

    people = _rows(PersonAttendanceSerializer)
    actors = _rows(ActorAttendanceSerializer)

    def _once(self, rows, key, message):
        ids = [row[key] for row in rows]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(message)
        return rows

    def validate_people(self, rows):
        return self._once(rows, "user", _("Setiap orang cukup sekali dalam daftar."))

    def validate_actors(self, rows):
        return self._once(rows, "actor", _("Setiap pelaku cukup sekali dalam daftar."))

    def entries(self):
        """The service's `people` and `actors`: {id: (status, note)}."""
        data = self.validated_data
        people = {row["user"]: (row["status"], row["note"]) for row in data.get("people", [])}
        actors = {row["actor"]: (row["status"], row["note"]) for row in data.get("actors", [])}
        return people, actors


class PersonAttendanceRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["user", "status", "note", "recorded_at"]
        read_only_fields = fields


class ActorAttendanceRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["actor", "status", "note", "recorded_at"]
        read_only_fields = fields


class AttendanceListSerializer(serializers.Serializer):
    """A held meeting's attendance list after the write."""

    meeting = serializers.IntegerField(help_text=_("Id rapat."))
    changed = serializers.IntegerField(help_text=_("Baris yang berubah oleh kiriman ini."))
    people = PersonAttendanceRowSerializer(many=True)
    actors = ActorAttendanceRowSerializer(many=True)
