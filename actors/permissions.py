"""Who may see and do what with actors: the rules of the permission engine
(core.permissions) for this app's types, and the groups that count for a
person now, which every app's rules use (appointment proposals:
appointments.permissions).

Actors: everyone sees the national bodies. Provincial actors are visible to
the people with a current membership in the same province; seknas and TK
Pusat see all provinces. Anything else is a 404, exactly like a missing actor.
"""

from django.contrib.auth.models import Group

from core.permissions import VIEW, Policy, register

from .models import Actor, ActorKind, Membership

NATIONAL_VIEWERS = (ActorKind.SEKNAS, ActorKind.TK_PUSAT)


def current_group_ids(user):
    """The groups that count for `user` now: their actor groups whose actor
    they hold a membership of in force today (each judged in its own
    province's date). The auth group alone is not enough: the hourly
    reconcile (sync_actor_groups) only tidies it, so between two runs a term
    that ended yesterday, or starts tomorrow, opens nothing.

    A subquery (no query of its own), made once per user object, that is
    once per request; every policy filters its grants by it."""
    cached = getattr(user, "_current_group_ids", None)
    if cached is None:
        in_force = Membership.objects.current().filter(user_id=user.pk).values("actor_id")
        cached = Group.objects.filter(user=user.pk, actor__in=in_force).values("id")
        user._current_group_ids = cached
    return cached


class InTermPolicy(Policy):
    """A policy whose grants count through the groups of memberships in force."""

    def groups(self, user):
        return current_group_ids(user)


@register
class ActorPolicy(InTermPolicy):
    model = Actor

    def restrict(self, queryset, user, action, **options):
        if action != VIEW:  # actors change in the admin only
            return queryset.none()
        current = Membership.objects.current().filter(user=user)
        if current.filter(actor__kind__code__in=NATIONAL_VIEWERS).exists():
            return queryset
        province_ids = current.filter(actor__province__isnull=False).values("actor__province_id")
        return queryset.filter(province__isnull=True) | queryset.filter(province_id__in=province_ids)
