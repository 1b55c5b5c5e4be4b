from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top layer: what draws on every app (the home page, the
    navigation and its badges, the project-wide reconcile and the commands
    that seed or check the whole project). Nothing imports it."""

    name = "home"
    verbose_name = _("Beranda")
