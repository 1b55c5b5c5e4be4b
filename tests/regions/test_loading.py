"""The region tree: loading an edition (idempotent, retire rather than
delete, a bad edition changes nothing), reading the pinned tarball, the
load_regions command and the picker's search."""

import io
import os
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from regions import edition as editions
from regions.loading import load, province_differences
from regions.models import Region, RegionLoad
from regions.search import fold, search
from tests.conftest import REGION_EDITION

pytestmark = pytest.mark.django_db

TEST_COUNTS = {"provinsi": 3, "kabupaten": 6, "kecamatan": 10, "desa": 14}


def copy_edition(tmp_path):
    target = tmp_path / "edition"
    shutil.copytree(REGION_EDITION, target)
    return target


def edit_csv(folder, name, transform):
    path = folder / name
    lines = path.read_text().splitlines()
    path.write_text("\n".join(transform(lines)) + "\n")


def test_first_load_adds_every_unit_with_its_parent_and_labels():
    result = load(editions.read(REGION_EDITION))
    assert (result.added, result.changed, result.retired) == (33, 0, 0)
    assert result.by_level == TEST_COUNTS
    wanareja = Region.objects.select_related("parent__parent").get(code="33.01.15")
    assert (wanareja.level, wanareja.province_code, wanareja.parent.code) == ("kecamatan", "33", "33.01")
    assert wanareja.label == "Wanareja — Kab. Cilacap (33.01.15)"
    village = Region.objects.select_related("parent__parent").get(code="33.01.15.2003")
    assert village.printed_name == "Wanareja — Kec. Wanareja, Kab. Cilacap"
    assert Region.objects.get(code="33.71").short_name == "Kota Magelang"
    assert Region.objects.get(code="33").label == "Jawa Tengah (33)"
    load_row = RegionLoad.objects.get()
    assert (load_row.edition, load_row.added, load_row.total) == ("idn-area-data test-fixture", 33, 33)


def test_the_progress_is_told_every_unit_once():
    told = []
    load(editions.read(REGION_EDITION), progress=told.append)
    assert sum(told) == 33
    told.clear()
    load(editions.read(REGION_EDITION), provinces=["34"], progress=told.append)
    assert sum(told) == 1 + 2 + 3 + 4


def test_second_load_of_the_same_edition_changes_nothing():
    load(editions.read(REGION_EDITION))
    before = list(Region.objects.values_list("pk", "code", "name", "parent_id", "retired_in", "search_name"))
    result = load(editions.read(REGION_EDITION))
    assert (result.added, result.changed, result.retired, result.unchanged) == (0, 0, 0, 33)
    assert list(Region.objects.values_list("pk", "code", "name", "parent_id", "retired_in", "search_name")) == before
    assert RegionLoad.objects.count() == 1


def test_a_newer_edition_renames_retires_and_brings_back(tmp_path):
    load(editions.read(REGION_EDITION))
    newer = copy_edition(tmp_path)
    (newer / "package.json").write_text('{"name": "idn-area-data", "version": "9.9.9"}')
    edit_csv(newer, "villages.csv", lambda lines: [line for line in lines if not line.startswith("33.01.15.2004,")])
    edit_csv(newer, "districts.csv", lambda lines: [line.replace(",Wanareja", ",Wanareja Baru") for line in lines])
    result = load(editions.read(newer))
    assert (result.added, result.changed, result.retired) == (0, 1, 1)
    dropped = Region.objects.get(code="33.01.15.2004")
    assert dropped.retired_in == "idn-area-data 9.9.9"
    assert dropped.name == "Limbangan"  # kept, never deleted
    assert Region.objects.get(code="33.01.15").name == "Wanareja Baru"
    assert search(province_code="33", level="desa", text="limbang") == []
    # The edition that lists it again brings it back.
    result = load(editions.read(REGION_EDITION))
    assert (result.added, result.changed, result.retired) == (0, 2, 0)
    assert Region.objects.get(code="33.01.15.2004").retired_in == ""
    assert RegionLoad.objects.count() == 3


def test_loading_some_provinces_leaves_the_others_alone():
    result = load(editions.read(REGION_EDITION), provinces=["33"])
    assert result.added == 1 + 3 + 6 + 8
    assert set(Region.objects.values_list("province_code", flat=True)) == {"33"}
    result = load(editions.read(REGION_EDITION), provinces=["34"])
    assert result.retired == 0
    assert Region.objects.filter(province_code="33", retired_in="").count() == 18


def test_a_province_the_edition_lacks_is_refused():
    with pytest.raises(editions.EditionError, match="no province 99"):
        load(editions.read(REGION_EDITION), provinces=["99"])


@pytest.mark.parametrize(
    ("name", "transform", "message"),
    [
        ("districts.csv", lambda lines: [*lines, "33.01.99,33.08,Salah Induk"], "parent"),
        ("villages.csv", lambda lines: [*lines, lines[1]], "listed twice"),
        ("regencies.csv", lambda lines: [*lines, "33.1,33,Pendek"], "not a code of level 2"),
        ("provinces.csv", lambda lines: ["kode,nama", *lines[1:]], "expected the columns"),
        ("villages.csv", lambda lines: [*lines, "33.01.15.2099,33.01.15,"], "a code and a name are required"),
    ],
)
def test_a_broken_edition_is_refused_and_changes_nothing(tmp_path, name, transform, message):
    load(editions.read(REGION_EDITION))
    before = Region.objects.count()
    broken = copy_edition(tmp_path)
    edit_csv(broken, "villages.csv", lambda lines: [line for line in lines if not line.startswith("33.01.15.2004,")])
    edit_csv(broken, name, transform)
    with pytest.raises(editions.EditionError, match=message):
        load(editions.read(broken))
    assert Region.objects.count() == before
    assert not Region.objects.exclude(retired_in="").exists()


def test_a_missing_file_is_named(tmp_path):
    broken = copy_edition(tmp_path)
    (broken / "villages.csv").unlink()
    with pytest.raises(editions.EditionError, match="missing villages.csv"):
        editions.read(broken)


def tarball_of(folder, path):
    with tarfile.open(path, "w:gz") as archive:
        for name in ("provinces.csv", "regencies.csv", "districts.csv", "villages.csv"):
            archive.add(folder / name, arcname=f"package/data/{name}")
        archive.add(folder / "package.json", arcname="package/package.json")
    return path


def test_an_npm_tarball_is_read(tmp_path):
    edition = editions.read(tarball_of(REGION_EDITION, tmp_path / "idn-area-data-test.tgz"))
    assert (edition.label, len(edition)) == ("idn-area-data test-fixture", 33)


def test_the_pinned_tarball_name_with_other_bytes_is_refused(tmp_path):
    fake = tarball_of(REGION_EDITION, tmp_path / f"idn-area-data-{editions.VERSION}.tgz")
    with pytest.raises(editions.EditionError, match="pinned integrity"):
        editions.read(fake)


def test_a_download_that_does_not_match_the_integrity_is_not_kept(tmp_path):
    fake = tarball_of(REGION_EDITION, tmp_path / "served.tgz")
    dest = tmp_path / "kept" / "idn-area-data.tgz"
    with pytest.raises(editions.EditionError, match="does not match"):
        editions.download(dest, url=fake.as_uri())
    assert not dest.exists()


def test_a_download_that_fails_says_how_to_fetch_it_by_hand(tmp_path):
    with pytest.raises(editions.EditionError, match="npm pack idn-area-data@4.0.1"):
        editions.download(tmp_path / "x.tgz", url=(tmp_path / "nowhere.tgz").as_uri())


def test_not_a_tarball_is_refused(tmp_path):
    path = tmp_path / "junk.tgz"
    path.write_bytes(b"not gzip")
    with pytest.raises(editions.EditionError, match="not a readable npm tarball"):
        editions.read(path)


def test_command_reports_counts_and_is_idempotent():
    out = io.StringIO()
    call_command("load_regions", source=str(REGION_EDITION), stdout=out, stderr=io.StringIO())
    assert "33 units (3 provinsi, 6 kabupaten, 10 kecamatan, 14 desa)" in out.getvalue()
    assert "33 added, 0 changed, 0 retired, 0 unchanged" in out.getvalue()
    out = io.StringIO()
    call_command("load_regions", source=str(REGION_EDITION), stdout=out, stderr=io.StringIO())
    assert "0 added, 0 changed, 0 retired, 33 unchanged" in out.getvalue()
    # The app's DI Yogyakarta is the tree's Daerah Istimewa Yogyakarta: said, not changed.
    assert "Province 34: the app says 'DI Yogyakarta', the tree 'Daerah Istimewa Yogyakarta'" in out.getvalue()


def test_command_refuses_a_bad_province_code_and_a_missing_source(tmp_path):
    with pytest.raises(CommandError, match="province"):
        call_command("load_regions", "--province", "3x", source=str(REGION_EDITION))
    with pytest.raises(CommandError, match="not found"):
        call_command("load_regions", source=str(tmp_path / "nothing"))


def test_command_without_download_names_the_missing_file(settings, tmp_path):
    settings.REGIONS_DATA_DIR = tmp_path
    with pytest.raises(CommandError, match="missing"):
        call_command("load_regions", no_download=True)


def test_command_help_lists_its_options():
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("load_regions", "--help", stdout=out)
    # argparse prints to sys.stdout; the help text is the command's.
    from regions.management.commands.load_regions import Command

    help_text = Command().create_parser("manage.py", "load_regions").format_help()
    for option in ("--source", "--province", "--no-download", "--download-only", "ODbL"):
        assert option in help_text


def test_province_differences():
    load(editions.read(REGION_EDITION))
    missing_in_tree, missing_in_app, renamed = province_differences()
    assert "11" in missing_in_tree  # the test edition has only 32, 33 and 34
    assert missing_in_app == []
    assert ("34", "DI Yogyakarta", "Daerah Istimewa Yogyakarta") in renamed


class TestSearch:
    @pytest.fixture(autouse=True)
    def tree(self, regions):
        return regions

    def test_typing_part_of_a_kecamatan_finds_it_with_its_kabupaten(self):
        assert [u.label for u in search(province_code="33", level="kecamatan", text="wanar")] == [
            "Wanareja — Kab. Cilacap (33.01.15)"
        ]

    def test_case_accents_and_punctuation_do_not_matter(self):
        assert fold("  Kab.  CILACAP ") == "kab cilacap"
        assert fold("Pénda-Ké") == "penda ke"
        assert [u.code for u in search(province_code="33", level="kecamatan", text="WANAR")] == ["33.01.15"]

    def test_names_starting_with_it_come_first_then_word_starts_then_the_rest(self):
        codes = [u.code for u in search(province_code="33", level="kabupaten", text="magelang")]
        # "Kabupaten Magelang" and "Kota Magelang": the word "magelang" starts inside both.
        assert set(codes) == {"33.08", "33.71"}
        codes = [u.code for u in search(province_code="33", level="kecamatan", text="cilacap")]
        assert codes == ["33.01.21"]
        names = [u.name for u in search(province_code="33", level="desa", text="a")]
        assert names[0].lower().startswith("a") or all(not n.lower().startswith("a") for n in names)

    def test_the_abbreviations_the_labels_print_find_the_unit(self):
        assert [u.code for u in search(province_code="33", level="kabupaten", text="Kab. Cilacap")] == ["33.01"]
        assert [u.code for u in search(province_code="33", level="kecamatan", text="Kec. Wanar")] == ["33.01.15"]
        assert [u.code for u in search(province_code="33", level="desa", text="desa tarisi")] == ["33.01.15.2001"]
        # A word alone is searched as it is.
        assert "33.01" in [u.code for u in search(province_code="33", level="kabupaten", text="kab")]

    def test_only_the_province_and_the_level(self):
        assert search(province_code="34", level="kecamatan", text="wanar") == []
        assert search(province_code="33", level="desa", text="wanareja")[0].code == "33.01.15.2003"
        assert search(province_code="33", level="kabupaten", text="wanar") == []

    def test_a_code_prefix_finds_the_units_under_it(self):
        assert [u.code for u in search(province_code="33", level="desa", text="33.01.15")] == [
            "33.01.15.2001",
            "33.01.15.2002",
            "33.01.15.2003",
            "33.01.15.2004",
        ]

    def test_nothing_typed_finds_nothing(self):
        assert search(province_code="33", level="desa", text="  ") == []
        assert search(province_code="33", level="desa", text="--") == []

    def test_one_query(self, django_assert_num_queries):
        with django_assert_num_queries(1):
            units = search(province_code="33", level="desa", text="a")
            [u.label for u in units]


FULL = editions.default_tarball


@pytest.mark.skipif(
    not FULL().exists() and not os.environ.get("E2E_REQUIRED"),
    reason="the pinned idn-area-data tarball is not in REGIONS_DATA_DIR (manage.py load_regions --download-only)",
)
def test_the_pinned_edition_loads_the_full_tree_and_a_second_run_changes_nothing():
    edition = editions.read(editions.download())
    first = load(edition)
    assert first.by_level == {"provinsi": 38, "kabupaten": 514, "kecamatan": 7285, "desa": 83762}
    assert first.added == 91599
    second = load(edition)
    assert (second.added, second.changed, second.retired, second.unchanged) == (0, 0, 0, 91599)
    # Every app province is in the tree under its code.
    missing_in_tree, missing_in_app, _renamed = province_differences()
    assert (missing_in_tree, missing_in_app) == ([], [])
    wanareja = search(province_code="33", level="kecamatan", text="wanar")
    assert wanareja[0].label == "Wanareja — Kab. Cilacap (33.01.15)"


def test_the_default_tarball_lives_in_regions_data_dir(settings, tmp_path):
    settings.REGIONS_DATA_DIR = tmp_path
    assert FULL() == Path(tmp_path) / "idn-area-data-4.0.1.tgz"
