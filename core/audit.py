"""Writing the audit trail. Call from services, inside their transaction."""

from .history import has_sentence
from .middleware import client_ip
from .models import AuditEvent


def record(user, action, target, summary="", changes=None, on_behalf_of="", ip_address=None):
    """Append one event. The action must have a sentence in core.history (the
    history on each page tells it in words): a new code without one is
    refused here, so the first test that records it fails."""
    if not has_sentence(action):
        raise ValueError(f"Audit action {action!r} has no sentence: add one to core/history.py (SENTENCES).")
    return AuditEvent.objects.create(
        user=user if (user is not None and user.is_authenticated) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary,
        changes=changes or {},
        on_behalf_of=on_behalf_of,
        ip_address=ip_address or client_ip(),
    )
