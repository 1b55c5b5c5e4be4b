from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Rapat")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the app's policies with core.permissions)
