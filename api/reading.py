"""Read endpoints for meetings, reports, versions and the national matrix.

Every list asks the one permission engine (`Model.objects.for_user(user)`),
every object of a URL `get_for_user_or_404` (404 when missing or not visible,
exactly alike), and pages with api.pagination.Cursor. A list costs a fixed
number of queries whatever the page size and the table size
(tests/api/test_reading.py holds them to it).

The national matrix is the seknas page's (reports.views.national_view): the
same filter form (reports.forms.MatrixFilterForm), the same builder
(reports.national.build), the same rule of who sees it
(reports.permissions.is_national_viewer: others get 403), and as CSV the very
bytes of the page's download (reports.exports.matrix_csv).
"""

import re

from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core import clock
from core.cache import cache_call
from core.periods import parse_period
from core.permissions import get_for_user_or_404
from meetings.models import CalendarFeed, Meeting, MinutesVersion
from reports import exports, national
from reports import permissions as report_permissions
from reports.forms import MatrixFilterForm
from reports.models import Report, ReportState, ReportType, ReportVersion

from . import serializers_reading as s
from .pagination import Cursor
from .params import choice, object_id, param

# The largest id a query may compare with (a bigint); past it, a 400.
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")


def register(router):
    """Add this module's viewsets to the API's router."""
    router.register("rapat", MeetingViewSet, basename="meeting")
    router.register("laporan", ReportViewSet, basename="report")
    router.register("versi-laporan", ReportVersionViewSet, basename="report-version")
    router.register("nasional", NationalViewSet, basename="national")


# --- query parameters -------------------------------------------------------------


def _period(request, name="period"):
    """The period key ('2026-11', '2026-Q4', '2026'), or None; 400 otherwise."""
    value = param(request, name)
    if value is None:
        return None
    try:
        return parse_period(value).key
    except ValueError:
        raise ApiValidationError({name: [_("Tulis periode seperti 2026-11, 2026-Q4 atau 2026.")]}) from None


PERIOD_PARAMETER = OpenApiParameter(
    "period", str, description="Periode: 2026-11 (bulan), 2026-Q4 (triwulan) atau 2026 (tahun)."
)


# --- meetings ---------------------------------------------------------------------


def _ical_url(request):
    """The person's private iCalendar feed URL (the calendar_feed page's), or None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    token = CalendarFeed.objects.filter(user=user).values_list("token", flat=True).first()
    return request.build_absolute_uri(reverse("meetings:ical_feed", args=[token])) if token else None


@extend_schema_view(
    list=extend_schema(
        summary="Rapat yang boleh Anda lihat",
        parameters=[
            PERIOD_PARAMETER,
            OpenApiParameter("status", str, enum=Meeting.Status.values, description="Status rapat."),
        ],
    ),
    retrieve=extend_schema(summary="Satu rapat"),
)
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Meetings the person may see (meetings.permissions.MeetingPolicy: the
    holding actor, the invited actors of the province, the overseers, the
    people invited by name), with the page's word for their state and the
    links to the page, the person's calendar feed and the approved minutes."""

    serializer_class = s.MeetingSerializer
    pagination_class = Cursor

    def _meetings(self):
        approved = MinutesVersion.objects.filter(status=MinutesVersion.Status.APPROVED).order_by("-number")
        return Meeting.objects.select_related("actor__province").prefetch_related(
            Prefetch("minutes_versions", queryset=approved, to_attr="approved_minutes")
        )

    def get_queryset(self):
        meetings = self._meetings().for_user(self.request.user)
        if self.action == "list":
            period = _period(self.request)
            if period:
                meetings = meetings.filter(period=period)
            status = choice(self.request, "status", Meeting.Status.values)
            if status:
                meetings = meetings.filter(status=status)
        return meetings

    def get_object(self):
        meeting = get_for_user_or_404(self._meetings(), self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, meeting)
        return meeting

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now(), "ical": _ical_url(self.request)}


# --- reports ----------------------------------------------------------------------


def _report_type_id(request):
    code = param(request, "type")
    if code is None:
        return None
    # A slug (ReportType.code) or nothing: no other text reaches the query.
    pk = SLUG.fullmatch(code) and ReportType.objects.filter(code=code).values_list("pk", flat=True).first()
    if not pk:
        raise ApiValidationError({"type": [_('Jenis laporan "%(code)s" tidak dikenal.') % {"code": code[:40]}]})
    return pk


@extend_schema_view(
    list=extend_schema(
        summary="Laporan yang boleh Anda lihat",
        parameters=[
            PERIOD_PARAMETER,
            OpenApiParameter("type", str, description="Kode jenis laporan, mis. tk-triwulan."),
            OpenApiParameter("status", str, enum=Report.Status.values, description="Status laporan."),
        ],
    ),
    retrieve=extend_schema(summary="Satu laporan"),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reports the person may see (reports.permissions.ReportPolicy: the
    writer's drafts; once sent, the recipients, the tembusan and seknas),
    each with its state in its province's date, as the pages word it."""

    serializer_class = s.ReportSerializer
    pagination_class = Cursor

    def _reports(self):
        return Report.objects.select_related("report_type", "province")

    def get_queryset(self):
        reports = self._reports().for_user(self.request.user)
        if self.action == "list":
            period = _period(self.request)
            if period:
                reports = reports.filter(period=period)
            type_id = _report_type_id(self.request)
            if type_id:
                reports = reports.filter(report_type_id=type_id)
            status = choice(self.request, "status", Report.Status.values)
            if status:
                reports = reports.filter(status=status)
        return reports

    def get_object(self):
        report = get_for_user_or_404(self._reports(), self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, report)
        return report

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": {}}


@extend_schema_view(
    list=extend_schema(
        summary="Versi laporan terkirim yang boleh Anda baca",
        parameters=[OpenApiParameter("report", int, description="Id laporan.")],
    ),
    retrieve=extend_schema(summary="Satu versi laporan"),
)
class ReportVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Submitted versions (reports.permissions.ReportVersionPolicy: whoever
    may view the report), with what was sent as structured content and the
    links to the issued PDF and the assessment table (Excel)."""

    serializer_class = s.ReportVersionSerializer
    pagination_class = Cursor

    def get_queryset(self):
        versions = ReportVersion.objects.for_user(self.request.user)
        if self.action == "list":
            report_id = object_id(self.request, "report")
            if report_id is not None:
                versions = versions.filter(report_id=report_id)
        return versions

    def get_object(self):
        version = get_for_user_or_404(ReportVersion.objects.all(), self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, version)
        return version


# --- the national matrix ----------------------------------------------------------


class MatrixCSVRenderer(BaseRenderer):
    """The matrix's CSV: the view hands over reports.exports.matrix_csv's text."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode(self.charset) if isinstance(data, str) else data


class NationalViewer(BasePermission):
    """The national page's rule: seknas members (reports.permissions.is_national_viewer)."""

    message = gettext_lazy("Matriks nasional hanya untuk anggota Sekretariat Nasional.")

    def has_permission(self, request, view):
        if request.method not in SAFE_METHODS:
            return True  # the matrix is only read: any other method is a 405 for everybody
        return report_permissions.is_national_viewer(request.user)


def _matrix_filters(request):
    """(report types, provinces, year, only_status) from the page's own filter form; 400 naming the field."""
    report_types = national.periodic_types()
    provinces = national.provinces_for()
    form = MatrixFilterForm(
        request.query_params or None, report_types=report_types, provinces=provinces, statuses=national.Cell.choices
    )
    year = clock.request_today(request).year
    if form.is_bound and not form.is_valid():
        errors = form.errors.get_json_data()
        raise ApiValidationError({field: [e["message"] for e in items] for field, items in errors.items()})
    data = form.cleaned_data if form.is_bound else {}
    year = data.get("tahun") or year
    if data.get("jenis"):
        report_types = [t for t in report_types if t.code == data["jenis"]]
    if data.get("provinsi"):
        provinces = [p for p in provinces if p.code == data["provinsi"]]
    return report_types, provinces, year, data.get("status") or None


def _tally(tally):
    return {
        "expected": tally.expected,
        "submitted": tally.submitted,
        "on_time": tally.on_time,
        "completeness": tally.completeness,
        "timeliness": tally.timeliness,
        "by_state": dict(tally.by_status),
    }


def matrix_json(matrices, total, year):
    """reports.national.build's matrices as JSON (api.serializers_reading.NationalSerializer)."""
    return {
        "year": year,
        "matrices": [
            {
                "type": {"code": m["type"].code, "name": m["type"].name, "period": m["type"].period},
                "periods": [{"key": p["key"], "label": str(p["label"])} for p in m["periods"]],
                "rows": [
                    {
                        "code": row["province"].code,
                        "name": row["province"].name,
                        "cells": [
                            {
                                "period": cell["period"],
                                "state": str(cell["status"]),
                                "label": cell["label"],
                                "version": cell["version_id"],
                                "due_date": cell["due_date"],
                            }
                            for cell in row["cells"]
                        ],
                        "tally": _tally(row["tally"]),
                    }
                    for row in m["rows"]
                ],
                "tally": _tally(m["tally"]),
            }
            for m in matrices
        ],
        "tally": _tally(total),
    }


@extend_schema_view(
    list=extend_schema(
        summary="Matriks nasional (seknas)",
        description=(
            "Provinsi x periode untuk setiap jenis laporan berkala, dengan kelengkapan dan ketepatan waktu: "
            "angka yang sama dengan halaman Nasional. CSV (`?format=csv` atau `Accept: text/csv`) untuk "
            "satu jenis laporan (`jenis` wajib): berkas yang sama dengan unduhan CSV halaman itu. "
            "Hanya untuk anggota Sekretariat Nasional (lainnya 403)."
        ),
        parameters=[
            OpenApiParameter("tahun", int, description="Tahun; bawaan: tahun ini."),
            OpenApiParameter("jenis", str, description="Kode jenis laporan berkala, mis. tk-triwulan."),
            OpenApiParameter("provinsi", str, description="Kode provinsi (Kemendagri), mis. 33."),
            OpenApiParameter(
                "status", str, enum=ReportState.values, description="Hanya provinsi dengan sel berstatus ini."
            ),
        ],
        responses={
            (200, "application/json"): s.NationalSerializer,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV ';' UTF-8 dengan BOM."),
        },
    )
)
class NationalViewSet(viewsets.ViewSet):
    """The seknas national matrix, as JSON or as the page's CSV."""

    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, NationalViewer]
    renderer_classes = [JSONRenderer, MatrixCSVRenderer]

    def list(self, request, *args, **kwargs):
        report_types, provinces, year, only_status = _matrix_filters(request)
        as_csv = request.accepted_renderer.format == MatrixCSVRenderer.format
        if as_csv and len(report_types) != 1:
            raise ApiValidationError({"jenis": [_("Pilih satu jenis laporan untuk CSV.")]})
        body = self.body(report_types, year, provinces, only_status, as_csv)
        if not as_csv:
            # Kept rendered: a hit costs what the page's fragment does.
            return HttpResponse(body, content_type="application/json")
        response = Response(body)
        matrix = {"type": report_types[0]}
        # As the page's download (reports.views._download): a permission-checked file.
        response["Content-Disposition"] = f'attachment; filename="matriks-{slugify(matrix["type"].code)}-{year}.csv"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    @staticmethod
    def body(report_types, year, provinces, only_status, as_csv):
        """The matrix as rendered JSON or the CSV's text, kept in the cache under
        the page's own key (reports.national.cache_key: any report of the
        matrix changing, the language or a zone's date changes it), so the
        endpoint costs what the page costs; built on a miss, or while the
        cache does not answer."""
        kind = "csv" if as_csv else "json"
        key = f"api-national:{national.cache_key(report_types, year, provinces, only_status)}:{kind}"
        body = cache_call("get", key)
        if body is None:
            matrices, total = national.build(report_types, year, provinces, only_status=only_status)
            if as_csv:
                body = exports.matrix_csv(matrices[0])
            else:
                body = JSONRenderer().render(matrix_json(matrices, total, year))
            cache_call("set", key, body, 3600)
        return body

    def handle_exception(self, exc):
        # Errors are JSON, also where the CSV was asked for.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)
