"""The home page: each role's first view of its work, drawing on every app."""

import datetime

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from actors.models import ActorKind, ActorRelation
from actors.services import current_memberships
from appointments.views import waiting_for_decision
from core import clock
from core.attention import count_with_nav_badges
from duties.models import Duty, Task
from duties.permissions import OWN, oversees_anything
from meetings.models import Meeting
from reports.national import latest_period_status, periodic_types, provinces_for
from reports.navigation import home_panel

# What a role's home page shows first (templates/home/home.html).
ROLE_SEKNAS = "seknas"
ROLE_GUBERNUR = "gubernur"
ROLE_PROVINCIAL = "provinsi"


def role_of(memberships):
    """The role the home page is arranged for: seknas (national submission
    status first), the Governor's office (decisions waiting first) or a
    provincial actor's member (their own work first)."""
    kinds = {m.actor.kind.code for m in memberships}
    if ActorKind.SEKNAS in kinds:
        return ROLE_SEKNAS
    if ActorKind.GUBERNUR in kinds:
        return ROLE_GUBERNUR
    return ROLE_PROVINCIAL


def meetings_panel(user, today, zone=None, limit=4):
    """This month's meetings (held ones too, so "did we meet this month?" has
    an answer) and the next ones, soonest first: one query."""
    month_start = datetime.datetime.combine(today.replace(day=1), datetime.time.min, clock.zone_of(zone))
    meetings = list(
        Meeting.objects.for_user(user)
        .filter(ends_at__gte=month_start)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("actor__kind", "actor__province")
        .order_by("starts_at", "id")[:limit]
    )
    this_month = [m for m in meetings if m.local_date.year == today.year and m.local_date.month == today.month]
    later = [m for m in meetings if m not in this_month]
    return {"this_month": this_month, "later": later}


@require_safe
def home(request):
    user = request.user
    memberships = list(
        current_memberships(user).prefetch_related(
            Prefetch("actor__kind__duties", queryset=Duty.objects.order_by("number")),
            Prefetch("actor__kind__relations_out", queryset=ActorRelation.objects.select_related("target")),
        )
    )
    role = role_of(memberships)
    now = timezone.now()
    zone = clock.request_zone(request)
    today = clock.local_today(zone)
    # The person's own work, as the navigation's badge counts it: the tasks of
    # actors they oversee are on their own list (/tugas/diawasi/).
    tasks = Task.objects.for_user(user, reach=OWN).select_related("duty__kind", "actor__kind", "actor__province")
    waiting = waiting_for_decision(user)
    # One query for the chips and the navigation's badges (counted afresh
    # here, so both are current on the home page).
    counted = count_with_nav_badges(request, today, {"due_soon": tasks.due_soon(today)})
    counts = {"overdue": counted["tasks"], "due_soon": counted["due_soon"], "waiting": counted["proposals"]}
    context = {
        "role": role,
        "memberships": memberships,
        "today": today,
        "counts": counts,
        "overdue_tasks": list(tasks.overdue(today).order_by("due_date", "id")[:5]) if counts["overdue"] else [],
        "due_soon_tasks": list(tasks.due_soon(today).order_by("due_date", "id")[:5]) if counts["due_soon"] else [],
        "report_panel": home_panel(user, today),
        "proposals_waiting": counts["waiting"],
        "oldest_waiting": (
            waiting.select_related("actor__province", "position").order_by("submitted_at", "id").first()
            if counts["waiting"]
            else None
        ),
        "meetings": meetings_panel(user, today, zone) if role != ROLE_SEKNAS else None,
        "now": now,
        # The scope is already read (Task.objects.for_user above): no query.
        "oversees": oversees_anything(user),
    }
    if role == ROLE_SEKNAS:
        context["submission_status"] = latest_period_status(periodic_types(), provinces_for(), today)
    return render(request, "home/home.html", context)
