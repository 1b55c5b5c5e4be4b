"""The notification outbox: create rows in the caller's transaction, deliver
email after commit (or from the reconcile when the broker was down)."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification
from .queue import enqueue_on_commit

log = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5


def notify(recipients, *, key, subject, body="", url=""):
    """Create one notification per recipient for `key`, unless it exists.

    Idempotent: calling it again with the same key creates nothing. Call it
    inside the service's transaction; email goes out after commit.
    """
    recipients = {user.pk: user for user in recipients if user.is_active}
    if not recipients:
        return 0
    existing = set(
        Notification.objects.filter(recipient_id__in=recipients, key=key).values_list("recipient_id", flat=True)
    )
    rows = [
        Notification(recipient_id=pk, key=key, subject=subject[:200], body=body, url=url)
        for pk in recipients
        if pk not in existing
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        from .tasks import deliver_notifications

        enqueue_on_commit(deliver_notifications)
    return len(rows)


def _send(notification):
    context = {"notification": notification, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=render_to_string("emails/notification_subject.txt", context).strip(),
        body=render_to_string("emails/notification.txt", context),
        to=[notification.recipient.email],
    )
    message.attach_alternative(render_to_string("emails/notification.html", context), "text/html")
    message.send()


def deliver_pending(limit=200):
    """Send the emails of pending notifications. Safe to run concurrently and
    repeatedly: rows are locked while sent (SKIP LOCKED), and a sent row is
    stamped in the same transaction. Returns the number sent."""
    sent = 0
    with transaction.atomic():
        batch = list(
            Notification.objects.email_pending()
            .select_related("recipient")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("created_at")[:limit]
        )
        for notification in batch:
            if not notification.recipient.email:
                notification.email_failed = True
                notification.save(update_fields=["email_failed"])
                continue
            notification.email_attempts += 1
            try:
                _send(notification)
            except Exception:
                log.exception("email for notification %s failed", notification.pk)
                notification.email_failed = notification.email_attempts >= MAX_EMAIL_ATTEMPTS
                notification.save(update_fields=["email_attempts", "email_failed"])
                continue
            notification.email_sent_at = timezone.now()
            notification.save(update_fields=["email_attempts", "email_sent_at"])
            sent += 1
    return sent
