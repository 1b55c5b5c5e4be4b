"""The notification outbox: create rows in the caller's transaction, deliver
email after commit (or from the reconcile when the broker was down)."""

import contextlib
import datetime
import logging
import smtplib
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import ALWAYS_EMAILED, Notification, NotificationKind, NotificationPreference
from .queue import enqueue_on_commit

log = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5
# How long a claimed notification is left to the run that claimed it. Longer
# than any one send (a few SMTP commands, each bounded by EMAIL_TIMEOUT); a run
# that died holding a claim has its message sent again after this.
CLAIM_LEASE = datetime.timedelta(minutes=15)


# The kind of a notification, from its key's prefix (before the first ":").
# Every key a service passes to notify() starts with one of these (grep
# `key=` at the notify() calls); a prefix missing here is OTHER, which is
# always emailed. The data migration 0004 keeps a frozen copy.
KIND_BY_PREFIX = {
    "task-overdue": NotificationKind.TASK,
    "follow-up": NotificationKind.TASK,
    # The duty ledger's quarterly accounts (ledger.scheduler): about the actor's duties.
    "ledger-reminder": NotificationKind.TASK,
    "ledger-overdue": NotificationKind.TASK,
    "report-submitted": NotificationKind.REPORT,
    "report-reviewed": NotificationKind.REPORT,
    "report-reminder": NotificationKind.REPORT,
    "report-overdue": NotificationKind.REPORT,
    "report-returned-reminder": NotificationKind.REPORT,
    "meeting-invitation": NotificationKind.MEETING,
    "meeting-reminder": NotificationKind.MEETING,
    "meeting-changed": NotificationKind.MEETING,
    "meeting-postponed": NotificationKind.MEETING,
    "meeting-cancelled": NotificationKind.MEETING,
    "meeting-uninvited": NotificationKind.MEETING,
    "minutes-approved": NotificationKind.MEETING,
    "proposal-submitted": NotificationKind.APPOINTMENT,
    "proposal-waiting": NotificationKind.APPOINTMENT,
    "proposal.returned": NotificationKind.APPOINTMENT,
    "proposal.rejected": NotificationKind.APPOINTMENT,
    "proposal.approved": NotificationKind.APPOINTMENT,
    "appointed": NotificationKind.APPOINTMENT,
    "term-ending": NotificationKind.APPOINTMENT,
    "account-activation": NotificationKind.ACCOUNT,
    "recovery-code-used": NotificationKind.ACCOUNT,
    "two-factor-reset": NotificationKind.ACCOUNT,
}

# The kinds a person may choose about, in the order the settings page lists them.
OPTIONAL_KINDS = [kind for kind in NotificationKind if kind not in ALWAYS_EMAILED]


def kind_of_key(key):
    """The NotificationKind of a notification key: its prefix before the
    first ":" ("task-overdue:12" -> TASK); OTHER for a prefix nobody claimed."""
    return NotificationKind(KIND_BY_PREFIX.get(key.split(":", 1)[0], NotificationKind.OTHER))


def notify(recipients, *, key, subject, body="", url=""):
    """Create one notification per recipient for `key`, unless it exists.

    Idempotent: calling it again with the same key creates nothing. Call it
    inside the service's transaction; email goes out after commit, to those
    who have not turned email off for the key's kind (decided here, once:
    the row of someone who has is written with email_wanted=False, so the
    delivery never claims it). Every row shows in the person's inbox.
    Returns the number of rows created.
    """
    return notify_many([Message(list(recipients), key, subject, body, url)])[0]


@dataclass
class Message:
    """One notify() call: `recipients` (users) are told `subject` under `key`."""

    recipients: list
    key: str
    subject: str
    body: str = ""
    url: str = ""


def notify_many(messages):
    """Create the notifications of every Message (see core.notifications.notify)
    in three statements or fewer: the rows that exist, the email preferences,
    one insert. Returns the number of rows created for each message, in order.
    Call it inside the caller's transaction; email goes out after commit."""
    messages = list(messages)
    wanted = []  # [(message index, recipient id, key)], each (recipient, key) once
    seen = set()
    for index, message in enumerate(messages):
        for user in message.recipients:
            if user.is_active and (user.pk, message.key) not in seen:
                seen.add((user.pk, message.key))
                wanted.append((index, user.pk, message.key))
    counts = [0] * len(messages)
    if not wanted:
        return counts
    keys = {key for _i, _pk, key in wanted}
    user_ids = {pk for _i, pk, _key in wanted}
    existing = set(
        Notification.objects.filter(key__in=keys, recipient_id__in=user_ids).values_list("recipient_id", "key")
    )
    new = [(index, pk, key) for index, pk, key in wanted if (pk, key) not in existing]
    if not new:
        return counts
    kinds = {key: kind_of_key(key) for key in keys}
    optional = {kind for kind in kinds.values() if kind not in ALWAYS_EMAILED}
    no_email = (
        set(
            NotificationPreference.objects.filter(
                user_id__in={pk for _i, pk, _key in new}, kind__in=optional, email=False
            ).values_list("user_id", "kind")
        )
        if optional
        else set()
    )
    rows = []
    emailed = 0
    for index, pk, key in new:
        message = messages[index]
        email_wanted = (pk, kinds[key]) not in no_email
        emailed += email_wanted
        rows.append(
            Notification(
                recipient_id=pk,
                key=key,
                kind=kinds[key],
                subject=message.subject[:200],
                body=message.body,
                url=message.url,
                email_wanted=email_wanted,
            )
        )
        counts[index] += 1
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if emailed:
        from .tasks import deliver_notifications

        enqueue_on_commit(deliver_notifications)
    return counts


@transaction.atomic
def do_set_email_preferences(user, choices):
    """Save `user`'s choice of email per kind (`choices`: {kind: bool}, kinds
    of OPTIONAL_KINDS only; the others are always emailed and refused).

    Turning a kind off also keeps back the mail of that kind not yet sent
    and not being sent now (written before the change, waiting for the
    broker or the reconcile): those rows stay in the inbox only. Turning a
    kind on applies to the notifications that come after it. Atomic;
    returns the kinds whose choice changed. Not in the audit trail: it is
    the person's own setting, changes nobody else's rights or records, and
    each notification row keeps whether it was emailed (email_wanted).
    """
    unknown = set(choices) - set(OPTIONAL_KINDS)
    if unknown:
        raise ValueError(f"email cannot be chosen for {sorted(unknown)}")
    kept = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    changed = [kind for kind, email in choices.items() if kept.get(kind, True) != email]
    for kind in changed:
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": choices[kind]})
    off = [kind for kind in changed if not choices[kind]]
    if off:
        # Not a row a delivery run holds now (its lease still running): that
        # mail is on its way and is stamped sent or failed as usual.
        lease_over = timezone.now() - CLAIM_LEASE
        Notification.objects.email_pending().filter(
            Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=lease_over), recipient=user, kind__in=off
        ).update(email_wanted=False)
    return changed


def email_choices(user):
    """{kind: email on?} for every kind of OPTIONAL_KINDS (one query)."""
    kept = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: kept.get(kind, True) for kind in OPTIONAL_KINDS}


def do_mark_read(user, pk):
    """Mark one of `user`'s notifications read (once: the first reading's
    moment is kept). Returns the notification; Http404 for another person's
    or a missing one. One UPDATE when unread."""
    notification = get_notification_for_user(user, pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def do_mark_all_read(user):
    """Mark every unread notification of `user` read, in one UPDATE. Returns how many."""
    return Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())


def get_notification_for_user(user, pk):
    """The user's own notification `pk`; Http404 when it is missing or
    someone else's (one answer for both)."""
    from django.http import Http404

    try:
        return Notification.objects.get(pk=pk, recipient_id=user.pk)
    except (Notification.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


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
