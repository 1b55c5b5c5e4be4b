"""Personal access tokens for the REST API (/api/v1/): each person makes and
revokes their own. Only a SHA-256 of the token is stored; the token itself is
shown once, when it is made."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class PersonalAccessToken(models.Model):
    class Scope(models.TextChoices):
        READ = "baca", _("Baca saja")
        WRITE = "baca-tulis", _("Baca dan tulis")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("pemilik")
    )
    name = models.CharField(_("nama"), max_length=80, help_text=_("Untuk apa token ini, mis. 'Dasbor seknas'."))
    prefix = models.CharField(_("awalan"), max_length=12, help_text=_("Awal token, untuk mengenalinya."))
    digest = models.CharField(_("SHA-256"), max_length=64, unique=True)
    scope = models.CharField(_("cakupan"), max_length=20, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    objects = TokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("token akses API")
        verbose_name_plural = _("token akses API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self):
        return self.scope == self.Scope.WRITE

    def is_usable(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
