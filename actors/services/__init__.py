"""Writes that matter for actors and memberships. Views, admin actions,
commands and tasks call these; nothing else saves these models directly.
`actors.services.<name>` stays the import path for all of them (appointments:
appointments.services)."""

from .memberships import (
    current_memberships,
    do_add_membership,
    do_end_membership,
    on_behalf_of,
    sync_actor_groups,
    sync_user_groups,
)
from .validation import head_conflicts, head_in_post

__all__ = [
    "current_memberships",
    "do_add_membership",
    "do_end_membership",
    "head_conflicts",
    "head_in_post",
    "on_behalf_of",
    "sync_actor_groups",
    "sync_user_groups",
]
