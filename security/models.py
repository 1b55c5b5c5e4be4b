"""Account security settings that an administrator changes as data."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

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


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """A person's one-time recovery codes, as one django-otp device: at the
    code page, one of them stands in for the authenticator app's code (a lost
    phone). Made at enrolment (security.services.do_enable_two_factor), shown
    once; only their SHA-256 digests (with this device's salt) are stored, and
    a used code is deleted. Failed attempts are throttled like the app's codes."""

    salt = models.CharField(max_length=32, editable=False)

    class Meta:
        verbose_name = _("kode pemulihan")
        verbose_name_plural = _("kode pemulihan")

    def get_throttle_factor(self):
        return 1

    def verify_token(self, token):
        from . import twofactor

        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        # Deleting is the check: of two requests with the same code, one deletes it.
        used, _rows = self.codes.filter(digest=twofactor.recovery_digest(self.salt, token)).delete()
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return bool(used)


class RecoveryCode(models.Model):
    """One unused recovery code, by its digest."""

    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("kode pemulihan")
        verbose_name_plural = _("kode pemulihan")
        constraints = [
            # Also the index of RecoveryCodes.verify_token's lookup (device, digest).
            models.UniqueConstraint(
                fields=["device", "digest"],
                name="recovery_code_unique_per_device",
                violation_error_message=_("Kode pemulihan ini sudah ada."),
            ),
        ]

    def __str__(self):
        # Never the digest.
        return f"{self._meta.verbose_name} #{self.pk}"
