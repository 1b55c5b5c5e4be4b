"""match_assessment_units and the admin's decisions (reports/matching.py):
free-text assessment rows matched to official units, never by a guess."""

import copy
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command, load_command_class
from django.urls import reverse
from django.utils import timezone

from regions.models import Region
from reports import matching
from reports.models import AssessmentRow, Report, ReportVersion, UnitNameMatch
from tests import personas
from tests.factories import UserFactory
from tests.reports.conftest import report_of

Status = UnitNameMatch.Status


@pytest.fixture
def draft(slots, regions):
    """The TK Jawa Tengah's Q3 2026 report, with no rows yet."""
    return report_of("tk-triwulan")


def row(report, level, name, code="", rating="baik"):
    return AssessmentRow.objects.create(report=report, level=level, unit_name=name, unit_code=code, rating=rating)


def version(report, rows, number=1):
    """A submitted version whose snapshot holds `rows` (dicts), as an old
    version without region_code unless a row has one."""
    return ReportVersion.objects.create(
        report=report,
        number=number,
        submitted_at=timezone.now(),
        submitted_by=UserFactory(),
        on_time=True,
        snapshot={
            "schema": 1,
            "assessment": [
                {
                    "level": level,
                    "level_label": level,
                    "unit_code": code,
                    "unit_name": name,
                    "rating": "baik",
                    "rating_label": "Baik",
                    "note": "",
                    **extra,
                }
                for level, name, code, extra in rows
            ],
        },
    )


def match_of(name, level, code=""):
    return UnitNameMatch.objects.select_related("region").get(written_name=name, level=level, written_code=code)


def run(*args):
    out = io.StringIO()
    call_command("match_assessment_units", *args, stdout=out)
    return out.getvalue()


def test_normalise_drops_the_level_s_type_words_and_keeps_kota_as_the_kind_of_a_kabupaten():
    n = matching.normalise
    W = matching.Written
    assert n("Kab. Magelang") == W("magelang", "kabupaten")
    assert n("KABUPATEN  magelang") == W("magelang", "kabupaten")
    assert n("Kota Magelang") == W("magelang", "kota")
    assert n("Kab Kota Magelang").kind == matching.CONFLICT
    assert not n("Kab Kota Magelang").agrees_with(n("Kota Magelang"))
    kec, desa = "kecamatan", "desa"
    assert n("Kec. Wanareja", kec) == n("Kecamatan Wanareja", kec) == n("wanareja", kec) == W("wanareja")
    # Below the kabupaten, "Kota" is part of the name.
    assert n("Kota Kudus", kec) == W("kota kudus")
    assert n("Desa Tarisi", desa) == n("Kel. Tarisi", desa) == W("tarisi")
    assert n("Wanareja (33.01.15)", kec) == W("wanareja")
    assert n("Wanareja — Kabupaten Cilacap", kec) == W("wanareja", "", "kab cilacap")
    assert not n("Kota Magelang").agrees_with(n("Kabupaten Magelang"))
    assert n("Magelang").agrees_with(n("Kota Magelang")) and n("Magelang").agrees_with(n("Kabupaten Magelang"))
    assert matching.dotted("330115") == "33.01.15" and matching.dotted(" 33.01 ") == "33.01"


def test_a_kecamatan_named_kota_x_is_not_taken_for_a_bare_x(draft, regions):
    Region.objects.create(
        code="33.01.30",
        level="kecamatan",
        name="Kota Cilacap",
        parent=regions["33.01"],
        province_code="33",
        search_name="kota cilacap",
        added_in="test",
    )
    row(draft, "kecamatan", "Cilacap")
    run()
    m = match_of("Cilacap", "kecamatan")
    assert (m.status, m.region) == (Status.PENDING, None)
    assert "33.01.30" in m.candidates


def test_a_written_place_that_disagrees_with_the_unit_s_waits_for_a_person(draft):
    row(draft, "desa", "Tarisi — Kec. Bantar")
    row(draft, "desa", "Bantar — Kec. Wanareja, Kab. Cilacap")
    row(draft, "kecamatan", "Wanareja — Kabupaten Cilacap")
    run()
    m = match_of("Tarisi — Kec. Bantar", "desa")
    assert (m.status, m.region, m.candidates) == (Status.PENDING, None, ["33.01.15.2001"])
    assert match_of("Bantar — Kec. Wanareja, Kab. Cilacap", "desa").region.code == "33.01.15.2002"
    assert match_of("Wanareja — Kabupaten Cilacap", "kecamatan").region.code == "33.01.15"


def test_an_official_code_with_an_agreeing_or_empty_name_matches_automatically(draft):
    linked = row(draft, "kecamatan", "Kec. Wanareja", "33.01.15")
    nameless = row(draft, "desa", "", "33.01.15.2001")
    undotted = row(draft, "kabupaten", "Cilacap", "3301")
    run()
    m = match_of("Kec. Wanareja", "kecamatan", "33.01.15")
    assert (m.status, m.region.code, m.candidates, m.rows) == (Status.AUTOMATIC, "33.01.15", [], 0)
    assert match_of("", "desa", "33.01.15.2001").region.code == "33.01.15.2001"
    assert match_of("Cilacap", "kabupaten", "3301").region.code == "33.01"
    linked.refresh_from_db()
    assert (linked.region.code, linked.unit_code, linked.unit_name) == (
        "33.01.15",
        "33.01.15",
        "Wanareja — Kab. Cilacap",
    )
    nameless.refresh_from_db()
    assert nameless.unit_name == "Tarisi — Kec. Wanareja, Kab. Cilacap"
    undotted.refresh_from_db()
    assert (undotted.unit_code, undotted.unit_name) == ("33.01", "Kabupaten Cilacap")


def test_a_code_naming_another_unit_than_the_name_waits_with_both(draft):
    row(draft, "kecamatan", "Kedungreja", "33.01.15")
    run()
    m = match_of("Kedungreja", "kecamatan", "33.01.15")
    assert (m.status, m.region, m.candidates) == (Status.PENDING, None, ["33.01.15", "33.01.01"])


def test_a_code_of_another_province_is_no_match_for_this_province(draft):
    row(draft, "kabupaten", "Sleman", "34.04")
    run()
    m = match_of("Sleman", "kabupaten", "34.04")
    assert (m.status, m.region, m.candidates) == (Status.PENDING, None, [])


def test_an_exact_name_names_one_unit(draft):
    kecamatan = row(draft, "kecamatan", "KECAMATAN WANAREJA")
    kabupaten = row(draft, "kabupaten", "Kab. Cilacap")
    desa = row(draft, "desa", "Desa Tarisi")
    run()
    assert match_of("KECAMATAN WANAREJA", "kecamatan").region.code == "33.01.15"
    assert match_of("Kab. Cilacap", "kabupaten").region.code == "33.01"
    assert match_of("Desa Tarisi", "desa").status == Status.AUTOMATIC
    assert AssessmentRow.objects.get(pk=kecamatan.pk).unit_name == "Wanareja — Kab. Cilacap"
    assert AssessmentRow.objects.get(pk=kabupaten.pk).unit_code == "33.01"
    assert AssessmentRow.objects.get(pk=desa.pk).region.code == "33.01.15.2001"


def test_kota_and_kabupaten_are_two_units_and_a_bare_name_waits(draft):
    row(draft, "kabupaten", "Kota Magelang")
    row(draft, "kabupaten", "Kabupaten Magelang")
    bare = row(draft, "kabupaten", "Magelang")
    output = run()
    assert match_of("Kota Magelang", "kabupaten").region.code == "33.71"
    assert match_of("Kabupaten Magelang", "kabupaten").region.code == "33.08"
    m = match_of("Magelang", "kabupaten")
    assert (m.status, m.region, m.candidates) == (Status.PENDING, None, ["33.08", "33.71"])
    bare.refresh_from_db()
    assert (bare.region, bare.unit_name) == (None, "Magelang")
    assert "'Magelang' -> Kabupaten Magelang (33.08); Kota Magelang (33.71)" in output
    assert "3 written names; 2 matched automatically, 1 waiting for a person, 0 already decided" in output


def test_no_match_waits_with_similar_units_or_none(draft):
    row(draft, "kecamatan", "Wanarejo")
    row(draft, "kecamatan", "Cilacap")
    row(draft, "kecamatan", "Zzyzx")
    row(draft, "desa", "Wanareja", rating="kurang")  # a desa of that name exists: not the kecamatan
    output = run()
    assert match_of("Wanarejo", "kecamatan").candidates == ["33.01.15"]
    assert match_of("Cilacap", "kecamatan").candidates == ["33.01.21"]  # Cilacap Selatan holds it
    assert (match_of("Zzyzx", "kecamatan").status, match_of("Zzyzx", "kecamatan").candidates) == (Status.PENDING, [])
    assert match_of("Wanareja", "desa").region.code == "33.01.15.2003"
    assert "'Zzyzx' -> no similar unit" in output
    assert "Jawa Tengah, kecamatan: 'Wanarejo' -> Wanareja — Kab. Cilacap (33.01.15)" in output


def test_a_retired_unit_is_matched_by_nobody_and_refused_to_a_person(draft, regions):
    Region.objects.filter(code="33.71").update(retired_in="idn-area-data 9.9.9")
    row(draft, "kabupaten", "Kota Magelang", "33.71")
    run()
    m = match_of("Kota Magelang", "kabupaten", "33.71")
    # Only a unit in force is proposed, by the looser comparison.
    assert (m.status, m.region, m.candidates) == (Status.PENDING, None, ["33.08"])
    with pytest.raises(ValidationError, match="sudah tidak berlaku"):
        matching.decide(m, user=personas.make("superuser"), region=Region.objects.get(code="33.71"))


def test_a_persons_decision_is_kept_when_the_command_runs_again(draft, regions):
    row(draft, "kabupaten", "Magelang")
    row(draft, "kecamatan", "Zzyzx")
    run()
    admin = personas.make("superuser")
    matching.decide(match_of("Magelang", "kabupaten"), user=admin, region=regions["33.71"])
    matching.decide(match_of("Zzyzx", "kecamatan"), user=admin, no_unit=True)
    output = run()
    m = match_of("Magelang", "kabupaten")
    assert (m.status, m.region.code, m.decided_by) == (Status.CONFIRMED, "33.71", admin)
    assert match_of("Zzyzx", "kecamatan").status == Status.NO_UNIT
    # The drafts' "Magelang" row now has its unit: only "Zzyzx" is still written as free text.
    assert "1 written names; 0 matched automatically, 0 waiting for a person, 1 already decided" in output
    assert "Created 0 matches, updated 0; linked 0 draft rows" in output


def test_a_second_run_changes_nothing(draft):
    row(draft, "kecamatan", "Wanareja")
    row(draft, "kabupaten", "Magelang")
    row(draft, "kabupaten", "Magelang")
    version(draft, [("kabupaten", "Magelang", "", {}), ("kecamatan", "Wanareja", "", {})])
    first = run()
    state = list(UnitNameMatch.objects.order_by("pk").values())
    drafts = list(AssessmentRow.objects.order_by("pk").values())
    assert "Created 2 matches" in first and "linked 1 draft rows" in first
    second = run()
    assert "Created 0 matches, updated 0; linked 0 draft rows" in second
    assert list(UnitNameMatch.objects.order_by("pk").values()) == state
    assert list(AssessmentRow.objects.order_by("pk").values()) == drafts
    # The rows still written as free text: 2 drafts + 1 version of "Magelang"; the version's "Wanareja".
    assert (match_of("Magelang", "kabupaten").rows, match_of("Wanareja", "kecamatan").rows) == (3, 1)


def test_versions_are_never_rewritten_and_rows_with_a_region_code_are_left_out(draft):
    sent = version(
        draft,
        [
            ("kecamatan", "Wanareja", "", {}),
            ("kecamatan", "Wanareja — Kab. Cilacap", "33.01.15", {"region_code": "33.01.15"}),
        ],
    )
    before = copy.deepcopy(sent.snapshot)
    run()
    assert ReportVersion.objects.get(pk=sent.pk).snapshot == before
    assert list(UnitNameMatch.objects.values_list("written_name", "status", "rows")) == [
        ("Wanareja", Status.AUTOMATIC, 1)
    ]


def test_matches_taken_apply_to_new_drafts_rows_on_the_next_run(draft):
    row(draft, "kecamatan", "Wanareja")
    run()
    later = row(draft, "kecamatan", "Wanareja")
    run()
    later.refresh_from_db()
    assert later.region.code == "33.01.15"


def test_dry_run_writes_nothing(draft):
    draft_row = row(draft, "kecamatan", "Wanareja")
    row(draft, "kabupaten", "Magelang")
    output = run("--dry-run")
    assert UnitNameMatch.objects.count() == 0
    draft_row.refresh_from_db()
    assert draft_row.region is None and draft_row.unit_name == "Wanareja"
    assert output.startswith("Dry run, nothing written: 2 written names; 1 matched automatically, 1 waiting")
    assert "Would create 2 matches and update 0; would link 1 draft rows" in output
    assert "'Magelang' -> Kabupaten Magelang (33.08); Kota Magelang (33.71)" in output


def test_province_option_limits_the_run(draft):
    row(draft, "kecamatan", "Wanareja")
    run("--province", "34")
    assert UnitNameMatch.objects.count() == 0
    run("--province", "34,33")
    assert UnitNameMatch.objects.count() == 1
    with pytest.raises(Exception, match="99"):
        run("--province", "99")


def test_without_the_region_tree_the_command_asks_for_it(slots):
    row(report_of("tk-triwulan"), "kecamatan", "Wanareja")
    with pytest.raises(CommandError, match="load_regions"):
        run()
    assert UnitNameMatch.objects.count() == 0


def test_help_explains_the_command():
    parser = load_command_class("reports", "match_assessment_units").create_parser(
        "manage.py", "match_assessment_units"
    )
    text = parser.format_help()
    assert "--province" in text and "--dry-run" in text and "never overwritten" in text


# --- the admin ---------------------------------------------------------------------------


@pytest.fixture
def waiting(draft):
    rows = [row(draft, "kabupaten", "Magelang"), row(draft, "kabupaten", "Magelang")]
    run()
    return match_of("Magelang", "kabupaten"), rows


def change_url(match):
    return reverse("admin:reports_unitnamematch_change", args=[match.pk])


def test_the_admin_lists_waiting_names_with_their_candidates_labels(waiting, client):
    client.force_login(personas.make("superuser"))
    page = client.get(reverse("admin:reports_unitnamematch_changelist"), {"status__exact": "perlu-keputusan"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Kabupaten Magelang (33.08)" in text and "Kota Magelang (33.71)" in text
    detail = client.get(change_url(waiting[0])).content.decode()
    assert "Kota Magelang (33.71)" in detail


def test_saving_a_unit_in_the_admin_confirms_it_and_updates_the_drafts(waiting, regions, client):
    admin = personas.make("superuser")
    client.force_login(admin)
    match, rows = waiting
    response = client.post(change_url(match), {"region": regions["33.71"].pk, "_save": "Simpan"})
    assert response.status_code == 302, response.content.decode()[:2000]
    match.refresh_from_db()
    assert (match.status, match.region.code, match.decided_by) == (Status.CONFIRMED, "33.71", admin)
    assert match.decided_at is not None and match.rows == 0
    for r in rows:
        r.refresh_from_db()
        assert (r.region.code, r.unit_code, r.unit_name) == ("33.71", "33.71", "Kota Magelang")


def test_the_admin_refuses_a_unit_of_another_province_or_level(waiting, regions, client):
    client.force_login(personas.make("superuser"))
    match, rows = waiting
    other_province = client.post(change_url(match), {"region": regions["34.71"].pk, "_save": "Simpan"})
    assert other_province.status_code == 200
    assert "bukan wilayah Provinsi Jawa Tengah" in other_province.content.decode()
    other_level = client.post(change_url(match), {"region": regions["33.71.01"].pk, "_save": "Simpan"})
    assert "bukan wilayah tingkat Kabupaten/Kota" in other_level.content.decode()
    neither = client.post(change_url(match), {"_save": "Simpan"})
    assert "Pilih wilayah resmi, atau tandai tidak ada wilayah yang sesuai." in neither.content.decode()
    match.refresh_from_db()
    assert (match.status, match.region) == (Status.PENDING, None)
    assert all(AssessmentRow.objects.get(pk=r.pk).region is None for r in rows)


def test_the_admin_records_that_no_unit_fits(waiting, client):
    client.force_login(personas.make("superuser"))
    match, rows = waiting
    assert client.post(change_url(match), {"no_unit": "on", "_save": "Simpan"}).status_code == 302
    match.refresh_from_db()
    assert (match.status, match.region) == (Status.NO_UNIT, None)
    assert all(AssessmentRow.objects.get(pk=r.pk).region is None for r in rows)


def test_the_region_admin_is_read_only_and_searchable(regions, client):
    client.force_login(personas.make("superuser"))
    page = client.get(reverse("admin:regions_region_changelist"), {"q": "wanar"})
    assert page.status_code == 200 and "33.01.15" in page.content.decode()
    assert client.get(reverse("admin:regions_region_add")).status_code == 403
    unit = regions["33.01.15"]
    assert client.post(reverse("admin:regions_region_change", args=[unit.pk]), {"name": "X"}).status_code == 403
    assert client.get(reverse("admin:regions_regionload_changelist")).status_code == 200
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": "magelang", "app_label": "reports", "model_name": "unitnamematch", "field_name": "region"},
    ).json()
    assert {"Kabupaten Magelang (33.08)", "Kota Magelang (33.71)"} <= {r["text"] for r in found["results"]}


def test_the_run_takes_the_same_number_of_queries_for_few_or_many_names(draft):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(names):
        UnitNameMatch.objects.all().delete()
        AssessmentRow.objects.all().delete()
        for name in names:
            row(draft, "kecamatan", name)
            row(draft, "kecamatan", name)
        with CaptureQueriesContext(connection) as captured:
            matching.match()
        return len(captured)

    few = queries_for(["Wanareja", "Wanarejo"])
    many = queries_for(["Wanareja", "Kedungreja", "Cilacap Selatan", "Zzyzx", "Wanarejo", "Kec. Wanareja", "Salaman"])
    assert few == many


def test_the_rows_of_a_report_that_cannot_be_edited_stay_as_written(draft):
    kept = row(draft, "kecamatan", "Kec. Wanareja")
    Report.objects.filter(pk=draft.pk).update(status=Report.Status.SUBMITTED)
    run()
    kept.refresh_from_db()
    assert (kept.region, kept.unit_name) == (None, "Kec. Wanareja")
    # Returned for revision, it can be edited again: the next run links it.
    Report.objects.filter(pk=draft.pk).update(status=Report.Status.RETURNED)
    run()
    kept.refresh_from_db()
    assert kept.region.code == "33.01.15"
