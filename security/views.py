import sys
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_errors
from core.models import AuditEvent

from . import services, sessions, twofactor
from .forms import PasswordConfirmForm, ThrottledPasswordChangeForm, TokenForm, VerifyForm
from .models import TwoFactorPolicy

ENROL_KEY = "security_otp_enrol_key"


def _account_context(request, **forms):
    user = request.user
    return {
        "mode": twofactor.mode_for(user),
        "modes": TwoFactorPolicy.Mode,
        "device": twofactor.confirmed_device(user),
        "verified": user.is_verified(),
        "recovery": twofactor.recovery_device(user),
        "logout_form": forms.get("logout_form") or PasswordConfirmForm(prefix="logout"),
        "disable_form": forms.get("disable_form") or PasswordConfirmForm(prefix="disable"),
        "history": AuditEvent.objects.for_object(user).filter(action__startswith="account.")[:20],
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
    }


@require_safe
def account(request):
    return render(request, "security/account.html", _account_context(request))


@require_POST
def logout_everywhere(request):
    form = PasswordConfirmForm(request.POST, prefix="logout")
    if form.is_valid():
        try:
            services.do_log_out_everywhere(request, password=form.cleaned_data["password"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Semua sesi lain telah diakhiri. Sesi ini tetap aktif."))
            return redirect("security:account")
    return render(request, "security/account.html", _account_context(request, logout_form=form), status=400)


@require_POST
def otp_disable(request):
    form = PasswordConfirmForm(request.POST, prefix="disable")
    if form.is_valid():
        try:
            services.do_disable_two_factor(request, password=form.cleaned_data["password"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Verifikasi dua langkah dimatikan."))
            return redirect("security:account")
    return render(request, "security/account.html", _account_context(request, disable_form=form), status=400)


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return None


@never_cache
def otp_enrol(request):
    mode = twofactor.mode_for(request.user)
    if mode == TwoFactorPolicy.Mode.OFF:
        raise PermissionDenied
    # Before anything is shown or kept: a login past the password step alone
    # may enrol a first device, never replace the one it has yet to prove.
    services.refuse_enrolment_unless_allowed(request)
    key = request.session.get(ENROL_KEY)
    if not key:
        key = request.session[ENROL_KEY] = twofactor.new_key()
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                codes = services.do_enable_two_factor(request, key_hex=key, token=form.cleaned_data["token"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                del request.session[ENROL_KEY]
                messages.success(request, _("Verifikasi dua langkah aktif. Kode akan diminta setiap kali masuk."))
                # Shown in this answer only (never_cache), never stored in clear.
                context = {"codes": codes, "next": _next_url(request) or reverse("security:account")}
                return render(request, "security/recovery_codes.html", context)
        status = 400
    context = {
        "form": form,
        "qr_svg": twofactor.qr_svg(twofactor.config_url(request.user, key)),
        "secret": twofactor.secret_for_display(key),
        "issuer": twofactor.issuer(),
        "required": mode == TwoFactorPolicy.Mode.REQUIRED,
        "next": _next_url(request) or "",
    }
    return render(request, "security/otp_enrol.html", context, status=status)


def otp_verify(request):
    if not request.session.get(sessions.OTP_PENDING):
        return redirect(_next_url(request) or "home")
    if not twofactor.enrolled(request.user):
        # Required but not enrolled yet: enrol first (that verifies too).
        return redirect(_enrol_url(request))
    form = VerifyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and services.verify_two_factor(request, token=form.cleaned_data["token"]):
            return redirect(_next_url(request) or "home")
        if form.is_valid():
            form.add_error("token", _("Kode salah atau sudah kedaluwarsa. Tunggu kode berikutnya, lalu coba lagi."))
        status = 400
    return render(request, "security/otp_verify.html", {"form": form, "next": _next_url(request) or ""}, status=status)


def _enrol_url(request):
    next_url = _next_url(request)
    return reverse("security:otp_enrol") + (f"?{urlencode({'next': next_url})}" if next_url else "")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, the old password checked like a login
    (counted by the login throttling; see ThrottledPasswordChangeForm)."""

    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


def csrf_failure(request, reason=""):
    """Django's CSRF refusal, in Indonesian, and marked for the security log."""
    request._refused_by = "csrf"
    return render(request, "403_csrf.html", status=403)


def lockout(request, original_response=None, credentials=None):
    """The page django-axes shows to a locked (username, IP) pair: 429, in Indonesian."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/lockout.html", context, status=429)


def server_error(request):
    """handler500: a database that cannot be reached (PostgreSQL restarting,
    a dropped connection) is a 503 with Retry-After, not a 500. Neither page
    touches the database: they render without context processors."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(render_to_string("500.html"))
