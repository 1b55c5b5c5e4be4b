from celery import shared_task

from .notifications import deliver_pending


@shared_task(acks_late=True, ignore_result=True)
def deliver_notifications():
    """Send pending notification emails. Idempotent; also run by the reconcile."""
    return deliver_pending()
