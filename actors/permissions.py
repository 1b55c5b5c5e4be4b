"""Who may see which actor page.

Everyone sees the national bodies. Provincial actors are visible to the people
with a current membership in the same province; seknas and TK Pusat see all
provinces. Anything else is a 404, exactly like a missing actor.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.permissions import permission_id, permission_ids

from .models import Actor, ActorKind, AppointmentRule, Membership, Proposal, ProposalGroupObjectPermission

NATIONAL_VIEWERS = (ActorKind.SEKNAS, ActorKind.TK_PUSAT)


def current_group_ids(user):
    """The groups that count for `user` now: their actor groups whose actor
    they hold a membership of in force today (each judged in its own
    province's date). The auth group alone is not enough: the hourly
    reconcile (sync_actor_groups) only tidies it, so between two runs a term
    that ended yesterday, or starts tomorrow, opens nothing.

    A subquery (no query of its own), made once per user object, that is
    once per request; the access helpers of actors, duties, meetings and
    reports filter their grants by it."""
    cached = getattr(user, "_current_group_ids", None)
    if cached is None:
        in_force = Membership.objects.current().filter(user_id=user.pk).values("actor_id")
        cached = Group.objects.filter(user=user.pk, actor__in=in_force).values("id")
        user._current_group_ids = cached
    return cached


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


# --- Appointment proposals -------------------------------------------------
#
# Grants are guardian object permissions on direct foreign-key rows
# (ProposalGroupObjectPermission), given to actor groups, never to people, and
# recomputed from the proposal's state by sync_proposal_permissions():
#
# - the proposer actor's group: view always; change while draft or returned;
# - the approver actor's group (the Gubernur's office of the same province,
#   or whoever the AppointmentRule names): view once submitted; approve while
#   submitted.
#
# Access rule: a proposal the user may not view is a 404 (like a missing one);
# one they may view but not act on is a 403 on the action. A superuser is not
# a shortcut here.

PROPOSAL_VIEW = "view_proposal"
PROPOSAL_CHANGE = "change_proposal"
PROPOSAL_APPROVE = "approve_proposal"


def desired_proposal_grants(proposal):
    """{(group_id, codename)} the proposal's state calls for."""
    S = Proposal.Status
    proposer = proposal.proposer_actor.group_id
    approver = proposal.approver_actor.group_id
    grants = {(proposer, PROPOSAL_VIEW)}
    if proposal.status in Proposal.EDITABLE:
        grants.add((proposer, PROPOSAL_CHANGE))
    if proposal.status != S.DRAFT:
        grants.add((approver, PROPOSAL_VIEW))
    if proposal.status == S.SUBMITTED:
        grants.add((approver, PROPOSAL_APPROVE))
    return grants


def sync_proposal_permissions(proposal):
    """Make the guardian rows of `proposal` match its state. Call inside the
    service's transaction after every state change."""
    ids = permission_ids(Proposal)
    names = {v: k for k, v in ids.items()}
    desired = desired_proposal_grants(proposal)
    rows = ProposalGroupObjectPermission.objects.filter(content_object=proposal)
    actual = {(r.group_id, names.get(r.permission_id)) for r in rows}
    for group_id, codename in actual - desired:
        rows.filter(group_id=group_id, permission_id=ids.get(codename)).delete()
    ProposalGroupObjectPermission.objects.bulk_create(
        [
            ProposalGroupObjectPermission(group_id=g, permission_id=ids[c], content_object_id=proposal.pk)
            for g, c in desired - actual
        ],
        ignore_conflicts=True,
    )


def _granted_proposal_ids(user, perm):
    return ProposalGroupObjectPermission.objects.filter(
        group__in=current_group_ids(user), permission_id=permission_id(Proposal, perm)
    ).values("content_object_id")


def proposals_for_user(user, perm=PROPOSAL_VIEW, queryset=None):
    """Every proposal the user holds `perm` on through their groups."""
    queryset = queryset if queryset is not None else Proposal.objects.all()
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    return queryset.filter(pk__in=_granted_proposal_ids(user, perm))


def user_has_proposal_perm(user, proposal, perm):
    if not (user.is_authenticated and user.is_active):
        return False
    return _granted_proposal_ids(user, perm).filter(content_object_id=proposal.pk).exists()


def get_proposal_for_user(user, pk, perm=PROPOSAL_VIEW, queryset=None):
    """The proposal, or 404 when missing or not visible, or 403 when visible
    but `perm` is not held."""
    base = queryset if queryset is not None else Proposal.objects.select_related("actor__kind", "actor__province")
    try:
        proposal = proposals_for_user(user, PROPOSAL_VIEW, base).get(pk=pk)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if perm != PROPOSAL_VIEW and not user_has_proposal_perm(user, proposal, perm):
        raise PermissionDenied
    return proposal


def proposal_targets_for_user(user, on=None):
    """[(target actor, proposer actor)] the user may propose appointments to,
    from the AppointmentRule data and the user's current memberships."""
    if not (user.is_authenticated and user.is_active):
        return []
    memberships = list(
        Membership.objects.current(on)
        .filter(user=user, actor__province__isnull=False)
        .select_related("actor__kind", "actor__province")
        .order_by("actor__kind__order")
    )
    if not memberships:
        return []
    rules = AppointmentRule.objects.prefetch_related("proposer_kinds", "proposer_positions").select_related(
        "target_kind"
    )
    wanted = {}
    for rule in rules:
        kinds = {k.pk for k in rule.proposer_kinds.all()}
        positions = {p.pk for p in rule.proposer_positions.all()}
        for m in memberships:
            if m.actor.kind_id in kinds and (not positions or m.position_id in positions):
                wanted.setdefault((rule.target_kind_id, m.actor.province_id), m.actor)
    if not wanted:
        return []
    targets = Actor.objects.filter(
        kind_id__in={k for k, _p in wanted}, province_id__in={p for _k, p in wanted}
    ).select_related("kind", "province")
    return [(t, wanted[(t.kind_id, t.province_id)]) for t in targets if (t.kind_id, t.province_id) in wanted]
