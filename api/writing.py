"""The few writes a phone client needs, through the pages' own services.

Each write asks the permission engine exactly as its page does
(get_for_user_or_404 with the page's action: 404 when the object is missing
or not visible, 403 when visible but not the person's to change), then calls
the page's service, which checks again and refuses with the page's words:

- POST tugas/<id>/selesai/       duties.services.do_update_task_status(status=selesai, note=)
- POST tugas/<id>/buka-kembali/  the same, status=terbuka (the page's "Terbuka")
- POST rapat/<id>/kehadiran/     meetings.services.do_record_attendance(people=, actors=)

A service's ValidationError answers 400 {"field": ["message"]} (or
{"non_field_errors": [...]}), its PermissionDenied 403 (refusals()). A read
token never gets here (api.permissions.TokenScope: 403). The audit rows these
services write are marked via=api (core.middleware: every request under
/api/).
"""

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.permissions import CHANGE, get_for_user_or_404
from duties import services as duties_services
from duties.models import Task
from meetings import services as meetings_services
from meetings.models import Meeting

from .serializers import TaskSerializer
from .serializers_writing import AttendanceListSerializer, AttendanceWriteSerializer, TaskNoteSerializer

FORBIDDEN = _("Anda dapat melihat data ini, tetapi tidak berwenang melakukan tindakan tersebut.")
NOT_FOUND = _("Tidak ditemukan, atau Anda tidak berwenang melihatnya.")


def refusal_data(exc):
    """A service's django ValidationError as the API's 400 body: its
    message_dict (the form's field names) when it has one, otherwise
    {"non_field_errors": [...]}, as a form shows it above its fields."""
    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in exc.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


@contextmanager
def refusals():
    """Django's refusals (from the engine or a service) as the API's: 400
    with the service's own words, 403, 404. Anything else is a bug (500)."""
    try:
        yield
    except ValidationError as exc:
        raise exceptions.ValidationError(refusal_data(exc)) from None
    except PermissionDenied as exc:
        # The service's own words when it gave some (as the page's 403 shows them).
        raise exceptions.PermissionDenied(str(exc) or FORBIDDEN) from None
    except Http404:
        raise exceptions.NotFound(NOT_FOUND) from None


DETAIL = inline_serializer("WriteRefusalDetail", {"detail": serializers.CharField()})
REFUSALS = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description='Ditolak: {"field": ["pesan"]} atau {"non_field_errors": ["pesan"]}, kata-kata halaman web.',
        examples=[
            OpenApiExample(
                "catatan wajib",
                value={"note": ["Tuliskan catatan: apa yang sudah dilakukan, atau alasan pembatalan."]},
                response_only=True,
            )
        ],
    ),
    401: OpenApiResponse(DETAIL, description="Tanpa token yang berlaku (atau sesi)."),
    403: OpenApiResponse(DETAIL, description="Token baca saja, CSRF sesi tidak ada, atau bukan wewenang Anda."),
    404: OpenApiResponse(DETAIL, description="Tidak ada, atau Anda tidak berwenang melihatnya."),
}


class TaskActionViewSet(viewsets.GenericViewSet):
    """Completing and reopening a task, as the status form of its page
    (duties.views.task_update)."""

    queryset = Task.objects.none()  # the schema's id type; each action asks the engine
    serializer_class = TaskNoteSerializer
    lookup_value_regex = "[0-9]+"
    pagination_class = None

    def _move(self, request, pk, status):
        with refusals():
            # The page's lookup: the change permission; completing also needs
            # the complete permission, which the service checks.
            task = get_for_user_or_404(Task.objects.all(), request.user, pk, CHANGE)
        body = TaskNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with refusals():
            task = duties_services.do_update_task_status(
                user=request.user, task=task, status=status, note=body.validated_data["note"]
            )
        # The task as it now is, read through the engine like every answer.
        task = get_for_user_or_404(Task.objects.select_related("duty", "actor__province"), request.user, task.pk)
        return Response(TaskSerializer(task).data)

    @extend_schema(
        summary="Selesaikan tugas",
        description="Status menjadi selesai, dengan catatan (wajib) tentang apa yang sudah dilakukan. "
        "Tugas yang sudah selesai: catatannya diganti, seperti di halaman tugas.",
        request=TaskNoteSerializer,
        responses={200: TaskSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"], url_path="selesai")
    def complete(self, request, pk=None):
        return self._move(request, pk, Task.Status.DONE)

    @extend_schema(
        summary="Buka kembali tugas",
        description="Status menjadi terbuka (dari selesai, dibatalkan, atau sedang dikerjakan), dengan catatan "
        "(boleh kosong). Tugas yang sudah terbuka: hanya catatannya yang masuk riwayat, seperti di halaman tugas.",
        request=TaskNoteSerializer,
        responses={200: TaskSerializer, **REFUSALS},
    )
    @action(detail=True, methods=["post"], url_path="buka-kembali")
    def reopen(self, request, pk=None):
        return self._move(request, pk, Task.Status.OPEN)


class MeetingActionViewSet(viewsets.GenericViewSet):
    """Recording who attended a held meeting, as its attendance page
    (meetings.views.attendance)."""

    queryset = Meeting.objects.none()  # the schema's id type; each action asks the engine
    serializer_class = AttendanceWriteSerializer
    lookup_value_regex = "[0-9]+"
    pagination_class = None

    @extend_schema(
        summary="Catat kehadiran rapat",
        description="Untuk rapat yang sudah terlaksana dan notulennya belum disetujui. Hanya baris yang dikirim "
        "yang berubah; status kosong menghapus baris. Hanya undangan rapat yang dapat dicatat: satu orang atau "
        "pelaku yang bukan undangan menolak seluruh kiriman.",
        request=AttendanceWriteSerializer,
        responses={200: AttendanceListSerializer, **REFUSALS},
        examples=[
            OpenApiExample(
                "kehadiran",
                value={
                    "people": [{"user": 12, "status": "hadir", "note": ""}],
                    "actors": [{"actor": 40, "status": "izin", "note": "Diwakili sekretaris"}],
                },
                request_only=True,
            )
        ],
    )
    @action(detail=True, methods=["post"], url_path="kehadiran")
    def attendance(self, request, pk=None):
        with refusals():
            meeting = get_for_user_or_404(Meeting.objects.all(), request.user, pk, CHANGE)
        body = AttendanceWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        people, actors = body.entries()
        with refusals():
            changed = meetings_services.do_record_attendance(
                user=request.user, meeting=meeting, people=people, actors=actors
            )
        rows = list(meeting.attendance.order_by("pk"))
        answer = {
            "meeting": meeting.pk,
            "changed": changed,
            "people": [row for row in rows if row.user_id is not None],
            "actors": [row for row in rows if row.user_id is None],
        }
        return Response(AttendanceListSerializer(answer).data)


# prefix, viewset, basename
ROUTES = [
    ("tugas", TaskActionViewSet, "task-action"),
    ("rapat", MeetingActionViewSet, "meeting-action"),
]


def register(router):
    """Add this module's viewsets to the API's router: only their actions'
    routes (POST <prefix>/<id>/<action>/), no list and no detail.

    DefaultRouter's root lists one URL per prefix, taken from the viewset
    registered last under it; these have no list, so each goes before any
    reader registered under the same prefix, which keeps its place in the root."""
    for prefix, viewset, basename in ROUTES:
        router.register(prefix, viewset, basename=basename)
        entry = router.registry.pop()
        first = next((i for i, (p, _v, _b) in enumerate(router.registry) if p == prefix), len(router.registry))
        router.registry.insert(first, entry)
