from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import clock
from core.attention import nav_badges
from reports.navigation import report_nav_items


def navigation(request):
    """The main navigation for the logged-in user, with the current page marked
    and a badge on what needs attention (counted in one query, kept for a
    short time: see core.attention)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    today = clock.request_today(request)
    badges = nav_badges(request, today)
    items = [
        {"label": _("Beranda"), "url": reverse("home")},
        {
            "label": _("Tugas"),
            "url": reverse("duties:task_list"),
            "badge": "tasks",
            "badge_text": lambda n: ngettext("%(n)d tugas terlambat", "%(n)d tugas terlambat", n) % {"n": n},
        },
        {"label": _("Rapat"), "url": reverse("meetings:meeting_list")},
    ]
    items += report_nav_items(user, today, national=badges["national"] > 0, assessment=badges["assessment"] > 0)
    if badges["ledger"] > 0:
        items.append({"label": _("Buku tugas"), "url": reverse("ledger:index")})
    items.append(
        {
            "label": _("Penetapan"),
            "url": reverse("appointments:proposal_list"),
            "badge": "proposals",
            "badge_text": lambda n: (
                ngettext("%(n)d usulan menunggu keputusan Anda", "%(n)d usulan menunggu keputusan Anda", n) % {"n": n}
            ),
        },
    )
    items.append(
        {
            "label": _("Pemberitahuan"),
            "url": reverse("notifications:inbox"),
            "badge": "notifications",
            "badge_text": lambda n: (
                ngettext("%(n)d pemberitahuan belum dibaca", "%(n)d pemberitahuan belum dibaca", n) % {"n": n}
            ),
        },
    )
    items.append({"label": _("Akun"), "url": reverse("security:account")})
    if user.is_staff:
        items.append({"label": _("Admin"), "url": reverse("admin:index")})
    for item in items:
        item["badge"] = badges[item["badge"]] if "badge" in item else 0
        # What a screen reader says instead of the bare number ("3 tugas terlambat").
        describe = item.pop("badge_text", None)
        if item["badge"]:
            item["badge_label"] = (
                describe(item["badge"]) if describe else _("%(n)d perlu perhatian") % {"n": item["badge"]}
            )
        item["active"] = request.path == item["url"] or (item["url"] != "/" and request.path.startswith(item["url"]))
    return {"nav_items": items}
