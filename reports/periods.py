"""Labels and lists of report periods, on top of core.periods."""

import datetime

from core.periods import MONTH, QUARTER, month, period_containing, quarter

from .models import ReportType

KIND_OF = {ReportType.Period.MONTHLY: MONTH, ReportType.Period.QUARTERLY: QUARTER}


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
