from django.urls import path

from ledger import national_views, views

app_name = "ledger"

urlpatterns = [
    path("buku-tugas/", views.index, name="index"),
    path("buku-tugas/nasional/", national_views.national_view, name="national"),
    path("buku-tugas/<int:actor_pk>/<str:period>/", views.ledger, name="ledger"),
    path("buku-tugas/<int:actor_pk>/<str:period>/tugas/<int:duty_pk>/uraian/", views.account, name="account"),
    path("buku-tugas/<int:actor_pk>/<str:period>/tugas/<int:duty_pk>/kejadian/", views.occurrence, name="occurrence"),
    path(
        "buku-tugas/<int:actor_pk>/<str:period>/tugas/<int:duty_pk>/tidak-ada-kejadian/",
        views.declare_none,
        name="declare_none",
    ),
    path("buku-tugas/lampiran/<int:pk>/", views.attachment, name="attachment"),
]
