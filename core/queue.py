"""Queueing Celery tasks without letting a broker outage break a request."""

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def enqueue_on_commit(task, *args):
    """Queue `task(*args)` (ids only) after the current transaction commits.

    If the broker is down the error is logged and swallowed: the work is
    already recorded in the database, and the reconcile picks it up later.
    """

    def _send():
        try:
            task.apply_async(args=args, retry=False)
        except Exception:
            log.warning("broker unavailable, %s left for the reconcile", task.name, exc_info=True)

    transaction.on_commit(_send)
