from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.work_list, name="work_list"),
    path("saya/", views.my_work, name="my_work"),
    path("catat/", views.log_menu, name="log_menu"),
    path("catat/<slug:kind_slug>/", views.activity_create, name="activity_create"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/ubah/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/hapus/", views.activity_delete, name="activity_delete"),
    path("<int:pk>/setujui/", views.activity_approve, name="activity_approve"),
    path("<int:pk>/tolak/", views.activity_reject, name="activity_reject"),
    path("<int:pk>/bukti/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
]
