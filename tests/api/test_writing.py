"""The API's writes (api/writing.py) go through the pages' services: the same
permission (404 not visible, 403 visible but not theirs, 403 for a read
token), the same refusals in the same words (400 under the page's field
name), the same rows; every audit row they write is marked as made through
the API; the session works with its CSRF token; bad JSON is a 400 or a 404,
never a 500, and writes nothing."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from api.tokens import do_create_token
from core.audit_views import history_for
from core.models import AuditEvent
from duties import services as duties_services
from duties.models import Duty, Task
from meetings import services as meetings_services
from meetings.models import Attendance
from tests.factories import PASSWORD, actor, member
from tests.meetings import conftest as meeting_fixtures
from tests.meetings.conftest import actor_named, make_meeting, snapshot

# The meetings' fixtures (tests/meetings/conftest.py), here too.
routine, held, tk_member = meeting_fixtures.routine, meeting_fixtures.held, meeting_fixtures.tk_member

pytestmark = pytest.mark.django_db

COMPLETE = "/api/v1/tugas/{}/selesai/"
REOPEN = "/api/v1/tugas/{}/buka-kembali/"
ATTENDANCE = "/api/v1/rapat/{}/kehadiran/"
NOTE_REQUIRED = "Tuliskan catatan: apa yang sudah dilakukan, atau alasan pembatalan."


def bearer(user, scope="baca-tulis"):
    _record, token = do_create_token(user=user, name="Ponsel", scope=scope)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def post(client, url, body, **extra):
    return client.post(url, json.dumps(body) if not isinstance(body, str) else body, "application/json", **extra)


def new_task(user, province="33"):
    return duties_services.do_create_task(
        user=user,
        actor=actor("pjoprov", province),
        duty=Duty.objects.filter(kind__code="pjoprov").order_by("number").first(),
        title="Rekap data lapangan",
    )


def task_state(task):
    return (
        list(Task.objects.filter(pk=task.pk).values_list("status", "completion_note", "completed_at")),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def task(pjoprov_member):
    return new_task(pjoprov_member)


# --- tasks ------------------------------------------------------------------------------


def test_completing_and_reopening_with_a_read_write_token(pjoprov_member, task):
    client = bearer(pjoprov_member)
    response = post(client, COMPLETE.format(task.pk), {"note": "  Rekap dikirim ke seknas.  "})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["status"], body["completion_note"]) == (task.pk, "selesai", "Rekap dikirim ke seknas.")
    task.refresh_from_db()
    assert (task.status, task.completed_by) == (Task.Status.DONE, pjoprov_member)
    done = AuditEvent.objects.for_object(task).first()
    assert (done.action, done.via, done.summary) == ("task.status_changed", "api", "Rekap dikirim ke seknas.")
    assert done.changes["after"] == {"status": "selesai"} and done.user == pjoprov_member

    response = post(client, REOPEN.format(task.pk), {"note": "Angka Kab. Klaten salah."})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "terbuka" and response.json()["completed_at"] is None
    task.refresh_from_db()
    assert (task.status, task.completed_at, task.completed_by) == (Task.Status.OPEN, None, None)
    reopened = AuditEvent.objects.for_object(task).first()
    assert (reopened.action, reopened.via, reopened.changes["before"]) == (
        "task.status_changed",
        "api",
        {"status": "selesai"},
    )


def test_reopening_needs_no_note_as_on_the_page(pjoprov_member, task):
    duties_services.do_update_task_status(user=pjoprov_member, task=task, status="dibatalkan", note="Ditunda")
    response = post(bearer(pjoprov_member), REOPEN.format(task.pk), {})
    assert response.status_code == 200 and response.json()["status"] == "terbuka"


def test_the_history_says_which_change_came_through_the_api(login, pjoprov_member, task):
    post(bearer(pjoprov_member), COMPLETE.format(task.pk), {"note": "Lewat ponsel"})
    response = login(pjoprov_member).post(
        reverse("duties:task_update", args=[task.pk]), {"status": "terbuka", "note": "Lewat halaman"}
    )
    assert response.status_code == 302
    by_page, by_api, created = history_for(task)
    assert (by_page.via, by_api.via, created.via) == ("web", "api", "")
    assert by_api.sentence.endswith("(lewat API).") and by_api.does.endswith("(lewat API)")
    assert "API" not in by_page.sentence and "API" not in created.sentence


def test_a_read_token_gets_403_with_a_clear_message_and_changes_nothing(pjoprov_member, task):
    client = bearer(pjoprov_member, scope="baca")
    before = task_state(task)
    for url in (COMPLETE, REOPEN):
        response = post(client, url.format(task.pk), {"note": "x"})
        assert response.status_code == 403
        assert "hanya untuk membaca" in response.json()["detail"]
    assert task_state(task) == before


def test_another_provinces_member_gets_404_and_changes_nothing(outsider, pjoprov_member, task):
    client = bearer(outsider)
    before = task_state(task)
    for url in (COMPLETE, REOPEN):
        response = post(client, url.format(task.pk), {"note": "x"})
        assert response.status_code == 404
        assert "Tidak ditemukan" in response.json()["detail"]
    assert task_state(task) == before


def test_who_sees_the_task_but_may_not_change_it_gets_403(gubernur_office, pjoprov_member, task):
    client = bearer(gubernur_office)
    assert client.get(f"/api/v1/tugas/{task.pk}/").status_code == 200
    before = task_state(task)
    response = post(client, COMPLETE.format(task.pk), {"note": "x"})
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Anda dapat melihat data ini, tetapi tidak berwenang melakukan tindakan tersebut."
    }
    assert task_state(task) == before


def test_completing_without_a_note_is_refused_in_the_pages_words(login, pjoprov_member, task):
    twin = new_task(pjoprov_member)
    page = login(pjoprov_member).post(reverse("duties:task_update", args=[twin.pk]), {"status": "selesai", "note": " "})
    assert page.status_code == 400 and NOTE_REQUIRED in page.content.decode()
    client = bearer(pjoprov_member)
    before = task_state(task)
    for body in ({}, {"note": ""}, {"note": "   "}):
        response = post(client, COMPLETE.format(task.pk), body)
        assert response.status_code == 400
        assert response.json() == {"note": [NOTE_REQUIRED]}
    assert task_state(task) == before


def test_an_impossible_transition_is_refused_under_status_as_on_the_page(login, pjoprov_member, task):
    duties_services.do_update_task_status(user=pjoprov_member, task=task, status="dibatalkan", note="Ditunda")
    twin = new_task(pjoprov_member)
    duties_services.do_update_task_status(user=pjoprov_member, task=twin, status="dibatalkan", note="Ditunda")
    page = login(pjoprov_member).post(reverse("duties:task_update", args=[twin.pk]), {"status": "selesai", "note": "x"})
    client = bearer(pjoprov_member)
    before = task_state(task)
    response = post(client, COMPLETE.format(task.pk), {"note": "x"})
    assert response.status_code == 400
    (message,) = response.json()["status"]
    assert message == "Tugas berstatus Dibatalkan tidak dapat diubah menjadi Selesai."
    assert message in page.content.decode()
    assert task_state(task) == before


@pytest.mark.parametrize(
    "body",
    [
        "{",
        "[]",
        '"selesai"',
        {"note": None},
        {"note": ["x"]},
        {"note": {"text": "x"}},
        {"note": "x" * 5001},
    ],
)
def test_a_bad_task_body_is_a_400_and_changes_nothing(pjoprov_member, task, body):
    client = bearer(pjoprov_member)
    before = task_state(task)
    response = post(client, COMPLETE.format(task.pk), body)
    assert response.status_code == 400, response.content
    assert response.json()
    assert task_state(task) == before


@pytest.mark.parametrize("pk", ["999999", "9" * 30, "0"])
def test_a_task_that_does_not_exist_is_a_404(pjoprov_member, pk):
    client = bearer(pjoprov_member)
    before = AuditEvent.objects.count()
    assert post(client, COMPLETE.format(pk), {"note": "x"}).status_code == 404
    assert AuditEvent.objects.count() == before


def test_the_router_makes_only_the_action_routes(pjoprov_member, task):
    client = bearer(pjoprov_member)
    assert client.get(COMPLETE.format(task.pk)).status_code == 405
    assert client.get(ATTENDANCE.format(1)).status_code == 405
    # The readers under the same prefixes keep their list, their detail and their place in the root.
    assert client.get("/api/v1/tugas/").status_code == 200
    assert client.get(f"/api/v1/tugas/{task.pk}/").json()["id"] == task.pk
    assert {"tugas", "rapat"} <= set(client.get("/api/v1/").json())


# --- the session, with its CSRF token ----------------------------------------------------


def test_the_session_writes_with_its_csrf_token_only(pjoprov_member, task):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=pjoprov_member.username, password=PASSWORD)
    before = task_state(task)
    refused = post(client, COMPLETE.format(task.pk), {"note": "Dari peramban"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert task_state(task) == before

    client.get(reverse("duties:task_detail", args=[task.pk]))  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = post(client, COMPLETE.format(task.pk), {"note": "Dari peramban"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content
    assert AuditEvent.objects.for_object(task).first().via == "api"


# --- attendance --------------------------------------------------------------------------


def rows_of(meeting):
    return {
        (a.user_id, a.actor_id, a.status, a.note, a.recorded_by_id) for a in Attendance.objects.filter(meeting=meeting)
    }


def test_attendance_through_the_api_stores_what_the_page_stores(login, held, pjoprov_member, colleague, tk_member):
    kmw, tk = actor_named("kmw"), actor_named("tk-provinsi")
    response = post(
        bearer(pjoprov_member),
        ATTENDANCE.format(held.pk),
        {
            "people": [
                {"user": pjoprov_member.pk, "status": "hadir"},
                {"user": colleague.pk, "status": "izin", "note": "Tugas lapangan"},
                {"user": tk_member.pk, "status": ""},
            ],
            "actors": [
                {"actor": kmw.pk, "status": "hadir", "note": "Diwakili spesialis keuangan"},
                {"actor": tk.pk, "status": "tidak-hadir", "note": ""},
            ],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["meeting"], body["changed"]) == (held.pk, 4)
    assert {(r["user"], r["status"], r["note"]) for r in body["people"]} == {
        (pjoprov_member.pk, "hadir", ""),
        (colleague.pk, "izin", "Tugas lapangan"),
    }
    assert {(r["actor"], r["status"]) for r in body["actors"]} == {(kmw.pk, "hadir"), (tk.pk, "tidak-hadir")}
    event = AuditEvent.objects.for_object(held).filter(action="meeting.attendance_recorded").get()
    assert (event.via, event.changes) == ("api", {"rows_changed": 4})

    # The same list through the page, on the next month's meeting.
    twin = make_meeting("pjoprov", "33", "2025-04")
    tz = twin.actor.province.tzinfo
    twin = meetings_services.do_hold_meeting(
        user=pjoprov_member,
        meeting=twin,
        starts_at=datetime.datetime(2025, 4, 1, 9, 0, tzinfo=tz),
        ends_at=datetime.datetime(2025, 4, 1, 11, 0, tzinfo=tz),
    )
    page = login(pjoprov_member).post(
        reverse("meetings:attendance", args=[twin.pk]),
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
    assert page.status_code == 302
    assert rows_of(twin) == rows_of(held)
    assert AuditEvent.objects.for_object(twin).filter(action="meeting.attendance_recorded").get().via == "web"


def test_rows_left_out_keep_what_they_had_and_an_empty_status_clears(held, pjoprov_member, colleague):
    client = bearer(pjoprov_member)
    post(client, ATTENDANCE.format(held.pk), {"people": [{"user": colleague.pk, "status": "izin"}]})
    response = post(client, ATTENDANCE.format(held.pk), {"people": [{"user": pjoprov_member.pk, "status": "hadir"}]})
    assert {(r["user"], r["status"]) for r in response.json()["people"]} == {
        (colleague.pk, "izin"),
        (pjoprov_member.pk, "hadir"),
    }
    response = post(client, ATTENDANCE.format(held.pk), {"people": [{"user": colleague.pk, "status": ""}]})
    assert response.json()["changed"] == 1
    assert [r["user"] for r in response.json()["people"]] == [pjoprov_member.pk]


def test_attendance_waits_until_the_meeting_is_held_as_on_the_page(routine, pjoprov_member):
    client = bearer(pjoprov_member)
    before = snapshot()
    response = post(
        client,
        ATTENDANCE.format(routine.pk),
        {"people": [{"user": pjoprov_member.pk, "status": "hadir"}]},
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Catat dulu bahwa rapat sudah terlaksana."]}
    assert snapshot() == before


def test_attendance_by_a_read_token_another_province_or_an_invitee_who_may_not_change(
    held, pjoprov_member, outsider, colleague
):
    body = {"people": [{"user": pjoprov_member.pk, "status": "hadir"}]}
    reader, other_province, kmw = bearer(pjoprov_member, scope="baca"), bearer(outsider), bearer(colleague)
    before = snapshot()
    read = post(reader, ATTENDANCE.format(held.pk), body)
    assert read.status_code == 403 and "hanya untuk membaca" in read.json()["detail"]
    assert post(other_province, ATTENDANCE.format(held.pk), body).status_code == 404
    # KMW is invited: it sees the meeting, but only the holding actor records attendance.
    invited = post(kmw, ATTENDANCE.format(held.pk), body)
    assert invited.status_code == 403 and "tidak berwenang" in invited.json()["detail"]
    assert snapshot() == before


def bad_attendance_bodies(me, stranger, other_actor):
    row = {"user": me, "status": "hadir"}
    return [
        ("{", None),
        ("[]", "non_field_errors"),
        ({"people": "hadir"}, "people"),
        ({"people": {"user": me, "status": "hadir"}}, "people"),
        ({"people": [1, 2]}, "people"),
        ({"people": None}, "people"),
        ({"people": [{**row, "user": "abc"}]}, "people"),
        ({"people": [{**row, "user": 10**30}]}, "people"),
        ({"people": [{**row, "user": -1}]}, "people"),
        ({"people": [{**row, "user": None}]}, "people"),
        ({"people": [{"status": "hadir"}]}, "people"),
        ({"people": [{**row, "status": "datang"}]}, "people"),
        ({"people": [{**row, "status": None}]}, "people"),
        ({"people": [{**row, "note": "x" * 201}]}, "people"),
        ({"people": [{**row, "note": None}]}, "people"),
        ({"people": [row, {**row, "status": "izin"}]}, "people"),
        ({"actors": [{"actor": "x", "status": "hadir"}]}, "actors"),
        # Ids the service refuses: nobody invited, another province's actor.
        ({"people": [row, {**row, "user": stranger}]}, "non_field_errors"),
        ({"people": [{**row, "user": 999999}]}, "non_field_errors"),
        ({"actors": [{"actor": other_actor, "status": "hadir"}]}, "non_field_errors"),
        ({"actors": [{"actor": 999999, "status": "hadir"}]}, "non_field_errors"),
    ]


def test_bad_attendance_json_is_a_400_never_a_500_and_writes_nothing(held, pjoprov_member):
    stranger = member("gubernur", "33", username="stranger")
    client = bearer(pjoprov_member)
    before = snapshot()
    for body, field in bad_attendance_bodies(pjoprov_member.pk, stranger.pk, actor("kmw", "34").pk):
        response = post(client, ATTENDANCE.format(held.pk), body)
        assert response.status_code == 400, (body, response.status_code, response.content)
        if field is not None:
            assert field in response.json(), (body, response.json())
    assert snapshot() == before


def test_a_refused_invitee_list_says_what_the_page_says(login, held, pjoprov_member):
    stranger = member("gubernur", "33", username="stranger")
    page = login(pjoprov_member).post(
        reverse("meetings:attendance", args=[held.pk]), {f"person_{stranger.pk}": "hadir"}
    )
    response = post(
        bearer(pjoprov_member), ATTENDANCE.format(held.pk), {"people": [{"user": stranger.pk, "status": "hadir"}]}
    )
    (message,) = response.json()["non_field_errors"]
    assert message == "Hanya undangan rapat yang dapat dicatat kehadirannya."
    assert message in page.content.decode()


@pytest.mark.parametrize("pk", ["999999", "9" * 30])
def test_a_meeting_that_does_not_exist_is_a_404(pjoprov_member, pk):
    response = post(bearer(pjoprov_member), ATTENDANCE.format(pk), {"people": []})
    assert response.status_code == 404


def test_the_admin_lists_and_filters_the_audit_trail_by_the_way_it_came(pjoprov_member, task):
    post(bearer(pjoprov_member), COMPLETE.format(task.pk), {"note": "Lewat ponsel"})
    admin = type(pjoprov_member).objects.create_superuser("root", "root@example.invalid", "x-Very-long-pass-1")
    client = Client()
    client.force_login(admin)
    response = client.get("/admin/core/auditevent/", {"via__exact": "api"})
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [(e.action, e.via) for e in rows] == [("task.status_changed", "api")]
    assert "column-via" in response.content.decode()
