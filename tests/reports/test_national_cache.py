"""The national matrix's cost and its fragment cache: a fixed number of
queries whatever the years and provinces, and a change shows at once."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from home.management.commands.loadtest_data import build_reports
from reports import services
from reports.models import Report
from tests.reports.conftest import JAKARTA, content, report_of

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 10, 5, 10, 0, tzinfo=JAKARTA)


def without_token(page):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def queries(client, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reports:national"), params)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_matrix_uses_the_same_queries_whatever_the_years_and_provinces(seknas_user, login, clock):
    from django.core.cache import cache

    c = login(seknas_user)
    c.get(reverse("reports:national"))  # the session and the navigation's first queries
    build_reports(years=1, now=NOW, provinces=["33"], sweeps=False, log=lambda *a: None)
    cache.clear()
    small, _page = queries(c)
    small_hit, _page = queries(c)
    build_reports(years=2, now=NOW, provinces=["33", "34", "35", "91"], sweeps=False, log=lambda *a: None)
    cache.clear()
    large, page = queries(c)
    large_hit, _page = queries(c)
    assert small == large and small_hit == large_hit
    assert large_hit < large  # a hit skips building the matrices
    assert page.count("/laporan/versi/") > 10


def test_a_submission_shows_at_once_and_a_cached_page_is_the_same_page(slots, tk_member, seknas_user, login):
    c = login(seknas_user)
    params = {"jenis": "tk-triwulan", "tahun": 2026}
    first = c.get(reverse("reports:national"), params).content.decode()
    assert without_token(c.get(reverse("reports:national"), params).content.decode()) == without_token(first)
    assert "/laporan/versi/" not in first
    report = report_of("tk-triwulan")
    services.do_save_draft(user=tk_member, report=report, **content(report))
    version = services.do_submit_report(user=tk_member, report=report)
    page = c.get(reverse("reports:national"), params).content.decode()
    assert reverse("reports:version_detail", args=[version.pk]) in page
    assert page.count("Dikirim tepat waktu") == first.count("Dikirim tepat waktu") + 1


def test_a_review_without_a_new_version_shows_at_once(slots, tk_member, gubernur_office, seknas_user, login):
    report = report_of("tk-triwulan")
    services.do_save_draft(user=tk_member, report=report, **content(report))
    services.do_submit_report(user=tk_member, report=report)
    c = login(seknas_user)
    params = {"jenis": "tk-triwulan", "tahun": 2026, "provinsi": "33"}
    before = c.get(reverse("reports:national"), params).content.decode()
    services.do_review_report(user=gubernur_office, report=report, decision="diterima")
    assert Report.objects.get(pk=report.pk).status == "diterima"
    after = c.get(reverse("reports:national"), params).content.decode()
    assert after.count(">Diterima<") == before.count(">Diterima<") + 1


def test_a_passing_deadline_turns_the_cell_overdue_at_once(slots, seknas_user, login, clock):
    c = login(seknas_user)
    params = {"jenis": "tk-triwulan", "tahun": 2026, "provinsi": "33"}
    before = c.get(reverse("reports:national"), params).content.decode()
    clock.move_to(datetime.datetime(2026, 10, 13, 8, 0, tzinfo=JAKARTA))
    c = login(seknas_user)  # the session of a week ago has ended
    after = c.get(reverse("reports:national"), params).content.decode()
    assert after.count("pill pill-danger") == before.count("pill pill-danger") + 1
