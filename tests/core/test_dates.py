"""Dates and times as Indonesians write them, in the province's own zone
with its label; English month names in English."""

import datetime
import pathlib
import re

import pytest
from django.utils import translation

from actors.models import Province
from core.templatetags.fmt import tanggal, tanggal_lengkap, waktu_lokal

pytestmark = pytest.mark.django_db

# 14.05 WIB on 28 November 2026 is 07.05 UTC.
MOMENT = datetime.datetime(2026, 11, 28, 7, 5, tzinfo=datetime.UTC)
TEMPLATES = pathlib.Path(__file__).resolve().parents[2] / "templates"


def test_a_moment_is_written_with_a_comma_dotted_time_and_the_zone():
    with translation.override("id"):
        assert waktu_lokal(MOMENT, Province.objects.get(code="33")) == "28 November 2026, 14.05 WIB"
        assert waktu_lokal(MOMENT, Province.objects.get(code="51")) == "28 November 2026, 15.05 WITA"
        assert waktu_lokal(MOMENT, Province.objects.get(code="91")) == "28 November 2026, 16.05 WIT"
        assert waktu_lokal(MOMENT) == "28 November 2026, 14.05 WIB"


def test_english_uses_english_month_and_day_names_and_a_colon():
    with translation.override("en"):
        assert waktu_lokal(
            datetime.datetime(2026, 8, 17, 2, 0, tzinfo=datetime.UTC), Province.objects.get(code="51")
        ) == ("17 August 2026, 10:00 WITA")
        assert tanggal_lengkap(datetime.date(2009, 8, 17)) == "Monday, 17 August 2009"
    with translation.override("id"):
        assert tanggal(datetime.date(2009, 8, 17)) == "17 Agustus 2009"
        assert tanggal_lengkap(datetime.date(2009, 8, 17)) == "Senin, 17 Agustus 2009"


def test_the_day_of_a_moment_is_the_day_in_the_province_not_in_utc():
    late_evening_utc = datetime.datetime(2026, 11, 27, 18, 30, tzinfo=datetime.UTC)  # 28 Nov 01.30 WIB
    with translation.override("id"):
        assert tanggal(late_evening_utc) == "28 November 2026"
        assert tanggal(
            datetime.datetime(2026, 11, 27, 16, 30, tzinfo=datetime.UTC), Province.objects.get(code="91")
        ) == (
            "28 November 2026"  # 01.30 WIT
        )


def test_templates_format_dates_through_the_fmt_filters():
    """Django's |date with a day in it would skip the zone label and the
    province's zone; month headings ("F Y") and the bare day number are fine."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        for match in re.finditer(r'\|date:"([^"]*)"', path.read_text()):
            if match.group(1) not in ("F Y", "j"):
                offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
        if re.search(r"\|time\b", path.read_text()):
            offenders.append(f"{path.relative_to(TEMPLATES)}: |time")
    assert offenders == []
