"""The reports' entries in the main navigation and the home page panel."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.permissions import CHANGE

from . import permissions
from .models import Report


def overdue_for_writer(user, today):
    """Reports the user's actors still owe, past their deadline."""
    return Report.objects.for_user(user, CHANGE).filter(version_count=0, due_date__lt=today)


def report_nav_items(user, today, national, assessment=False):
    """The reports' entries; `national`: whether the user is a national viewer,
    `assessment`: whether they may open the assessment across reports
    (permissions.assessment_viewer_groups); both counted with the
    navigation's badges in its one query (core.attention), so no entry costs
    a query of its own. A national viewer always may."""
    items = [
        {
            "label": _("Laporan"),
            "url": reverse("reports:report_list"),
            "badge": "reports",
            "badge_text": lambda n: (
                ngettext("%(n)d laporan lewat tenggat", "%(n)d laporan lewat tenggat", n) % {"n": n}
            ),
        }
    ]
    if national:
        items.append({"label": _("Nasional"), "url": reverse("reports:national")})
    if national or assessment:
        items.append({"label": _("Penilaian kinerja"), "url": reverse("reports:assessment")})
    return items


def home_panel(user, today):
    """What the home page shows about reports: the drafts the user's actors
    owe (soonest due first), the reports waiting for the user's review and,
    for seknas, this year's national completeness."""
    writable = (
        Report.objects.for_user(user, CHANGE)
        .filter(status__in=Report.EDITABLE)
        .select_related("report_type", "actor__kind", "actor__province", "province")
        .order_by("due_date", "id")
    )
    to_review = (
        Report.objects.for_user(user, permissions.REVIEW)
        .filter(status=Report.Status.SUBMITTED)
        .select_related("report_type", "actor__kind", "actor__province", "province", "latest_version")
        .order_by("first_submitted_at", "id")
    )
    panel = {"to_write": list(writable[:6]), "to_review": list(to_review[:6]), "today": today, "national": None}
    if permissions.is_national_viewer(user):
        from .national import build, periodic_types, provinces_for

        _matrices, total = build(periodic_types(), today.year, provinces_for())
        panel["national"] = total
    return panel
