from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _


def navigation(request):
    """The main navigation for the logged-in user, with the current page marked
    and a badge on what needs attention."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from duties.permissions import tasks_for_user

    today = timezone.localdate()
    items = [
        {"label": _("Beranda"), "url": reverse("home")},
        {
            "label": _("Tugas"),
            "url": reverse("duties:task_list"),
            "badge": tasks_for_user(user).overdue(today).count(),
        },
    ]
    items.append({"label": _("Akun"), "url": reverse("security:account")})
    if user.is_staff:
        items.append({"label": _("Admin"), "url": reverse("admin:index")})
    for item in items:
        item["active"] = request.path == item["url"] or (item["url"] != "/" and request.path.startswith(item["url"]))
    return {"nav_items": items}
