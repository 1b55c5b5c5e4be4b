"""Labels and lists of report periods, on top of duties.periods."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from duties.periods import MONTH, QUARTER, month, parse_period, period_containing, quarter

from .models import ReportType

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
KIND_OF = {ReportType.Period.MONTHLY: MONTH, ReportType.Period.QUARTERLY: QUARTER}


def period_label(key):
    """'2026-Q3' -> 'Triwulan III 2026'; '2026-11' -> 'November 2026'."""
    try:
        period = parse_period(key)
    except ValueError:
        return key
    if period.kind == QUARTER:
        return _("Triwulan %(n)s %(year)s") % {"n": ROMAN[int(key[-1])], "year": period.start.year}
    if period.kind == MONTH:
        return date_format(period.start, "F Y")
    return key


def periods_of_year(report_type_period, year):
    """The periods of one year for a periodic report type, in order."""
    if report_type_period == ReportType.Period.QUARTERLY:
        return [quarter(year, n) for n in range(1, 5)]
    if report_type_period == ReportType.Period.MONTHLY:
        return [month(year, n) for n in range(1, 13)]
    return []


def current_and_previous(report_type_period, day: datetime.date):
    """The period containing `day` and the one before it: the report being
    written during the period and the one due just after it ended."""
    current = period_containing(KIND_OF[report_type_period], day)
    return [current.previous(), current]
