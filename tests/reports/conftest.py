"""Fixtures for the reports: a frozen clock (5 October 2026, 10.00 WIB: Q3
2026 is due on Monday 12 October), the report slots the reconcile makes on
that day, more personas, and builders for complete drafts."""

import datetime
import zoneinfo

import pytest
import time_machine

from reports.models import Issue, Report, ReportSection
from reports.scheduler import create_report_slots
from tests.factories import member

DAY = datetime.date(2026, 10, 5)
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
PROBLEM = "Pencairan dana BLM terlambat di Kecamatan Wanareja"
CONSTRAINT = "Jaringan internet lemah di desa-desa pegunungan"


@pytest.fixture
def clock():
    with time_machine.travel(datetime.datetime(2026, 10, 5, 10, 0, tzinfo=JAKARTA), tick=False) as traveller:
        yield traveller


@pytest.fixture
def slots(db, clock):
    create_report_slots(on=DAY)


@pytest.fixture
def tk_member(db):
    return member("tk-provinsi", "33", username="tk-jateng")


@pytest.fixture
def tk_outsider(db):
    return member("tk-provinsi", "34", username="tk-diy")


@pytest.fixture
def gubernur_outsider(db):
    return member("gubernur", "34", username="gub-diy")


@pytest.fixture
def tk_pusat_user(db):
    return member("tk-pusat", username="tk-pusat")


def report_of(type_code, province="33", period="2026-Q3"):
    return Report.objects.select_related("report_type", "actor__kind", "province").get(
        report_type__code=type_code, province__code=province, period=period
    )


@pytest.fixture
def tk_report(slots):
    return report_of("tk-triwulan")


@pytest.fixture
def pjoprov_report(slots):
    return report_of("pjoprov-bulanan", period="2026-09")


def issue_kinds(report):
    kinds = set(report.report_type.sections.values_list("kind", flat=True))
    return [k for k in (Issue.Kind.PROBLEM, Issue.Kind.CONSTRAINT) if k in kinds]


def ensure_regions():
    """The test edition of the region tree (tests/conftest.py `regions`),
    loaded once: loading is idempotent."""
    from regions.edition import read
    from regions.loading import load
    from regions.models import Region
    from tests.conftest import REGION_EDITION

    if not Region.objects.filter(code="33.01.15").exists():
        load(read(REGION_EDITION))


def made_up_units(province):
    """A province the test edition lacks: one unit per level, so that its
    reports can be written (codes <province>.01, .01.01, .01.01.2001)."""
    from regions.models import Region
    from regions.search import fold

    parent = None
    code = province.code
    for level, name in (
        ("provinsi", province.name),
        ("kabupaten", "Kabupaten Uji"),
        ("kecamatan", "Kecamatan Uji"),
        ("desa", "Desa Uji"),
    ):
        parent = Region.objects.create(
            code=code,
            level=level,
            name=name,
            parent=parent,
            province_code=province.code,
            search_name=fold(name),
            added_in="uji",
        )
        code = f"{code}.{'2001' if level == 'kecamatan' else '01'}"


def assessment_rows(report):
    """Two assessment rows on official units of the report's province (the
    test edition: Jawa Tengah's first kabupaten and first desa are Kabupaten
    Cilacap 33.01 and Tarisi 33.01.15.2001), as the page posts them."""
    from regions.models import Region

    ensure_regions()
    if not Region.objects.filter(code=report.province.code).exists():
        made_up_units(report.province)
    units = Region.objects.in_force().filter(province_code=report.province.code).order_by("code")
    kabupaten = units.filter(level="kabupaten").first()
    desa = units.filter(level="desa").first()
    assert kabupaten and desa, f"the test edition has no units of province {report.province.code}"
    return [
        {"level": "kabupaten", "unit": kabupaten.code, "rating": "baik", "note": "Tepat"},
        {"level": "desa", "unit": desa.code, "rating": "kurang", "note": ""},
    ]


def content(report, **texts):
    """Keyword arguments for services.do_save_draft with every section filled."""
    sections = report.report_type.sections.all()
    has_assessment = any(s.kind == ReportSection.Kind.ASSESSMENT for s in sections)
    issues = []
    for kind in issue_kinds(report):
        description = PROBLEM if kind == Issue.Kind.PROBLEM else CONSTRAINT
        issues.append({"kind": kind, "category": "keuangan", "description": description, "state": "belum"})
    return {
        "texts": {s.code: texts.get(s.code, f"Uraian {s.title.lower()}.") for s in sections},
        "assessment": assessment_rows(report) if has_assessment else [],
        "issues": issues,
        "signature": {
            "signer_name": "Drs. Budi Santoso",
            "signer_position": "Ketua TK PNPM-MP Provinsi Jawa Tengah",
            "sign_place": "Semarang",
            "sign_date": DAY,
        },
    }


def post_data(report, action="save", **overrides):
    """The edit form as a browser posts it, every section filled."""
    values = content(report)
    data = {"action": action}
    data.update({f"section_{code}": text for code, text in values["texts"].items()})
    data.update({k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values["signature"].items()})
    for prefix, rows in (("penilaian", values["assessment"]), ("butir", values["issues"])):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows) + 1)
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for i, row in enumerate(rows):
            data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    data.update(overrides)
    return data
