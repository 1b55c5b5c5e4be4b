from django.urls import path

from . import inbox_views

app_name = "notifications"

urlpatterns = [
    path("notifikasi/", inbox_views.inbox, name="inbox"),
    path("notifikasi/<int:pk>/", inbox_views.open_notification, name="open"),
    path("notifikasi/<int:pk>/dibaca/", inbox_views.mark_read, name="mark_read"),
    path("notifikasi/tandai-semua-dibaca/", inbox_views.mark_all_read, name="mark_all_read"),
    path("notifikasi/pengaturan/", inbox_views.preferences, name="preferences"),
]
