"""Official codes in the API (issue 23): provinces and the national matrix
carry the Kemendagri code; a version's assessment rows carry the official
unit's "region_code" from the snapshot ("" for a row written as free text,
and for versions sent before the key existed)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from reports.models import ReportVersion
from reports.scheduler import create_report_slots
from tests.api.test_reading import NATIONAL, VERSIONS, bearer
from tests.factories import UserFactory, member
from tests.reports.conftest import DAY, JAKARTA, report_of


def assessment_row(name, code, **extra):
    return {
        "level": "kecamatan",
        "level_label": "Kecamatan",
        "unit_code": code,
        "unit_name": name,
        "rating": "baik",
        "rating_label": "Baik",
        "note": "",
        **extra,
    }


@pytest.fixture
def slots(db):
    """The report slots of the reports' frozen day (tests/reports/conftest.py)."""
    with time_machine.travel(datetime.datetime(2026, 10, 5, 10, 0, tzinfo=JAKARTA), tick=False):
        create_report_slots(on=DAY)
        yield


@pytest.fixture
def tk_member(db):
    return member("tk-provinsi", "33", username="tk-jateng")


@pytest.fixture
def versions(slots):
    report = report_of("tk-triwulan")
    old = ReportVersion.objects.create(
        report=report,
        number=1,
        submitted_at=timezone.now(),
        submitted_by=UserFactory(),
        on_time=True,
        snapshot={"schema": 1, "assessment": [assessment_row("Wanareja", "")]},
    )
    new = ReportVersion.objects.create(
        report=report,
        number=2,
        submitted_at=timezone.now(),
        submitted_by=UserFactory(),
        on_time=True,
        snapshot={
            "schema": 1,
            "assessment": [
                assessment_row("Wanareja — Kab. Cilacap", "33.01.15", region_code="33.01.15"),
                assessment_row("Kedungrejo", "", region_code=""),
            ],
        },
    )
    return old, new


def test_version_rows_carry_the_official_code_or_an_empty_one(versions, tk_member):
    old, new = versions
    c = bearer(tk_member)
    old_rows = c.get(f"{VERSIONS}{old.pk}/").json()["content"]["assessment"]
    new_rows = c.get(f"{VERSIONS}{new.pk}/").json()["content"]["assessment"]
    assert [(r["unit_name"], r["region_code"]) for r in old_rows] == [("Wanareja", "")]
    assert [(r["unit_name"], r["unit_code"], r["region_code"]) for r in new_rows] == [
        ("Wanareja — Kab. Cilacap", "33.01.15", "33.01.15"),
        ("Kedungrejo", "", ""),
    ]
    # The stored snapshot is read, never rewritten.
    assert "region_code" not in ReportVersion.objects.get(pk=old.pk).snapshot["assessment"][0]


def test_provinces_and_the_national_matrix_carry_the_kemendagri_code(slots, seknas_user):
    c = bearer(seknas_user)
    provinces = c.get("/api/v1/provinsi/").json()
    assert {"code": "33", "name": "Jawa Tengah"}.items() <= next(p for p in provinces if p["code"] == "33").items()
    matrix = c.get(NATIONAL, {"tahun": 2026, "jenis": "tk-triwulan"}).json()["matrices"][0]
    assert ("33", "Jawa Tengah") in [(row["code"], row["name"]) for row in matrix["rows"]]
