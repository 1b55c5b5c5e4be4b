"""A meeting's life: scheduled -> held (or postponed / cancelled with a
reason); attendance, minutes locked by the chair's approval and corrected as a
new version; follow-ups as tasks of the responsible actors; the held meeting
completes its duty. Bad input gives a clear Indonesian error and changes nothing."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Notification
from duties.models import Duty, Task
from duties.scheduler import create_scheduled_tasks
from meetings import services
from meetings.models import Attendance, FollowUp, Meeting, MeetingAttachment, MinutesVersion
from meetings.scheduler import complete_held_meeting_duties
from tests.factories import actor, member

from .conftest import FUTURE, FUTURE_YEAR, actor_named, make_meeting, snapshot

pytestmark = pytest.mark.django_db


def url(name, meeting, *args):
    return reverse(f"meetings:{name}", args=[meeting.pk, *args])


def duty_task(kind, number, period, province="33"):
    return Task.objects.get(
        actor=actor(kind, province), duty=Duty.objects.get(kind__code=kind, number=number), period=period
    )


# --- holding, postponing, cancelling --------------------------------------------


def test_holding_the_monthly_meeting_completes_that_months_duty_task(login, routine, pjoprov_member):
    create_scheduled_tasks(on=datetime.date(2025, 2, 10))
    create_scheduled_tasks(on=datetime.date(2025, 3, 10))
    response = login(pjoprov_member).post(
        url("meeting_hold", routine), {"date": "2025-03-04", "start_time": "09:15", "end_time": "11:40"}
    )
    assert response.status_code == 302
    routine.refresh_from_db()
    assert routine.status == Meeting.Status.HELD
    assert routine.starts_at == datetime.datetime(2025, 3, 4, 2, 15, tzinfo=datetime.UTC)  # 09.15 WIB
    task = duty_task("pjoprov", 5, "2025-03")
    assert task.status == Task.Status.DONE
    assert routine.duty_task == task
    # another month's duty is untouched
    assert duty_task("pjoprov", 5, "2025-02").status == Task.Status.OPEN


def test_holding_the_tk_evaluation_meeting_completes_its_quarterly_duty(tk_member):
    create_scheduled_tasks(on=datetime.date(2025, 3, 20))
    meeting = make_meeting("tk-provinsi", "33", "2025-Q1")
    tz = meeting.actor.province.tzinfo
    services.do_hold_meeting(
        user=tk_member,
        meeting=meeting,
        starts_at=datetime.datetime(2025, 3, 13, 9, tzinfo=tz),
        ends_at=datetime.datetime(2025, 3, 13, 12, tzinfo=tz),
    )
    assert duty_task("tk-provinsi", 4, "2025-Q1").status == Task.Status.DONE
    assert duty_task("tk-provinsi", 3, "2025-Q1").status == Task.Status.OPEN


def test_a_meeting_held_before_its_duty_task_existed_completes_it_at_the_next_reconcile(held):
    assert held.duty_task is None
    create_scheduled_tasks(on=datetime.date(2025, 3, 10))
    assert complete_held_meeting_duties() == 1
    assert duty_task("pjoprov", 5, "2025-03").status == Task.Status.DONE
    assert complete_held_meeting_duties() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2025-03-04", "start_time": "11:00", "end_time": "09:00"}, "Jam selesai harus setelah jam mulai"),
        (
            {"date": f"{FUTURE_YEAR}-03-04", "start_time": "09:00", "end_time": "10:00"},
            "belum dapat dicatat terlaksana",
        ),
        ({"date": "kemarin", "start_time": "09:00", "end_time": "10:00"}, "Tanggal tidak valid"),
        ({"date": "2025-03-04", "start_time": "25:00", "end_time": "10:00"}, "Masukkan waktu yang valid"),
    ],
)
def test_bad_times_for_holding_are_refused_in_indonesian_and_change_nothing(
    login, routine, pjoprov_member, data, message
):
    before = snapshot()
    response = login(pjoprov_member).post(url("meeting_hold", routine), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == before


def test_postponing_needs_a_reason_and_a_future_date(login, pjoprov_member, colleague):
    meeting = make_meeting("pjoprov", "33", FUTURE)
    c = login(pjoprov_member)
    before = snapshot()
    no_reason = c.post(
        url("meeting_postpone", meeting), {"date": f"{FUTURE_YEAR}-03-11", "start_time": "09:00", "end_time": "10:00"}
    )
    assert no_reason.status_code == 400 and "Bidang ini tidak boleh kosong" in no_reason.content.decode()
    past = c.post(
        url("meeting_postpone", meeting),
        {"date": "2025-03-11", "start_time": "09:00", "end_time": "10:00", "reason": "Rapat pimpinan"},
    )
    assert past.status_code == 400 and "Jadwal baru harus di masa depan" in past.content.decode()
    assert snapshot() == before
    ok = c.post(
        url("meeting_postpone", meeting),
        {"date": f"{FUTURE_YEAR}-03-11", "start_time": "13:00", "end_time": "15:00", "reason": "Rapat pimpinan daerah"},
    )
    assert ok.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.POSTPONED
    assert meeting.status_reason == "Rapat pimpinan daerah"
    assert meeting.local_date == datetime.date(FUTURE_YEAR, 3, 11)
    assert Notification.objects.filter(recipient=colleague, key__startswith=f"meeting-postponed:{meeting.pk}").exists()


def test_cancelling_tells_the_invitees_and_ends_the_meetings_life(login, pjoprov_member, colleague):
    meeting = make_meeting("pjoprov", "33", FUTURE)
    c = login(pjoprov_member)
    assert c.post(url("meeting_cancel", meeting), {"reason": "Anggaran belum tersedia"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert Notification.objects.filter(recipient=colleague, key=f"meeting-cancelled:{meeting.pk}").exists()
    before = snapshot()
    again = c.post(url("meeting_hold", meeting), {"date": "2025-03-04", "start_time": "09:00", "end_time": "10:00"})
    assert again.status_code == 400 and "tidak dapat diubah lagi" in again.content.decode()
    assert snapshot() == before


def test_the_edit_page_changes_place_chair_and_invitees(login, routine, pjoprov_member, colleague, tk_member):
    tkpkd = actor_named("tkpkd")
    response = login(pjoprov_member).post(
        url("meeting_edit", routine),
        {
            "title": "Rapat rutin Maret",
            "location": "Aula BPMD",
            "chair": pjoprov_member.pk,
            "invited_actors": [tkpkd.pk],
        },
    )
    assert response.status_code == 302
    routine.refresh_from_db()
    assert (routine.title, routine.location, routine.sequence) == ("Rapat rutin Maret", "Aula BPMD", 1)
    assert list(routine.invited_actors.all()) == [tkpkd]


def test_the_edit_page_refuses_an_actor_of_another_province(login, routine, pjoprov_member):
    before = snapshot()
    response = login(pjoprov_member).post(
        url("meeting_edit", routine), {"title": "x", "invited_actors": [actor("kmw", "34").pk]}
    )
    assert response.status_code == 400
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert snapshot() == before


# --- attendance -----------------------------------------------------------------


def test_attendance_is_recorded_per_person_and_per_actor(login, held, pjoprov_member, colleague, tk_member):
    kmw, tk = actor_named("kmw"), actor_named("tk-provinsi")
    response = login(pjoprov_member).post(
        url("attendance", held),
        {
            f"person_{pjoprov_member.pk}": "hadir",
            f"person_{colleague.pk}": "izin",
            f"person_note_{colleague.pk}": "Tugas lapangan",
            f"person_{tk_member.pk}": "",
            f"actor_{kmw.pk}": "hadir",
            f"actor_note_{kmw.pk}": "Diwakili spesialis keuangan",
            f"actor_{tk.pk}": "tidak-hadir",
        },
    )
    assert response.status_code == 302
    rows = {(a.user_id, a.actor_id, a.status, a.note) for a in Attendance.objects.filter(meeting=held)}
    assert rows == {
        (pjoprov_member.pk, None, "hadir", ""),
        (colleague.pk, None, "izin", "Tugas lapangan"),
        (None, kmw.pk, "hadir", "Diwakili spesialis keuangan"),
        (None, tk.pk, "tidak-hadir", ""),
    }


def test_attendance_of_a_non_invitee_is_refused_and_changes_nothing(login, held, pjoprov_member):
    stranger = member("gubernur", "33", username="stranger")
    before = snapshot()
    response = login(pjoprov_member).post(
        url("attendance", held), {f"person_{pjoprov_member.pk}": "hadir", f"person_{stranger.pk}": "hadir"}
    )
    assert response.status_code == 400
    assert "Hanya undangan rapat yang dapat dicatat kehadirannya" in response.content.decode()
    assert snapshot() == before


def test_attendance_of_a_non_invited_actor_is_refused_by_the_service_too(held, pjoprov_member):
    from django.core.exceptions import ValidationError

    before = snapshot()
    with pytest.raises(ValidationError, match="Hanya undangan rapat"):
        services.do_record_attendance(
            user=pjoprov_member, meeting=held, people={}, actors={actor("kmw", "34").pk: ("hadir", "")}
        )
    assert snapshot() == before


def test_attendance_waits_until_the_meeting_is_held(login, routine, pjoprov_member):
    before = snapshot()
    response = login(pjoprov_member).post(url("attendance", routine), {f"person_{pjoprov_member.pk}": "hadir"})
    assert response.status_code == 400
    assert "Catat dulu bahwa rapat sudah terlaksana" in response.content.decode()
    assert snapshot() == before


# --- minutes --------------------------------------------------------------------


def _write_minutes(c, meeting):
    items = list(meeting.agenda.all())
    data = {"notes": "Rapat dibuka pukul 09.15."}
    data[f"problems_{items[0].pk}"] = "Pencairan dana BLM tahap II terlambat di 3 kecamatan."
    data[f"decisions_{items[0].pk}"] = "KMW mendampingi UPK menyusun dokumen pencairan."
    return c.post(url("minutes_edit", meeting), data)


def test_the_chair_approves_the_minutes_and_they_are_locked(login, held, pjoprov_member, colleague):
    c = login(pjoprov_member)
    assert _write_minutes(c, held).status_code == 302
    assert c.post(url("minutes_approve", held)).status_code == 302
    version = MinutesVersion.objects.get(meeting=held)
    assert version.status == MinutesVersion.Status.APPROVED and version.approved_by == pjoprov_member
    assert Notification.objects.filter(recipient=colleague, key=f"minutes-approved:{version.pk}").exists()
    page = c.get(url("meeting_detail", held)).content.decode()
    assert "Pencairan dana BLM tahap II" in page and "Disetujui, terkunci" in page


def test_editing_locked_minutes_is_refused_and_changes_nothing(login, held, pjoprov_member):
    c = login(pjoprov_member)
    _write_minutes(c, held)
    c.post(url("minutes_approve", held))
    before = snapshot()
    item = held.agenda.first()
    response = c.post(url("minutes_edit", held), {f"decisions_{item.pk}": "Diubah diam-diam"})
    assert response.status_code == 400
    assert "Notulen sudah disetujui dan terkunci" in response.content.decode()
    follow_up = c.post(
        url("follow_up_add", held),
        {"title": "Susulan", "actor": held.actor_id, "due_date": "2025-04-30"},
    )
    assert follow_up.status_code == 400
    assert snapshot() == before


def test_a_correction_is_a_new_version_with_its_reason(login, held, pjoprov_member):
    c = login(pjoprov_member)
    _write_minutes(c, held)
    c.post(url("minutes_approve", held))
    before = snapshot()
    assert c.post(url("minutes_correct", held), {"reason": ""}).status_code == 400
    assert snapshot() == before
    assert c.post(url("minutes_correct", held), {"reason": "Salah tulis jumlah kecamatan"}).status_code == 302
    v1, v2 = MinutesVersion.objects.filter(meeting=held).order_by("number")
    assert (v1.status, v2.status, v2.reason) == ("disetujui", "draf", "Salah tulis jumlah kecamatan")
    assert [e.decisions for e in v2.entries.all()] == [e.decisions for e in v1.entries.all()]
    item = held.agenda.first()
    assert c.post(url("minutes_edit", held), {f"problems_{item.pk}": "di 4 kecamatan"}).status_code == 302
    assert v1.entries.get(agenda_item=item).problems.endswith("3 kecamatan.")
    assert v2.entries.get(agenda_item=item).problems == "di 4 kecamatan"


def test_an_editor_who_is_not_the_chair_cannot_approve(login, held, pjoprov_member):
    staff = member("pjoprov", "33", username="staf", position="staf-sekretariat")
    _write_minutes(login(pjoprov_member), held)
    before = snapshot()
    assert login(staff).post(url("minutes_approve", held)).status_code == 403
    assert snapshot() == before


def test_empty_minutes_cannot_be_approved(login, held, pjoprov_member):
    c = login(pjoprov_member)
    c.post(url("minutes_edit", held), {})
    before = snapshot()
    response = c.post(url("minutes_approve", held))
    assert response.status_code == 400 and "Notulen masih kosong" in response.content.decode()
    assert snapshot() == before


# --- follow-ups -----------------------------------------------------------------


def test_follow_ups_become_tasks_of_the_responsible_actors(login, held, pjoprov_member, colleague):
    c = login(pjoprov_member)
    kmw = actor_named("kmw")
    item = held.agenda.first()
    assert (
        c.post(
            url("follow_up_add", held),
            {
                "title": "Dampingi UPK menyusun dokumen pencairan",
                "actor": kmw.pk,
                "due_date": "2025-03-31",
                "agenda_item": item.pk,
            },
        ).status_code
        == 302
    )
    assert (
        c.post(
            url("follow_up_add", held),
            {"title": "Surati Bupati tentang keterlambatan", "actor": held.actor_id, "due_date": "2025-03-20"},
        ).status_code
        == 302
    )
    kmw_task = FollowUp.objects.get(task__actor=kmw).task
    assert (kmw_task.origin, kmw_task.due_date, kmw_task.created_by) == (
        Task.Origin.FOLLOW_UP,
        datetime.date(2025, 3, 31),
        pjoprov_member,
    )
    assert kmw_task.duty.kind.code == "kmw"
    # KMW works on it; PjOProv follows it up from the meeting's page, which
    # shows each follow-up's status; the KMW task itself stays KMW's.
    assert login(colleague).get(reverse("duties:task_detail", args=[kmw_task.pk])).status_code == 200
    assert "Dampingi UPK" in login(colleague).get(reverse("duties:task_list")).content.decode()
    assert c.get(reverse("duties:task_detail", args=[kmw_task.pk])).status_code == 404
    assert Notification.objects.filter(recipient=colleague, key=f"follow-up:{kmw_task.pk}").exists()
    page = c.get(url("meeting_detail", held)).content.decode()
    assert "Dampingi UPK" in page and "Surati Bupati" in page
    assert f'href="{reverse("duties:task_detail", args=[kmw_task.pk])}"' not in page
    # Each follow-up's state in the task list's word: due 31 March 2025, still open.
    assert '<span class="pill pill-danger">Terlambat</span>' in page


def test_a_follow_up_for_an_actor_of_another_province_is_refused(login, held, pjoprov_member):
    before = snapshot()
    response = login(pjoprov_member).post(
        url("follow_up_add", held), {"title": "x", "actor": actor("kmw", "34").pk, "due_date": "2025-03-31"}
    )
    assert response.status_code == 400
    assert snapshot() == before


def test_a_follow_up_due_before_the_meeting_or_with_a_foreign_duty_is_refused(login, held, pjoprov_member):
    c = login(pjoprov_member)
    before = snapshot()
    early = c.post(url("follow_up_add", held), {"title": "x", "actor": held.actor_id, "due_date": "2025-03-01"})
    assert early.status_code == 400 and "Tenggat tidak boleh sebelum tanggal rapat" in early.content.decode()
    tk_duty = Duty.objects.get(kind__code="tk-provinsi", number=1)
    foreign = c.post(
        url("follow_up_add", held),
        {"title": "x", "actor": held.actor_id, "due_date": "2025-03-31", "duty": tk_duty.pk},
    )
    assert foreign.status_code == 400 and "bukan milik" in foreign.content.decode()
    assert snapshot() == before


# --- attachments ------------------------------------------------------------------


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_signed_attendance_scan_is_attached_and_downloaded(
    login, held, pjoprov_member, colleague, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    c = login(pjoprov_member)
    upload = SimpleUploadedFile("Daftar Hadir.png", PNG, content_type="image/png")
    assert c.post(url("attachment_add", held), {"kind": "daftar-hadir", "file": upload}).status_code == 302
    attachment = MeetingAttachment.objects.get(meeting=held)
    assert attachment.name == "daftar-hadir.png"
    response = login(colleague).get(url("attachment_download", held, attachment.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_a_fake_scan_is_refused_and_nothing_is_stored(login, held, pjoprov_member, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    before = snapshot()
    upload = SimpleUploadedFile("foto.jpg", io.BytesIO(b"MZ not an image").read(), content_type="image/jpeg")
    response = login(pjoprov_member).post(url("attachment_add", held), {"kind": "foto", "file": upload})
    assert response.status_code == 400
    assert "Isi berkas tidak sesuai" in response.content.decode()
    assert snapshot() == before
    assert not any(tmp_path.rglob("*.jpg"))
