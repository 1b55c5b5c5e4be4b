from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from core.views import healthz
from home.views import home
from security import views as security_views

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Browsers and feed readers that ask for /favicon.ico get the page's icon.
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url="/static/favicon.svg", http_method_names=["get", "head"])),
        name="favicon",
    ),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # A wrong current password counts toward the login lockout (security.forms).
    path("accounts/password/", security_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # The language switch must work on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("actors.urls")),
    path("", include("duties.urls")),
    path("", include("appointments.urls")),
    path("", include("reports.urls")),
    path("", include("meetings.urls")),
    path("", include("security.urls")),
    path("", include("documents.urls")),
    path("", include("api.urls")),
    path("", include("core.urls")),
    path("", include("ledger.urls")),
    # The admin's own password change would not count wrong passwords: use ours.
    path("admin/password_change/", staff_member_required(RedirectView.as_view(pattern_name="password_change"))),
    path("admin/", admin.site.urls),
]

# A database that cannot be reached answers 503 (Retry-After), other errors 500.
handler500 = "security.views.server_error"
