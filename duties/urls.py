from django.urls import path

from . import views

app_name = "duties"

urlpatterns = [
    path("tugas/", views.task_list, name="task_list"),
    path("tugas/diawasi/", views.overseen_task_list, name="overseen_task_list"),
    path("tugas/baru/", views.task_create, name="task_create"),
    path("tugas/<int:pk>/", views.task_detail, name="task_detail"),
    path("tugas/<int:pk>/status/", views.task_update, name="task_update"),
    path("tugas/<int:pk>/penanggung-jawab/", views.task_assign, name="task_assign"),
    path("tugas/<int:pk>/lampiran/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
]
