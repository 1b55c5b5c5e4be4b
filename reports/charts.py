"""Geometry of the seknas progress charts, drawn as inline SVG by the
template (templates/reports/_progress_chart.html): no JavaScript, no
library, no style attributes (the CSP forbids them), only coordinates and
CSS classes. Percentages come from reports.national.progress(); every
number drawn carries its unit (value_text: "75%", never a bare "75")."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.periods import QUARTER, parse_period

PLOT_TOP = 12
PLOT_HEIGHT = 120
AXIS_LEFT = 36


def level(percent):
    """The CSS class of a bar: green from 80%, amber from 50%, red below."""
    if percent is None:
        return "bar-none"
    if percent >= 80:
        return "bar-ok"
    if percent >= 50:
        return "bar-warn"
    return "bar-danger"


UNIT = "%"


def value_text(percent):
    """What a bar says about itself: the percentage with its unit, or a dash."""
    return "—" if percent is None else f"{percent}{UNIT}"


def short_label(key):
    """'2026-11' -> 'Nov'; '2026-Q3' -> 'TW 3'."""
    try:
        period = parse_period(key)
    except ValueError:
        return key
    if period.kind == QUARTER:
        return _("TW %(n)s") % {"n": key[-1]}
    return date_format(period.start, "M")


def columns(periods):
    """One column per period, its height the share of expected reports sent;
    a period with nothing expected yet gets no bar, only its label."""
    slot = 40 if len(periods) > 6 else 80
    bar = slot - 12
    width = AXIS_LEFT + slot * len(periods) + 4
    base = PLOT_TOP + PLOT_HEIGHT
    bars = []
    for i, period in enumerate(periods):
        x = AXIS_LEFT + i * slot + 6
        pct = period["percent"]
        height = round(PLOT_HEIGHT * pct / 100) if pct is not None else 0
        bars.append(
            {
                **period,
                "x": x,
                "y": base - height,
                "w": bar,
                "h": height,
                "cx": x + bar // 2,
                "value_y": base - height - 3,
                "value_text": value_text(pct),
                "css": level(pct),
                "short": short_label(period["key"]),
            }
        )
    grid = [{"value": v, "text": value_text(v), "y": base - round(PLOT_HEIGHT * v / 100)} for v in (0, 50, 100)]
    return {
        "width": width,
        "height": base + 20,
        "base": base,
        "label_y": base + 14,
        "axis_left": AXIS_LEFT,
        "axis_right": width - 2,
        "grid": grid,
        "bars": bars,
    }


ROW = 18
LABEL_WIDTH = 170
BAR_WIDTH = 300


def rows(provinces):
    """One horizontal bar per province: its completeness over the year."""
    items = []
    for i, province in enumerate(provinces):
        pct = province["percent"]
        y = i * ROW + 4
        length = round(BAR_WIDTH * pct / 100) if pct is not None else 0
        items.append(
            {
                **province,
                "y": y,
                "text_y": y + ROW - 6,
                "w": length,
                "h": ROW - 5,
                "value_x": LABEL_WIDTH + length + 4,
                "value_text": value_text(pct),
                "css": level(pct),
            }
        )
    return {
        "width": LABEL_WIDTH + BAR_WIDTH + 44,
        "height": len(provinces) * ROW + 8,
        "label_x": LABEL_WIDTH - 6,
        "bar_x": LABEL_WIDTH,
        "rows": items,
    }


def progress_chart(progress):
    return {"columns": columns(progress["periods"]), "rows": rows(progress["provinces"])}
