import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent, Notification
from duties.models import Task
from duties.scheduler import create_scheduled_tasks
from reports import services
from reports.models import Report, ReportAttachment, ReportReview, ReportVersion
from tests.factories import actor
from tests.reports.conftest import CONSTRAINT, DAY, JAKARTA, PROBLEM, content, post_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def state(report):
    """Everything a refused action must leave unchanged."""
    report.refresh_from_db()
    return (
        report.status,
        report.version_count,
        ReportVersion.objects.filter(report=report).count(),
        ReportReview.objects.filter(version__report=report).count(),
        list(report.texts.values_list("text", flat=True)),
        AuditEvent.objects.count(),
    )


def submit(report, user, **texts):
    services.do_save_draft(user=user, report=report, **content(report, **texts))
    return services.do_submit_report(user=user, report=report)


def test_submitting_makes_version_1_on_time_with_a_full_snapshot(tk_report, tk_member):
    version = submit(tk_report, tk_member)
    tk_report.refresh_from_db()
    assert (version.number, version.on_time, tk_report.status) == (1, True, Report.Status.SUBMITTED)
    assert tk_report.submitted_on_time is True and tk_report.latest_version == version
    snap = version.snapshot
    assert [s["code"] for s in snap["sections"]] == [
        "kemajuan",
        "penilaian",
        "buku-tugas",
        "masalah",
        "kendala",
        "tindak-lanjut",
        "rekomendasi",
    ]
    assert {i["description"] for i in snap["issues"]} == {PROBLEM, CONSTRAINT}
    assert [r["unit_name"] for r in snap["assessment"]] == ["Kabupaten Cilacap", "Tarisi — Kec. Wanareja, Kab. Cilacap"]
    assert [r["region_code"] for r in snap["assessment"]] == ["33.01", "33.01.15.2001"]
    assert snap["signature"]["place"] == "Semarang"
    assert snap["recipients"] == ["Gubernur Jawa Tengah"]
    assert snap["copies"] == ["TK PNPM-MP Pusat"]


def test_submitting_after_the_deadline_is_recorded_as_late(tk_report, tk_member, clock):
    clock.move_to(datetime.datetime(2026, 10, 13, 9, 0, tzinfo=JAKARTA))
    version = submit(tk_report, tk_member)
    tk_report.refresh_from_db()
    assert version.on_time is False and tk_report.submitted_on_time is False


def test_submitting_completes_the_reporting_task_of_the_period(tk_member, clock):
    create_scheduled_tasks(on=datetime.date(2026, 11, 2))
    clock.move_to(datetime.datetime(2026, 11, 2, 10, 0, tzinfo=JAKARTA))
    from reports.scheduler import create_report_slots

    create_report_slots(on=datetime.date(2026, 11, 2))
    report = Report.objects.get(report_type__code="tk-triwulan", province__code="33", period="2026-Q4")
    task = Task.objects.get(actor=actor("tk-provinsi"), duty__number=5, period="2026-Q4")
    assert task.status == Task.Status.OPEN
    submit(report, tk_member)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE


def test_the_reviewer_is_told_of_a_submission(tk_report, tk_member, gubernur_office):
    version = submit(tk_report, tk_member)
    assert Notification.objects.filter(recipient=gubernur_office, key=f"report-submitted:{version.pk}").exists()


def test_a_returned_report_can_be_resubmitted_and_v1_stays_readable_and_unchanged(
    tk_report, tk_member, gubernur_office, login
):
    v1 = submit(tk_report, tk_member, rekomendasi="Rekomendasi pertama.")
    frozen = ReportVersion.objects.get(pk=v1.pk).snapshot
    services.do_review_report(
        user=gubernur_office,
        report=tk_report,
        decision=ReportReview.Decision.RETURN,
        section_reasons={"rekomendasi": "Rekomendasi terlalu umum."},
    )
    tk_report.refresh_from_db()
    assert tk_report.status == Report.Status.RETURNED
    v2 = submit(tk_report, tk_member, rekomendasi="Rekomendasi kedua, lebih rinci.")
    assert v2.number == 2
    assert ReportVersion.objects.get(pk=v1.pk).snapshot == frozen
    c = login(tk_member)
    page = c.get(reverse("reports:version_detail", args=[v1.pk])).content.decode()
    assert "Rekomendasi pertama." in page and "Rekomendasi terlalu umum." in page
    diff = c.get(reverse("reports:version_diff", args=[v2.pk])).content.decode()
    assert "Rekomendasi pertama." in diff and "Rekomendasi kedua, lebih rinci." in diff


def test_the_edit_page_shows_the_return_reason_next_to_its_section(tk_report, tk_member, gubernur_office, login):
    submit(tk_report, tk_member)
    services.do_review_report(
        user=gubernur_office,
        report=tk_report,
        decision="dikembalikan",
        section_reasons={"kendala": "Kendala belum dikategorikan dengan benar."},
    )
    page = login(tk_member).get(reverse("reports:report_edit", args=[tk_report.pk])).content.decode()
    assert "Kendala belum dikategorikan dengan benar." in page


def test_submitted_versions_cannot_be_changed_or_deleted_by_anyone(tk_report, tk_member):
    version = submit(tk_report, tk_member)
    version.snapshot = {"forged": True}
    with pytest.raises(PermissionDenied):
        version.save()
    with pytest.raises(PermissionDenied):
        version.delete()
    with pytest.raises(PermissionDenied):
        ReportVersion.objects.filter(pk=version.pk).update(on_time=False)
    with pytest.raises(PermissionDenied):
        ReportVersion.objects.filter(pk=version.pk).delete()
    assert ReportVersion.objects.get(pk=version.pk).snapshot["sections"][0]["code"] == "kemajuan"


def test_the_admin_shows_versions_read_only_and_refuses_changes(tk_report, tk_member, client):
    from actors.models import User

    version = submit(tk_report, tk_member)
    admin = User.objects.create_superuser("root", "root@example.invalid", "pw-12345-x")
    client.force_login(admin)
    change_url = reverse("admin:reports_reportversion_change", args=[version.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change_url, {"number": 9, "on_time": "", "snapshot": "{}"}).status_code == 403
    assert (
        client.post(reverse("admin:reports_reportversion_delete", args=[version.pk]), {"post": "yes"}).status_code
        == 403
    )
    version.refresh_from_db()
    assert version.number == 1 and version.snapshot["signature"]["place"] == "Semarang"


def test_submitting_with_an_empty_required_section_is_refused_and_changes_nothing(tk_report, tk_member, login):
    services.do_save_draft(user=tk_member, report=tk_report, **content(tk_report))
    before = state(tk_report)
    response = login(tk_member).post(
        reverse("reports:report_edit", args=[tk_report.pk]),
        post_data(tk_report, action="submit", section_rekomendasi="   "),
    )
    assert response.status_code == 400
    assert "Bagian “Rekomendasi” wajib diisi." in response.content.decode()
    assert state(tk_report) == before


def test_submitting_without_problems_listed_is_refused(tk_report, tk_member):
    values = content(tk_report, masalah="")
    values["issues"] = [i for i in values["issues"] if i["kind"] != "masalah"]
    services.do_save_draft(user=tk_member, report=tk_report, **values)
    before = state(tk_report)
    with pytest.raises(ValidationError) as exc:
        services.do_submit_report(user=tk_member, report=tk_report)
    assert "section_masalah" in exc.value.message_dict
    assert state(tk_report) == before


def test_submitting_a_period_that_has_not_started_is_refused(tk_member, clock):
    from reports.scheduler import create_report_slots

    create_report_slots(on=datetime.date(2027, 1, 5))  # a back-fill run dated ahead of the clock
    report = Report.objects.get(report_type__code="tk-triwulan", province__code="33", period="2027-Q1")
    services.do_save_draft(user=tk_member, report=report, **content(report))
    before = state(report)
    with pytest.raises(ValidationError, match="belum dimulai"):
        services.do_submit_report(user=tk_member, report=report)
    assert state(report) == before


def test_resubmitting_an_acknowledged_report_is_refused(tk_report, tk_member, gubernur_office, login):
    submit(tk_report, tk_member)
    services.do_review_report(user=gubernur_office, report=tk_report, decision="diterima")
    before = state(tk_report)
    with pytest.raises(ValidationError, match="sudah diterima"):
        services.do_submit_report(user=tk_member, report=tk_report)
    response = login(tk_member).post(
        reverse("reports:report_edit", args=[tk_report.pk]), post_data(tk_report, "submit")
    )
    assert response.status_code == 400
    assert "tidak dapat diubah" in response.content.decode()
    assert state(tk_report) == before


def test_a_report_awaiting_review_cannot_be_submitted_again(tk_report, tk_member):
    submit(tk_report, tk_member)
    before = state(tk_report)
    with pytest.raises(ValidationError, match="menunggu tanggapan"):
        services.do_submit_report(user=tk_member, report=tk_report)
    assert state(tk_report) == before


def test_returning_without_a_section_reason_is_refused(tk_report, tk_member, gubernur_office, login):
    submit(tk_report, tk_member)
    before = state(tk_report)
    response = login(gubernur_office).post(
        reverse("reports:report_review", args=[tk_report.pk]), {"decision": "dikembalikan", "note": "Kurang."}
    )
    assert response.status_code == 400
    assert "alasan pada paling sedikit satu bagian" in response.content.decode()
    assert state(tk_report) == before


def test_a_version_can_be_reviewed_only_once(tk_report, tk_member, gubernur_office, login):
    submit(tk_report, tk_member)
    c = login(gubernur_office)
    url = reverse("reports:report_review", args=[tk_report.pk])
    assert c.post(url, {"decision": "diterima"}).status_code == 302
    before = state(tk_report)
    response = c.post(url, {"decision": "dikembalikan", "reason_kemajuan": "Terlambat berubah pikiran."})
    assert response.status_code == 400
    assert state(tk_report) == before


def test_the_writer_cannot_review_their_own_report(tk_report, tk_member, login):
    submit(tk_report, tk_member)
    before = state(tk_report)
    response = login(tk_member).post(reverse("reports:report_review", args=[tk_report.pk]), {"decision": "diterima"})
    assert response.status_code == 403
    assert state(tk_report) == before


def test_the_save_button_keeps_the_draft_and_records_it(tk_report, tk_member, login):
    response = login(tk_member).post(reverse("reports:report_edit", args=[tk_report.pk]), post_data(tk_report))
    assert response.status_code == 302
    tk_report.refresh_from_db()
    assert tk_report.status == Report.Status.DRAFT and tk_report.version_count == 0
    assert tk_report.assessment.count() == 2 and tk_report.issues.count() == 2
    assert AuditEvent.objects.filter(action="report.draft_saved", target_id=str(tk_report.pk)).count() == 1


def test_the_submit_button_saves_and_submits_in_one_step(tk_report, tk_member, login):
    response = login(tk_member).post(
        reverse("reports:report_edit", args=[tk_report.pk]), post_data(tk_report, "submit")
    )
    version = ReportVersion.objects.get(report=tk_report)
    assert response.status_code == 302 and response.url == reverse("reports:version_detail", args=[version.pk])


def test_a_half_filled_assessment_row_gets_an_inline_error_and_saves_nothing(tk_report, tk_member, login):
    before = state(tk_report)
    data = post_data(tk_report, **{"penilaian-0-rating": ""})
    response = login(tk_member).post(reverse("reports:report_edit", args=[tk_report.pk]), data)
    assert response.status_code == 400
    assert "Wajib diisi untuk baris ini." in response.content.decode()
    assert state(tk_report) == before


def test_autosave_saves_the_draft_like_the_normal_save(tk_report, tk_member, login):
    url = reverse("reports:report_autosave", args=[tk_report.pk])
    response = login(tk_member).post(url, post_data(tk_report, section_kemajuan="Ditulis otomatis."))
    assert response.status_code == 200 and response.json()["ok"] is True
    assert tk_report.texts.get(section__code="kemajuan").text == "Ditulis otomatis."


def test_autosave_refuses_invalid_input_with_field_errors_and_changes_nothing(tk_report, tk_member, login):
    before = state(tk_report)
    data = post_data(tk_report, sign_date="31-31-2026", **{"butir-0-category": "bukan-kategori"})
    response = login(tk_member).post(reverse("reports:report_autosave", args=[tk_report.pk]), data)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "sign_date" in errors and "butir-0-category" in errors
    assert state(tk_report) == before


def test_autosave_of_a_submitted_report_is_refused(tk_report, tk_member, login):
    submit(tk_report, tk_member)
    before = state(tk_report)
    response = login(tk_member).post(reverse("reports:report_autosave", args=[tk_report.pk]), post_data(tk_report))
    assert response.status_code == 409
    assert state(tk_report) == before


def test_a_broken_formset_management_form_is_a_400_not_a_500(tk_report, tk_member, login):
    data = post_data(tk_report)
    del data["penilaian-TOTAL_FORMS"]
    response = login(tk_member).post(reverse("reports:report_edit", args=[tk_report.pk]), data)
    assert response.status_code == 400


def test_an_attachment_of_v1_stays_downloadable_after_it_is_removed_from_the_draft(
    tk_report, tk_member, gubernur_office, login
):
    c = login(tk_member)
    upload = SimpleUploadedFile("Notulen Rapat.pdf", PDF, content_type="application/pdf")
    assert c.post(reverse("reports:attachment_add", args=[tk_report.pk]), {"file": upload}).status_code == 302
    attachment = ReportAttachment.objects.get(report=tk_report)
    v1 = submit(tk_report, tk_member)
    services.do_review_report(
        user=gubernur_office, report=tk_report, decision="dikembalikan", section_reasons={"kemajuan": "Lengkapi."}
    )
    assert c.post(reverse("reports:attachment_remove", args=[tk_report.pk, attachment.pk])).status_code == 302
    v2 = submit(tk_report, tk_member)
    assert v2.snapshot["attachments"] == []
    response = login(gubernur_office).get(reverse("reports:version_attachment", args=[v1.pk, attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert (
        login(gubernur_office).get(reverse("reports:version_attachment", args=[v2.pk, attachment.pk])).status_code
        == 404
    )


def test_an_attachment_that_is_not_what_its_name_says_is_refused(tk_report, tk_member, login):
    upload = SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = login(tk_member).post(reverse("reports:attachment_add", args=[tk_report.pk]), {"file": upload})
    assert response.status_code == 400
    assert "tidak sesuai" in response.content.decode()
    assert not ReportAttachment.objects.exists()


def test_any_provincial_actor_can_write_an_incidental_report_to_its_supervisor(pjoprov_member, colleague, login):
    c = login(pjoprov_member)
    response = c.post(
        reverse("reports:incidental_create"),
        {"actor": actor("pjoprov").pk, "title": "Banjir merusak jembatan desa"},
    )
    report = Report.objects.get(report_type__code="insidental")
    assert response.status_code == 302 and report.actor == actor("pjoprov") and report.period == ""
    with time_machine.travel(datetime.datetime(2026, 10, 5, 10, 0, tzinfo=JAKARTA), tick=False):
        version = submit(report, pjoprov_member)
    assert version.on_time is True
    assert version.snapshot["reviewer"] == "TK PNPM-MP Provinsi Jawa Tengah"
    assert login(colleague).get(reverse("reports:version_detail", args=[version.pk])).status_code == 404


def test_creating_an_incidental_report_for_someone_elses_actor_is_refused(pjoprov_member, login):
    response = login(pjoprov_member).post(
        reverse("reports:incidental_create"), {"actor": actor("kmw").pk, "title": "Bukan pelaku saya"}
    )
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_a_person_without_an_actor_cannot_create_incidental_reports(login, db):
    from tests.factories import UserFactory

    assert login(UserFactory()).get(reverse("reports:incidental_create")).status_code == 403


def test_the_signature_block_shows_the_full_indonesian_date(tk_report, tk_member, login):
    version = submit(tk_report, tk_member)
    page = login(tk_member).get(reverse("reports:version_detail", args=[version.pk])).content.decode()
    assert "Semarang, Senin, 5 Oktober 2026" in page
    assert DAY.isoformat() not in page.split('class="signature"')[1][:300]


def test_a_submission_commits_and_keeps_its_notification_when_the_broker_is_down(
    tk_report, tk_member, gubernur_office, monkeypatch, django_capture_on_commit_callbacks
):
    from core import tasks as core_tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker unavailable")

    monkeypatch.setattr(core_tasks.deliver_notifications, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        version = submit(tk_report, tk_member)
    assert ReportVersion.objects.filter(pk=version.pk).exists()
    assert Notification.objects.filter(recipient=gubernur_office, key=f"report-submitted:{version.pk}").exists()


def test_the_draft_page_loads_its_script_from_static_and_has_no_inline_script(tk_report, tk_member, login):
    page = login(tk_member).get(reverse("reports:report_edit", args=[tk_report.pk])).content.decode()
    assert 'src="/static/js/report-draft.js"' in page
    assert page.count("<script") == page.count("<script src=")
    assert 'data-autosave-url="' + reverse("reports:report_autosave", args=[tk_report.pk]) + '"' in page


def test_who_received_a_version_keeps_it_when_the_recipients_change_before_the_next(
    tk_report, tk_member, gubernur_office
):
    from reports.models import ReportGroupObjectPermission

    submit(tk_report, tk_member)
    granted = set(
        ReportGroupObjectPermission.objects.filter(content_object=tk_report).values_list("group_id", "permission_id")
    )
    report_type = tk_report.report_type
    assert report_type.recipient_kinds.exists() or report_type.copy_kinds.exists()
    report_type.recipient_kinds.clear()
    report_type.copy_kinds.clear()
    services.do_review_report(
        user=gubernur_office,
        report=tk_report,
        decision=ReportReview.Decision.RETURN,
        section_reasons={"rekomendasi": "Lebih rinci."},
    )
    submit(tk_report, tk_member, rekomendasi="Versi kedua.")
    kept = set(
        ReportGroupObjectPermission.objects.filter(content_object=tk_report).values_list("group_id", "permission_id")
    )
    assert granted <= kept
