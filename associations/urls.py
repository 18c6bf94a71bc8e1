from django.urls import path

from . import views

app_name = "associations"
urlpatterns = [
    path("periode/", views.periods, name="periods"),
    path("periode/<int:pk>/tutup/", views.period_close, name="period_close"),
    path("evaluasi/<int:pk>/status/", views.evaluation_status, name="evaluation_status"),
    path("<slug:code>/", views.dashboard, name="home"),
    path("<slug:code>/evaluasi/", views.evaluation_start, name="evaluation_start"),
    path("<slug:code>/target/", views.targets, name="targets"),
    path("<slug:code>/target/<int:pk>/hapus/", views.target_delete, name="target_delete"),
    path("<slug:code>/rincian/<int:pk>/", views.result_records, name="result_records"),
]
