from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "duties"
    verbose_name = _("Tugas")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the app's policies with core.permissions)
