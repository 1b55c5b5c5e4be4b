from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("verifikasi/", views.verify_form, name="verify_form"),
    path("verifikasi/<str:code>/", views.verify, name="verify"),
]
