"""Seknas's coverage matrix (/buku-tugas/nasional/, ledger.national): the
provinces x the five provincial actors, each cell the share of the actor's
duties accounted for in the quarter, totals per actor and per province; seknas
only; a fixed number of queries whatever the provinces and the data."""

import datetime
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from actors.models import Actor, Province
from core.periods import parse_period
from duties.models import Duty
from ledger import national
from ledger.models import DutyAccount, DutyOccurrence
from tests.factories import actor
from tests.personas import make

pytestmark = pytest.mark.django_db

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
# 16 November 2026, 10.00 WIB: the fourth quarter.
NOW = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=JAKARTA)
Q4 = parse_period("2026-Q4")
URL = "/buku-tugas/nasional/"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def seknas(clock):
    return make("seknas")


def duty(ref_kind, number):
    return Duty.objects.get(kind__code=ref_kind, number=number)


def account(kind, province, number, writer, period="2026-Q4", text="Koordinasi dengan kabupaten."):
    return DutyAccount.objects.create(
        actor=actor(kind, province),
        duty=duty(kind, number),
        period=period,
        kind=DutyAccount.Kind.ACCOUNT,
        text=text,
        written_by=writer,
    )


def declare_none(kind, province, number, writer, period="2026-Q4"):
    return DutyAccount.objects.create(
        actor=actor(kind, province),
        duty=duty(kind, number),
        period=period,
        kind=DutyAccount.Kind.NO_OCCURRENCE,
        written_by=writer,
    )


def occurrence(kind, province, number, writer, on=datetime.date(2026, 10, 20)):
    return DutyOccurrence.objects.create(
        actor=actor(kind, province),
        duty=duty(kind, number),
        occurred_on=on,
        what="Masalah pencairan BLM di Kecamatan Wanareja",
        action="Pendampingan oleh tenaga ahli",
        recorded_by=writer,
    )


def some_work(writer, provinces):
    """A little of everything the matrix counts, in each of these provinces."""
    for code in provinces:
        account("pjoprov", code, 3, writer)
        declare_none("pjoprov", code, 8, writer)
        occurrence("kmw", code, 6, writer)
        account("gubernur", code, 1, writer)


def cell_of(matrix, province_code, kind_code):
    line = next(line for line in matrix.lines if line.province.code == province_code)
    return next(c for c in line.cells if c.actor.kind.code == kind_code)


def test_the_cells_count_the_duties_accounted_for_with_totals_per_actor_and_per_province(seknas):
    some_work(seknas, ["33"])
    account("kmw", "34", 10, seknas)
    # Another quarter and an empty account count for nothing.
    account("kmw", "33", 10, seknas, period="2026-Q3")
    account("kmw", "33", 1, seknas, text="   ")
    matrix = national.build(Q4, national.provinces_for(["33", "34"]))

    assert [k.code for k in matrix.kinds] == ["gubernur", "tkpkd", "tk-provinsi", "pjoprov", "kmw"]
    assert [line.province.code for line in matrix.lines] == ["33", "34"]
    totals = {kind: Duty.objects.filter(kind__code=kind).count() for kind in ("gubernur", "pjoprov", "kmw")}
    pjoprov = cell_of(matrix, "33", "pjoprov")
    assert (pjoprov.accounted, pjoprov.total) == (2, totals["pjoprov"])
    assert pjoprov.percent == round(100 * 2 / totals["pjoprov"])
    assert (cell_of(matrix, "33", "kmw").accounted, cell_of(matrix, "34", "kmw").accounted) == (1, 1)
    assert cell_of(matrix, "33", "gubernur").accounted == 1
    assert cell_of(matrix, "34", "pjoprov").accounted == 0

    jateng = matrix.lines[0].tally
    assert jateng.accounted == 4
    assert jateng.total == 33
    assert matrix.lines[1].tally.accounted == 1
    by_kind = {k.code: t for k, t in zip(matrix.kinds, matrix.totals, strict=True)}
    assert by_kind["kmw"].accounted == 2 and by_kind["kmw"].total == 2 * totals["kmw"]
    assert by_kind["pjoprov"].accounted == 2
    assert (matrix.total.accounted, matrix.total.total) == (5, 66)
    assert matrix.total.percent == round(100 * 5 / 66)

    # Each cell leads to that actor's ledger of the quarter.
    expected = reverse("ledger:ledger", kwargs={"actor_pk": pjoprov.actor.pk, "period": "2026-Q4"})
    assert pjoprov.href == expected
    assert resolve(expected).url_name == "ledger"


def test_the_page_shows_every_province_and_links_every_cell_to_its_ledger(seknas, login):
    some_work(seknas, ["33"])
    response = login(seknas).get(URL)
    assert response.status_code == 200
    matrix = response.context["matrix"]
    assert matrix.period.key == "2026-Q4"
    assert len(matrix.lines) == Province.objects.count() == 38
    page = response.content.decode()
    for a in Actor.objects.provincial():
        assert reverse("ledger:ledger", kwargs={"actor_pk": a.pk, "period": "2026-Q4"}) in page
    assert f"4/33 · {round(100 * 4 / 33)}%" in page  # Jawa Tengah's row
    assert ">33</span>" in page  # the province's Kemendagri code beside its name
    assert "Jawa Tengah" in page


def test_another_quarter_is_chosen_with_periode(seknas, login):
    account("pjoprov", "33", 3, seknas, period="2026-Q3")
    response = login(seknas).get(URL, {"periode": "2026-Q3"})
    assert response.status_code == 200
    matrix = response.context["matrix"]
    assert matrix.period.key == "2026-Q3"
    assert cell_of(matrix, "33", "pjoprov").accounted == 1
    assert "/2026-Q3/" in cell_of(matrix, "33", "pjoprov").href


@pytest.mark.parametrize("value", ["2026-11", "2026", "kemarin", "2026-Q5", "2031-Q1", ""])
def test_a_period_that_is_not_an_offered_quarter_is_a_form_error(seknas, login, value):
    response = login(seknas).get(URL, {"periode": value})
    assert response.status_code == 400
    assert response.context["matrix"] is None
    assert response.context["form"].errors["periode"]


def test_the_default_quarter_is_jakartas():
    # 31 December 2026, 18.00 UTC: already 1 January 2027 in Jakarta.
    with time_machine.travel(datetime.datetime(2026, 12, 31, 18, 0, tzinfo=datetime.UTC), tick=False):
        seknas = make("seknas")
        from django.test import Client

        from tests.factories import PASSWORD

        client = Client()
        assert client.login(username=seknas.username, password=PASSWORD)
        response = client.get(URL)
    assert response.status_code == 200
    assert response.context["period"].key == "2027-Q1"


@pytest.mark.parametrize("persona", ["member", "colleague", "outsider", "gubernur", "superuser"])
def test_only_seknas_sees_the_matrix(clock, login, persona):
    response = login(make(persona)).get(URL)
    assert response.status_code == 403


def test_anonymous_goes_to_the_login_page(clock, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_post_is_not_allowed(seknas, login):
    assert login(seknas).post(URL).status_code == 405


def test_three_provinces_and_all_38_take_the_same_number_of_queries(seknas, django_assert_num_queries):
    some_work(seknas, ["33", "34", "35", "51", "94"])
    few = national.provinces_for(["33", "34", "35"])
    every = national.provinces_for()
    with CaptureQueriesContext(connection) as counted:
        national.build(Q4, few)
    with django_assert_num_queries(len(counted)):
        matrix = national.build(Q4, every)
    assert len(matrix.lines) == 38
    assert sum(len(line.cells) for line in matrix.lines) == 190


def test_the_page_takes_the_same_number_of_queries_with_or_without_data(seknas, login, django_assert_num_queries):
    client = login(seknas)
    client.get(URL)  # the session and the navigation's badges settle
    with CaptureQueriesContext(connection) as empty:
        assert client.get(URL).status_code == 200
    some_work(seknas, [p.code for p in Province.objects.all()])
    with django_assert_num_queries(len(empty)):
        assert client.get(URL).status_code == 200


def test_the_load_test_measures_the_coverage_matrix_beside_the_report_matrix():
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "loadtest" / "pages.py"
    spec = importlib.util.spec_from_file_location("loadtest_pages", path)
    pages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pages)
    by_name = {name: (url, roles) for name, url, roles in pages.PAGES}
    assert "report_matrix" in by_name
    url, roles = by_name["coverage_matrix"]
    assert url == reverse("ledger:national")
    assert roles == ["load-seknas"]
