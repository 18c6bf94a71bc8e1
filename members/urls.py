from django.urls import path

from . import views

# Public pages: the KPMI directory.
directory_patterns = (
    [
        path("", views.kpmi_list, name="kpmi_list"),
        path("<int:pk>/", views.kpmi_detail, name="kpmi_detail"),
    ],
    "directory",
)

# Pages for the people who keep the groups' records.
member_patterns = (
    [
        path("kpmi/baru/", views.kpmi_create, name="kpmi_create"),
        path("kpmi/<int:pk>/ubah/", views.kpmi_edit, name="kpmi_edit"),
        path("kpmi/<int:kpmi_pk>/anggota/", views.member_list, name="member_list"),
        path("kpmi/<int:kpmi_pk>/anggota/tambah/", views.member_create, name="member_create"),
        path("anggota/<int:pk>/", views.member_detail, name="member_detail"),
        path("anggota/<int:pk>/ubah/", views.member_edit, name="member_edit"),
        path("anggota/<int:pk>/jenjang/", views.member_level_change, name="member_level_change"),
        path("wilayah/desa/", views.desa_options, name="desa_options"),
    ],
    "members",
)
