from django.db.models import Prefetch
from django.shortcuts import render

from duties.models import Duty

from .models import ActorKind, ActorRelation, Membership
from .permissions import get_actor_for_user
from .services import current_memberships


def home(request):
    memberships = current_memberships(request.user).prefetch_related(
        Prefetch("actor__kind__duties", queryset=Duty.objects.order_by("number")),
        Prefetch("actor__kind__relations_out", queryset=ActorRelation.objects.select_related("target")),
    )
    return render(request, "actors/home.html", {"memberships": memberships})


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
