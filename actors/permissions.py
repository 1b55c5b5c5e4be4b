"""Who may see which actor page.

Everyone sees the national bodies. Provincial actors are visible to the people
with a current membership in the same province; seknas and TK Pusat see all
provinces. Anything else is a 404, exactly like a missing actor.
"""

from django.http import Http404

from .models import Actor, ActorKind, Membership

NATIONAL_VIEWERS = (ActorKind.SEKNAS, ActorKind.TK_PUSAT)


def visible_actors(user):
    if not user.is_authenticated:
        return Actor.objects.none()
    current = Membership.objects.current().filter(user=user)
    if current.filter(actor__kind__code__in=NATIONAL_VIEWERS).exists():
        return Actor.objects.all()
    province_ids = current.filter(actor__province__isnull=False).values("actor__province_id")
    return Actor.objects.filter(province__isnull=True) | Actor.objects.filter(province_id__in=province_ids)


def get_actor_for_user(user, pk):
    try:
        return visible_actors(user).select_related("kind", "province").get(pk=pk)
    except Actor.DoesNotExist:
        raise Http404 from None
