"""The assessment across reports: the ratings of the submitted TK quarterly
reports (report types with an assessment section) as a table of units x
periods, and how many ratings of each kind fall in each unit below.

`build()` is the one source of the page (reports.assessment_views) and of
its Excel export (`workbook()`): both show exactly what it returns.

A row of a version's assessment table (ReportVersion.snapshot["assessment"])
finds its official unit by its `region_code` (rows written with the unit
picker), else by the UnitNameMatch of its written name and code when an
automatic or a person's match exists (rows written as free text before the
region tree was loaded); the rest are counted as unmatched and left out.

Queries: the regions of the scope (one), the reports with the assessment
of their latest version (one) and the matches (one), whatever the number
of units, periods or provinces.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from core.periods import period_label
from core.permissions import VIEW
from regions.models import Region

from .exports import _save, _workbook, append_row, sheet_title
from .models import AssessmentRow, Report, ReportSection, ReportType, UnitNameMatch
from .periods import periods_of_year

NATIONAL = "nasional"
Level = Region.Level
# How many dot-separated parts a code of each scope level has (33, 33.01, 33.01.15).
DEPTH = {NATIONAL: 0, Level.PROVINSI: 1, Level.KABUPATEN: 2, Level.KECAMATAN: 3, Level.DESA: 4}
# The level one step below each scope: the rows of its table and of its counts.
CHILD = {
    NATIONAL: Level.PROVINSI,
    Level.PROVINSI: Level.KABUPATEN,
    Level.KABUPATEN: Level.KECAMATAN,
    Level.KECAMATAN: Level.DESA,
}
# Which levels a person can open from a row (the desa are the last).
DRILLABLE = {Level.PROVINSI, Level.KABUPATEN, Level.KECAMATAN}
EMPTY = "—"
MATCHED = (UnitNameMatch.Status.AUTOMATIC, UnitNameMatch.Status.CONFIRMED)


class NoSuchUnit(LookupError):
    """The unit asked for is not in the tree, or not in a province the person may see."""


@dataclass(frozen=True)
class Scope:
    """What the page looks at: the whole country (code "") or one unit."""

    level: str
    code: str = ""

    @classmethod
    def of(cls, code):
        """The scope of a unit's code ("" for the whole country)."""
        if not code:
            return cls(NATIONAL)
        return cls(Region.level_of_code(code), code)

    @property
    def province_code(self):
        return self.code[:2]


def assessment_types():
    """The active periodic report types with an assessment section, in order."""
    return list(
        ReportType.objects.filter(active=True, sections__kind=ReportSection.Kind.ASSESSMENT)
        .exclude(period=ReportType.Period.NONE)
        .distinct()
        .order_by("order", "name")
    )


def _prefix_of(code, depth):
    """The code of the unit at `depth` that holds `code` ('33.01.15', 2 -> '33.01'); None above it."""
    parts = code.split(".")
    return ".".join(parts[:depth]) if len(parts) >= depth else None


def _regions(scope, provinces):
    """(the scope's own Region or None, {code: Region} of the level below)."""
    if scope.level == NATIONAL:
        units = Region.objects.filter(level=Level.PROVINSI, code__in=[p.code for p in provinces])
        return None, {u.code: u for u in units}
    units = Region.objects.filter(Q(code=scope.code) | Q(parent__code=scope.code)).select_related("parent__parent")
    own, children = None, {}
    for unit in units:
        if unit.code == scope.code:
            own = unit
        else:
            children[unit.code] = unit
    return own, children


def _resolver(provinces):
    """code_of(province_id, row) -> the official code of an assessment row, or None."""
    # Always asked (one query), so that the page takes the same queries
    # whatever its rows; only the matches that name a unit count.
    found = UnitNameMatch.objects.filter(
        province__in=[p.pk for p in provinces], status__in=MATCHED, region__isnull=False
    ).values_list("province_id", "level", "written_name", "written_code", "region__code")
    matches = {(p, level, name, code): region for p, level, name, code, region in found}

    def code_of(province_id, row):
        if row.get("region_code"):
            return row["region_code"]
        key = (province_id, row.get("level", ""), row.get("unit_name", ""), row.get("unit_code", ""))
        return matches.get(key)

    return code_of


def build(*, user, report_type, year, scope, provinces):
    """Everything the page and the export show, as plain data:

    {"scope", "own" (the Region or None), "province" (or None), "type",
    "year", "periods" [{key, label}], "ratings" [{value, label}],
    "rows" [{code, name, level, level_label, own, drill, retired, cells}],
    "counts" [{code, name, drill, counts, total}], "total" {counts, total},
    "reports" (how many submitted versions were read), "unmatched"}.

    `provinces`: the provinces the person may see (the national scope shows
    them all; a unit's scope must lie in one of them, else NoSuchUnit); of
    their reports, only those `user` may view count (ReportPolicy: a type
    whose reports do not go to them, say KMW's to the Governor's office,
    shows nothing).
    A rating per unit and period; when a version names a unit twice, its
    first row counts. The counts add up those ratings over the year."""
    by_code = {p.code: p for p in provinces}
    province = None
    if scope.level != NATIONAL:
        province = by_code.get(scope.province_code)
        if province is None:
            raise NoSuchUnit(scope.code)
    own, children = _regions(scope, provinces)
    if scope.level not in (NATIONAL, Level.PROVINSI) and (own is None or own.level != scope.level):
        raise NoSuchUnit(scope.code)
    in_scope = provinces if province is None else [province]

    periods = periods_of_year(report_type.period, year)
    keys = [p.key for p in periods]
    report_rows = list(
        Report.objects.for_user(user, VIEW)
        .filter(
            report_type=report_type,
            period__in=keys,
            province__in=[p.pk for p in in_scope],
            latest_version__isnull=False,
        )
        .values("province_id", "period", "latest_version__snapshot")
    )
    code_of = _resolver(in_scope)
    code_of_province = {p.pk: p.code for p in in_scope}

    ratings = {}  # code -> {period: rating}
    written_names = {}  # code -> the name a version printed (for units not in the tree)
    unmatched = 0
    for report in report_rows:
        province_code = code_of_province[report["province_id"]]
        for row in (report["latest_version__snapshot"] or {}).get("assessment") or ():
            code = code_of(report["province_id"], row)
            if not code or _prefix_of(code, 1) != province_code:
                unmatched += 1
                continue
            if scope.code and not (code == scope.code or code.startswith(scope.code + ".")):
                continue
            ratings.setdefault(code, {}).setdefault(report["period"], row.get("rating", ""))
            written_names.setdefault(code, row.get("unit_name", ""))

    rating_values = list(AssessmentRow.Rating.values)
    rating_labels = dict(AssessmentRow.Rating.choices)
    level_labels = dict(Level.choices)
    child_level = CHILD[scope.level]
    child_depth = DEPTH[child_level]

    # The units of the table: the scope's own, then every unit one level
    # below in force, and any other one a version rated (a retired unit, or
    # one the loaded tree lacks).
    if scope.level == NATIONAL:
        names = {p.code: children[p.code].name if p.code in children else p.name for p in provinces}
    else:
        names = {code: unit.name for code, unit in children.items() if not unit.retired}
    # A rating below a unit left out above (retired, or not in the tree)
    # brings that unit in, so that each count has its row.
    for code in ratings:
        holder = _prefix_of(code, child_depth)
        if holder is None or holder in names:
            continue
        if holder in children:
            names[holder] = children[holder].name
        elif holder in written_names:
            names[holder] = written_names[holder]
        else:
            names[holder] = _("Wilayah %(code)s") % {"code": holder}

    def cells(code):
        rated = ratings.get(code, {})
        return [str(rating_labels.get(rated[k], rated[k])) if rated.get(k) else EMPTY for k in keys]

    rows = []
    if scope.level != NATIONAL:
        own_name = own.printed_name if own else province.name
        rows.append(_row(scope.code, own_name, scope.level, level_labels, True, cells(scope.code), own))
    for code in sorted(names):
        unit = children.get(code)
        rows.append(_row(code, names[code], child_level, level_labels, False, cells(code), unit))

    # Counts: every rating of the year under each unit one level below.
    per_child = {code: dict.fromkeys(rating_values, 0) for code in names}
    total = dict.fromkeys(rating_values, 0)
    for code, by_period in ratings.items():
        child = _prefix_of(code, child_depth)
        for rating in by_period.values():
            if rating not in total:
                continue
            total[rating] += 1
            if child in per_child:
                per_child[child][rating] += 1
    counts = [
        {
            "code": code,
            "name": names[code],
            "drill": child_level in DRILLABLE,
            "counts": [per_child[code][v] for v in rating_values],
            "total": sum(per_child[code].values()),
        }
        for code in sorted(names)
    ]
    return {
        "scope": scope,
        "own": own,
        "province": province,
        "type": report_type,
        "year": year,
        "periods": [{"key": k, "label": period_label(k)} for k in keys],
        "ratings": [{"value": v, "label": str(rating_labels[v])} for v in rating_values],
        "rows": rows,
        "counts": counts,
        "total": {"counts": [total[v] for v in rating_values], "total": sum(total.values())},
        "reports": len(report_rows),
        "unmatched": unmatched,
    }


def _row(code, name, level, level_labels, own, cells, unit):
    return {
        "code": code,
        "name": name,
        "level": level,
        "level_label": str(level_labels[level]),
        "own": own,
        "drill": not own and level in DRILLABLE,
        "retired": bool(unit and unit.retired),
        "cells": cells,
    }


# The tables' headers, as the page and the workbook both write them.
def table_header(data):
    return [_("Kode wilayah"), _("Wilayah"), _("Tingkat"), *[p["label"] for p in data["periods"]]]


def table_rows(data):
    return [[r["code"], r["name"], r["level_label"], *r["cells"]] for r in data["rows"]]


def counts_header(data):
    return [_("Kode wilayah"), _("Wilayah"), *[r["label"] for r in data["ratings"]], _("Jumlah")]


def counts_rows(data):
    return [[c["code"], c["name"], *c["counts"], c["total"]] for c in data["counts"]]


def total_row(data):
    return ["", total_label(data), *data["total"]["counts"], data["total"]["total"]]


def scope_name(data):
    if data["scope"].level == NATIONAL:
        return _("Nasional")
    return data["rows"][0]["name"]


def total_label(data):
    return _("Jumlah %(unit)s") % {"unit": scope_name(data)}


def workbook(data):
    """The page as an Excel workbook: sheet 1 the units x periods table,
    sheet 2 the counts per rating; the official code in its own column."""
    book, bold = _workbook()
    title = [data["type"].name, str(data["year"]), scope_name(data)]
    table = book.active
    table.title = sheet_title(_("Penilaian"))
    append_row(table, title)
    append_row(table, table_header(data), font=bold)
    for row in table_rows(data):
        append_row(table, row)
    counts = book.create_sheet(sheet_title(_("Jumlah per penilaian")))
    append_row(counts, title)
    append_row(counts, counts_header(data), font=bold)
    for row in counts_rows(data):
        append_row(counts, row)
    append_row(counts, total_row(data), font=bold)
    if data["unmatched"]:
        append_row(counts, [])
        append_row(counts, [unmatched_text(data["unmatched"])])
    for sheet in (table, counts):
        sheet.column_dimensions["A"].width = 16
        sheet.column_dimensions["B"].width = 32
    return _save(book)


def unmatched_text(n):
    return _("%(n)s baris belum dicocokkan dengan wilayah resmi") % {"n": n}
