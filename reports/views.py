import datetime
import difflib

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from core import clock
from core.audit_views import history_for
from core.files import attachment_response
from core.forms import add_errors, read_post_with_field_limit
from core.pagination import PAGE_SIZE, paginate_ids
from core.permissions import CHANGE, VIEW, get_for_user_or_404, user_may
from documents import services as documents
from documents.signing import SigningUnavailable
from documents.views import export_unavailable
from regions import search as region_search

from . import charts, exports, issued, national, permissions, services
from .forms import (
    DRAFT_FIELD_LIMIT,
    MAX_ROWS,
    AttachmentForm,
    DraftForms,
    IncidentalReportForm,
    MatrixFilterForm,
    ReportFilterForm,
    ReviewForm,
)
from .models import AssessmentRow, Report, ReportAttachment, ReportSection, ReportType, ReportVersion


def _get_report(request, pk, action=VIEW):
    return get_for_user_or_404(
        Report.objects.select_related("report_type", "actor__kind", "actor__province", "province", "latest_version"),
        request.user,
        pk,
        action,
    )


def _get_version(request, pk):
    return get_for_user_or_404(
        ReportVersion.objects.select_related(
            "report__report_type", "report__actor__kind", "report__province", "submitted_by"
        ),
        request.user,
        pk,
    )


@require_safe
def report_list(request):
    report_types = list(ReportType.objects.order_by("order", "name"))
    form = ReportFilterForm(request.GET or None, report_types=report_types)
    reports = Report.objects.for_user(request.user).select_related(
        "report_type", "actor__kind", "actor__province", "province"
    )
    status = 200
    if form.is_bound and not form.is_valid():
        reports, status = reports.none(), 400
    elif form.is_bound:
        reports = form.apply(reports)
    page = paginate_ids(
        reports,
        ("-period_start", "report_type__order", "province__code", "-id"),
        request.GET.get("page"),
        PAGE_SIZE,
        lambda ids: Report.objects.filter(pk__in=ids).select_related(
            "report_type", "actor__kind", "actor__province", "province"
        ),
    )
    for report in page.object_list:
        # Each report judged in its own province's date, as the national
        # matrix judges it (seknas lists every zone's reports).
        report.today = clock.local_today(report.province)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_create": permissions.user_actors(request.user).exists(),
        "is_national": permissions.is_national_viewer(request.user),
    }
    return render(request, "reports/report_list.html", context, status=status)


def incidental_create(request):
    form = IncidentalReportForm(request.POST or None, user=request.user)
    if not form.fields["actor"].queryset.exists():
        return render(request, "reports/incidental_create.html", {"form": None}, status=403)
    if request.method == "POST":
        if form.is_valid():
            try:
                report = services.do_create_incidental_report(
                    user=request.user, actor=form.cleaned_data["actor"], title=form.cleaned_data["title"]
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Laporan insidental dibuat. Lengkapi isinya lalu kirim."))
                return redirect("reports:report_edit", pk=report.pk)
        return render(request, "reports/incidental_create.html", {"form": form}, status=400)
    return render(request, "reports/incidental_create.html", {"form": form})


def _detail_context(request, report):
    can_review = user_may(request.user, report, permissions.REVIEW)
    return {
        "report": report,
        "versions": report.versions.select_related("submitted_by", "review__reviewed_by").order_by("-number"),
        "can_change": user_may(request.user, report, CHANGE),
        # The review form is on the latest version's page, where the reviewer reads.
        "can_review": can_review and report.status == Report.Status.SUBMITTED,
        "history": history_for(report),
        "today": clock.local_today(report.province),
    }


@require_safe
def report_detail(request, pk):
    report = _get_report(request, pk)
    return render(request, "reports/report_detail.html", _detail_context(request, report))


def _last_review(report):
    if report.latest_version_id is None:
        return None
    return getattr(report.latest_version, "review", None)


def _edit_context(request, report, drafts, attachment_form=None):
    review = _last_review(report)
    reasons = review.section_reasons if review else {}
    sections = [
        {"field": drafts.form[f"section_{s.code}"], "section": s, "reason": reasons.get(s.code, "")}
        for s in drafts.form.sections
    ]
    return {
        "report": report,
        "drafts": drafts,
        "sections": sections,
        "review": review,
        "attachments": report.attachments.filter(withdrawn=False).select_related("uploaded_by"),
        "attachment_form": attachment_form or AttachmentForm(),
        "history": history_for(report),
        "today": clock.local_today(report.province),
        "kinds": ReportSection.Kind,
    }


@csrf_exempt
def report_edit(request, pk):
    """The draft: GET shows it, POST saves it (action=save) or saves and
    submits it in one transaction (action=submit): a refused submission
    leaves the database exactly as it was.

    Both tables may hold MAX_ROWS rows, more fields than Django's
    DATA_UPLOAD_MAX_NUMBER_FIELDS: the POST is read here with the page's own
    limit (forms.DRAFT_FIELD_LIMIT) and the CSRF token checked after that
    (csrf_protect), as Django documents for per-view upload handlers. Past
    that limit the page comes back with a message, not a bare 400."""
    if request.method == "POST":
        try:
            read_post_with_field_limit(request, DRAFT_FIELD_LIMIT)
        except (TooManyFieldsSent, RequestDataTooBig):
            # Nothing could be read, so nothing is written (and no token to
            # check): the saved draft again, with what happened.
            report = _get_report(request, pk, CHANGE)
            drafts = DraftForms(report, request.user)
            context = _edit_context(request, report, drafts)
            context["page_errors"] = [
                _(
                    "Isian terlalu banyak atau terlalu besar untuk dikirim sekaligus (tiap tabel paling banyak "
                    "%(num)s baris). Tidak ada yang disimpan."
                )
                % {"num": MAX_ROWS}
            ]
            return render(request, "reports/report_edit.html", context, status=400)
    return _report_edit(request, pk)


@csrf_protect
def _report_edit(request, pk):
    report = _get_report(request, pk, CHANGE)
    if request.method != "POST":
        return render(
            request, "reports/report_edit.html", _edit_context(request, report, DraftForms(report, request.user))
        )
    if not report.is_editable:
        # Sent (or accepted) meanwhile: the page as it now is, read-only, saying why.
        context = _edit_context(request, report, DraftForms(report, request.user))
        context["page_errors"] = [
            _("Laporan ini tidak dapat diubah: %(status)s.") % {"status": report.get_status_display()}
        ]
        return render(request, "reports/report_edit.html", context, status=400)
    action = request.POST.get("action")
    if action == "narrow":
        # Without JavaScript: the units of the kabupaten/kecamatan chosen in a
        # row. What was posted comes back, nothing is saved.
        drafts = DraftForms(report, request.user, request.POST, narrowing=True)
        return render(request, "reports/report_edit.html", _edit_context(request, report, drafts))
    drafts = DraftForms(report, request.user, request.POST)
    if drafts.is_valid():
        submit = action == "submit"
        try:
            with transaction.atomic():
                services.do_save_draft(user=request.user, report=report, **drafts.values())
                version = services.do_submit_report(user=request.user, report=report) if submit else None
        except ValidationError as exc:
            drafts.add_service_errors(exc)
        else:
            if version:
                messages.success(request, _("Laporan dikirim sebagai versi %(n)s.") % {"n": version.number})
                return redirect("reports:version_detail", pk=version.pk)
            messages.success(request, _("Draf disimpan."))
            return redirect("reports:report_edit", pk=report.pk)
    return render(request, "reports/report_edit.html", _edit_context(request, report, drafts), status=400)


@csrf_exempt
@require_POST
def report_autosave(request, pk):
    """The same validation and service as the normal save; answers JSON.
    Reads the POST with the page's field limit, as report_edit does."""
    try:
        read_post_with_field_limit(request, DRAFT_FIELD_LIMIT)
    except (TooManyFieldsSent, RequestDataTooBig):
        _get_report(request, pk, CHANGE)
        return JsonResponse(
            {"ok": False, "message": _("Belum tersimpan: isian terlalu banyak atau terlalu besar.")}, status=400
        )
    return _report_autosave(request, pk)


@csrf_protect
def _report_autosave(request, pk):
    report = _get_report(request, pk, CHANGE)
    if not report.is_editable:
        return JsonResponse(
            {
                "ok": False,
                "message": _("Laporan ini tidak dapat diubah: %(status)s.") % {"status": report.get_status_display()},
            },
            status=409,
        )
    drafts = DraftForms(report, request.user, request.POST)
    if not drafts.is_valid():
        return JsonResponse(
            {"ok": False, "message": _("Belum tersimpan: periksa isian yang ditandai."), "errors": drafts.errors()},
            status=400,
        )
    try:
        services.do_save_draft(user=request.user, report=report, autosave=True, **drafts.values())
    except ValidationError as exc:
        drafts.add_service_errors(exc)
        return JsonResponse(
            {"ok": False, "message": " ".join(exc.messages), "errors": drafts.errors()},
            status=400,
        )
    saved = clock.local_now(report.province)
    return JsonResponse(
        {"ok": True, "message": _("Tersimpan otomatis pukul %(time)s.") % {"time": saved.strftime("%H.%M")}}
    )


UNIT_LEVELS = frozenset(AssessmentRow.Level.values)


@require_safe
def unit_search(request, pk):
    """The unit picker's search (static/js/unit-picker.js): units in force of
    the report's province at one level whose name holds q (or whose code
    starts with it), at most regions.search.LIMIT. For whoever may see the
    report. GET ?tingkat=kecamatan&q=wanar -> {"results": [{code, label, name}]}."""
    report = _get_report(request, pk)
    level = request.GET.get("tingkat", "")
    if level not in UNIT_LEVELS:
        return JsonResponse(
            {
                "error": _("Tingkat wilayah tidak dikenal: pilih salah satu dari %(levels)s.")
                % {"levels": ", ".join(AssessmentRow.Level.values)}
            },
            status=400,
        )
    text = request.GET.get("q", "")[:100]
    units = region_search.search(province_code=report.province.code, level=level, text=text) if text.strip() else []
    response = JsonResponse({"results": [{"code": u.code, "label": u.label, "name": u.printed_name} for u in units]})
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def attachment_add(request, pk):
    report = _get_report(request, pk, CHANGE)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.do_add_report_attachment(user=request.user, report=report, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Lampiran ditambahkan."))
            return redirect("reports:report_edit", pk=report.pk)
    drafts = DraftForms(report, request.user)
    return render(
        request, "reports/report_edit.html", _edit_context(request, report, drafts, attachment_form=form), status=400
    )


@require_POST
def attachment_remove(request, pk, attachment_pk):
    report = _get_report(request, pk, CHANGE)
    attachment = get_object_or_404(ReportAttachment, pk=attachment_pk, report=report, withdrawn=False)
    try:
        services.do_remove_report_attachment(user=request.user, report=report, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Lampiran dihapus dari draf."))
    return redirect("reports:report_edit", pk=report.pk)


@require_safe
def attachment_download(request, pk, attachment_pk):
    """A draft's attachment: for the writer only."""
    report = _get_report(request, pk, CHANGE)
    attachment = get_object_or_404(ReportAttachment, pk=attachment_pk, report=report)
    return attachment_response(attachment.file, attachment.name, attachment.content_type)


@require_POST
def report_review(request, pk):
    """The review of the report's latest version, posted from that version's
    page (version_detail): a refused review shows the page again with the
    errors and what was typed."""
    report = _get_report(request, pk, permissions.REVIEW)
    form = ReviewForm(request.POST, sections=list(report.report_type.sections.all()))
    read = request.POST.get("version", "")
    if form.is_valid() and read and report.latest_version and read != str(report.latest_version.number):
        # The reviewer read an older version: a newer one arrived since.
        form.add_error(
            None,
            _("Versi %(n)s sudah dikirim setelah versi yang Anda baca. Baca versi terakhir lalu tanggapi.")
            % {"n": report.latest_version.number},
        )
    elif form.is_valid():
        try:
            services.do_review_report(
                user=request.user,
                report=report,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                section_reasons=form.reasons(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Tanggapan disimpan."))
            return redirect("reports:version_detail", pk=report.latest_version_id)
    if report.latest_version_id is None:
        raise Http404
    version = _get_version(request, report.latest_version_id)
    return render(request, "reports/version_detail.html", _version_page(request, version, form), status=400)


# Submitted versions ---------------------------------------------------------


def _version_context(version):
    snap = version.snapshot
    sections = []
    review = getattr(version, "review", None)
    reasons = review.section_reasons if review else {}
    for section in snap["sections"]:
        sections.append(
            {
                **section,
                "issues": [i for i in snap["issues"] if i["kind"] == section["kind"]],
                "reason": reasons.get(section["code"], ""),
            }
        )
    signed = snap["signature"]["date"]
    return {
        "version": version,
        "report": version.report,
        "snap": snap,
        "sections": sections,
        "review": review,
        "signature_date": datetime.date.fromisoformat(signed) if signed else None,
    }


def _version_page(request, version, review_form=None):
    """The version page's context; the review form for whoever may review this
    version: the latest one, while it awaits a review."""
    context = _version_context(version)
    report = version.report
    context["siblings"] = report.versions.order_by("number").only("pk", "number", "on_time", "submitted_at")
    context["can_review"] = (
        report.status == Report.Status.SUBMITTED
        and report.latest_version_id == version.pk
        and user_may(request.user, report, permissions.REVIEW)
    )
    if context["can_review"] and review_form is None:
        review_form = ReviewForm(sections=list(report.report_type.sections.all()))
    # A refused review shows its errors even when the form is gone (reviewed meanwhile).
    context["review_form"] = review_form
    context["document"] = documents.document_of(version)
    return context


@require_safe
def version_detail(request, pk):
    version = _get_version(request, pk)
    return render(request, "reports/version_detail.html", _version_page(request, version))


_filename = issued.filename


@require_safe
def version_pdf(request, pk):
    """The version's issued PDF, the stored bytes its record hashes (issued
    now for a version that has none yet: made before documents existed, or
    when the font was missing at submission)."""
    version = _get_version(request, pk)
    try:
        document = issued.issue_version(version)
    except (exports.ExportUnavailable, SigningUnavailable) as exc:
        return export_unavailable(request, exc)
    return _download(documents.read(document), "application/pdf", _filename(version, "pdf"))


@require_safe
def version_excel(request, pk):
    version = _get_version(request, pk)
    content = exports.version_assessment_xlsx(version)
    return _download(content, XLSX, _filename(version, "xlsx"))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content, content_type, filename):
    """An export (PDF, XLSX, CSV) as a download: a permission-checked file,
    so no cache, shared or the browser's, keeps a copy (as
    core.files.attachment_response)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def version_attachment(request, pk, attachment_pk):
    """A file as it was submitted with this version (even if withdrawn since)."""
    version = _get_version(request, pk)
    if attachment_pk not in {a["id"] for a in version.snapshot["attachments"]}:
        raise Http404
    attachment = get_object_or_404(ReportAttachment, pk=attachment_pk, report=version.report_id)
    return attachment_response(attachment.file, attachment.name, attachment.content_type)


def _lines(snap):
    """A version as comparable blocks: (title, lines)."""
    blocks = []
    for section in snap["sections"]:
        lines = (section["text"] or "").splitlines()
        lines += [
            f"- [{i['category_label']}] {i['description']} ({i['state_label']})"
            for i in snap["issues"]
            if i["kind"] == section["kind"]
        ]
        if section["kind"] == ReportSection.Kind.ASSESSMENT:
            lines += [
                f"- {r['level_label']} {r['unit_code']} {r['unit_name']}: {r['rating_label']} {r['note']}".rstrip()
                for r in snap["assessment"]
            ]
        blocks.append((section["title"], lines))
    sig = snap["signature"]
    blocks.append((_("Tanda tangan"), [sig["name"], sig["position"], f"{sig['place']}, {sig['date']}"]))
    blocks.append((_("Lampiran"), [a["name"] for a in snap["attachments"]]))
    return blocks


@require_safe
def version_diff(request, pk):
    """What changed from the previous version, section by section."""
    version = _get_version(request, pk)
    previous = ReportVersion.objects.filter(report=version.report_id, number=version.number - 1).first()
    if previous is None:
        raise Http404
    old, new = dict(_lines(previous.snapshot)), _lines(version.snapshot)
    blocks = []
    for title, lines in new:
        before = old.get(title, [])
        diff = [
            {"op": line[0], "text": line[2:]}
            for line in difflib.ndiff(before, lines)
            if line[:1] in ("+", "-", " ") and not line.startswith("?")
        ]
        blocks.append({"title": title, "lines": diff, "changed": before != lines})
    return render(request, "reports/version_diff.html", {"version": version, "previous": previous, "blocks": blocks})


# The national view ------------------------------------------------------------


def _matrix_filters(request):
    """(form, report types, provinces, year, cleaned filter, status) of the national page."""
    permissions.require_national_viewer(request.user)
    report_types = national.periodic_types()
    provinces = national.provinces_for()
    form = MatrixFilterForm(
        request.GET or None, report_types=report_types, provinces=provinces, statuses=national.Cell.choices
    )
    year = clock.request_today(request).year
    if form.is_bound and not form.is_valid():
        return form, report_types, provinces, year, {}, 400
    data = form.cleaned_data if form.is_bound else {}
    year = data.get("tahun") or year
    if data.get("jenis"):
        report_types = [t for t in report_types if t.code == data["jenis"]]
    if data.get("provinsi"):
        provinces = [p for p in provinces if p.code == data["provinsi"]]
    return form, report_types, provinces, year, data, 200


def _matrix(request):
    form, report_types, provinces, year, data, status = _matrix_filters(request)
    if status != 200:
        return form, [], national.Tally(), year, status
    matrices, total = national.build(report_types, year, provinces, only_status=data.get("status") or None)
    return form, matrices, total, year, 200


@require_safe
def national_view(request):
    """The matrices are built only when the fragment cache misses: the key
    (national.cache_key) follows every report of the page, so a submission or
    a review shows at once."""
    form, report_types, provinces, year, data, status = _matrix_filters(request)
    query = request.GET.urlencode()
    context = {"form": form, "year": year, "query": query, "cache_key": None}
    if status == 200:
        only_status = data.get("status") or None
        context["page"] = national.Page(report_types, year, provinces, only_status, chart=charts.progress_chart)
        context["cache_key"] = national.cache_key(report_types, year, provinces, only_status)
    else:
        context["page"] = {"matrices": [], "total": national.Tally()}
    context["legend"] = [{"label": label, "css": national.CSS[value]} for value, label in national.Cell.choices]
    return render(request, "reports/national.html", context, status=status)


@require_safe
def national_csv(request):
    """One report type's matrix as one CSV table: the type is the filter's
    `jenis` (the national page links one CSV per type); without it, the first
    type of the page. The file's name says which."""
    form, matrices, _total, year, status = _matrix(request)
    if status != 200:
        return HttpResponse(_("Saringan tidak valid."), status=400, content_type="text/plain; charset=utf-8")
    if not matrices:
        raise Http404
    matrix = matrices[0]
    filename = f"matriks-{slugify(matrix['type'].code)}-{year}.csv"
    return _download(exports.matrix_csv(matrix).encode(), "text/csv; charset=utf-8", filename)


@require_safe
def national_xlsx(request):
    form, matrices, _total, year, status = _matrix(request)
    if status != 200:
        return HttpResponse(_("Saringan tidak valid."), status=400, content_type="text/plain; charset=utf-8")
    return _download(exports.matrix_xlsx(matrices, year), XLSX, f"matriks-laporan-{year}.xlsx")
