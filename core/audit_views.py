"""Showing the audit trail of an object on its page."""

from .models import AuditEvent


def history_for(obj, limit=100):
    return AuditEvent.objects.for_object(obj).select_related("user")[:limit]
