"""Personal access tokens on the API: a token is shown once and stored
hashed; read tokens read, read-write tokens write; an expired or revoked
token, a disabled account or a term that ended gets 401 at once; last use is
recorded; a PjOProv token sees only its own province's tasks."""

import datetime
import logging

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from actors.services import do_end_membership
from api.authentication import FAILURES_PER_MINUTE
from api.models import PersonalAccessToken
from api.throttling import TokenRateThrottle
from api.tokens import digest, do_create_token, do_revoke_token
from core.models import AuditEvent
from duties import services as duty_services
from duties.models import Duty, Task
from tests.factories import actor

pytestmark = pytest.mark.django_db

TASKS = "/api/v1/tugas/"


def bearer(token):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_token_is_shown_once_and_stored_as_a_digest(pjoprov_member):
    record, token = do_create_token(user=pjoprov_member, name="Ponsel", scope="baca")
    assert token.startswith("pnpm_") and len(token) > 40
    stored = PersonalAccessToken.objects.get(pk=record.pk)
    assert stored.digest == digest(token) and token not in str(stored.__dict__)
    assert stored.expires_at - stored.created_at == datetime.timedelta(days=90)
    assert AuditEvent.objects.filter(action="api_token.created", target_id=str(record.pk)).exists()


def test_the_api_answers_a_token_and_refuses_none_with_401(pjoprov_member):
    _record, token = do_create_token(user=pjoprov_member, name="Ponsel", scope="baca")
    assert bearer(token).get(TASKS).status_code == 200
    assert Client().get(TASKS).status_code == 401
    assert bearer("pnpm_salah").get(TASKS).status_code == 401
    response = Client(HTTP_AUTHORIZATION="Bearer").get(TASKS)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


def test_expired_and_revoked_tokens_get_401(pjoprov_member):
    record, token = do_create_token(user=pjoprov_member, name="Ponsel", scope="baca", days=1)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, seconds=1)):
        assert bearer(token).get(TASKS).status_code == 401
    assert bearer(token).get(TASKS).status_code == 200
    do_revoke_token(user=pjoprov_member, token=record)
    response = bearer(token).get(TASKS)
    assert response.status_code == 401 and "dicabut" in response.json()["detail"]


def test_a_token_stops_when_its_owner_loses_access(pjoprov_member, gubernur_office):
    _record, token = do_create_token(user=pjoprov_member, name="Ponsel", scope="baca")
    membership = pjoprov_member.memberships.get()
    today = membership.actor.province.today()
    do_end_membership(membership, end_date=today - datetime.timedelta(days=1), by=gubernur_office)
    assert bearer(token).get(TASKS).status_code == 401
    _record, other = do_create_token(user=gubernur_office, name="Dasbor", scope="baca")
    gubernur_office.is_active = False
    gubernur_office.save(update_fields=["is_active"])
    assert bearer(other).get(TASKS).status_code == 401


def test_last_use_is_recorded(pjoprov_member):
    record, token = do_create_token(user=pjoprov_member, name="Ponsel", scope="baca")
    assert record.last_used_at is None
    bearer(token).get(TASKS)
    record.refresh_from_db()
    assert record.last_used_at is not None


def test_a_pjoprov_token_sees_only_jawa_tengahs_tasks_of_its_actor(pjoprov_member, colleague, outsider):
    own, kmw, other = actor("pjoprov", "33"), actor("kmw", "33"), actor("pjoprov", "34")
    for who, act in ((pjoprov_member, own), (colleague, kmw), (outsider, other)):
        duty = Duty.objects.filter(kind=act.kind).order_by("number").first()
        duty_services.do_create_task(user=who, actor=act, duty=duty, title=f"Tugas {act.name}", due_date=None)
    _record, token = do_create_token(user=pjoprov_member, name="Ponsel", scope="baca")
    client = bearer(token)
    results = client.get(TASKS).json()["results"]
    assert results and {row["actor"] for row in results} == {own.pk}
    assert Task.objects.filter(actor__in=[kmw, other]).count() == 2
    hidden = Task.objects.filter(actor=other).get()
    assert client.get(f"{TASKS}{hidden.pk}/").status_code == 404


def test_refusals_are_indonesian_unless_the_client_asks_for_english(pjoprov_member):
    _record, token = do_create_token(user=pjoprov_member, name="Ponsel", scope="baca")
    client = bearer(token)
    assert client.get(TASKS, {"due_before": "kemarin"}).json()["due_before"] == [
        "Tulis tanggal sebagai YYYY-MM-DD, mis. 2026-12-31."
    ]
    english = client.get(TASKS, {"due_before": "kemarin"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["due_before"] == ["Write the date as YYYY-MM-DD, e.g. 2026-12-31."]
    assert "Accept-Language" in english["Vary"]
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(TASKS)
    assert response.status_code == 401 and response.json()["detail"] == "Authentication credentials were not provided."


def test_overdue_tasks_are_those_past_their_due_date_in_their_provinces_date(pjoprov_member):
    pjoprov = actor("pjoprov", "33")
    duty = Duty.objects.filter(kind=pjoprov.kind).order_by("number").first()
    today = pjoprov.province.today()
    made = {
        label: duty_services.do_create_task(user=pjoprov_member, actor=pjoprov, duty=duty, title=label, due_date=due)
        for label, due in (
            ("kemarin", today - datetime.timedelta(days=1)),
            ("hari ini", today),
            ("tanpa tenggat", None),
        )
    }
    _record, token = do_create_token(user=pjoprov_member, name="Ponsel", scope="baca")
    client = bearer(token)
    late = client.get(TASKS, {"overdue": "true"}).json()["results"]
    assert [row["id"] for row in late] == [made["kemarin"].pk] and late[0]["overdue"] is True
    rest = {row["id"] for row in client.get(TASKS, {"overdue": "false"}).json()["results"]}
    assert {made["hari ini"].pk, made["tanpa tenggat"].pk} <= rest and made["kemarin"].pk not in rest
    assert client.get(TASKS, {"overdue": "ya"}).status_code == 400


def test_each_token_is_throttled_on_its_own_with_retry_after(pjoprov_member, colleague, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    _record, token = do_create_token(user=pjoprov_member, name="Ponsel", scope="baca")
    _record, other = do_create_token(user=pjoprov_member, name="Laptop", scope="baca")
    client = bearer(token)
    assert [client.get(TASKS).status_code for _ in range(4)] == [200, 200, 200, 429]
    throttled = client.get(TASKS)
    assert throttled.status_code == 429 and 1 <= int(throttled["Retry-After"]) <= 60
    # Another token of the same person has its own count; a forged address changes nothing.
    assert bearer(other).get(TASKS).status_code == 200
    assert bearer(token).get(TASKS, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429


def test_guessing_tokens_is_logged_and_held_back_per_address(db, caplog):
    caplog.set_level(logging.WARNING, logger="pnpm.security")
    guesser = Client(HTTP_AUTHORIZATION="Bearer pnpm_tebakan", REMOTE_ADDR="203.0.113.9")
    statuses = [guesser.get(TASKS).status_code for _ in range(FAILURES_PER_MINUTE + 1)]
    assert statuses == [401] * FAILURES_PER_MINUTE + [429]
    refused = [r for r in caplog.records if getattr(r, "event", "") == "api.token_refused"]
    assert len(refused) == FAILURES_PER_MINUTE and refused[0].ip == "203.0.113.9"
    # Another address is not held back by it.
    assert Client(HTTP_AUTHORIZATION="Bearer pnpm_tebakan", REMOTE_ADDR="198.51.100.2").get(TASKS).status_code == 401


def test_a_superuser_without_a_seat_gets_no_api_by_token(db):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    _record, token = do_create_token(user=admin, name="Skrip", scope="baca")
    assert bearer(token).get(TASKS).status_code == 401


def test_bad_filters_are_400s_naming_the_field(pjoprov_member):
    _record, token = do_create_token(user=pjoprov_member, name="Ponsel", scope="baca")
    client = bearer(token)
    for params, field in (
        ({"duty": "²"}, "duty"),
        ({"duty": "9" * 25}, "duty"),
        ({"status": "hilang"}, "status"),
        ({"due_after": "2026-13-01"}, "due_after"),
    ):
        response = client.get(TASKS, params)
        assert response.status_code == 400 and list(response.json()) == [field], params


def test_the_public_schema_takes_only_the_apps_languages(db):
    assert Client().get("/api/v1/schema/", {"lang": "en"}).status_code == 200
    response = Client().get("/api/v1/schema/", {"lang": "x" * 4000})
    assert response.status_code == 400 and b"lang" in response.content and len(response.content) < 500
