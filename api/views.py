"""The REST API, version 1: what people read on the pages, under the same
permission engine (core.permissions: Model.objects.for_user), and a few writes
through the same services as the pages."""

import datetime

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError

from actors.models import Actor, ActorKind, Province
from core import clock
from duties.models import Duty, Task

from . import serializers
from .pagination import Cursor
from .params import choice, date, object_id


class ProvinceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The provinces (reference data: everyone signed in may read them)."""

    queryset = Province.objects.order_by("code")
    serializer_class = serializers.ProvinceSerializer
    pagination_class = None


class ActorKindViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The actor kinds with their duties, verbatim from the source document."""

    queryset = ActorKind.objects.order_by("order").prefetch_related(
        Prefetch("duties", queryset=Duty.objects.select_related("kind").order_by("number"))
    )
    serializer_class = serializers.ActorKindSerializer
    lookup_field = "code"
    pagination_class = None


class DutyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The 33 duties of the provincial actors (and the national ones), verbatim."""

    queryset = Duty.objects.select_related("kind").order_by("kind__order", "number")
    serializer_class = serializers.DutySerializer
    pagination_class = None


class ActorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The actors the person may see (the actor pages' rule)."""

    serializer_class = serializers.ActorSerializer
    pagination_class = Cursor

    def get_queryset(self):
        return Actor.objects.for_user(self.request.user).select_related("kind", "province")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=Task.Status.values, description="Status tugas."),
            OpenApiParameter("duty", int, description="Id tugas pokok."),
            OpenApiParameter("due_before", datetime.date, description="Tenggat pada atau sebelum tanggal ini."),
            OpenApiParameter("due_after", datetime.date, description="Tenggat pada atau sesudah tanggal ini."),
            OpenApiParameter(
                "overdue",
                bool,
                description="true: hanya tugas terbuka yang lewat tenggat menurut tanggal provinsinya sendiri.",
            ),
        ]
    )
)
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The person's tasks: those of the actors they hold a seat in and of the
    actors they oversee, as on "Tugas saya" and "Tugas yang diawasi"."""

    serializer_class = serializers.TaskSerializer
    pagination_class = Cursor

    def get_queryset(self):
        tasks = Task.objects.for_user(self.request.user).select_related("duty", "actor__province")
        params = self.request.query_params
        if self.action == "list":
            status = choice(self.request, "status", Task.Status.values)
            if status:
                tasks = tasks.filter(status=status)
            duty = object_id(self.request, "duty")
            if duty is not None:
                tasks = tasks.filter(duty_id=duty)
            before, after = date(self.request, "due_before"), date(self.request, "due_after")
            if before:
                tasks = tasks.filter(due_date__lte=before)
            if after:
                tasks = tasks.filter(due_date__gte=after)
            overdue = params.get("overdue")
            if overdue not in (None, ""):
                if overdue not in ("true", "false"):
                    raise ApiValidationError({"overdue": [_("Tulis true atau false.")]})
                tasks = tasks.filter(overdue_q()) if overdue == "true" else tasks.exclude(overdue_q())
        return tasks


def overdue_q():
    """Open tasks past their due date, each in its own province's date (the
    national actors': Jakarta's): one condition per zone, as the task list's
    "Terlambat" says it (Task.is_overdue)."""
    late = Q(actor__province__isnull=True, due_date__lt=clock.local_today())
    for zone in clock.ZONES:
        late |= Q(actor__province__timezone=zone, due_date__lt=clock.local_today(zone))
    return Q(status__in=Task.OPEN_STATUSES) & late


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema (public: it holds no data). `lang` is one of the
    app's languages or nothing: any other would make Django keep a
    translation catalogue per made-up language, in every process."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        lang = request.GET.get("lang")
        if lang is not None and lang not in {code for code, _name in settings.LANGUAGES}:
            raise ApiValidationError({"lang": [_("Pilih id atau en.")]})
        return super().get(request, *args, **kwargs)
