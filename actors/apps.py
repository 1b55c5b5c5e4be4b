from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = _("Pelaku")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the app's policies with core.permissions)
