from django.urls import reverse
from django.utils.translation import gettext as _


def navigation(request):
    """The main navigation for the logged-in user, with the current page marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [{"label": _("Beranda"), "url": reverse("home")}]
    if user.is_staff:
        items.append({"label": _("Admin"), "url": reverse("admin:index")})
    for item in items:
        item["active"] = request.path == item["url"] or (item["url"] != "/" and request.path.startswith(item["url"]))
    return {"nav_items": items}
