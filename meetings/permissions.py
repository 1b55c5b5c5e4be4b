"""Who may see and edit which meeting: the rules the permission engine
(core.permissions) asks: views and services ask through the engine.

Grants are guardian object permissions on direct foreign-key rows
(MeetingGroupObjectPermission), given to actor groups, never to people:

- the holding actor's group: view and change (it runs its meetings);
- the groups of the invited actors of the same province: view;
- the groups of the actors that the holding actor is "diawasi kinerjanya oleh"
  or "dibina oleh" in the same province (ActorRelation data): view. From the
  seed that is the Governor's office over TK PNPM-MP Provinsi's meetings.

A person invited by name (not through an actor) sees the meeting while they
have a current membership in an actor of the meeting's province: that is the
invitation itself, read from the meeting, not a grant to a person.
Nobody outside the province sees a meeting (national bodies included), and a
superuser is not a shortcut here: the admin is the superuser's place.

Access rule (as for tasks): a meeting the user may not view is a 404, exactly
like a missing one; a meeting they may view but not edit is a 403 on edits.
Approving the minutes is for the meeting's chair, who must also be an editor.

Meeting series (the rule the reconcile schedules by) follow the same rule,
read from the series itself (no guardian rows): the holding actor's members
and the Governor's office of the province (the Gubernur actor) change it;
the invited actors of the same province, the overseers and the people
invited by name (while current members in the province) see it; nobody
else does (404). Seeing but not changing is a 403 on the edit page.
"""

from django.db.models import Exists, F, OuterRef, Q

from actors.models import Actor, ActorKind, ActorRelation, Membership
from actors.permissions import InTermPolicy, current_group_ids
from core.permissions import CHANGE, VIEW, register, user_may

from .models import Meeting, MeetingGroupObjectPermission, MeetingSeries

OWNER_ACTIONS = (VIEW, CHANGE)
OVERSEER_RELATIONS = (ActorRelation.Relation.SUPERVISED_BY, ActorRelation.Relation.GUIDED_BY)


def _current_province_ids(user):
    return Membership.objects.current().filter(user=user, actor__province__isnull=False).values("actor__province_id")


@register
class MeetingPolicy(InTermPolicy):
    """Meetings: the holder's group views and changes; the invited actors of
    the same province and the overseers view. VIEW also covers the people
    invited by name, within their current provinces."""

    model = Meeting
    grant_model = MeetingGroupObjectPermission

    def grants(self, meetings):
        """In a fixed number of queries, however many meetings."""
        holders, holder_kinds, provinces = {}, {}, {}
        for pk, group_id, kind_id, province_id in Actor.objects.filter(
            pk__in={m.actor_id for m in meetings}
        ).values_list("pk", "group_id", "kind_id", "province_id"):
            holders[pk], holder_kinds[pk], provinces[pk] = group_id, kind_id, province_id
        invited = {}
        for meeting_id, group_id, province_id in Meeting.invited_actors.through.objects.filter(
            meeting_id__in=[m.pk for m in meetings]
        ).values_list("meeting_id", "actor__group_id", "actor__province_id"):
            invited.setdefault(meeting_id, []).append((group_id, province_id))
        overseer_kinds = {}
        for source_id, target_id in ActorRelation.objects.filter(
            source_id__in=set(holder_kinds.values()), relation__in=OVERSEER_RELATIONS
        ).values_list("source_id", "target_id"):
            overseer_kinds.setdefault(source_id, set()).add(target_id)
        groups_by_place = {}
        places = Q(province_id__in={p for p in provinces.values() if p is not None})
        if None in provinces.values():  # a national holder: national overseers
            places |= Q(province__isnull=True)
        for actor_id, kind_id, province_id, group_id in Actor.objects.filter(
            places, kind_id__in={k for ks in overseer_kinds.values() for k in ks}
        ).values_list("pk", "kind_id", "province_id", "group_id"):
            groups_by_place.setdefault((kind_id, province_id), []).append((actor_id, group_id))
        rows = set()
        for meeting in meetings:
            holder, province_id = meeting.actor_id, provinces[meeting.actor_id]
            rows.update((meeting.pk, holders[holder], action) for action in OWNER_ACTIONS)
            rows.update(
                (meeting.pk, group_id, VIEW)
                for group_id, actor_province in invited.get(meeting.pk, ())
                if actor_province == province_id
            )
            for kind_id in overseer_kinds.get(holder_kinds[holder], ()):
                rows.update(
                    (meeting.pk, group_id, VIEW)
                    for actor_id, group_id in groups_by_place.get((kind_id, province_id), ())
                    if actor_id != holder
                )
        return rows

    def restrict(self, queryset, user, action, **options):
        condition = Q(pk__in=self.granted(user, action))
        if action == VIEW:
            invited = Meeting.invited_people.through.objects.filter(user=user).values("meeting_id")
            condition |= Q(pk__in=invited, actor__province_id__in=_current_province_ids(user))
        return queryset.filter(condition)


def user_may_approve_minutes(user, meeting):
    return meeting.chair_id == user.pk and user_may(user, meeting, CHANGE)


# --- meeting series ------------------------------------------------------------


def _series_editors(user):
    """Q: the series whose holder, or whose province's Gubernur, the user is a current member of."""
    groups = current_group_ids(user)
    governed = Actor.objects.filter(kind__code=ActorKind.GUBERNUR, group__in=groups).values("province_id")
    return Q(actor__group__in=groups) | Q(actor__province_id__in=governed)


def _series_viewers(user):
    groups = current_group_ids(user)
    through = MeetingSeries.invited_actors.through.objects.filter(
        actor__group__in=groups, actor__province_id=F("meetingseries__actor__province_id")
    )
    overseer = Actor.objects.filter(
        group__in=groups,
        province_id=OuterRef("actor__province_id"),
        kind_id__in=ActorRelation.objects.filter(
            source_id=OuterRef(OuterRef("actor__kind_id")), relation__in=OVERSEER_RELATIONS
        ).values("target_id"),
    )
    by_name = MeetingSeries.invited_people.through.objects.filter(user_id=user.pk).values("meetingseries_id")
    return (
        _series_editors(user)
        | Q(pk__in=through.values("meetingseries_id"))
        | Q(Exists(overseer))
        | Q(pk__in=by_name, actor__province_id__in=_current_province_ids(user))
    )


@register
class MeetingSeriesPolicy(InTermPolicy):
    """Series carry no grant rows: the rule is read from the series itself
    (the module's docstring). Only provincial series are anyone's."""

    model = MeetingSeries

    def restrict(self, queryset, user, action, **options):
        if action == CHANGE:
            condition = _series_editors(user)
        elif action == VIEW:
            condition = _series_viewers(user)
        else:
            return queryset.none()
        return queryset.filter(condition, actor__province__isnull=False)
