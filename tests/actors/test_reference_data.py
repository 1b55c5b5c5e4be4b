"""The seed document's actors and duties are in the database verbatim."""

import re
from pathlib import Path

import pytest

from actors.models import Actor, ActorKind, ActorRelation, Province
from duties.models import Duty

SEED = Path(__file__).resolve().parents[2] / "docs" / "seed" / "000_a37f823aceb230f7.txt"
KIND_CODES = ["gubernur", "tkpkd", "tk-provinsi", "pjoprov", "kmw"]

pytestmark = pytest.mark.django_db


def parse_seed():
    """[(number, heading, description, [duty lines])] straight from the file."""
    actors = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^  (\d)\. (.+)$", line)
        if heading:
            actors.append([int(heading.group(1)), heading.group(2), None, []])
        elif actors and line.startswith("    • "):
            actors[-1][3].append(line[len("    • ") :])
        elif actors and line.startswith("    ") and actors[-1][2] is None:
            actors[-1][2] = line[4:]
    return actors


def test_seed_file_has_five_actors_and_33_duties():
    parsed = parse_seed()
    assert [len(a[3]) for a in parsed] == [4, 3, 7, 8, 11]


@pytest.mark.parametrize("index", range(5))
def test_each_kind_carries_the_seed_heading_description_and_duties_verbatim_in_order(index):
    number, heading, description, lines = parse_seed()[index]
    kind = ActorKind.objects.get(code=KIND_CODES[index])
    assert kind.seed_number == number
    assert kind.name == heading
    assert kind.description == description
    assert list(kind.duties.order_by("number").values_list("text", flat=True)) == lines
    assert list(kind.duties.order_by("number").values_list("number", flat=True)) == list(range(1, len(lines) + 1))


def test_there_are_exactly_33_duties_and_each_has_a_category_and_recurrence():
    assert Duty.objects.count() == 33
    for duty in Duty.objects.all():
        assert duty.category in Duty.Category.values
        assert duty.recurrence in Duty.Recurrence.values


def test_recurring_duties_match_what_the_lines_say():
    monthly_meeting = Duty.objects.get(kind__code="pjoprov", text__startswith="Menyelenggarakan rapat rutin bulanan")
    assert monthly_meeting.recurrence == Duty.Recurrence.MONTHLY
    assert monthly_meeting.category == Duty.Category.MEETING
    quarterly_report = Duty.objects.get(kind__code="tk-provinsi", text__startswith="Menyusun laporan triwulan")
    assert quarterly_report.recurrence == Duty.Recurrence.QUARTERLY
    assert quarterly_report.category == Duty.Category.REPORTING


def test_38_provinces_with_kemendagri_codes_and_time_zones():
    assert Province.objects.count() == 38
    assert Province.objects.get(code="11").name == "Aceh"
    assert Province.objects.get(code="96").name == "Papua Barat Daya"
    assert Province.objects.get(code="33").zone_label == "WIB"
    assert Province.objects.get(code="51").zone_label == "WITA"
    assert Province.objects.get(code="81").zone_label == "WIT"
    counts = {zone: Province.objects.filter(timezone=zone).count() for zone in Province.Zone.values}
    assert counts == {"Asia/Jakarta": 18, "Asia/Makassar": 12, "Asia/Jayapura": 8}


def test_every_province_has_its_five_actors_each_with_its_own_group():
    for province in Province.objects.all():
        kinds = sorted(Actor.objects.filter(province=province).values_list("kind__code", flat=True))
        assert kinds == sorted(KIND_CODES), province
    group_ids = list(Actor.objects.values_list("group_id", flat=True))
    assert len(group_ids) == len(set(group_ids)) == 38 * 5 + 2


def test_national_bodies_exist_once():
    assert Actor.objects.national().count() == 2
    assert set(Actor.objects.national().values_list("kind__code", flat=True)) == {"seknas", "tk-pusat"}


def test_who_answers_to_whom_is_data():
    def has(source, relation, target):
        return ActorRelation.objects.filter(source__code=source, relation=relation, target__code=target).exists()

    assert has("tkpkd", ActorRelation.Relation.RESPONSIBLE_TO, "gubernur")
    assert has("tk-provinsi", ActorRelation.Relation.REPORTS_TO, "gubernur")
    assert has("tk-provinsi", ActorRelation.Relation.COPY_TO, "tk-pusat")
    assert has("pjoprov", ActorRelation.Relation.REPORTS_TO, "seknas")
    assert has("kmw", ActorRelation.Relation.REPORTS_TO, "tk-provinsi")
