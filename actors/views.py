from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from duties.models import Duty
from duties.permissions import tasks_for_user
from meetings.permissions import upcoming_meetings_for
from reports.navigation import home_panel

from .appointment_views import waiting_count
from .models import ActorKind, ActorRelation, Membership
from .permissions import get_actor_for_user
from .services import current_memberships


@require_safe
def home(request):
    memberships = current_memberships(request.user).prefetch_related(
        Prefetch("actor__kind__duties", queryset=Duty.objects.order_by("number")),
        Prefetch("actor__kind__relations_out", queryset=ActorRelation.objects.select_related("target")),
    )
    today = timezone.localdate()
    tasks = tasks_for_user(request.user).select_related("duty__kind", "actor__kind", "actor__province")
    context = {
        "memberships": memberships,
        "today": today,
        "overdue_tasks": tasks.overdue(today).order_by("due_date", "id")[:5],
        "due_soon_tasks": tasks.due_soon(today).order_by("due_date", "id")[:5],
        "report_panel": home_panel(request.user, today),
        "proposals_waiting": waiting_count(request.user),
        "next_meetings": upcoming_meetings_for(request.user),
        "now": timezone.now(),
    }
    return render(request, "actors/home.html", context)


@require_safe
def actor_detail(request, pk):
    actor = get_actor_for_user(request.user, pk)
    kind = ActorKind.objects.prefetch_related(
        Prefetch("duties", queryset=Duty.objects.order_by("number")),
        Prefetch("relations_out", queryset=ActorRelation.objects.select_related("target")),
        Prefetch("relations_in", queryset=ActorRelation.objects.select_related("source")),
    ).get(pk=actor.kind_id)
    members = (
        Membership.objects.current(actor.province.today() if actor.province else None)
        .filter(actor=actor)
        .select_related("user", "position")
        .order_by("position__order", "user__full_name")
    )
    return render(request, "actors/actor_detail.html", {"actor": actor, "kind": kind, "members": members})
