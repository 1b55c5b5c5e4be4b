"""Writes that matter for actors, memberships and appointments. Views, admin
actions, commands and tasks call these; nothing else saves these models
directly. `actors.services.<name>` stays the import path for all of them."""

from .appointments import (
    activation_path,
    do_approve_proposal,
    do_create_proposal,
    do_reject_proposal,
    do_resend_activation,
    do_return_proposal,
    do_submit_proposal,
    do_update_proposal,
    hand_over,
    needs_activation,
)
from .memberships import (
    current_memberships,
    do_add_membership,
    do_end_membership,
    on_behalf_of,
    sync_actor_groups,
    sync_user_groups,
)
from .reminders import hand_over_started_terms, remind_terms_ending, remind_waiting_proposals
from .validation import head_conflicts, head_in_post, validate_proposal

__all__ = [
    "activation_path",
    "current_memberships",
    "do_add_membership",
    "do_approve_proposal",
    "do_create_proposal",
    "do_end_membership",
    "do_reject_proposal",
    "do_resend_activation",
    "do_return_proposal",
    "do_submit_proposal",
    "do_update_proposal",
    "hand_over",
    "hand_over_started_terms",
    "head_conflicts",
    "head_in_post",
    "needs_activation",
    "on_behalf_of",
    "remind_terms_ending",
    "remind_waiting_proposals",
    "sync_actor_groups",
    "sync_user_groups",
    "validate_proposal",
]
