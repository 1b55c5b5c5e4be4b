"""Backups are tested: deploy/backup.sh dumps the database, deploy/restore.sh
restores it into a fresh database, migrates it and passes the smoke checks,
with the same rows as the original. Also: adding a province."""

import datetime
import os
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from actors.models import Actor, ActorKind, Province
from core.models import AuditEvent
from duties.models import Task
from home.reconcile import run_schedule
from tests.factories import member
from tests.security import faults

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL): pg_dump and pg_restore"
)


def script_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(extra)
    return env


def counts():
    return {
        "tasks": Task.objects.count(),
        "audit": AuditEvent.objects.count(),
        "actors": Actor.objects.count(),
        "users": Actor.objects.model._meta.apps.get_model("actors", "User").objects.count(),
    }


@needs_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_a_fresh_database_that_passes_the_smoke_checks(tmp_path):
    member("pjoprov", "33", username="pjo-backup")
    run_schedule(on=datetime.date(2026, 10, 12))
    before = counts()
    source_url = faults.test_database_url()
    backup = subprocess.run(
        [faults.ROOT / "deploy" / "backup.sh"],
        env=script_env(DATABASE_URL=source_url, BACKUP_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert backup.returncode == 0, backup.stderr
    dump = backup.stdout.strip().splitlines()[-1]
    assert dump.endswith(".dump") and os.path.getsize(dump) > 0

    restored = f"{connection.settings_dict['NAME']}_restore"
    target_url = source_url.rsplit("/", 1)[0] + "/" + restored
    try:
        restore = subprocess.run(
            [faults.ROOT / "deploy" / "restore.sh", dump, target_url],
            env=script_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert restore.returncode == 0, restore.stdout + restore.stderr
        assert "smoke check: ok" in restore.stdout
        assert f"tasks={before['tasks']}" in restore.stdout
        assert f"audit_events={before['audit']}" in restore.stdout
        # Restoring over an existing database is refused.
        again = subprocess.run(
            [faults.ROOT / "deploy" / "restore.sh", dump, target_url], env=script_env(), capture_output=True, text=True
        )
        assert again.returncode == 1 and "exists" in again.stderr
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')


@pytest.mark.django_db
def test_the_smoke_check_passes_on_a_migrated_database(capsys):
    call_command("smoke_check")
    assert "smoke check: ok" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_smoke_check_notes_a_missing_region_tree_and_provinces_outside_it(capsys, regions):
    call_command("smoke_check")
    out = capsys.readouterr().out
    assert "regions=33" in out
    # The test edition holds only Jawa Barat, Jawa Tengah and DI Yogyakarta.
    assert "province(s) without units in the region tree: 11, 12" in out
    assert "smoke check: ok" in out
    from regions.models import Region

    Region.objects.filter(level="desa").delete()
    Region.objects.filter(level="kecamatan").delete()
    Region.objects.filter(level="kabupaten").delete()
    Region.objects.all().delete()
    call_command("smoke_check")
    assert "the official region tree is not loaded" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_smoke_check_fails_when_reference_data_is_missing():
    Actor.objects.filter(province__code="33", kind__code="kmw").delete()
    with pytest.raises(CommandError, match="lacks one of its actors"):
        call_command("smoke_check")


@pytest.mark.django_db
def test_adding_a_province_creates_its_actors_and_the_reconcile_gives_them_tasks():
    call_command("add_province", "--code", "97", "--name", "Provinsi Percobaan", "--timezone", "Asia/Jayapura")
    province = Province.objects.get(code="97")
    kinds = ActorKind.objects.filter(level=ActorKind.Level.PROVINCIAL).count()
    assert province.actors.count() == kinds == 5
    assert all(a.group.name.endswith("-97") for a in province.actors.select_related("group"))
    assert AuditEvent.objects.filter(action="province.created", target_id=str(province.pk)).exists()
    run_schedule(on=datetime.date(2026, 10, 12))
    assert Task.objects.filter(actor__province=province).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [["--code", "33", "--name", "Dobel"], ["--code", "ab", "--name", "Huruf"], ["--code", "98", "--name", "Aceh"]],
)
def test_adding_a_province_refuses_a_code_or_name_in_use_or_malformed(args):
    before = (Province.objects.count(), Actor.objects.count())
    with pytest.raises(CommandError):
        call_command("add_province", *args, "--timezone", "Asia/Jakarta")
    assert (Province.objects.count(), Actor.objects.count()) == before
