from django.urls import path

from . import views

# At the site's root, beside the member pages they belong to: /anggota/<id>/data/ ...
app_name = "privacy"
urlpatterns = [
    path("anggota/<int:pk>/data/", views.member_data_export, name="member_data_export"),
    path("anggota/<int:pk>/anonimkan/", views.member_anonymise, name="member_anonymise"),
    path("privasi/tinjauan/", views.review_list, name="review_list"),
    path("privasi/tinjauan/<int:pk>/", views.review_flag, name="review_flag"),
]
