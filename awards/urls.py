from django.urls import path

from . import views

app_name = "awards"
urlpatterns = [
    # Public
    path("", views.index, name="index"),
    path("<int:year>/", views.year, name="year"),
    path("verifikasi/", views.verify, name="verify"),
    path("verifikasi/<str:code>/", views.verify_code, name="verify_code"),
    path("piagam/<str:code>/", views.certificate, name="certificate"),
    # KOMTIK admin
    path("kelola/", views.manage, name="manage"),
    path("kelola/baru/", views.round_open, name="round_open"),
    path("kelola/<int:pk>/", views.round_detail, name="round_detail"),
    path("kelola/<int:pk>/kategori/", views.round_categories, name="round_categories"),
    path("kelola/<int:pk>/susun/", views.shortlist_start, name="shortlist_start"),
    path("kelola/<int:pk>/juri/", views.jury_manage, name="jury_manage"),
    path("kelola/<int:pk>/penilaian/", views.review_start, name="review_start"),
    path("kelola/<int:pk>/finalisasi/", views.round_finalise, name="round_finalise"),
    path("kelola/<int:pk>/tanpa-finalis/", views.categories_decide_empty, name="categories_decide_empty"),
    path("kelola/<int:pk>/terbitkan/", views.round_publish, name="round_publish"),
    path("kelola/susun/<int:pk>/status/", views.build_status, name="build_status"),
    path("kelola/juri/<int:pk>/hapus/", views.jury_remove, name="jury_remove"),
    path("kelola/kategori/<int:pk>/pemenang/", views.category_decide, name="category_decide"),
    path("kelola/penghargaan/<int:pk>/", views.award_edit, name="award_edit"),
    path("kelola/penghargaan/<int:pk>/piagam/", views.award_certificate, name="award_certificate"),
    # Admin and the category's jury
    path("finalis/<int:pk>/rincian/", views.finalist_records, name="finalist_records"),
    # Jury
    path("juri/", views.jury_home, name="jury_home"),
    path("juri/<int:pk>/", views.jury_round, name="jury_round"),
    path("juri/finalis/<int:pk>/", views.jury_finalist, name="jury_finalist"),
]
