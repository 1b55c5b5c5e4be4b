"""Every write to reports. Each function is atomic, checks the permission
against the object (through reports.permissions), writes the audit trail and
leaves side effects (notifications) to the outbox."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from actors.models import User
from actors.services import on_behalf_of
from core import audit
from core.notifications import notify
from core.periods import period_label
from core.permissions import sync_grants, user_may
from documents.models import Document
from documents.services import issue_at_source
from duties.services import complete_scheduled_task
from regions.models import Region

from . import permissions
from .models import (
    AssessmentRow,
    Issue,
    Report,
    ReportAttachment,
    ReportReview,
    ReportSection,
    ReportType,
    ReportVersion,
    SectionText,
)

S = Report.Status
SIGNATURE_FIELDS = ("signer_name", "signer_position", "sign_place", "sign_date")


def _record(user, action, report, summary="", changes=None, actor=None):
    stamp = on_behalf_of(user, actor or report.actor)
    audit.record(user, action, report, summary=summary, changes=changes, on_behalf_of=stamp)


def _require(user, report, perm):
    if not user_may(user, report, perm):
        raise PermissionDenied


def _lock(report):
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("report_type", "actor__kind", "actor__province", "province")
        .get(pk=report.pk)
    )


def group_members(group_ids):
    return list(User.objects.filter(groups__id__in=group_ids, is_active=True).distinct())


def _require_editable(report):
    if report.status == S.SUBMITTED:
        raise ValidationError(_("Laporan ini sudah dikirim dan sedang menunggu tanggapan; draf tidak dapat diubah."))
    if report.status == S.ACKNOWLEDGED:
        raise ValidationError(_("Laporan ini sudah diterima; isinya tidak dapat diubah lagi."))


@transaction.atomic
def do_create_incidental_report(*, user, actor, title, report_type=None):
    """An incidental report (no period) written by one of the user's actors.
    Only the writer's group sees it until it is submitted."""
    report_type = report_type or ReportType.objects.get(code="insidental")
    if report_type.is_periodic:
        raise ValidationError({"report_type": _("Laporan berkala dibuat otomatis oleh penjadwal.")})
    if not permissions.user_actors(user).filter(pk=actor.pk).exists():
        raise PermissionDenied
    if report_type.writer_kind_id and report_type.writer_kind_id != actor.kind_id:
        raise ValidationError({"actor": _("%(actor)s tidak menyusun laporan jenis ini.") % {"actor": actor}})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Tuliskan judul singkat kejadian.")})
    report = Report(report_type=report_type, actor=actor, province=actor.province, title=title)
    report.full_clean()
    report.save()
    sync_grants([report])
    _record(user, "report.created", report, summary=title)
    return report


def _units_of(report, assessment):
    """The assessment rows as AssessmentRow fields, each row's unit code
    resolved to its official unit in one query: the unit must exist, lie in
    the report's province, be of the row's level and be in force. Every
    refusal at once, keyed "assessment-<i>-unit" (i counting the rows given),
    which the page and the autosave put on the row's field."""
    codes = {str(row.get("unit") or "").strip() for row in assessment}
    found = {r.code: r for r in Region.objects.filter(code__in=codes - {""}).select_related("parent__parent")}
    errors = {}
    rows = []
    for i, row in enumerate(assessment):
        code = str(row.get("unit") or "").strip()
        unit = found.get(code)
        level = row.get("level")
        if not code:
            message = _("Pilih wilayah untuk baris ini.")
        elif unit is None:
            message = _("Kode wilayah %(code)s tidak dikenal. Pilih wilayah dari daftar.") % {"code": code}
        elif unit.province_code != report.province.code:
            message = _("%(unit)s bukan wilayah Provinsi %(province)s.") % {
                "unit": unit.label,
                "province": report.province.name,
            }
        elif unit.level != level:
            message = _("%(unit)s adalah %(actual)s, bukan %(level)s. Pilih wilayah tingkat %(level)s.") % {
                "unit": unit.label,
                "actual": _labels(Region.Level, unit.level),
                "level": _labels(AssessmentRow.Level, level),
            }
        elif unit.retired_in:
            message = _("%(unit)s tidak berlaku lagi pada edisi %(edition)s; pilih wilayah penggantinya.") % {
                "unit": unit.label,
                "edition": unit.retired_in,
            }
        else:
            rows.append(
                {
                    "level": level,
                    "region": unit,
                    "unit_code": unit.code,
                    "unit_name": unit.printed_name,
                    "rating": row.get("rating") or "",
                    "note": row.get("note") or "",
                }
            )
            continue
        errors[f"assessment-{i}-unit"] = message
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def do_save_draft(*, user, report, texts, assessment, issues, signature, evidence_tasks=None, autosave=False):
    """Replace the draft's content with what the writer sent: section texts
    ({section code: text}), assessment rows and issues (lists of dicts), the
    signature block and the evidence tasks. Needs the change permission and an
    editable report (draft or returned). Autosaves skip the audit trail (they
    happen every few seconds); explicit saves are recorded.

    Each assessment row is {level, unit (an official unit's code), rating,
    note}; a unit that does not exist, lies in another province, is of
    another level or is no longer in force refuses the whole save (nothing is
    written; see _units_of). assessment=None leaves the rows as they are
    (the province's units are not loaded)."""
    report = _lock(report)
    _require(user, report, permissions.CHANGE)
    _require_editable(report)
    sections = {s.code: s for s in report.report_type.sections.all()}
    unknown = set(texts) - set(sections)
    if unknown:
        raise ValidationError(_("Bagian tidak dikenal: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    rows = None if assessment is None else _units_of(report, assessment)
    existing = {t.section_id: t for t in report.texts.all()}
    for code, text in texts.items():
        section = sections[code]
        row = existing.get(section.pk)
        if row is None:
            SectionText.objects.create(report=report, section=section, text=text)
        elif row.text != text:
            row.text = text
            row.save(update_fields=["text"])
    if rows is not None:
        report.assessment.all().delete()
        AssessmentRow.objects.bulk_create(
            [AssessmentRow(report=report, order=i, **row) for i, row in enumerate(rows, start=1)]
        )
    report.issues.all().delete()
    Issue.objects.bulk_create([Issue(report=report, order=i, **row) for i, row in enumerate(issues, start=1)])
    for field in SIGNATURE_FIELDS:
        setattr(report, field, signature.get(field) or ("" if field != "sign_date" else None))
    report.save(update_fields=[*SIGNATURE_FIELDS, "updated_at"])
    if evidence_tasks is not None:
        report.evidence_tasks.set(evidence_tasks)
    if not autosave:
        _record(user, "report.draft_saved", report, summary=report.label)
    return report


@transaction.atomic
def do_add_report_attachment(*, user, report, upload):
    """Attach a file to the draft; the type is checked by content."""
    report = _lock(report)
    _require(user, report, permissions.CHANGE)
    _require_editable(report)
    attachment = ReportAttachment.store(upload, user=user, report=report)
    try:
        _record(user, "report.attachment_added", report, summary=attachment.name)
    except Exception:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def do_remove_report_attachment(*, user, report, attachment):
    """Take a file off the draft. A file that was part of a submitted version
    stays stored (that version must stay readable) and is only withdrawn."""
    report = _lock(report)
    _require(user, report, permissions.CHANGE)
    _require_editable(report)
    attachment = ReportAttachment.objects.select_for_update().get(pk=attachment.pk, report=report)
    if attachment.submitted:
        attachment.withdrawn = True
        attachment.save(update_fields=["withdrawn"])
    else:
        name = attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.storage.delete(name))
    _record(user, "report.attachment_removed", report, summary=attachment.name)


def missing_content(report):
    """{form field: Indonesian message} for every required section left empty
    and every missing piece of the signature block."""
    texts = {t.section_id: t.text.strip() for t in report.texts.all()}
    has_rows = report.assessment.exists()
    issue_kinds = set(report.issues.values_list("kind", flat=True))
    errors = {}
    for section in report.report_type.sections.all():
        if not section.required:
            continue
        text = texts.get(section.pk, "")
        kind = section.kind
        if kind == ReportSection.Kind.TEXT and not text:
            errors[f"section_{section.code}"] = _("Bagian “%(title)s” wajib diisi.") % {"title": section.title}
        elif kind == ReportSection.Kind.ASSESSMENT and not has_rows:
            errors[f"section_{section.code}"] = _(
                "Bagian “%(title)s” wajib berisi paling sedikit satu baris penilaian."
            ) % {"title": section.title}
        elif kind in (ReportSection.Kind.PROBLEMS, ReportSection.Kind.CONSTRAINTS) and not (
            text or kind in issue_kinds
        ):
            errors[f"section_{section.code}"] = _(
                "Bagian “%(title)s” wajib diisi: tulis uraian atau tambahkan paling sedikit satu butir."
            ) % {"title": section.title}
    labels = {
        "signer_name": _("Nama penanda tangan wajib diisi."),
        "signer_position": _("Jabatan penanda tangan wajib diisi."),
        "sign_place": _("Tempat penandatanganan wajib diisi."),
        "sign_date": _("Tanggal penandatanganan wajib diisi."),
    }
    for field, message in labels.items():
        if not getattr(report, field):
            errors[field] = message
    return errors


def _labels(choices, value):
    return str(choices(value).label) if value in choices.values else value


def build_snapshot(report, reviewer, recipients, copies):
    """Everything a version shows, frozen: the labels are written in
    Indonesian, the language of the official document."""
    with translation.override("id"):
        texts = {t.section_id: t.text for t in report.texts.all()}
        report_type = report.report_type
        attachments = list(report.attachments.filter(withdrawn=False))
        sections = list(report_type.sections.all())
        snapshot = {
            "schema": 1,
            "type": {"code": report_type.code, "name": report_type.name, "title": report_type.title},
            "actor": report.actor.name,
            "actor_kind": report.actor.kind.name,
            "province": report.province.name,
            "period": report.period,
            "period_label": period_label(report.period) if report.period else "",
            "period_start": report.period_start.isoformat() if report.period_start else None,
            "period_end": report.period_end.isoformat() if report.period_end else None,
            "title": report.title,
            "due_date": report.due_date.isoformat() if report.due_date else None,
            "sections": [
                {
                    "code": s.code,
                    "title": s.title,
                    "kind": s.kind,
                    # A ledger section is never typed: what it shows comes from the extras below.
                    "text": "" if s.kind == ReportSection.Kind.LEDGER else texts.get(s.pk, ""),
                }
                for s in sections
            ],
            "assessment": [
                {
                    "level": r.level,
                    "level_label": _labels(AssessmentRow.Level, r.level),
                    "unit_code": r.unit_code,
                    "unit_name": r.unit_name,
                    "region_code": r.region.code if r.region_id else "",
                    "rating": r.rating,
                    "rating_label": _labels(AssessmentRow.Rating, r.rating),
                    "note": r.note,
                }
                for r in report.assessment.select_related("region")
            ],
            "issues": [
                {
                    "kind": i.kind,
                    "category": i.category,
                    "category_label": _labels(Issue.Category, i.category),
                    "description": i.description,
                    "state": i.state,
                    "state_label": _labels(Issue.State, i.state),
                }
                for i in report.issues.all()
            ],
            "signature": {
                "name": report.signer_name,
                "position": report.signer_position,
                "place": report.sign_place,
                "date": report.sign_date.isoformat() if report.sign_date else None,
            },
            "reviewer": reviewer.name if reviewer else "",
            "recipients": [a.name for a in recipients],
            "copies": [a.name for a in copies],
            "attachments": [
                {"id": a.pk, "name": a.name, "size": a.size, "content_type": a.content_type} for a in attachments
            ],
            "evidence": [
                {"id": t.pk, "label": t.short_label(200), "period": t.period, "status": str(t.get_status_display())}
                for t in report.evidence_tasks.select_related("duty")
            ],
        }
        if any(s.kind == ReportSection.Kind.LEDGER for s in sections):
            snapshot.update(snapshot_extras(report))
        return snapshot


def snapshot_extras(report):
    """What the layers above freeze into a version whose report type has a
    ledger section: each callable named in settings.REPORT_SNAPSHOT_EXTRAS
    ("ledger.snapshot.tk_ledger") takes the report and returns keys to add to
    the snapshot ({"ledger": [...]}). Reports never import those layers."""
    extras = {}
    for path in settings.REPORT_SNAPSHOT_EXTRAS:
        extras.update(import_string(path)(report))
    return extras


@transaction.atomic
def do_submit_report(*, user, report):
    """Submit the draft as a new immutable version (v1, v2, ...) with its
    submission time and on-time/late status; grant view to the recipients,
    tembusan holders and seknas, view and review to the reviewer; complete the
    period's reporting task; tell the reviewer. Refused (nothing changes) for
    a report awaiting review or acknowledged, a period not started yet, an
    empty required section or an incomplete signature block."""
    report = _lock(report)
    _require(user, report, permissions.CHANGE)
    if report.status == S.SUBMITTED:
        raise ValidationError(_("Laporan ini sudah dikirim dan sedang menunggu tanggapan."))
    if report.status == S.ACKNOWLEDGED:
        raise ValidationError(_("Laporan ini sudah diterima; tidak dapat dikirim ulang."))
    today = report.province.today()
    if report.period_start and report.period_start > today:
        raise ValidationError(
            _("Periode %(period)s belum dimulai; laporannya belum dapat dikirim.")
            % {"period": period_label(report.period)}
        )
    errors = missing_content(report)
    if errors:
        raise ValidationError(errors)

    reviewer, recipients, copies = permissions.recipients_of(report)
    now = timezone.now()
    on_time = report.due_date is None or today <= report.due_date
    stamp = on_behalf_of(user, report.actor)
    version = ReportVersion.objects.create(
        report=report,
        number=report.version_count + 1,
        submitted_at=now,
        submitted_by=user,
        on_behalf_of=stamp,
        due_date=report.due_date,
        on_time=on_time,
        snapshot=build_snapshot(report, reviewer, recipients, copies),
    )
    report.attachments.filter(withdrawn=False, submitted=False).update(submitted=True)
    before = report.status
    report.status = S.SUBMITTED
    report.version_count = version.number
    report.latest_version = version
    fields = ["status", "version_count", "latest_version", "updated_at"]
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        report.submitted_on_time = on_time
        fields += ["first_submitted_at", "submitted_on_time"]
    report.save(update_fields=fields)
    sync_grants([report])
    if report.report_type.duty_id and report.period:
        complete_scheduled_task(
            actor=report.actor,
            duty=report.report_type.duty,
            period=report.period,
            by=user,
            note=_("Laporan %(label)s dikirim (versi %(n)s).") % {"label": report.label, "n": version.number},
            evidence=reverse("reports:version_detail", args=[version.pk]),
        )
    _record(
        user,
        "report.submitted",
        report,
        summary=_("Versi %(n)s, %(timing)s")
        % {"n": version.number, "timing": _("tepat waktu") if on_time else _("terlambat")},
        changes={
            "before": {"status": before},
            "after": {"status": S.SUBMITTED, "version": version.number, "on_time": on_time},
        },
    )
    if reviewer:
        notify(
            group_members([reviewer.group_id]),
            key=f"report-submitted:{version.pk}",
            subject=_("Laporan masuk: %(label)s dari %(actor)s") % {"label": report.label, "actor": report.actor},
            body=_("Versi %(n)s menunggu tanggapan Anda: terima, atau kembalikan dengan alasan per bagian.")
            % {"n": version.number},
            url=reverse("reports:version_detail", args=[version.pk]),
        )
    # Last, so that nothing after it can fail and leave the stored file behind: the
    # PDF with its QR code, signed and stored now; every download serves these bytes.
    issue_at_source(Document.Kind.REPORT, version)
    return version


@transaction.atomic
def do_review_report(*, user, report, decision, note="", section_reasons=None):
    """Acknowledge the latest version, or return it for revision with a reason
    for at least one section. Needs the review permission and a report
    awaiting review. The review is immutable; the writer is told."""
    report = _lock(report)
    _require(user, report, permissions.REVIEW)
    if report.status != S.SUBMITTED:
        raise ValidationError(
            _("Laporan ini tidak sedang menunggu tanggapan (status: %(status)s).")
            % {"status": report.get_status_display()}
        )
    version = report.latest_version
    if version.submitted_by_id == user.pk:
        # Four eyes: someone in both the writer's and the reviewer's group
        # does not review what they sent.
        raise ValidationError(
            _("Versi ini Anda kirim sendiri; tanggapannya diberikan oleh orang lain dari pelaku penelaah.")
        )
    if decision not in ReportReview.Decision.values:
        raise ValidationError({"decision": _("Pilih: terima atau kembalikan.")})
    codes = set(report.report_type.sections.values_list("code", flat=True))
    reasons = {code: (text or "").strip() for code, text in (section_reasons or {}).items() if (text or "").strip()}
    unknown = set(reasons) - codes
    if unknown:
        raise ValidationError(_("Bagian tidak dikenal: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    note = (note or "").strip()
    if decision == ReportReview.Decision.RETURN and not reasons:
        raise ValidationError(
            {"__all__": _("Untuk mengembalikan laporan, tuliskan alasan pada paling sedikit satu bagian.")}
        )
    if decision == ReportReview.Decision.ACKNOWLEDGE:
        reasons = {}
    reviewer = permissions.recipients_of(report)[0]
    review = ReportReview.objects.create(
        version=version,
        decision=decision,
        note=note,
        section_reasons=reasons,
        reviewed_by=user,
        on_behalf_of=on_behalf_of(user, reviewer),
    )
    report.status = S.ACKNOWLEDGED if decision == ReportReview.Decision.ACKNOWLEDGE else S.RETURNED
    report.save(update_fields=["status", "updated_at"])
    _record(
        user,
        "report.acknowledged" if report.status == S.ACKNOWLEDGED else "report.returned",
        report,
        summary=note or "; ".join(f"{k}: {v}" for k, v in reasons.items()),
        changes={"before": {"status": S.SUBMITTED}, "after": {"status": report.status, "version": version.number}},
        actor=reviewer,
    )
    if report.status == S.ACKNOWLEDGED:
        subject = _("Laporan diterima: %(label)s") % {"label": report.label}
        body = _("Versi %(n)s diterima.") % {"n": version.number}
    else:
        subject = _("Laporan dikembalikan untuk perbaikan: %(label)s") % {"label": report.label}
        body = _("Versi %(n)s dikembalikan. Lihat alasan per bagian, perbaiki draf dan kirim ulang.") % {
            "n": version.number
        }
    notify(
        group_members([report.actor.group_id]),
        key=f"report-reviewed:{version.pk}",
        subject=subject,
        body=body,
        url=reverse("reports:report_detail", args=[report.pk]),
    )
    return review
