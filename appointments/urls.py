from django.urls import path

from . import views

app_name = "appointments"

urlpatterns = [
    path("pelaku/<int:pk>/tim/", views.team, name="team"),
    path("penetapan/", views.proposal_list, name="proposal_list"),
    path("penetapan/baru/", views.proposal_create, name="proposal_create"),
    path("penetapan/kotak-masuk/", views.proposal_inbox, name="proposal_inbox"),
    path("penetapan/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("penetapan/<int:pk>/ubah/", views.proposal_edit, name="proposal_edit"),
    path("penetapan/<int:pk>/ajukan/", views.proposal_submit, name="proposal_submit"),
    path("penetapan/<int:pk>/setujui/", views.proposal_approve, name="proposal_approve"),
    path("penetapan/<int:pk>/kembalikan/", views.proposal_return, name="proposal_return"),
    path("penetapan/<int:pk>/tolak/", views.proposal_reject, name="proposal_reject"),
    path("penetapan/<int:pk>/kirim-ulang-tautan/", views.resend_activation, name="resend_activation"),
    path(
        "penetapan/<int:pk>/lampiran/<int:attachment_pk>/",
        views.attachment_download,
        name="proposal_attachment",
    ),
    path("penetapan/<int:pk>/sk/", views.decree_print, name="decree_print"),
    path("penetapan/<int:pk>/sk/pindaian/", views.decree_scan, name="decree_scan"),
    path("penetapan/<int:pk>/sk/pdf/", views.decree_pdf, name="decree_pdf"),
    path("akun/aktivasi/<uidb64>/<token>/", views.AccountActivateView.as_view(), name="account_activate"),
]
