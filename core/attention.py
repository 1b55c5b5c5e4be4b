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
from django.utils.module_loading import import_string

from .cache import cache_call


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


def badge_source():
    """What the navigation's badges count: the object settings.NAV_BADGES
    names, with `names` (a frozenset) and `queries(user, today)` ({name:
    queryset}). It lives in the top layer (home.badges), which draws on every
    app; core only counts and keeps the numbers."""
    return import_string(settings.NAV_BADGES)


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
        if kept is not None and kept[0] == today.isoformat() and set(kept[1]) == badge_source().names:
            request._nav_badges = kept[1]
            return kept[1]
    return count_with_nav_badges(request, today)


def count_with_nav_badges(request, today, querysets=None):
    """count_all of `querysets` together with the navigation's badges, in one
    query; the badges are kept for this request and NAV_BADGE_SECONDS."""
    badge_queries = badge_source().queries(request.user, today)
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
