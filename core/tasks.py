from celery import shared_task

from .notifications import CLAIM_LEASE, deliver_pending


# time_limit: a run held up by a mail server that answers, slowly, within
# EMAIL_TIMEOUT at every step is stopped (prefork pool) before the lease on
# the row it is sending runs out, so no other run sends that row meanwhile.
@shared_task(acks_late=True, ignore_result=True, time_limit=int(CLAIM_LEASE.total_seconds() * 2 / 3))
def deliver_notifications():
    """Send pending notification emails. Idempotent; also run by the reconcile."""
    return deliver_pending()
