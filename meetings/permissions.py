"""Who may see and edit which meeting. Every view and service goes through here.

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

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404

from actors.models import Actor, ActorKind, ActorRelation, Membership
from actors.permissions import current_group_ids
from core.permissions import permission_id, permission_ids

from .models import Meeting, MeetingGroupObjectPermission, MeetingSeries

VIEW = "view_meeting"
CHANGE = "change_meeting"
OWNER_PERMS = (VIEW, CHANGE)
OVERSEER_RELATIONS = (ActorRelation.Relation.SUPERVISED_BY, ActorRelation.Relation.GUIDED_BY)


def overseer_group_ids(actor):
    """Groups of the actors overseeing `actor` in its province (Gubernur over TK)."""
    kinds = ActorRelation.objects.filter(source_id=actor.kind_id, relation__in=OVERSEER_RELATIONS).values("target_id")
    return set(
        Actor.objects.filter(province_id=actor.province_id, kind_id__in=kinds)
        .exclude(pk=actor.pk)
        .values_list("group_id", flat=True)
    )


def desired_grants(meeting):
    """{(group_id, codename)} the meeting should carry."""
    actor = meeting.actor
    grants = {(actor.group_id, codename) for codename in OWNER_PERMS}
    invited = meeting.invited_actors.filter(province_id=actor.province_id).values_list("group_id", flat=True)
    grants |= {(group_id, VIEW) for group_id in invited}
    grants |= {(group_id, VIEW) for group_id in overseer_group_ids(actor)}
    return grants


def sync_meeting_permissions(meeting):
    """Make the meeting's guardian rows match its holder, invitees and
    overseers. Idempotent; call inside the transaction that changed them."""
    perm_ids = permission_ids(Meeting)
    wanted = {(group_id, perm_ids[codename]) for group_id, codename in desired_grants(meeting)}
    rows = MeetingGroupObjectPermission.objects.filter(content_object=meeting)
    actual = set(rows.values_list("group_id", "permission_id"))
    stale = actual - wanted
    if stale:
        condition = Q()
        for group_id, permission_id in stale:
            condition |= Q(group_id=group_id, permission_id=permission_id)
        rows.filter(condition).delete()
    MeetingGroupObjectPermission.objects.bulk_create(
        [
            MeetingGroupObjectPermission(group_id=g, permission_id=p, content_object_id=meeting.pk)
            for g, p in wanted - actual
        ],
        ignore_conflicts=True,
    )
    return len(wanted - actual), len(stale)


def _granted_meeting_ids(user, perm):
    return MeetingGroupObjectPermission.objects.filter(
        group__in=current_group_ids(user), permission_id=permission_id(Meeting, perm)
    ).values("content_object_id")


def _current_province_ids(user):
    return Membership.objects.current().filter(user=user, actor__province__isnull=False).values("actor__province_id")


def meetings_for_user(user, perm=VIEW, queryset=None):
    """Every meeting the user holds `perm` on. VIEW also covers the meetings
    the user is invited to by name, within their current provinces."""
    queryset = queryset if queryset is not None else Meeting.objects.all()
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    condition = Q(pk__in=_granted_meeting_ids(user, perm))
    if perm == VIEW:
        invited = Meeting.invited_people.through.objects.filter(user=user).values("meeting_id")
        condition |= Q(pk__in=invited, actor__province_id__in=_current_province_ids(user))
    return queryset.filter(condition)


def user_has_meeting_perm(user, meeting, perm):
    if not (user.is_authenticated and user.is_active):
        return False
    if perm == VIEW:
        return meetings_for_user(user, VIEW).filter(pk=meeting.pk).exists()
    return _granted_meeting_ids(user, perm).filter(content_object_id=meeting.pk).exists()


def user_may_approve_minutes(user, meeting):
    return meeting.chair_id == user.pk and user_has_meeting_perm(user, meeting, CHANGE)


def get_meeting_for_user(user, pk, perm=VIEW, queryset=None):
    """The meeting, or 404 when missing or not visible, or 403 when visible
    but `perm` is not held."""
    base = queryset if queryset is not None else Meeting.objects.select_related("actor__kind", "actor__province")
    try:
        meeting = meetings_for_user(user, VIEW, base).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if perm != VIEW and not user_has_meeting_perm(user, meeting, perm):
        raise PermissionDenied
    return meeting


def upcoming_meetings_for(user, limit=3):
    """The home panel: the user's next open meetings, soonest first."""
    return list(
        meetings_for_user(user)
        .upcoming()
        .select_related("actor__kind", "actor__province")
        .order_by("starts_at", "id")[:limit]
    )


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


def series_for_user(user, perm=VIEW, queryset=None):
    """The provincial series the user may see (VIEW) or change (CHANGE)."""
    queryset = queryset if queryset is not None else MeetingSeries.objects.all()
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    condition = _series_editors(user) if perm == CHANGE else _series_viewers(user)
    return queryset.filter(condition, actor__province__isnull=False)


def user_may_change_series(user, series):
    return series_for_user(user, CHANGE).filter(pk=series.pk).exists()


def get_series_for_user(user, pk, perm=VIEW, queryset=None):
    """The series, or 404 when missing or not visible, or 403 when visible
    but not changeable by the user."""
    base = queryset if queryset is not None else MeetingSeries.objects.select_related("actor__kind", "actor__province")
    try:
        series = series_for_user(user, VIEW, base).get(pk=pk)
    except (MeetingSeries.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if perm != VIEW and not user_may_change_series(user, series):
        raise PermissionDenied
    return series
