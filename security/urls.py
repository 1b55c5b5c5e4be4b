from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("akun/keamanan/", views.account, name="account"),
    path("akun/keamanan/keluar-semua/", views.logout_everywhere, name="logout_everywhere"),
    path("akun/dua-langkah/daftar/", views.otp_enrol, name="otp_enrol"),
    path("akun/dua-langkah/verifikasi/", views.otp_verify, name="otp_verify"),
    path("akun/dua-langkah/matikan/", views.otp_disable, name="otp_disable"),
]
