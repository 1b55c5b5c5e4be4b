"""Showing the audit trail of an object on its page, in sentences."""

from django.db.models import Q

from .history import describe
from .models import AuditEvent

# The attributes naming the actors an object belongs to: a person's position
# in them is shown next to their name ("Budi (Sekretaris TK ... Jawa Tengah)").
ACTOR_ATTRIBUTES = ("actor_id", "proposer_actor_id", "approver_actor_id")


def history_for(*objs, limit=100):
    """The events of one object (or of several, on one page: a proposal, its
    decree and its membership), newest first, each with its sentence
    (core.history.describe). A fixed number of queries for any number of
    events: the events with their people, then at most three lookups."""
    objs = [obj for obj in objs if obj is not None]
    targets = Q(pk__in=[])
    for obj in objs:
        targets |= Q(target_type=obj._meta.label_lower, target_id=str(obj.pk))
    events = AuditEvent.objects.filter(targets).select_related("user")[:limit]
    actor_ids = []
    for obj in objs:
        for attribute in ACTOR_ATTRIBUTES:
            pk = getattr(obj, attribute, None)
            if pk and pk not in actor_ids:
                actor_ids.append(pk)
    return describe(events, actor_ids)
