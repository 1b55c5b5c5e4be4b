"""Issue 23 item 2: assessment rows choose an official unit. The row keeps
the unit, its code and its name as printed; the service refuses a unit of
another province, of another level, retired or unknown (nothing saved); the
page narrows by a submit without JavaScript; the picker's JSON search; the
choices of every row from a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from regions.models import Region
from reports import services
from reports.forms import DraftForms
from reports.models import Report

from .conftest import content, post_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _units(regions):
    return regions


def edit_url(report):
    return reverse("reports:report_edit", args=[report.pk])


def autosave_url(report):
    return reverse("reports:report_autosave", args=[report.pk])


def search_url(report):
    return reverse("reports:unit_search", args=[report.pk])


def rows(*units):
    """Form fields of assessment rows [(level, code)], as the page posts them."""
    data = {"penilaian-TOTAL_FORMS": str(len(units) + 1)}
    for i, (level, code) in enumerate(units):
        data.update({f"penilaian-{i}-level": level, f"penilaian-{i}-unit": code, f"penilaian-{i}-rating": "baik"})
    return data


def posted(report, *units, action="save", **extra):
    data = post_data(report, action)
    data = {k: v for k, v in data.items() if not k.startswith("penilaian-")}
    data.update({"penilaian-INITIAL_FORMS": "0", "penilaian-MIN_NUM_FORMS": "0", "penilaian-MAX_NUM_FORMS": "1000"})
    data.update(rows(*units))
    data.update(extra)
    return data


def state(report):
    report = Report.objects.get(pk=report.pk)
    return (
        list(report.assessment.order_by("pk").values_list("pk", "unit_code", "unit_name")),
        list(report.texts.order_by("pk").values_list("pk", "text")),
        (report.signer_name, report.updated_at),
        AuditEvent.objects.count(),
    )


# --- the stored row -------------------------------------------------------------


def test_rows_store_the_unit_its_code_and_its_printed_name(tk_report, tk_member, login):
    data = posted(tk_report, ("kecamatan", "33.01.15"), ("desa", "33.01.15.2001"), ("provinsi", "33"))
    response = login(tk_member).post(edit_url(tk_report), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = list(tk_report.assessment.order_by("order").values_list("region__code", "unit_code", "unit_name"))
    assert stored == [
        ("33.01.15", "33.01.15", "Wanareja — Kab. Cilacap"),
        ("33.01.15.2001", "33.01.15.2001", "Tarisi — Kec. Wanareja, Kab. Cilacap"),
        ("33", "33", "Jawa Tengah"),
    ]


def test_the_snapshot_carries_the_official_code(tk_report, tk_member):
    values = content(tk_report)
    values["assessment"] = [{"level": "kecamatan", "unit": "33.01.15", "rating": "cukup", "note": ""}]
    services.do_save_draft(user=tk_member, report=tk_report, **values)
    version = services.do_submit_report(user=tk_member, report=tk_report)
    (row,) = version.snapshot["assessment"]
    assert row["region_code"] == "33.01.15"
    assert (row["unit_code"], row["unit_name"], row["level_label"]) == (
        "33.01.15",
        "Wanareja — Kab. Cilacap",
        "Kecamatan",
    )


def test_a_saved_row_shows_its_unit_chosen_and_its_kabupaten_preselected(tk_report, tk_member, login):
    services.do_save_draft(
        user=tk_member,
        report=tk_report,
        **{
            **content(tk_report),
            "assessment": [{"level": "kecamatan", "unit": "33.01.15", "rating": "baik", "note": ""}],
        },
    )
    html = login(tk_member).get(edit_url(tk_report)).content.decode()
    assert '<option value="33.01.15" selected>Wanareja — Kab. Cilacap (33.01.15)</option>' in html
    assert '<option value="33.01" selected>Kabupaten Cilacap</option>' in html
    # Its siblings are listed, other kabupaten's kecamatan are not.
    assert "Kedungreja — Kab. Cilacap (33.01.01)" in html
    assert "Salaman" not in html


# --- refused in the service -----------------------------------------------------------

REFUSALS = [
    (("kabupaten", "34.04"), "bukan wilayah Provinsi Jawa Tengah"),
    (("kecamatan", "33.01"), "adalah Kabupaten/Kota, bukan Kecamatan"),
    (("kecamatan", "33.99.99"), "Kode wilayah 33.99.99 tidak dikenal"),
]


@pytest.mark.parametrize(("unit", "message"), REFUSALS)
def test_the_page_refuses_a_unit_on_the_rows_field_and_saves_nothing(tk_report, tk_member, login, unit, message):
    client = login(tk_member)
    before = state(tk_report)
    response = client.post(edit_url(tk_report), posted(tk_report, ("kecamatan", "33.01.15"), unit))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'href="#id_penilaian-1-unit"' in html  # the error summary points at the second row's unit
    assert 'id="id_penilaian-1-unit_error"' in html
    assert state(tk_report) == before


@pytest.mark.parametrize(("unit", "message"), REFUSALS)
def test_the_autosave_refuses_a_unit_keyed_by_the_rows_field(tk_report, tk_member, login, unit, message):
    before = state(tk_report)
    response = login(tk_member).post(autosave_url(tk_report), posted(tk_report, unit))
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert list(body["errors"]) == ["penilaian-0-unit"]
    assert message in body["errors"]["penilaian-0-unit"][0]
    assert state(tk_report) == before


def test_a_retired_unit_is_refused_naming_the_edition(tk_report, tk_member):
    Region.objects.filter(code="33.01.21").update(retired_in="idn-area-data 9.9.9")
    values = content(tk_report)
    values["assessment"] = [{"level": "kecamatan", "unit": "33.01.21", "rating": "baik", "note": ""}]
    before = state(tk_report)
    with pytest.raises(services.ValidationError) as refused:
        services.do_save_draft(user=tk_member, report=tk_report, **values)
    assert refused.value.message_dict == {
        "assessment-0-unit": [
            "Cilacap Selatan — Kab. Cilacap (33.01.21) tidak berlaku lagi pada edisi idn-area-data 9.9.9; "
            "pilih wilayah penggantinya."
        ]
    }
    assert state(tk_report) == before


def test_the_service_refuses_another_provinces_unit_posted_as_a_forged_form(tk_report, tk_member, login):
    """Posting 34.04 (Kabupaten Sleman, DI Yogyakarta) into a Jawa Tengah report."""
    before = state(tk_report)
    response = login(tk_member).post(edit_url(tk_report), posted(tk_report, ("kabupaten", "34.04")))
    assert response.status_code == 400
    assert "Kabupaten Sleman (34.04) bukan wilayah Provinsi Jawa Tengah." in response.content.decode()
    assert state(tk_report) == before


def test_the_service_resolves_every_code_in_one_query(tk_report, tk_member):
    values = content(tk_report)
    values["assessment"] = [
        {"level": "kecamatan", "unit": code, "rating": "baik", "note": ""}
        for code in ("33.01.15", "33.01.01", "33.01.21", "33.08.01", "33.08.02", "33.71.01")
    ]
    with CaptureQueriesContext(connection) as queries:
        services.do_save_draft(user=tk_member, report=tk_report, **values)
    region_queries = [q for q in queries.captured_queries if 'FROM "regions_region"' in q["sql"]]
    assert len(region_queries) == 1


# --- without JavaScript: narrowing by a submit ----------------------------------------


def test_narrowing_lists_the_chosen_kabupatens_kecamatan_without_errors_or_saving(tk_report, tk_member, login):
    before = state(tk_report)
    data = posted(
        tk_report,
        action="narrow",
        **{
            "penilaian-TOTAL_FORMS": "2",
            "penilaian-0-level": "kecamatan",
            "penilaian-0-kabupaten": "33.01",
            "penilaian-1-level": "desa",
            "penilaian-1-kabupaten": "33.01",
            "penilaian-1-kecamatan": "33.01.15",
        },
    )
    response = login(tk_member).post(edit_url(tk_report), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="33.01.15">Wanareja — Kab. Cilacap (33.01.15)</option>' in html
    assert "Kedungreja — Kab. Cilacap (33.01.01)" in html
    assert "Salaman — Kab. Magelang" not in html  # another kabupaten's
    assert '<option value="33.01.15.2001">Tarisi — Kec. Wanareja, Kab. Cilacap (33.01.15.2001)</option>' in html
    assert "Wajib diisi untuk baris ini" not in html and "data-error-summary" not in html
    assert state(tk_report) == before


def test_narrowing_shows_no_required_errors_in_the_other_tables_either(tk_report, tk_member, login):
    data = posted(
        tk_report,
        action="narrow",
        **{
            "penilaian-TOTAL_FORMS": "1",
            "penilaian-0-level": "kecamatan",
            "penilaian-0-kabupaten": "33.01",
            # A problem half written: its category not chosen yet.
            "butir-TOTAL_FORMS": "1",
            "butir-0-kind": "masalah",
            "butir-0-category": "",
            "butir-0-description": "Dana terlambat",
            "butir-0-state": "",
        },
    )
    response = login(tk_member).post(edit_url(tk_report), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wajib diisi untuk baris ini" not in html and "data-error-summary" not in html
    assert "Dana terlambat" in html  # what was typed comes back


def test_narrowing_lists_every_kabupaten_for_a_kabupaten_row_and_the_province_for_a_provinsi_row(
    tk_report, tk_member, login
):
    data = posted(
        tk_report,
        action="narrow",
        **{"penilaian-TOTAL_FORMS": "2", "penilaian-0-level": "kabupaten", "penilaian-1-level": "provinsi"},
    )
    html = login(tk_member).post(edit_url(tk_report), data).content.decode()
    for code, label in (("33.01", "Kabupaten Cilacap"), ("33.08", "Kabupaten Magelang"), ("33.71", "Kota Magelang")):
        assert f'<option value="{code}">{label} ({code})</option>' in html
    assert '<option value="33">Jawa Tengah (33)</option>' in html
    assert "Kabupaten Sleman (34.04)" not in html


def test_narrowing_lets_go_of_a_unit_outside_the_newly_chosen_kabupaten(tk_report, tk_member, login):
    data = posted(
        tk_report,
        action="narrow",
        **{
            "penilaian-TOTAL_FORMS": "1",
            "penilaian-0-level": "kecamatan",
            "penilaian-0-unit": "33.01.15",
            "penilaian-0-kabupaten": "33.08",
            "penilaian-0-rating": "baik",
        },
    )
    html = login(tk_member).post(edit_url(tk_report), data).content.decode()
    assert "Salaman — Kab. Magelang (33.08.01)" in html
    assert 'value="33.01.15"' not in html
    assert "Wajib diisi untuk baris ini" not in html


def test_the_narrowed_page_posted_back_saves_the_chosen_unit(tk_report, tk_member, login):
    client = login(tk_member)
    base = posted(tk_report, action="narrow", **{"penilaian-0-level": "kecamatan", "penilaian-0-kabupaten": "33.01"})
    assert client.post(edit_url(tk_report), base).status_code == 200
    response = client.post(
        edit_url(tk_report),
        {**base, "action": "save", "penilaian-0-unit": "33.01.15", "penilaian-0-rating": "baik"},
    )
    assert response.status_code == 302
    assert list(tk_report.assessment.values_list("unit_name", flat=True)) == ["Wanareja — Kab. Cilacap"]


def test_a_row_with_a_kabupaten_chosen_only_is_still_an_untouched_row(tk_report, tk_member, login):
    data = posted(tk_report, **{"penilaian-TOTAL_FORMS": "1", "penilaian-0-kabupaten": "33.01"})
    assert login(tk_member).post(edit_url(tk_report), data).status_code == 302
    assert not tk_report.assessment.exists()


def test_a_half_filled_row_still_asks_for_its_unit(tk_report, tk_member, login):
    data = posted(tk_report, **{"penilaian-TOTAL_FORMS": "1", "penilaian-0-level": "kecamatan"})
    response = login(tk_member).post(edit_url(tk_report), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Wajib diisi untuk baris ini." in html and 'href="#id_penilaian-0-unit"' in html


def test_a_legacy_free_text_row_shows_what_was_written_and_asks_for_a_unit(tk_report, tk_member, login):
    tk_report.assessment.create(level="kecamatan", unit_code="", unit_name="Kec. Wanareja", rating="baik")
    html = login(tk_member).get(edit_url(tk_report)).content.decode()
    assert "tertulis: Kec. Wanareja" in html and "Pilih wilayah resminya." in html
    assert '<option value="" selected>(pilih kabupaten/kota dahulu)</option>' in html


def test_without_units_for_the_province_the_page_says_so_and_keeps_the_rows(tk_report, tk_member, login):
    tk_report.assessment.create(level="kecamatan", unit_code="", unit_name="Kec. Wanareja", rating="baik")
    data = {k: v for k, v in post_data(tk_report).items() if not k.startswith("penilaian-")}
    Region.objects.filter(province_code="33").update(province_code="99")
    client = login(tk_member)
    html = client.get(edit_url(tk_report)).content.decode()
    assert "Data wilayah resmi belum dimuat; hubungi admin: manage.py load_regions" in html
    assert 'name="penilaian-' not in html
    assert client.post(edit_url(tk_report), data).status_code == 302
    assert list(tk_report.assessment.values_list("unit_name", flat=True)) == ["Kec. Wanareja"]


# --- the choices of every row: a constant number of queries ------------------------------


def narrowed_rows(n):
    data = {"penilaian-TOTAL_FORMS": str(n)}
    kabupaten = ["33.01", "33.08", "33.71"]
    for i in range(n):
        kab = kabupaten[i % 3]
        data.update(
            {
                f"penilaian-{i}-level": "desa",
                f"penilaian-{i}-kabupaten": kab,
                f"penilaian-{i}-kecamatan": f"{kab}.01",
                f"penilaian-{i}-rating": "baik",
            }
        )
    return data


@pytest.mark.parametrize("n", [2, 20])
def test_the_rows_choices_come_from_one_query_whatever_the_number_of_rows(tk_report, tk_member, n):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.update(posted(tk_report, action="narrow", **narrowed_rows(n)))
    with CaptureQueriesContext(connection) as queries:
        drafts = DraftForms(tk_report, tk_member, data, narrowing=True)
    region_queries = [q for q in queries.captured_queries if 'FROM "regions_region"' in q["sql"]]
    assert len(region_queries) == 1
    choices = dict(drafts.assessment.forms[1]["unit"].field.widget.choices)
    assert "33.08.01.2001" in choices  # row 1: desa of Salaman, Kab. Magelang


def test_the_page_takes_the_same_number_of_queries_for_2_and_20_rows(tk_report, tk_member, login):
    client = login(tk_member)
    counts = []
    for n in (2, 20):
        data = posted(tk_report, action="narrow", **narrowed_rows(n))
        with CaptureQueriesContext(connection) as queries:
            assert client.post(edit_url(tk_report), data).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


# --- the JSON search -----------------------------------------------------------------


def test_the_search_answers_the_provinces_units_of_the_level(tk_report, tk_member, login):
    response = login(tk_member).get(search_url(tk_report), {"tingkat": "kecamatan", "q": "wanar"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response.json() == {
        "results": [
            {"code": "33.01.15", "label": "Wanareja — Kab. Cilacap (33.01.15)", "name": "Wanareja — Kab. Cilacap"}
        ]
    }


def test_the_search_stays_in_the_reports_province(tk_report, tk_member, login):
    client = login(tk_member)
    found = client.get(search_url(tk_report), {"tingkat": "kabupaten", "q": "sleman"}).json()
    assert found == {"results": []}
    found = client.get(search_url(tk_report), {"tingkat": "kabupaten", "q": "magelang"}).json()
    assert [r["code"] for r in found["results"]] == ["33.08", "33.71"]


def test_an_empty_query_finds_nothing_and_a_bad_level_is_a_400(tk_report, tk_member, login):
    client = login(tk_member)
    assert client.get(search_url(tk_report), {"tingkat": "desa", "q": "  "}).json() == {"results": []}
    response = client.get(search_url(tk_report), {"tingkat": "kota", "q": "wanar"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("Tingkat wilayah tidak dikenal")


def test_the_search_is_for_those_who_may_see_the_report(
    tk_report, tk_member, tk_outsider, gubernur_office, login, client
):
    params = {"tingkat": "kecamatan", "q": "wanar"}
    assert login(tk_outsider).get(search_url(tk_report), params).status_code == 404
    # A draft is its writers' only (the Governor's office reads it once sent).
    assert login(gubernur_office).get(search_url(tk_report), params).status_code == 404
    response = client.get(search_url(tk_report), params)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert login(tk_member).post(search_url(tk_report), params).status_code == 405
