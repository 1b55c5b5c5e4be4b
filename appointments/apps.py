from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    """Appointment proposals, decrees and hand-overs. The models keep the
    `actors` app label (see appointments/models.py)."""

    name = "appointments"
    verbose_name = _("Penetapan")

    def ready(self):
        # Registers ProposalPolicy with the permission engine (core.permissions)
        # and the decree as an issued document (documents.registry) before any
        # request or service asks for them.
        from . import issued, permissions  # noqa: F401
