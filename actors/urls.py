from django.urls import path

from . import appointment_views as appointments
from . import views

app_name = "actors"

urlpatterns = [
    path("pelaku/<int:pk>/", views.actor_detail, name="actor_detail"),
    path("pelaku/<int:pk>/tim/", appointments.team, name="team"),
    path("penetapan/", appointments.proposal_list, name="proposal_list"),
    path("penetapan/baru/", appointments.proposal_create, name="proposal_create"),
    path("penetapan/kotak-masuk/", appointments.proposal_inbox, name="proposal_inbox"),
    path("penetapan/<int:pk>/", appointments.proposal_detail, name="proposal_detail"),
    path("penetapan/<int:pk>/ubah/", appointments.proposal_edit, name="proposal_edit"),
    path("penetapan/<int:pk>/ajukan/", appointments.proposal_submit, name="proposal_submit"),
    path("penetapan/<int:pk>/setujui/", appointments.proposal_approve, name="proposal_approve"),
    path("penetapan/<int:pk>/kembalikan/", appointments.proposal_return, name="proposal_return"),
    path("penetapan/<int:pk>/tolak/", appointments.proposal_reject, name="proposal_reject"),
    path(
        "penetapan/<int:pk>/kirim-ulang-tautan/",
        appointments.resend_activation,
        name="resend_activation",
    ),
    path(
        "penetapan/<int:pk>/lampiran/<int:attachment_pk>/",
        appointments.attachment_download,
        name="proposal_attachment",
    ),
    path("penetapan/<int:pk>/sk/", appointments.decree_print, name="decree_print"),
    path("penetapan/<int:pk>/sk/pindaian/", appointments.decree_scan, name="decree_scan"),
    path(
        "akun/aktivasi/<uidb64>/<token>/",
        appointments.AccountActivateView.as_view(),
        name="account_activate",
    ),
]
