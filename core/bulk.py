"""The reconcile's bulk steps that belong to no one app, in a number of
statements that does not grow with the number of items (the bulk forms of
notify and record are core.notifications.notify_many and
core.audit.record_many, beside their single forms).

- group_members_by_group(group_ids): {group_id: [active users]}, the bulk
  form of reports.services.group_members for one group at a time.
- create_missing(model, objects, unique, defaults): a reconcile's missing rows
  with their grants in one insert, one at a time when a second beat raced it.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from .permissions import sync_grants


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
