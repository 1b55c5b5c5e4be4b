from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import PersonalAccessToken


class TokenScope(BasePermission):
    """A read token reads; writes need a read-write token (or the browser's session)."""

    message = _("Token ini hanya untuk membaca; buat token baca-tulis untuk mengubah data.")

    def has_permission(self, request, view):
        token = request.auth
        if isinstance(token, PersonalAccessToken) and request.method not in SAFE_METHODS:
            return token.can_write
        return True
