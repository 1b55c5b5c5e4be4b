"""Bulk forms of core.notifications.notify and core.audit.record, for the
reconcile's catch-ups: the same rows, in a number of statements that does not
grow with the number of items (beyond the database's own insert batches).

- notify_many(messages): what calling notify() once per message, in order,
  would create. Idempotent in the same way (a recipient gets one row per key,
  whether from an earlier run or an earlier message of the same call).
- record_many(events): what calling audit.record() once per event would
  append, every action checked for its sentence first.
- group_members_by_group(group_ids): {group_id: [active users]}, the bulk
  form of reports.services.group_members for one group at a time.
- create_missing(model, objects, unique, defaults): a reconcile's missing rows
  with their grants in one insert, one at a time when a second beat raced it.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from .history import has_sentence
from .middleware import client_ip
from .models import ALWAYS_EMAILED, AuditEvent, Notification, NotificationPreference
from .notifications import kind_of_key
from .permissions import sync_grants
from .queue import enqueue_on_commit


@dataclass
class Message:
    """One notify() call: `recipients` (users) are told `subject` under `key`."""

    recipients: list
    key: str
    subject: str
    body: str = ""
    url: str = ""


@dataclass
class Event:
    """One audit.record() call."""

    user: object
    action: str
    target: object
    summary: str = ""
    changes: dict = field(default_factory=dict)
    on_behalf_of: str = ""
    ip_address: str | None = None


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


def record_many(events):
    """Append one audit event per Event (see core.audit.record) in one insert.
    An action without a sentence in core.history refuses the whole batch."""
    events = list(events)
    for event in events:
        if not has_sentence(event.action):
            raise ValueError(f"Audit action {event.action!r} has no sentence: add one to core/history.py (SENTENCES).")
    ip = client_ip()
    return AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                user=event.user if (event.user is not None and event.user.is_authenticated) else None,
                action=event.action,
                target_type=event.target._meta.label_lower,
                target_id=str(event.target.pk),
                summary=event.summary,
                changes=event.changes or {},
                on_behalf_of=event.on_behalf_of,
                ip_address=event.ip_address or ip,
            )
            for event in events
        ]
    )


def group_members_by_group(group_ids):
    """{group_id: [active users of the group]} in one query (users shared by
    several groups are the same object in each list)."""
    User = get_user_model()
    through = User.groups.through
    users = {}
    by_group = {}
    rows = through.objects.filter(group_id__in=set(group_ids), user__is_active=True).select_related("user")
    for row in rows.order_by("user_id"):
        user = users.setdefault(row.user_id, row.user)
        by_group.setdefault(row.group_id, []).append(user)
    return by_group


def create_missing(model, objects, unique, defaults):
    """Insert `objects` of `model` (none of which existed when the caller
    looked) with their grants (core.permissions.sync_grants), in one
    transaction. When another process (a second beat) made some of them
    meanwhile, the insert fails and they are made one at a time instead,
    `get_or_create` on the `unique` fields with the `defaults` fields, the
    unique constraint deciding. Returns how many this call created."""
    try:
        with transaction.atomic():
            created = model.objects.bulk_create(objects)
            sync_grants(created)
        return len(created)
    except IntegrityError:
        count = 0
        for obj in objects:
            with transaction.atomic():
                made, was_created = model.objects.get_or_create(
                    **{name: getattr(obj, name) for name in unique},
                    defaults={name: getattr(obj, name) for name in defaults},
                )
                if was_created:
                    sync_grants([made])
                    count += 1
        return count
