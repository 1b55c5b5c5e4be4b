from django.urls import path

from . import assessment_views, views

app_name = "reports"

urlpatterns = [
    path("laporan/", views.report_list, name="report_list"),
    path("laporan/insidental/baru/", views.incidental_create, name="incidental_create"),
    path("laporan/<int:pk>/", views.report_detail, name="report_detail"),
    path("laporan/<int:pk>/draf/", views.report_edit, name="report_edit"),
    path("laporan/<int:pk>/draf/simpan-otomatis/", views.report_autosave, name="report_autosave"),
    path("laporan/<int:pk>/tanggapan/", views.report_review, name="report_review"),
    path("laporan/<int:pk>/wilayah/", views.unit_search, name="unit_search"),
    path("laporan/<int:pk>/lampiran/", views.attachment_add, name="attachment_add"),
    path("laporan/<int:pk>/lampiran/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("laporan/<int:pk>/lampiran/<int:attachment_pk>/hapus/", views.attachment_remove, name="attachment_remove"),
    path("laporan/versi/<int:pk>/", views.version_detail, name="version_detail"),
    path("laporan/versi/<int:pk>/perubahan/", views.version_diff, name="version_diff"),
    path("laporan/versi/<int:pk>/pdf/", views.version_pdf, name="version_pdf"),
    path("laporan/versi/<int:pk>/penilaian.xlsx", views.version_excel, name="version_excel"),
    path("laporan/versi/<int:pk>/lampiran/<int:attachment_pk>/", views.version_attachment, name="version_attachment"),
    path("nasional/", views.national_view, name="national"),
    path("nasional/matriks.csv", views.national_csv, name="national_csv"),
    path("nasional/matriks.xlsx", views.national_xlsx, name="national_xlsx"),
    path("penilaian-kinerja/", assessment_views.assessment_view, name="assessment"),
    path("penilaian-kinerja.xlsx", assessment_views.assessment_xlsx, name="assessment_xlsx"),
]
