from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("akun/aktifkan/", views.activate, name="activate"),
    path("akun/undangan/<int:pk>/cabut/", views.invitation_revoke, name="invitation_revoke"),
    path("anggota/<int:pk>/akun/", views.member_account, name="member_account"),
    path("kpmi/<int:pk>/pengurus/", views.kpmi_roles, name="kpmi_roles"),
    path("kpmi/pengurus/<int:pk>/akhiri/", views.kpmi_role_end, name="kpmi_role_end"),
    path("komtik/petugas/", views.officers, name="officers"),
    path("komtik/petugas/<int:pk>/akhiri/", views.officer_end, name="officer_end"),
    path("komtik/akun-baru/", views.person_invite, name="person_invite"),
]
