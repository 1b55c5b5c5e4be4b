"""Writing the audit trail. Call from services, inside their transaction:
record() for one event, record_many() for a batch (the reconcile), one insert.
The client's address and the way the request came (a page or the API) come
from the request's context (core.middleware.RequestContextMiddleware)."""

from dataclasses import dataclass, field

from .history import has_sentence
from .middleware import client_ip, request_via
from .models import AuditEvent


def record(user, action, target, summary="", changes=None, on_behalf_of="", ip_address=None):
    """Append one event. The action must have a sentence in core.history (the
    history on each page tells it in words): a new code without one is
    refused here, so the first test that records it fails."""
    return record_many([Event(user, action, target, summary, changes or {}, on_behalf_of, ip_address)])[0]


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


def record_many(events):
    """Append one audit event per Event (see core.audit.record) in one insert.
    An action without a sentence in core.history refuses the whole batch."""
    events = list(events)
    for event in events:
        if not has_sentence(event.action):
            raise ValueError(f"Audit action {event.action!r} has no sentence: add one to core/history.py (SENTENCES).")
    ip, via = client_ip(), request_via()
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
                via=via,
            )
            for event in events
        ]
    )
