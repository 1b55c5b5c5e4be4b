"""/notifikasi/: what the app told a person (every notification, whatever
went by email), read and unread, and their choice of email per kind.

A person only ever reaches their own rows: every query is filtered by
recipient, and another person's notification is a 404 like a missing one
(core.notifications.get_notification_for_user).
"""

from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from . import clock, notifications
from .attention import forget_nav_badges, nav_badges
from .forms import EmailPreferenceForm
from .models import Notification
from .pagination import PAGE_SIZE, paginate_ids
from .templatetags.fmt import ZONE_LABELS


def _zone(request):
    """The person's zone as waktu_lokal takes a province (tzinfo and label)."""
    name = clock.request_zone(request) or settings.TIME_ZONE
    return SimpleNamespace(tzinfo=ZoneInfo(name), zone_label=ZONE_LABELS.get(name, "WIB"))


def _safe_url(request, url):
    """`url` when it points into this site (a path, or this host), else None:
    a notification's link never sends anyone elsewhere."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


@require_safe
def inbox(request):
    """The person's notifications, newest first: two queries for a page in
    range (ids with the total, then the page's rows), whatever their number."""
    mine = Notification.objects.filter(recipient_id=request.user.pk)
    page = paginate_ids(
        mine,
        ("-created_at", "-pk"),
        request.GET.get("page"),
        PAGE_SIZE,
        lambda ids: Notification.objects.filter(pk__in=ids).only(
            "pk", "subject", "body", "url", "created_at", "read_at", "kind"
        ),
    )
    # The navigation's count (this request's, or kept a few seconds: no query
    # of its own), or an unread row on this page if it came since.
    unread = nav_badges(request, clock.request_today(request))["notifications"]
    unread = unread or any(n.read_at is None for n in page.object_list)
    return render(request, "notifications/inbox.html", {"page": page, "zone": _zone(request), "unread": unread})


@require_safe
def open_notification(request, pk):
    """Mark the notification read and follow its link (a local one only;
    without one, back to the inbox)."""
    notification = notifications.do_mark_read(request.user, pk)
    # A GET that changes a badge: NavBadgeMiddleware forgets badges after a POST only.
    forget_nav_badges(request.user)
    return redirect(_safe_url(request, notification.url) or "notifications:inbox")


@require_POST
def mark_read(request, pk):
    notifications.do_mark_read(request.user, pk)
    messages.success(request, _("Pemberitahuan ditandai sudah dibaca."))
    return redirect("notifications:inbox")


@require_POST
def mark_all_read(request):
    n = notifications.do_mark_all_read(request.user)
    if n:
        messages.success(
            request,
            ngettext("%(n)d pemberitahuan ditandai sudah dibaca.", "%(n)d pemberitahuan ditandai sudah dibaca.", n)
            % {"n": n},
        )
    else:
        messages.info(request, _("Tidak ada pemberitahuan yang belum dibaca."))
    return redirect("notifications:inbox")


def preferences(request):
    """Email on or off per kind; account and security mail is always sent."""
    now = notifications.email_choices(request.user)
    if request.method == "POST":
        form = EmailPreferenceForm(request.POST, choices_now=now)
        if form.is_valid():
            notifications.do_set_email_preferences(request.user, form.email_choices())
            messages.success(request, _("Pilihan pemberitahuan disimpan."))
            return redirect("notifications:preferences")
        status = 400
    else:
        form = EmailPreferenceForm(choices_now=now)
        status = 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)
