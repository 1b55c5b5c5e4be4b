"""Counting what needs attention: several counts in one query (count_all),
and the navigation's badges, kept per person for NAV_BADGE_SECONDS.

The badges are counted on every page, so they are the most repeated work of
the application. They are kept in the shared cache (Redis in production) for
a short time: a person's own changes show at once (any POST, PUT, PATCH or
DELETE they send forgets their badges, see NavBadgeMiddleware) and the home
page always counts afresh; other people's changes show within
NAV_BADGE_SECONDS. When the cache does not answer, the badges are counted
as if nothing were kept (core.cache).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Func, IntegerField, Subquery
from django.db.models.functions import Coalesce

from .cache import cache_call
from .models import Notification


def count_subquery(queryset):
    """`SELECT COUNT(id) FROM (...)` as an expression usable in annotate()."""
    counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def count_all(anchor, querysets):
    """{name: count} for every queryset, in one round trip. `anchor` is any
    queryset of exactly one row (e.g. the current user) to hang them on."""
    if not querysets:
        return {}
    annotations = {f"n_{name}": count_subquery(qs) for name, qs in querysets.items()}
    row = anchor.annotate(**annotations).values(*annotations).get()
    return {name: row[f"n_{name}"] for name in querysets}


def user_row(user):
    """The one-row anchor for count_all."""
    return get_user_model().objects.filter(pk=user.pk)


def nav_badge_queries(user, today):
    """{badge name: queryset} behind the navigation's badges."""
    from actors.appointment_views import waiting_for_decision
    from duties.permissions import tasks_for_user
    from reports.navigation import overdue_for_writer
    from reports.permissions import national_viewer_groups

    # The keys must be BADGE_NAMES.
    return {
        "tasks": tasks_for_user(user, reach="own").overdue(today),
        "reports": overdue_for_writer(user, today),
        "proposals": waiting_for_decision(user),
        "notifications": Notification.objects.filter(recipient_id=user.pk).unread(),
        # Not a badge: whether to show the "Nasional" entry (counted here to
        # save a query on every page; the national pages check for themselves).
        "national": national_viewer_groups(user),
    }


# What nav_badge_queries counts; a kept entry without exactly these (written
# by an earlier version of the code, say) is counted again.
BADGE_NAMES = frozenset({"tasks", "reports", "proposals", "notifications", "national"})


def _key(user):
    return f"nav-badges:{user.pk}"


def nav_badges(request, today):
    """{badge name: count} for request.user, from this request, the cache or
    one counting query."""
    counts = getattr(request, "_nav_badges", None)
    if counts is not None:
        return counts
    user = request.user
    seconds = settings.NAV_BADGE_SECONDS
    if seconds > 0:
        kept = cache_call("get", _key(user))
        if kept is not None and kept[0] == today.isoformat() and set(kept[1]) == BADGE_NAMES:
            request._nav_badges = kept[1]
            return kept[1]
    return count_with_nav_badges(request, today)


def count_with_nav_badges(request, today, querysets=None):
    """count_all of `querysets` together with the navigation's badges, in one
    query; the badges are kept for this request and NAV_BADGE_SECONDS."""
    badge_queries = nav_badge_queries(request.user, today)
    counts = count_all(user_row(request.user), {**(querysets or {}), **badge_queries})
    badges = {name: counts[name] for name in badge_queries}
    request._nav_badges = badges
    if settings.NAV_BADGE_SECONDS > 0:
        cache_call("set", _key(request.user), (today.isoformat(), badges), settings.NAV_BADGE_SECONDS)
    return counts


def forget_nav_badges(user):
    """The next page counts the user's badges afresh."""
    if settings.NAV_BADGE_SECONDS > 0:
        cache_call("delete", _key(user))
