"""The seknas national view: provinces x periods for each periodic report
type, with the status of each cell and completeness / timeliness.

Built from three queries whatever the size (types, provinces, reports); the
cells are computed in Python from one `values()` row per report.
"""

import hashlib

from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property

from actors.models import Province
from core import clock
from core.periods import period_label

from .models import STATE_CSS, Report, ReportState, ReportType, report_state
from .periods import periods_of_year

# The cells' states and their words are the reports' (reports.models): the
# report pages, the home panels and the exports say the same.
Cell = ReportState
CSS = STATE_CSS
SUBMITTED = {Cell.ON_TIME, Cell.LATE, Cell.RETURNED, Cell.ACKNOWLEDGED}
EXPECTED = SUBMITTED | {Cell.OVERDUE}
FIELDS = (
    "id",
    "report_type_id",
    "province_id",
    "period",
    "status",
    "due_date",
    "period_end",
    "submitted_on_time",
    "latest_version_id",
)


def cell_status(row, period, today):
    if row is None:
        return Cell.NOT_YET_DUE if period.end >= today else Cell.NONE
    state = report_state(row["status"], row["due_date"], row["period_end"], row["submitted_on_time"], today)
    return state or Cell.NOT_YET_DUE


def percent(part, whole):
    return round(100 * part / whole) if whole else None


class Tally:
    def __init__(self):
        self.expected = self.submitted = self.on_time = 0
        self.by_status = dict.fromkeys(Cell.values, 0)

    def add(self, status, row):
        self.by_status[status] += 1
        if status in EXPECTED:
            self.expected += 1
        if status in SUBMITTED:
            self.submitted += 1
            if row and row["submitted_on_time"]:
                self.on_time += 1

    def merge(self, other):
        self.expected += other.expected
        self.submitted += other.submitted
        self.on_time += other.on_time
        for k, v in other.by_status.items():
            self.by_status[k] += v

    @property
    def completeness(self):
        return percent(self.submitted, self.expected)

    @property
    def timeliness(self):
        return percent(self.on_time, self.expected)


def periodic_types():
    return list(ReportType.objects.filter(active=True).exclude(period=ReportType.Period.NONE).order_by("order", "name"))


def build(report_types, year, provinces, only_status=None):
    """[{type, periods, rows: [{province, cells, tally}], tally}] for the
    given types, year and provinces; `only_status` keeps the provinces with at
    least one cell of that status. One query for the reports."""
    periods = {t.pk: periods_of_year(t.period, year) for t in report_types}
    keys = {p.key for ps in periods.values() for p in ps}
    reports = Report.objects.filter(
        report_type__in=[t.pk for t in report_types], period__in=keys, province__in=[p.pk for p in provinces]
    ).values(*FIELDS)
    index = {(r["report_type_id"], r["province_id"], r["period"]): r for r in reports}
    today = {p.pk: p.today() for p in provinces}
    # Computed once per page, not once per cell: the words of the states
    # and the version links (reverse() once, the id put in its place).
    labels = {value: str(label) for value, label in Cell.choices}
    version_url = id_url("reports:version_detail")
    national = Tally()
    matrices = []
    for report_type in report_types:
        type_tally = Tally()
        rows = []
        for province in provinces:
            tally = Tally()
            cells = []
            for period in periods[report_type.pk]:
                row = index.get((report_type.pk, province.pk, period.key))
                status = cell_status(row, period, today[province.pk])
                tally.add(status, row)
                version_id = row["latest_version_id"] if row else None
                cells.append(
                    {
                        "status": status,
                        "label": labels[status],
                        "css": CSS[status],
                        "period": period.key,
                        "version_id": version_id,
                        "href": version_url(version_id) if version_id else "",
                        "due_date": row["due_date"] if row else None,
                    }
                )
            if only_status and not tally.by_status.get(only_status):
                continue
            type_tally.merge(tally)
            rows.append({"province": province, "cells": cells, "tally": tally})
        national.merge(type_tally)
        matrices.append(
            {
                "type": report_type,
                "periods": [{"key": p.key, "label": period_label(p.key)} for p in periods[report_type.pk]],
                "rows": rows,
                "tally": type_tally,
            }
        )
    return matrices, national


ID_MARKER = 987654321


def id_url(name):
    """A function pk -> reverse(name, args=[pk]), reversing only once: for
    the hundreds of links of one page."""
    prefix, suffix = reverse(name, args=[ID_MARKER]).split(str(ID_MARKER))
    return lambda pk: f"{prefix}{int(pk)}{suffix}"


def cache_key(report_types, year, provinces, only_status):
    """The key of the rendered matrices (the page's fragment cache): what the
    matrices are built from, so that any change shows at once. One query: the
    year's reports counted by status, their submissions (the sum of the
    version counts) and their last change; plus the types, provinces, filter,
    language and each zone's date (a date passing turns cells overdue)."""
    keys = sorted({p.key for t in report_types for p in periods_of_year(t.period, year)})
    # Every province's reports of the year (a superset when the page is
    # filtered to one: fewer parameters, and a change elsewhere only costs a
    # rebuild).
    reports = Report.objects.filter(report_type__in=[t.pk for t in report_types], period__in=keys).aggregate(
        n=Count("id"),
        changed=Max("updated_at"),
        versions=Sum("version_count"),
        latest=Max("latest_version_id"),
        **{f"s_{i}": Count("id", filter=Q(status=value)) for i, value in enumerate(Report.Status.values)},
    )
    parts = (
        year,
        only_status,
        translation.get_language(),
        [(t.pk, t.code, t.name, t.period, t.order) for t in report_types],
        [(p.pk, p.code, p.name, p.timezone) for p in provinces],
        [clock.local_today(zone) for zone in clock.ZONES],
        sorted(reports.items()),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class Page:
    """The national page's matrices, built only when the template asks for
    them (a fragment cache miss); `chart(progress)` draws each one's chart
    (reports.charts.progress_chart)."""

    def __init__(self, report_types, year, provinces, only_status=None, chart=None):
        self.args = (report_types, year, provinces, only_status)
        self.chart = chart

    @cached_property
    def built(self):
        matrices, total = build(*self.args)
        for matrix in matrices:
            matrix["chart"] = self.chart(progress(matrix)) if self.chart else None
        return matrices, total

    @property
    def matrices(self):
        return self.built[0]

    @property
    def total(self):
        return self.built[1]


def provinces_for(code=None):
    provinces = Province.objects.order_by("code")
    if code:
        provinces = provinces.filter(code=code)
    return list(provinces)


def latest_period_status(report_types, provinces, today):
    """For each periodic type, the period that ended last before `today` and
    how many provinces are in each state of the matrix (Cell): sent on
    time, sent late, overdue (deadline passed, nothing sent), due (within
    the deadline), not yet due, no data. One query."""
    from .periods import current_and_previous

    latest = {t.pk: current_and_previous(t.period, today)[0] for t in report_types}
    rows = Report.objects.filter(
        report_type__in=[t.pk for t in report_types],
        period__in={p.key for p in latest.values()},
        province__in=[p.pk for p in provinces],
    ).values(*FIELDS)
    index = {(r["report_type_id"], r["province_id"], r["period"]): r for r in rows}
    local_today = {p.pk: p.today() for p in provinces}
    result = []
    for report_type in report_types:
        period = latest[report_type.pk]
        by_state = dict.fromkeys(HOME_STATES, 0)
        for province in provinces:
            row = index.get((report_type.pk, province.pk, period.key))
            status = cell_status(row, period, local_today[province.pk])
            # A sent report counts by when it was first sent, as the
            # matrix's timeliness does; returned and acknowledged ones too.
            if status in SUBMITTED:
                status = Cell.ON_TIME if row["submitted_on_time"] else Cell.LATE
            by_state[status] += 1
        submitted = by_state[Cell.ON_TIME] + by_state[Cell.LATE]
        result.append(
            {
                "type": report_type,
                "period": period.key,
                "period_label": period_label(period.key),
                "provinces": len(provinces),
                "submitted": submitted,
                "percent": percent(submitted, len(provinces)),
                "on_time": by_state[Cell.ON_TIME],
                "late": by_state[Cell.LATE],
                "overdue": by_state[Cell.OVERDUE],
                "waiting": by_state[Cell.DUE] + by_state[Cell.NOT_YET_DUE] + by_state[Cell.NONE],
                # The home's chips, in the matrix's words (a state nobody is
                # in is left out, but for the first three).
                "chips": [
                    {"state": state, "label": state.label, "count": by_state[state], "css": HOME_CSS[state]}
                    for state in HOME_STATES
                    if by_state[state] or state in (Cell.ON_TIME, Cell.LATE, Cell.OVERDUE)
                ],
            }
        )
    return result


# What seknas's home counts for the last period, in this order, and the chip's colour when not zero.
HOME_STATES = (Cell.ON_TIME, Cell.LATE, Cell.OVERDUE, Cell.DUE, Cell.NOT_YET_DUE, Cell.NONE)
HOME_CSS = {
    Cell.ON_TIME: "chip-ok",
    Cell.LATE: "chip-warn",
    Cell.OVERDUE: "chip-danger",
    Cell.DUE: "chip-warn",
    Cell.NOT_YET_DUE: "",
    Cell.NONE: "",
}


def progress(matrix):
    """The chart's numbers for one type's matrix: per period, the share of the
    expected reports (sent, or past the deadline) that were sent, over the
    provinces shown; per province, its completeness over the year."""
    periods = []
    for i, period in enumerate(matrix["periods"]):
        expected = submitted = 0
        for row in matrix["rows"]:
            status = row["cells"][i]["status"]
            expected += status in EXPECTED
            submitted += status in SUBMITTED
        periods.append(
            {**period, "expected": expected, "submitted": submitted, "percent": percent(submitted, expected)}
        )
    provinces = [
        {
            "name": row["province"].name,
            "expected": row["tally"].expected,
            "submitted": row["tally"].submitted,
            "percent": row["tally"].completeness,
        }
        for row in matrix["rows"]
    ]
    return {"periods": periods, "provinces": provinces}
