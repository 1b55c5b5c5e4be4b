from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.permissions import get_for_user_or_404

from .models import Actor, ActorKind, ActorRelation, Membership


@require_safe
def actor_detail(request, pk):
    actor = get_for_user_or_404(Actor.objects.select_related("kind", "province"), request.user, pk)
    kind = ActorKind.objects.prefetch_related(
        "duties",  # in their number order (Duty.Meta.ordering)
        Prefetch("relations_out", queryset=ActorRelation.objects.select_related("target")),
        Prefetch("relations_in", queryset=ActorRelation.objects.select_related("source")),
    ).get(pk=actor.kind_id)
    members = (
        Membership.objects.current()
        .filter(actor=actor)
        .select_related("user", "position")
        .order_by("position__order", "user__full_name")
    )
    return render(request, "actors/actor_detail.html", {"actor": actor, "kind": kind, "members": members})
