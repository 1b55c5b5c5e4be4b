"""Who may see and do what with appointment proposals: the rules of the
permission engine (core.permissions) for proposals, and who may propose to
which actor.

Appointment proposals: guardian rows on ProposalGroupObjectPermission, to
actor groups, recomputed from the proposal's state by sync_grants():

- the proposer actor's group: view always; change while draft or returned;
- the approver actor's group (the Gubernur's office of the same province,
  or whoever the AppointmentRule names): view once submitted; approve while
  submitted.

Grants count through the groups of memberships in force
(actors.permissions.current_group_ids), like every app's.
"""

from actors.models import Actor, Membership
from actors.permissions import InTermPolicy
from core.permissions import CHANGE, VIEW, is_active, register

from .models import AppointmentRule, Proposal, ProposalGroupObjectPermission

APPROVE = "approve"


@register
class ProposalPolicy(InTermPolicy):
    model = Proposal
    grant_model = ProposalGroupObjectPermission

    def grants(self, proposals):
        S = Proposal.Status
        rows = set()
        for proposal in proposals:
            proposer = proposal.proposer_actor.group_id
            approver = proposal.approver_actor.group_id
            rows.add((proposal.pk, proposer, VIEW))
            if proposal.status in Proposal.EDITABLE:
                rows.add((proposal.pk, proposer, CHANGE))
            if proposal.status != S.DRAFT:
                rows.add((proposal.pk, approver, VIEW))
            if proposal.status == S.SUBMITTED:
                rows.add((proposal.pk, approver, APPROVE))
        return rows


def proposal_targets_for_user(user, on=None):
    """[(target actor, proposer actor)] the user may propose appointments to,
    from the AppointmentRule data and the user's current memberships."""
    if not is_active(user):
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
