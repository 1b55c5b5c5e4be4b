"""Periods of recurring work: '2026-11' (month), '2026-Q4' (quarter), '2026' (year)."""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    key: str
    start: datetime.date
    end: datetime.date

    def __str__(self):
        return self.key

    def next(self):
        return period_containing(self.kind, self.end + datetime.timedelta(days=1))

    def previous(self):
        return period_containing(self.kind, self.start - datetime.timedelta(days=1))

    @property
    def kind(self):
        if "-Q" in self.key:
            return QUARTER
        if "-" in self.key:
            return MONTH
        return YEAR


MONTH, QUARTER, YEAR = "month", "quarter", "year"


def month(year, number):
    last = calendar.monthrange(year, number)[1]
    return Period(f"{year}-{number:02d}", datetime.date(year, number, 1), datetime.date(year, number, last))


def quarter(year, number):
    first_month = 3 * (number - 1) + 1
    last_month = first_month + 2
    return Period(
        f"{year}-Q{number}",
        datetime.date(year, first_month, 1),
        datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def year_period(year):
    return Period(str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def period_containing(kind, day):
    if kind == MONTH:
        return month(day.year, day.month)
    if kind == QUARTER:
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == YEAR:
        return year_period(day.year)
    raise ValueError(kind)


_PATTERNS = [
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), lambda m: month(int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{4})-Q([1-4])$"), lambda m: quarter(int(m[1]), int(m[2]))),
    (re.compile(r"^(\d{4})$"), lambda m: year_period(int(m[1]))),
]


def parse_period(key):
    """'2026-Q4' -> Period; ValueError for anything else."""
    for pattern, build in _PATTERNS:
        match = pattern.match(key or "")
        if match and 1900 <= int(match[1]) <= 2999:
            return build(match)
    raise ValueError(f"not a period: {key!r}")


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(key):
    """A period in the words an official writes: '2026-Q3' -> 'Triwulan III 2026',
    '2026-11' -> 'November 2026', '2026' -> 'Tahun 2026'. Anything else as it is.
    Codes stay in URLs and machine columns; people read this."""
    try:
        period = parse_period(key)
    except ValueError:
        return key or ""
    if period.kind == QUARTER:
        return _("Triwulan %(n)s %(year)s") % {"n": ROMAN[int(key[-1])], "year": period.start.year}
    if period.kind == MONTH:
        return date_format(period.start, "F Y")
    return _("Tahun %(year)s") % {"year": period.start.year}
