"""The notification outbox: create rows in the caller's transaction, deliver
email after commit (or from the reconcile when the broker was down)."""

import contextlib
import datetime
import logging
import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification
from .queue import enqueue_on_commit

log = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5
# How long a claimed notification is left to the run that claimed it. Longer
# than any one send (a few SMTP commands, each bounded by EMAIL_TIMEOUT); a run
# that died holding a claim has its message sent again after this.
CLAIM_LEASE = datetime.timedelta(minutes=15)


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


def header_text(value):
    """`value` on one line: each line break (CR LF, CR, LF and the other
    separators str.splitlines knows) becomes a space. Django refuses a header
    with a line break (BadHeaderError), which would fail that email on every
    attempt; a meeting title typed with one must not."""
    return " ".join(str(value).splitlines())


def message_id(notification):
    """The same Message-ID on every attempt for a notification, so that a
    mail sent again after a crash (see deliver_pending) is recognisable as the
    same message. The domain is the site's (SITE_URL), the same on every worker
    host (make_msgid's default, the machine's name, is not)."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notification-{notification.pk}@{header_text(domain)}>"


def _message(notification, connection):
    context = {"notification": notification, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=header_text(render_to_string("emails/notification_subject.txt", context).strip()),
        body=render_to_string("emails/notification.txt", context),
        to=[notification.recipient.email],
        headers={"Message-ID": message_id(notification)},
        connection=connection,
    )
    message.attach_alternative(render_to_string("emails/notification.html", context), "text/html")
    return message


def _server_unreachable(error):
    """True when the mail server is down, refuses, hangs up or stays silent
    past EMAIL_TIMEOUT (the rest of the batch would only wait as long again);
    False for an answer about this one message (a refused recipient)."""
    if isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)):
        return True
    # smtplib's errors are OSErrors too; the others are the socket's own.
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def _claim_next(skip):
    """Take the oldest pending notification nobody is sending, in a
    transaction of its own (committed before any network I/O): stamp
    `email_claimed_at` and count the attempt. None when nothing is left."""
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.email_pending()
            .filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - CLAIM_LEASE))
            .exclude(pk__in=skip)
            .select_related("recipient")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("created_at", "pk")
            .first()
        )
        if notification is None:
            return None
        notification.email_claimed_at = now
        notification.email_attempts += 1
        notification.save(update_fields=["email_claimed_at", "email_attempts"])
    return notification


def _release(notification, **fields):
    # One UPDATE, committed on its own (autocommit): the row's outcome is kept
    # before the next message goes out.
    Notification.objects.filter(pk=notification.pk).update(email_claimed_at=None, **fields)


def deliver_pending(limit=200):
    """Send the emails of pending notifications, at most `limit` of them.
    Returns the number sent.

    One row at a time: each is claimed in its own short transaction
    (SELECT ... FOR UPDATE SKIP LOCKED, then `email_claimed_at` stamped and
    committed), sent with no transaction open and no row locked, and stamped
    sent at once. Runs in parallel never take the same row. A run killed while
    sending leaves only that row claimed; another run sends it again once
    CLAIM_LEASE has passed, with the same Message-ID: each notification is
    emailed once, or at most twice when a run died between the server's
    acceptance and the stamp. The server's silence is bounded by
    EMAIL_TIMEOUT; when it is unreachable the run stops and the rest waits for
    the next one (the reconcile, hourly). Call it outside any transaction.
    """
    sent = 0
    tried = []
    connection = None
    try:
        while len(tried) < limit:
            notification = _claim_next(tried)
            if notification is None:
                break
            tried.append(notification.pk)
            if not notification.recipient.email:
                _release(notification, email_failed=True)
                continue
            try:
                if connection is None:
                    connection = get_connection()
                    connection.open()  # one connection for the run, not one per message
                _message(notification, connection).send()
            except Exception as error:
                log.exception("email for notification %s failed", notification.pk)
                _release(notification, email_failed=notification.email_attempts >= MAX_EMAIL_ATTEMPTS)
                if _server_unreachable(error):
                    break
                continue
            _release(notification, email_sent_at=timezone.now())
            sent += 1
    finally:
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()
    return sent
