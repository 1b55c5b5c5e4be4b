from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import account_views, reading, views, writing

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False  # one URL per resource; formats by ?format= where offered
router.register("provinsi", views.ProvinceViewSet, basename="province")
router.register("jenis-pelaku", views.ActorKindViewSet, basename="actor-kind")
router.register("tugas-pokok", views.DutyViewSet, basename="duty")
router.register("pelaku", views.ActorViewSet, basename="actor")
router.register("tugas", views.TaskViewSet, basename="task")
reading.register(router)
writing.register(router)

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/v1/schema/", views.SchemaView.as_view(), name="schema"),
    # Swagger UI from the app's own static files (drf-spectacular-sidecar); its
    # start-up script is a file of its own, as the CSP wants.
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("akun/token/", account_views.tokens, name="tokens"),
    path("akun/token/<int:pk>/cabut/", account_views.revoke, name="token_revoke"),
]

# The API authenticates each request itself (a token, or the session): the
# login middleware's redirect to the login page is for pages, not for it.
for pattern in router.urls + urlpatterns[1:3]:
    login_not_required(pattern.callback)
