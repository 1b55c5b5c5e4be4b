"""The seknas progress chart on the national page: per period the share of
expected reports that were sent, per province its completeness, drawn as
inline SVG (no script, no style attribute) with a text alternative."""

import datetime
import re

import pytest
from django.urls import reverse

from reports import services
from reports.charts import columns, level, rows
from reports.national import build, periodic_types, progress, provinces_for
from tests.reports.conftest import JAKARTA, content, report_of

pytestmark = pytest.mark.django_db


def tk_matrix(code=None):
    matrices, _total = build([t for t in periodic_types() if t.code == "tk-triwulan"], 2026, provinces_for(code))
    return matrices[0]


def submit_jateng(tk_member):
    report = report_of("tk-triwulan")
    services.do_save_draft(user=tk_member, report=report, **content(report))
    services.do_submit_report(user=tk_member, report=report)


def test_progress_counts_per_period_what_was_expected_and_what_was_sent(slots, tk_member, clock):
    submit_jateng(tk_member)
    before_deadline = {p["key"]: p for p in progress(tk_matrix())["periods"]}
    # Before the deadline only the report already sent is expected.
    assert (before_deadline["2026-Q3"]["expected"], before_deadline["2026-Q3"]["submitted"]) == (1, 1)
    assert before_deadline["2026-Q3"]["percent"] == 100
    assert before_deadline["2026-Q4"]["percent"] is None
    clock.move_to(datetime.datetime(2026, 10, 13, 8, 0, tzinfo=JAKARTA))
    q3 = {p["key"]: p for p in progress(tk_matrix())["periods"]}["2026-Q3"]
    assert (q3["expected"], q3["submitted"], q3["percent"]) == (38, 1, 3)


def test_progress_per_province_is_the_rows_completeness(slots, tk_member, clock):
    submit_jateng(tk_member)
    clock.move_to(datetime.datetime(2026, 10, 13, 8, 0, tzinfo=JAKARTA))
    by_name = {p["name"]: p for p in progress(tk_matrix())["provinces"]}
    assert by_name["Jawa Tengah"]["percent"] == 100
    assert (by_name["Aceh"]["expected"], by_name["Aceh"]["submitted"], by_name["Aceh"]["percent"]) == (1, 0, 0)


def test_column_heights_are_proportional_and_empty_periods_have_no_bar():
    chart = columns(
        [
            {"key": "2026-Q1", "label": "Triwulan I 2026", "expected": 4, "submitted": 2, "percent": 50},
            {"key": "2026-Q2", "label": "Triwulan II 2026", "expected": 0, "submitted": 0, "percent": None},
            {"key": "2026-Q3", "label": "Triwulan III 2026", "expected": 4, "submitted": 4, "percent": 100},
        ]
    )
    half, empty, full = chart["bars"]
    assert full["h"] == 2 * half["h"] == 120
    assert full["y"] + full["h"] == half["y"] + half["h"] == chart["base"]
    assert empty["h"] == 0 and empty["css"] == "bar-none"
    assert (half["short"], full["short"]) == ("TW 1", "TW 3")


def test_bar_colours_follow_the_thresholds():
    assert [level(p) for p in (None, 0, 49, 50, 79, 80, 100)] == [
        "bar-none",
        "bar-danger",
        "bar-danger",
        "bar-warn",
        "bar-warn",
        "bar-ok",
        "bar-ok",
    ]


def test_province_bars_scale_to_300_units():
    chart = rows(
        [
            {"name": "A", "expected": 2, "submitted": 1, "percent": 50},
            {"name": "B", "expected": 0, "submitted": 0, "percent": None},
        ]
    )
    assert [r["w"] for r in chart["rows"]] == [150, 0]
    assert chart["rows"][1]["y"] - chart["rows"][0]["y"] == 18


def test_the_national_page_draws_the_chart_with_a_text_alternative(slots, tk_member, clock, seknas_user, login):
    submit_jateng(tk_member)
    clock.move_to(datetime.datetime(2026, 10, 13, 8, 0, tzinfo=JAKARTA))
    page = login(seknas_user).get(reverse("reports:national"), {"jenis": "tk-triwulan", "tahun": 2026}).content.decode()
    svg = re.search(r'<svg class="chart-svg".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Triwulan III 2026: 3% (1 dari 38)" in svg  # the description read by screen readers
    # 3% of a 120-unit plot is a bar 4 units high, standing on the baseline at 132.
    assert '<rect class="bar-danger" x="202" y="128" width="68" height="4"/>' in svg
    assert "style=" not in svg and "<script>" not in page
    table = page.split("Angka grafik dalam tabel", 1)[1].split("</table>", 1)[0]
    assert re.search(r"Triwulan III 2026</th><td>38</td><td>1</td><td>3%</td>", table)
    provinces = re.findall(r'<svg class="chart-svg".*?</svg>', page, re.S)[1]
    assert "<title>Jawa Tengah: 100% (1/1)</title>" in provinces
    assert "<title>Aceh: 0% (0/1)</title>" in provinces


def test_the_chart_follows_the_province_filter(slots, tk_member, seknas_user, login):
    submit_jateng(tk_member)
    page = login(seknas_user).get(
        reverse("reports:national"), {"jenis": "tk-triwulan", "provinsi": "33", "tahun": 2026}
    )
    provinces = re.findall(r'<svg class="chart-svg".*?</svg>', page.content.decode(), re.S)[1]
    assert provinces.count('<g class="chart-row">') == 1 and "Jawa Tengah" in provinces
