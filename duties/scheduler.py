"""The reconcile: what should exist by a given date, created when missing.

`run_schedule(on)` is idempotent: running it twice, from two beat processes,
or days late for a back-fill creates nothing twice.
"""

import logging

from actors.services import sync_actor_groups

log = logging.getLogger(__name__)


def run_schedule(on=None):
    """Reconcile everything for the date `on` (default: today in each
    province). Returns a dict of counts for logs and the command's output."""
    added, removed = sync_actor_groups(on)
    result = {"group_joins": added, "group_leaves": removed}
    log.info("run_schedule on=%s %s", on, result)
    return result
