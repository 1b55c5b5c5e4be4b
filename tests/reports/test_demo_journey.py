"""The issue's "done when", through the pages: in the demo, demo-tk writes and
submits the quarterly report, demo-gubernur returns it with a reason, demo-tk
resubmits, and demo-seknas sees the cell turn from overdue to submitted,
opens the submitted version and downloads its PDF."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from reports.models import Report, ReportVersion
from tests.reports.conftest import JAKARTA, PROBLEM, post_data

pytestmark = pytest.mark.django_db


def demo(username):
    c = Client()
    assert c.login(username=username, password=settings.DEMO_PASSWORD)
    return c


def jateng_cell(c):
    page = c.get(reverse("reports:national"), {"jenis": "tk-triwulan", "provinsi": "33", "tahun": 2026})
    row = page.content.decode().split("Jawa Tengah</th>", 1)[1].split("</tr>", 1)[0]
    return row.split("<td>")[3]  # Q1, Q2, Q3: the third cell


def test_the_demo_journey_from_draft_to_the_seknas_pdf(clock):
    clock.move_to(datetime.datetime(2026, 10, 13, 9, 0, tzinfo=JAKARTA))
    call_command("seed_demo", "--force")
    call_command("run_schedule")  # what `make run` does after seeding
    report = Report.objects.get(report_type__code="tk-triwulan", province__code="33", period="2026-Q3")
    assert report.status == Report.Status.DRAFT

    seknas = demo("demo-seknas")
    assert "Terlambat, belum dikirim" in jateng_cell(seknas)

    tk = demo("demo-tk")
    assert reverse("reports:report_edit", args=[report.pk]) in tk.get("/").content.decode()
    assert tk.get(reverse("reports:report_edit", args=[report.pk])).status_code == 200
    response = tk.post(reverse("reports:report_edit", args=[report.pk]), post_data(report, "submit"))
    assert response.status_code == 302

    governor = demo("demo-gubernur")
    assert reverse("reports:report_detail", args=[report.pk]) in governor.get("/").content.decode()
    response = governor.post(
        reverse("reports:report_review", args=[report.pk]),
        {"decision": "dikembalikan", "reason_rekomendasi": "Rekomendasi belum menyebut siapa yang melaksanakan."},
    )
    assert response.status_code == 302
    assert "Dikembalikan" in jateng_cell(seknas)

    edit = tk.get(reverse("reports:report_edit", args=[report.pk])).content.decode()
    assert "Rekomendasi belum menyebut siapa yang melaksanakan." in edit
    data = post_data(report, "submit", section_rekomendasi="Bupati Cilacap menugaskan camat Wanareja.")
    assert tk.post(reverse("reports:report_edit", args=[report.pk]), data).status_code == 302

    v2 = ReportVersion.objects.get(report=report, number=2)
    cell = jateng_cell(seknas)
    assert "Dikirim terlambat" in cell
    assert reverse("reports:version_detail", args=[v2.pk]) in cell
    page = seknas.get(reverse("reports:version_detail", args=[v2.pk])).content.decode()
    assert "Bupati Cilacap menugaskan camat Wanareja." in page
    pdf = seknas.get(reverse("reports:version_pdf", args=[v2.pk]))
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert PROBLEM in text and "Versi 2" in text
