from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Rapat")

    def ready(self):
        from . import issued, permissions  # noqa: F401  (register the policies and the issued documents)
