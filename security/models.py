"""Account security settings that an administrator changes as data."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from actors.models import ActorKind


class TwoFactorPolicy(models.Model):
    """Whether the people of an actor kind use a second factor (TOTP) at login.

    Off: not offered. Optional: a person may enrol on their account page, and
    once enrolled is asked for a code at every login. Required: nobody of this
    kind reaches any page before enrolling and entering a code. The seed rows
    make it optional for the Governor's office and seknas; an admin makes it
    required per kind. A person in several actors gets the strictest mode.
    """

    class Mode(models.TextChoices):
        OFF = "off", _("Tidak dipakai")
        OPTIONAL = "optional", _("Boleh")
        REQUIRED = "required", _("Wajib")

    kind = models.OneToOneField(
        ActorKind, on_delete=models.CASCADE, related_name="two_factor_policy", verbose_name=_("jenis pelaku")
    )
    mode = models.CharField(_("verifikasi dua langkah"), max_length=10, choices=Mode.choices, default=Mode.OFF)

    class Meta:
        ordering = ["kind__order"]
        verbose_name = _("kebijakan verifikasi dua langkah")
        verbose_name_plural = _("kebijakan verifikasi dua langkah")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mode__in=["off", "optional", "required"]),
                name="two_factor_policy_known_mode",
                violation_error_message=_("Mode verifikasi dua langkah tidak dikenal."),
            ),
        ]

    def __str__(self):
        return f"{self.kind}: {self.get_mode_display()}"
