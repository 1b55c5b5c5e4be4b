import calendar
import datetime
import re
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from actors.models import Actor, Membership
from core import clock
from core.audit_views import history_for
from core.files import attachment_response
from core.forms import add_errors
from core.pagination import PAGE_SIZE, paginate_ids
from core.periods import month, parse_period
from core.permissions import CHANGE, VIEW, get_for_user_or_404, user_may
from core.templatetags.fmt import time_separator
from documents.models import Document
from documents.pdf import ExportUnavailable
from documents.signing import SigningUnavailable
from documents.views import export_unavailable
from duties.calendar import WorkingCalendar
from duties.models import Task

from . import forms, ical, issued, permissions, services
from .models import CalendarFeed, FollowUp, Meeting, MeetingAttachment, MeetingSeries, MinutesEntry, MinutesVersion

WEEKDAY_NAMES = [
    gettext_lazy("Sen"),
    gettext_lazy("Sel"),
    gettext_lazy("Rab"),
    gettext_lazy("Kam"),
    gettext_lazy("Jum"),
    gettext_lazy("Sab"),
    gettext_lazy("Min"),
]


def _meetings(user):
    return Meeting.objects.for_user(user).select_related("actor__kind", "actor__province")


@require_safe
def meeting_list(request):
    now = timezone.now()
    meetings = _meetings(request.user)
    upcoming = meetings.upcoming(now).order_by("starts_at", "id")[:50]
    past = meetings.exclude(pk__in=meetings.upcoming(now).values("pk"))
    page = paginate_ids(
        past,
        ("-starts_at", "-id"),
        request.GET.get("page"),
        PAGE_SIZE,
        lambda ids: Meeting.objects.filter(pk__in=ids).select_related("actor__kind", "actor__province"),
    )
    series_list = MeetingSeries.objects.for_user(request.user).select_related("actor__kind", "actor__province")
    context = {"upcoming": upcoming, "page": page, "now": now, "series_list": series_list}
    return render(request, "meetings/meeting_list.html", context)


def _posted(request):
    # An empty POST is still a submission (e.g. clearing every field).
    return request.POST if request.method == "POST" else None


def _get(request, pk, action=VIEW):
    return get_for_user_or_404(
        Meeting.objects.select_related("actor__kind", "actor__province", "series__duty", "chair", "duty_task"),
        request.user,
        pk,
        action,
    )


def _minutes_documents(versions):
    """[(approved version, its issued document or None)], newest first: the
    documents in one query, however many versions."""
    approved = [v for v in versions if v.is_locked]
    if not approved:
        return []
    documents = {
        d.source_id: d
        for d in Document.objects.filter(
            source_type=ContentType.objects.get_for_model(MinutesVersion), source_id__in=[v.pk for v in approved]
        )
    }
    return [(v, documents.get(v.pk)) for v in approved]


def _detail_context(request, meeting, **forms_):
    can_change = user_may(request.user, meeting, CHANGE)
    minutes = services.latest_minutes(meeting)
    entries = {}
    if minutes is not None:
        entries = {e.agenda_item_id: e for e in MinutesEntry.objects.filter(version=minutes)}
    agenda = [(item, entries.get(item.pk)) for item in meeting.agenda.all()]
    follow_ups = FollowUp.objects.filter(meeting=meeting).select_related(
        "task__actor__kind", "task__actor__province", "agenda_item"
    )
    visible_tasks = set(
        Task.objects.for_user(request.user).filter(pk__in=[f.task_id for f in follow_ups]).values_list("pk", flat=True)
    )
    minutes_versions = list(meeting.minutes_versions.select_related("approved_by", "created_by"))
    context = {
        "meeting": meeting,
        "province": meeting.actor.province,
        "can_change": can_change,
        "can_approve": minutes is not None
        and not minutes.is_locked
        and permissions.user_may_approve_minutes(request.user, meeting),
        "minutes": minutes,
        "minutes_versions": minutes_versions,
        "minutes_documents": _minutes_documents(minutes_versions),
        "agenda": agenda,
        "attendance": meeting.attendance.select_related("user", "actor__kind", "actor__province"),
        "follow_ups": follow_ups,
        "visible_tasks": visible_tasks,
        "attachments": meeting.attachments.select_related("uploaded_by"),
        "invited_actors": meeting.invited_actors.select_related("kind", "province"),
        "invited_people": meeting.invited_people.all(),
        "history": history_for(meeting),
        "now": timezone.now(),
        "can_view_series": MeetingSeries.objects.for_user(request.user).filter(pk=meeting.series_id).exists(),
    }
    if can_change:
        context.update(
            hold_form=forms_.get("hold_form") or forms.MeetingTimesForm(meeting=meeting),
            postpone_form=forms_.get("postpone_form") or forms.PostponeForm(meeting=meeting),
            cancel_form=forms_.get("cancel_form") or forms.CancelForm(),
            agenda_form=forms_.get("agenda_form") or forms.AgendaItemForm(),
            follow_up_form=forms_.get("follow_up_form") or forms.FollowUpForm(meeting=meeting),
            correction_form=forms_.get("correction_form") or forms.CorrectionForm(),
            attachment_form=forms_.get("attachment_form") or forms.AttachmentForm(),
        )
    failed = [f for f in forms_.values() if hasattr(f, "non_field_errors")]
    context["page_errors"] = [e for f in failed for e in f.non_field_errors()] + forms_.get("approve_errors", [])
    return context


def _detail(request, meeting, status=200, **forms_):
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting, **forms_), status=status)


def _run(request, meeting, form, form_name, action, success):
    """Validate the form, call the service, redirect on success or show the
    detail page again with the errors (400) and nothing changed."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    return _detail(request, meeting, status=400, **{form_name: form})


@require_safe
def meeting_detail(request, pk):
    return _detail(request, _get(request, pk))


def meeting_edit(request, pk):
    meeting = _get(request, pk, CHANGE)
    form = forms.MeetingEditForm(_posted(request), meeting=meeting)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.do_update_meeting(user=request.user, meeting=meeting, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Rapat diperbarui."))
                return redirect("meetings:meeting_detail", pk=meeting.pk)
        status = 400
    if not meeting.is_open:
        form = None
    return render(request, "meetings/meeting_edit.html", {"meeting": meeting, "form": form}, status=status)


@require_POST
def meeting_hold(request, pk):
    meeting = _get(request, pk, CHANGE)
    form = forms.MeetingTimesForm(request.POST, meeting=meeting)
    return _run(
        request,
        meeting,
        form,
        "hold_form",
        lambda d: services.do_hold_meeting(
            user=request.user, meeting=meeting, starts_at=d["starts_at"], ends_at=d["ends_at"]
        ),
        _("Rapat dicatat terlaksana."),
    )


@require_POST
def meeting_postpone(request, pk):
    meeting = _get(request, pk, CHANGE)
    form = forms.PostponeForm(request.POST, meeting=meeting)
    return _run(
        request,
        meeting,
        form,
        "postpone_form",
        lambda d: services.do_postpone_meeting(
            user=request.user, meeting=meeting, starts_at=d["starts_at"], ends_at=d["ends_at"], reason=d["reason"]
        ),
        _("Rapat ditunda; para undangan diberi tahu."),
    )


@require_POST
def meeting_cancel(request, pk):
    meeting = _get(request, pk, CHANGE)
    form = forms.CancelForm(request.POST)
    return _run(
        request,
        meeting,
        form,
        "cancel_form",
        lambda d: services.do_cancel_meeting(user=request.user, meeting=meeting, reason=d["reason"]),
        _("Rapat dibatalkan; para undangan diberi tahu."),
    )


@require_POST
def agenda_add(request, pk):
    meeting = _get(request, pk, CHANGE)
    form = forms.AgendaItemForm(request.POST)
    return _run(
        request,
        meeting,
        form,
        "agenda_form",
        lambda d: services.do_add_agenda_item(user=request.user, meeting=meeting, title=d["title"]),
        _("Butir agenda ditambahkan."),
    )


def attendance(request, pk):
    meeting = _get(request, pk, CHANGE)
    people = services.eligible_attendees(meeting)
    actors = Actor.objects.filter(pk__in=services.invited_actor_ids(meeting)).select_related("kind", "province")
    actors = sorted(actors, key=lambda a: (a.pk != meeting.actor_id, a.kind.order))
    form = forms.AttendanceForm(_posted(request), meeting=meeting, people=people, actors=actors)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            people_entries, actor_entries = form.entries()
            try:
                services.do_record_attendance(
                    user=request.user, meeting=meeting, people=people_entries, actors=actor_entries
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Daftar hadir disimpan."))
                return redirect("meetings:meeting_detail", pk=meeting.pk)
        status = 400
    editable = meeting.status == Meeting.Status.HELD and not services.minutes_locked(meeting)
    return render(
        request,
        "meetings/attendance.html",
        {"meeting": meeting, "form": form, "editable": editable},
        status=status,
    )


def minutes_edit(request, pk):
    meeting = _get(request, pk, CHANGE)
    version = services.latest_minutes(meeting)
    locked = version is not None and version.is_locked
    form = forms.MinutesForm(_posted(request), agenda=meeting.agenda.all(), version=version)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.do_save_minutes(
                    user=request.user, meeting=meeting, notes=form.cleaned_data["notes"], entries=form.entries()
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Notulen disimpan sebagai draf."))
                return redirect("meetings:meeting_detail", pk=meeting.pk)
        status = 400
    editable = meeting.status == Meeting.Status.HELD and not locked
    return render(
        request,
        "meetings/minutes_edit.html",
        {"meeting": meeting, "form": form, "version": version, "editable": editable},
        status=status,
    )


@require_POST
def minutes_approve(request, pk):
    meeting = _get(request, pk, CHANGE)
    try:
        services.do_approve_minutes(user=request.user, meeting=meeting)
    except ValidationError as exc:
        return _detail(request, meeting, status=400, approve_errors=exc.messages)
    messages.success(request, _("Notulen disetujui dan dikunci."))
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@require_POST
def minutes_correct(request, pk):
    meeting = _get(request, pk, CHANGE)
    form = forms.CorrectionForm(request.POST)
    return _run(
        request,
        meeting,
        form,
        "correction_form",
        lambda d: services.do_start_minutes_correction(user=request.user, meeting=meeting, reason=d["reason"]),
        _("Versi baru notulen dibuat sebagai draf."),
    )


@require_POST
def follow_up_add(request, pk):
    meeting = _get(request, pk, CHANGE)
    form = forms.FollowUpForm(request.POST, meeting=meeting)
    return _run(
        request,
        meeting,
        form,
        "follow_up_form",
        lambda d: services.do_add_follow_up(user=request.user, meeting=meeting, **d),
        _("Tindak lanjut dibuat sebagai tugas pelaku penanggung jawab."),
    )


@require_POST
def attachment_add(request, pk):
    meeting = _get(request, pk, CHANGE)
    form = forms.AttachmentForm(request.POST, request.FILES)
    return _run(
        request,
        meeting,
        form,
        "attachment_form",
        lambda d: services.do_add_attachment(user=request.user, meeting=meeting, upload=d["file"], kind=d["kind"]),
        _("Lampiran diunggah."),
    )


@require_safe
def attachment_download(request, pk, attachment_pk):
    meeting = _get(request, pk)
    attachment = get_object_or_404(MeetingAttachment, pk=attachment_pk, meeting=meeting)
    return attachment_response(attachment.file, attachment.name, attachment.content_type)


@require_safe
def minutes_pdf(request, pk, number):
    """An approved minutes version's issued PDF: the stored bytes its record
    hashes (issued now for a version that has none yet: approved before
    documents existed, or while the font or certificate was unusable). A
    draft or missing version is a 404."""
    meeting = _get(request, pk)
    version = get_object_or_404(
        MinutesVersion.objects.select_related("approved_by"),
        meeting=meeting,
        number=number,
        status=MinutesVersion.Status.APPROVED,
    )
    version.meeting = meeting
    try:
        document = issued.issue_minutes(version)
    except (ExportUnavailable, SigningUnavailable) as exc:
        return export_unavailable(request, exc)
    return attachment_response(document.file, issued.filename(version), "application/pdf")


# --- meeting series -------------------------------------------------------------


def _series(request, pk, action=VIEW):
    return get_for_user_or_404(
        MeetingSeries.objects.select_related("actor__kind", "actor__province"), request.user, pk, action
    )


def series_time_label(series):
    """ "09.00-12.00 WIB" (English "09:00"), in the province's own zone."""
    sep = time_separator()
    start, end = series.start_time, series.end_time
    return f"{start:%H}{sep}{start:%M}–{end:%H}{sep}{end:%M} {series.actor.province.zone_label}"


@require_safe
def series_detail(request, pk):
    series = _series(request, pk)
    now = timezone.now()
    # Only the meetings the person may open: one whose invitees were changed
    # by hand can leave out someone who sees the series.
    upcoming = list(
        Meeting.objects.for_user(request.user)
        .filter(series=series)
        .upcoming(now)
        .select_related("actor__kind", "actor__province")
        .order_by("starts_at", "id")[:12]
    )
    context = {
        "series": series,
        "province": series.actor.province,
        "upcoming": upcoming,
        "invited_actors": series.invited_actors.filter(province_id=series.actor.province_id).select_related(
            "kind", "province"
        ),
        "invited_people": series.invited_people.all(),
        "can_change": user_may(request.user, series, CHANGE),
        "time_label": series_time_label(series),
        "now": now,
        "history": history_for(series),
    }
    return render(request, "meetings/series_detail.html", context)


def series_edit(request, pk):
    """The day rule, time, place and invited actors of a series. "Pratinjau"
    shows which meetings the values would move without saving; "Simpan"
    saves and moves them (services.do_change_series)."""
    series = _series(request, pk, CHANGE)
    form = forms.SeriesForm(_posted(request), series=series)
    before = services.SeriesSchedule.of(series)
    status, previewed = 200, False
    if request.method == "POST":
        if form.is_valid():
            if "preview" in request.POST:
                plan = services.plan_series_change(series, before, form.schedule())
                previewed = True
            else:
                try:
                    _saved, moved = services.do_change_series(user=request.user, series=series, **form.cleaned_data)
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    if moved:
                        text = ngettext(
                            "Rangkaian rapat disimpan. %(n)s rapat terjadwal dipindah ke jadwal baru; "
                            "para undangannya diberi tahu.",
                            "Rangkaian rapat disimpan. %(n)s rapat terjadwal dipindah ke jadwal baru; "
                            "para undangannya diberi tahu.",
                            len(moved),
                        ) % {"n": len(moved)}
                    else:
                        text = _(
                            "Rangkaian rapat disimpan. Tidak ada rapat terjadwal yang dipindah; rapat yang "
                            "dijadwalkan berikutnya mengikuti aturan baru."
                        )
                    messages.success(request, text)
                    return redirect("meetings:series_detail", pk=series.pk)
        if not previewed:
            status = 400
    if not previewed:
        plan = services.plan_series_change(series, before)
    context = {
        "series": series,
        "province": series.actor.province,
        "form": form,
        "plan": plan,
        "previewed": previewed,
        "notice_days": settings.MEETING_SERIES_NOTICE_DAYS,
    }
    return render(request, "meetings/series_edit.html", context, status=status)


# --- calendar -----------------------------------------------------------------


def _home_province(user):
    membership = (
        Membership.objects.current()
        .filter(user=user, actor__province__isnull=False)
        .select_related("actor__province")
        .first()
    )
    return membership.actor.province if membership else None


@require_safe
def calendar_month(request):
    form = forms.MonthForm(request.GET or None)
    status = 200
    today = clock.request_today(request)
    key = f"{today:%Y-%m}"
    if form.is_bound:
        if form.is_valid():
            key = form.cleaned_data["bulan"] or key
        else:
            status = 400
    period = parse_period(key)
    utc = datetime.UTC
    window_start = datetime.datetime.combine(period.start - datetime.timedelta(days=1), datetime.time.min, utc)
    window_end = datetime.datetime.combine(period.end + datetime.timedelta(days=2), datetime.time.min, utc)
    meetings_by_day = defaultdict(list)
    for meeting in _meetings(request.user).in_range(window_start, window_end).order_by("starts_at", "id"):
        local = timezone.localtime(meeting.starts_at, meeting.actor.province.tzinfo)
        if period.start <= local.date() <= period.end:
            meeting.time_label = f"{local:%H}{time_separator()}{local:%M} {meeting.actor.province.zone_label}"
            meetings_by_day[local.date()].append(meeting)
    tasks_by_day = defaultdict(list)
    tasks = (
        Task.objects.for_user(request.user)
        .filter(due_date__gte=period.start, due_date__lte=period.end)
        .exclude(status=Task.Status.CANCELLED)
        .select_related("duty__kind", "actor__kind", "actor__province")
        .order_by("due_date", "id")
    )
    for task in tasks:
        tasks_by_day[task.due_date].append(task)
    province = _home_province(request.user)
    working = WorkingCalendar()
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(period.start.year, period.start.month):
        weeks.append(
            [
                {
                    "day": day,
                    "in_month": day.month == period.start.month,
                    "today": day == today,
                    "holiday": working.holiday_name(day, province) if day.weekday() < 5 else None,
                    "weekend": day.weekday() >= 5,
                    "meetings": meetings_by_day.get(day, []),
                    "tasks": tasks_by_day.get(day, []),
                }
                for day in week
            ]
        )
    previous, following = period.previous(), period.next()
    context = {
        "form": form,
        "period": period,
        "month_start": month(period.start.year, period.start.month).start,
        "weeks": weeks,
        "previous": previous.key,
        "next": following.key,
        "today": today,
        "empty": not meetings_by_day and not tasks_by_day,
        "weekday_names": WEEKDAY_NAMES,
    }
    return render(request, "meetings/calendar.html", context, status=status)


@require_safe
def calendar_feed(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = None
    if feed is not None:
        url = request.build_absolute_uri(reverse("meetings:ical_feed", args=[feed.token]))
    return render(request, "meetings/calendar_feed.html", {"feed": feed, "url": url})


@require_POST
def calendar_feed_reset(request):
    had_feed = CalendarFeed.objects.filter(user=request.user).exists()
    services.do_reset_calendar_feed(user=request.user)
    if had_feed:
        messages.success(request, _("Tautan lama tidak berlaku lagi. Perbarui langganan kalender Anda."))
    else:
        messages.success(request, _("Tautan langganan kalender dibuat."))
    return redirect("meetings:calendar_feed")


# The shape of a feed token (meetings.models.new_calendar_token: URL-safe
# base64, at most the field's 64 characters).
FEED_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


@login_not_required
@require_GET
@never_cache
def ical_feed(request, token):
    """The private feed: the token is the only credential (no session); an
    unknown or reset token is a 404, and so is one that cannot be a token
    (anything but the URL-safe alphabet of new_calendar_token: a NUL would
    make PostgreSQL refuse the query), before any query."""
    if not FEED_TOKEN_RE.fullmatch(token):
        raise Http404
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    user = feed.user
    start, end = ical.feed_window(clock.local_today(_home_province(user)))
    utc = datetime.UTC
    meetings = (
        Meeting.objects.for_user(user)
        .in_range(
            datetime.datetime.combine(start, datetime.time.min, utc),
            datetime.datetime.combine(end, datetime.time.min, utc),
        )
        .select_related("actor__kind", "actor__province")
        .order_by("starts_at", "id")
    )
    tasks = (
        ical.open_tasks_due_between(Task.objects.for_user(user), start, end).select_related("duty").order_by("due_date")
    )
    body = ical.build_feed(meetings, tasks, name=_("Rapat dan tenggat PNPM-MP: %(name)s") % {"name": user.display_name})
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pnpm-prov.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
