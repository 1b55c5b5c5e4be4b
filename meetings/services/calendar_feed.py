"""A person's secret calendar feed URL: created, or replaced (reset)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core import audit

from ..models import CalendarFeed, new_calendar_token


@transaction.atomic
def do_reset_calendar_feed(*, user):
    """Create the person's secret feed URL, or replace it: the old URL stops
    working at once."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed.objects.create(user=user)
        action = "calendar_feed.created"
    else:
        feed.token = new_calendar_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
        action = "calendar_feed.reset"
    audit.record(user, action, feed)
    return feed
