"""Every refused access (403/404) and every failed login is logged as a
structured event: who, when, what, from where. The audit trail cannot be
edited or deleted, from the code or from the admin."""

import datetime
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from core.models import AuditEvent
from tests.factories import actor
from tests.security.conftest import as_json, logged_in_client, login_form

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_a_404_from_an_access_helper_is_logged_with_who_what_and_where(pjoprov_member, security_events):
    client = logged_in_client(pjoprov_member, REMOTE_ADDR="203.0.113.5")
    other = actor("tk-provinsi", "34")
    assert client.get(f"/pelaku/{other.pk}/").status_code == 404
    (record,) = security_events("access.refused")
    assert record.levelno == logging.WARNING
    assert (record.user_id, record.username) == (pjoprov_member.pk, pjoprov_member.username)
    assert (record.ip, record.method, record.path) == ("203.0.113.5", "GET", f"/pelaku/{other.pk}/")
    assert (record.status, record.view, record.reason) == (404, "actors:actor_detail", "Http404")


def test_a_403_is_logged_as_permission_denied(gubernur_office, security_events):
    from duties.models import Task
    from home.reconcile import run_schedule

    run_schedule(on=datetime.date(2026, 10, 12))
    task = Task.objects.filter(actor__kind__code="pjoprov", actor__province__code="33").first()
    client = logged_in_client(gubernur_office)
    response = client.post(f"/tugas/{task.pk}/status/", {"status": "selesai"})
    assert response.status_code == 403
    (record,) = security_events("access.refused")
    assert (record.status, record.reason, record.method) == (403, "PermissionDenied", "POST")
    assert record.username == gubernur_office.username


def test_a_page_answering_403_itself_is_logged_too(seknas_user, security_events):
    assert logged_in_client(seknas_user).get("/tugas/baru/").status_code == 403
    assert security_events("access.refused")[0].reason == "response"


def test_a_refused_csrf_token_is_an_indonesian_403_and_logged(pjoprov_member, security_events):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pjoprov_member)
    response = client.post("/akun/keamanan/keluar-semua/", {"logout-password": "x"})
    assert response.status_code == 403
    assert "Formulir kedaluwarsa" in response.content.decode()
    assert security_events("access.refused")[0].reason == "csrf"


def test_an_allowed_page_logs_no_refusal(pjoprov_member, security_events):
    assert logged_in_client(pjoprov_member).get("/tugas/").status_code == 200
    assert security_events("access.refused") == []


def test_failed_login_records_serialise_as_json_with_their_fields(pjoprov_member, security_events):
    login_form(Client(REMOTE_ADDR="198.51.100.23"), pjoprov_member.username, "salah")
    data = as_json(security_events("login.failed")[0])
    assert data["event"] == "login.failed"
    assert data["attempted_username"] == pjoprov_member.username
    assert data["ip"] == "198.51.100.23"
    assert data["levelname"] == "WARNING"
    assert "asctime" in data
    assert "salah" not in json.dumps(data)


def test_production_logs_are_one_json_object_per_line():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE", "LOG_FORMAT")}
    env.update(
        SECRET_KEY="a-long-random-test-secret-0123456789-abcdefghijklmnopq",
        DJANGO_SETTINGS_MODULE="pnpm_prov.settings.prod",
    )
    code = (
        "import django; django.setup(); import logging; "
        "logging.getLogger('pnpm.security').warning('x', extra={'event': 'access.refused', 'ip': '192.0.2.1'})"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["event"] == "access.refused" and line["ip"] == "192.0.2.1"
    assert line["level"] == "WARNING" and line["logger"] == "pnpm.security" and line["time"]


def test_audit_rows_cannot_be_changed_or_deleted_in_code(pjoprov_member):
    from core import audit

    event = audit.record(pjoprov_member, "account.sessions_revoked", pjoprov_member, summary="asli")
    event.summary = "diubah"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(summary="diubah")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "asli"


def test_audit_rows_cannot_be_added_changed_or_deleted_in_the_admin(pjoprov_member):
    from core import audit

    event = audit.record(pjoprov_member, "account.sessions_revoked", pjoprov_member, summary="asli")
    admin = type(pjoprov_member).objects.create_superuser("root", "root@example.invalid", "x-Very-long-pass-1")
    client = Client()
    client.force_login(admin)
    base = "/admin/core/auditevent/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}{event.pk}/change/", {"summary": "diubah"}).status_code == 403
    assert client.post(f"{base}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(base, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    assert AuditEvent.objects.get(pk=event.pk).summary == "asli"
