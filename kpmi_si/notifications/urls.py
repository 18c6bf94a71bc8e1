from django.urls import path

from . import views

# At the site's root, where they were when notifications lived in programs: /notifikasi/...
app_name = "notifications"
urlpatterns = [
    path("notifikasi/", views.notification_list, name="notification_list"),
    path("notifikasi/<int:pk>/baca/", views.notification_read, name="notification_read"),
    path("notifikasi/jumlah/", views.notification_count, name="notification_count"),
    path("notifikasi/baca-semua/", views.notification_read_all, name="notification_read_all"),
]
