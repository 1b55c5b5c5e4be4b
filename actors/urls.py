from django.urls import path

from . import views

app_name = "actors"

urlpatterns = [
    path("pelaku/<int:pk>/", views.actor_detail, name="actor_detail"),
]
