from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("rapat/", views.meeting_list, name="meeting_list"),
    path("rapat/kalender/", views.calendar_month, name="calendar"),
    path("rapat/kalender/langganan/", views.calendar_feed, name="calendar_feed"),
    path("rapat/kalender/langganan/atur-ulang/", views.calendar_feed_reset, name="calendar_feed_reset"),
    # The private feed: token-authenticated, no session (calendar apps cannot log in).
    path("rapat/kalender/<str:token>.ics", views.ical_feed, name="ical_feed"),
    path("rapat/rangkaian/<int:pk>/", views.series_detail, name="series_detail"),
    path("rapat/rangkaian/<int:pk>/ubah/", views.series_edit, name="series_edit"),
    path("rapat/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("rapat/<int:pk>/ubah/", views.meeting_edit, name="meeting_edit"),
    path("rapat/<int:pk>/terlaksana/", views.meeting_hold, name="meeting_hold"),
    path("rapat/<int:pk>/tunda/", views.meeting_postpone, name="meeting_postpone"),
    path("rapat/<int:pk>/batal/", views.meeting_cancel, name="meeting_cancel"),
    path("rapat/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("rapat/<int:pk>/kehadiran/", views.attendance, name="attendance"),
    path("rapat/<int:pk>/notulen/", views.minutes_edit, name="minutes_edit"),
    path("rapat/<int:pk>/notulen/setujui/", views.minutes_approve, name="minutes_approve"),
    path("rapat/<int:pk>/notulen/koreksi/", views.minutes_correct, name="minutes_correct"),
    path("rapat/<int:pk>/notulen/<int:number>/pdf/", views.minutes_pdf, name="minutes_pdf"),
    path("rapat/<int:pk>/tindak-lanjut/", views.follow_up_add, name="follow_up_add"),
    path("rapat/<int:pk>/lampiran/", views.attachment_add, name="attachment_add"),
    path("rapat/<int:pk>/lampiran/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
]
