"""Serializers of the read endpoints for meetings, reports, report versions and
the national matrix (api/reading.py).

The states are worded by their models, never here: a meeting's
`Meeting.status_label(now)`, a report's `Report.status_pill(today)` (its
ReportState in its province's date), the matrix's cells by reports.national.
Links are absolute URLs of the pages and downloads the web app serves.

Context the views give: `request`, `now` (meetings), `ical` (the person's
private feed URL or None), `today` (a dict kept per request: zone -> date).
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from core import clock
from core.periods import period_label
from meetings.models import Meeting
from reports.models import Report, ReportState, ReportType, ReportVersion


def _absolute(context, name, *args):
    return context["request"].build_absolute_uri(reverse(name, args=args))


def _enum(choices, description=""):
    """A read-only string field whose values are `choices`' (a TextChoices),
    documented as an inline enum: several types have a "status" of their own
    (tasks, meetings, reports), and one shared component name would mix them."""
    schema = {"type": "string", "enum": list(choices.values)}
    if description:
        schema["description"] = description
    return extend_schema_field(schema)(type(f"{choices.__name__}Field", (serializers.CharField,), {}))


MeetingStatusField = _enum(Meeting.Status, "terjadwal, ditunda, terlaksana, dibatalkan")
ReportStatusField = _enum(Report.Status, "draf, dikirim, dikembalikan, diterima")
ReportStateField = _enum(ReportState, "ReportState: kata yang sama dengan halaman laporan dan matriks nasional.")
PeriodKindField = _enum(ReportType.Period)


# --- meetings -------------------------------------------------------------------


class MinutesPdfSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="Nomor versi notulen yang disetujui.")
    approved_at = serializers.DateTimeField()
    url = serializers.URLField(help_text="PDF notulen yang diterbitkan (meetings:minutes_pdf).")


class MeetingLinksSerializer(serializers.Serializer):
    html = serializers.URLField(help_text="Halaman rapat.")
    ical = serializers.URLField(
        allow_null=True,
        help_text="Tautan langganan kalender pribadi Anda (rahasia), atau null bila belum dibuat "
        "(Rapat → Langganan kalender).",
    )
    minutes_pdf = MinutesPdfSerializer(many=True, help_text="Notulen yang disetujui, terbaru dahulu.")


class MeetingSerializer(serializers.ModelSerializer):
    actor = serializers.PrimaryKeyRelatedField(read_only=True)
    province = serializers.SerializerMethodField()
    status = MeetingStatusField(read_only=True)
    period_label = serializers.CharField(read_only=True)
    status_label = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "actor",
            "province",
            "period",
            "period_label",
            "starts_at",
            "ends_at",
            "location",
            "status",
            "status_label",
            "links",
        ]

    def get_province(self, meeting) -> str | None:
        """Kode provinsi (Kemendagri) pelaku penyelenggara."""
        province = meeting.actor.province
        return province.code if province else None

    def get_status_label(self, meeting) -> str:
        """The page's word for the meeting's state now ("Belum dicatat" for an
        open meeting that has ended)."""
        return str(meeting.status_label(self.context["now"]))

    @extend_schema_field(MeetingLinksSerializer)
    def get_links(self, meeting):
        approved = getattr(meeting, "approved_minutes", [])
        return {
            "html": _absolute(self.context, "meetings:meeting_detail", meeting.pk),
            "ical": self.context.get("ical"),
            "minutes_pdf": [
                {
                    "number": v.number,
                    "approved_at": serializers.DateTimeField().to_representation(v.approved_at),
                    "url": _absolute(self.context, "meetings:minutes_pdf", meeting.pk, v.number),
                }
                for v in approved
            ],
        }


# --- reports --------------------------------------------------------------------


def _today(context, province):
    """The province's date, computed once per zone and request."""
    kept = context["today"]
    zone = getattr(province, "timezone", None)
    if zone not in kept:
        kept[zone] = clock.local_today(province)
    return kept[zone]


class ReportLinksSerializer(serializers.Serializer):
    html = serializers.URLField(help_text="Halaman laporan.")


class ReportSerializer(serializers.ModelSerializer):
    type = serializers.SlugRelatedField(source="report_type", slug_field="code", read_only=True)
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    actor = serializers.PrimaryKeyRelatedField(read_only=True)
    period_label = serializers.SerializerMethodField()
    label = serializers.CharField(read_only=True)
    status = ReportStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    state = serializers.SerializerMethodField()
    state_label = serializers.SerializerMethodField()
    latest_version = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "type",
            "province",
            "actor",
            "period",
            "period_label",
            "label",
            "title",
            "due_date",
            "status",
            "status_label",
            "state",
            "state_label",
            "version_count",
            "latest_version",
            "links",
        ]

    def get_period_label(self, report) -> str:
        return str(period_label(report.period)) if report.period else ""

    @extend_schema_field(ReportStateField(allow_null=True, help_text="null: draf tanpa tenggat maupun periode."))
    def get_state(self, report):
        """The report's ReportState in its province's date (None: an undated draft)."""
        state = report.state(_today(self.context, report.province))
        return state.value if state else None

    def get_state_label(self, report) -> str:
        """The pages' word for it (Report.status_pill)."""
        return str(report.status_pill(_today(self.context, report.province))[1])

    @extend_schema_field(ReportLinksSerializer)
    def get_links(self, report):
        return {"html": _absolute(self.context, "reports:report_detail", report.pk)}


# --- report versions ------------------------------------------------------------

# Keys of the stored snapshot that describe the snapshot, not the report.
NOT_CONTENT = frozenset({"schema"})


class _TypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    title = serializers.CharField()


class _SectionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text="teks, penilaian, masalah, kendala")
    text = serializers.CharField()


class _AssessmentSerializer(serializers.Serializer):
    level = serializers.CharField()
    level_label = serializers.CharField()
    region_code = serializers.CharField(
        help_text="Kode wilayah resmi Kemendagri (mis. 33.01.15) yang dipilih; kosong bila baris ditulis "
        "sebagai teks bebas (versi lama)."
    )
    unit_code = serializers.CharField(help_text="Kode wilayah seperti tertulis saat dikirim.")
    unit_name = serializers.CharField(help_text="Nama wilayah seperti tertulis saat dikirim.")
    rating = serializers.CharField()
    rating_label = serializers.CharField()
    note = serializers.CharField()


class _IssueSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="masalah atau kendala")
    category = serializers.CharField()
    category_label = serializers.CharField()
    description = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()


class _SignatureSerializer(serializers.Serializer):
    name = serializers.CharField()
    position = serializers.CharField()
    place = serializers.CharField()
    date = serializers.DateField(allow_null=True)


class _AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()


class _EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    period = serializers.CharField()
    status = serializers.CharField()


class VersionContentSerializer(serializers.Serializer):
    """What was submitted, as it was stored at submission (the labels in
    Indonesian, the language of the official document)."""

    type = _TypeSerializer()
    actor = serializers.CharField()
    actor_kind = serializers.CharField()
    province = serializers.CharField()
    period = serializers.CharField()
    period_label = serializers.CharField()
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    title = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    sections = _SectionSerializer(many=True)
    assessment = _AssessmentSerializer(many=True)
    issues = _IssueSerializer(many=True)
    signature = _SignatureSerializer()
    reviewer = serializers.CharField()
    recipients = serializers.ListField(child=serializers.CharField())
    copies = serializers.ListField(child=serializers.CharField())
    attachments = _AttachmentSerializer(many=True)
    evidence = _EvidenceSerializer(many=True)


class VersionLinksSerializer(serializers.Serializer):
    html = serializers.URLField(help_text="Halaman versi.")
    pdf = serializers.URLField(help_text="PDF versi yang diterbitkan.")
    excel = serializers.URLField(allow_null=True, help_text="Tabel penilaian (Excel); null bila tidak ada baris.")


class ReportVersionSerializer(serializers.ModelSerializer):
    report = serializers.PrimaryKeyRelatedField(read_only=True)
    content = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = ReportVersion
        fields = [
            "id",
            "number",
            "report",
            "submitted_at",
            "on_time",
            "due_date",
            "on_behalf_of",
            "content",
            "links",
        ]

    @extend_schema_field(VersionContentSerializer)
    def get_content(self, version):
        content = {key: value for key, value in version.snapshot.items() if key not in NOT_CONTENT}
        if "assessment" in content:
            # Versions sent before the official units lack region_code: "".
            content["assessment"] = [
                {**row, "region_code": row.get("region_code") or ""} for row in content["assessment"]
            ]
        return content

    @extend_schema_field(VersionLinksSerializer)
    def get_links(self, version):
        return {
            "html": _absolute(self.context, "reports:version_detail", version.pk),
            "pdf": _absolute(self.context, "reports:version_pdf", version.pk),
            "excel": _absolute(self.context, "reports:version_excel", version.pk)
            if version.snapshot.get("assessment")
            else None,
        }


# --- the national matrix (documentation of api.reading.matrix_json) --------------


class _PeriodSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Mis. 2026-Q3, 2026-09.")
    label = serializers.CharField(help_text="Mis. Triwulan III 2026.")


class _CellSerializer(serializers.Serializer):
    period = serializers.CharField()
    state = ReportStateField()
    label = serializers.CharField()
    version = serializers.IntegerField(allow_null=True, help_text="Id versi terakhir (versi-laporan), bila ada.")
    due_date = serializers.DateField(allow_null=True)


class TallySerializer(serializers.Serializer):
    expected = serializers.IntegerField(help_text="Laporan yang diharapkan: terkirim, atau lewat tenggat.")
    submitted = serializers.IntegerField()
    on_time = serializers.IntegerField()
    completeness = serializers.IntegerField(allow_null=True, help_text="Kelengkapan, persen; null bila tidak ada.")
    timeliness = serializers.IntegerField(allow_null=True, help_text="Ketepatan waktu, persen; null bila tidak ada.")
    by_state = serializers.DictField(child=serializers.IntegerField(), help_text="Jumlah sel per ReportState.")


class _RowSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Kode provinsi.")
    name = serializers.CharField()
    cells = _CellSerializer(many=True)
    tally = TallySerializer()


class _MatrixTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    period = PeriodKindField()


class _MatrixSerializer(serializers.Serializer):
    type = _MatrixTypeSerializer()
    periods = _PeriodSerializer(many=True)
    rows = _RowSerializer(many=True)
    tally = TallySerializer()


@extend_schema_serializer(many=False)
class NationalSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    matrices = _MatrixSerializer(many=True, help_text="Satu matriks per jenis laporan berkala.")
    tally = TallySerializer(help_text="Nasional: semua jenis dan provinsi yang ditampilkan.")
