from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.work_list, name="work_list"),
    path("saya/", views.my_work, name="my_work"),
    path("catat/", views.log_menu, name="log_menu"),
    path("cari-anggota/", views.member_search, name="member_search"),
    path("catat/<slug:kind_slug>/", views.activity_create, name="activity_create"),
    # Logging without a signal (views/offline.py): the phone's outbox sends here, one entry at a time.
    path("catat/<slug:kind_slug>/kirim/", views.activity_sync, name="activity_sync"),
    path("kotak-keluar/", views.outbox, name="outbox"),
    path("luring/data/", views.offline_lists, name="offline_lists"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/ubah/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/hapus/", views.activity_delete, name="activity_delete"),
    path("<int:pk>/setujui/", views.activity_approve, name="activity_approve"),
    path("<int:pk>/tolak/", views.activity_reject, name="activity_reject"),
    path("<int:pk>/bukti/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
]

# Interventions: the central ToT, collaboration programmes, invitations, volunteer projects and
# competitions, at the site's root (/program/tot/..., /undangan/..., /proyek/..., /lomba/...).
intervention_patterns = (
    [
        path("program/tot/", views.tot_list, name="tot_list"),
        path("program/tot/baru/", views.tot_create, name="tot_create"),
        path("program/tot/<int:pk>/", views.tot_detail, name="tot_detail"),
        path("program/tot/<int:pk>/ubah/", views.tot_edit, name="tot_edit"),
        path("program/tot/<int:pk>/batal/", views.tot_cancel, name="tot_cancel"),
        path("program/tot/<int:pk>/kirim/", views.tot_send, name="tot_send"),
        path("program/tot/<int:pk>/tambah/", views.tot_add_candidate, name="tot_add_candidate"),
        path("program/kolaborasi/", views.collaboration_list, name="collaboration_list"),
        path("program/kolaborasi/baru/", views.collaboration_create, name="collaboration_create"),
        path("program/kolaborasi/<int:pk>/", views.collaboration_detail, name="collaboration_detail"),
        path("program/kolaborasi/<int:pk>/kirim/", views.collaboration_send, name="collaboration_send"),
        path("program/kolaborasi/<int:pk>/batal/", views.collaboration_cancel, name="collaboration_cancel"),
        path(
            "program/kolaborasi/<int:pk>/catat/<slug:kind_slug>/",
            views.collaboration_log_work,
            name="collaboration_log_work",
        ),
        path("undangan/", views.invitation_list, name="invitation_list"),
        path("undangan/<int:pk>/", views.invitation_detail, name="invitation_detail"),
        path("undangan/<int:pk>/terima/", views.invitation_accept, name="invitation_accept"),
        path("undangan/<int:pk>/tolak/", views.invitation_decline, name="invitation_decline"),
        path("undangan/<int:pk>/batal-tolak/", views.invitation_undo_decline, name="invitation_undo_decline"),
        path("undangan/tot/<int:pk>/", views.tot_answer, name="tot_answer"),
        path("undangan/<int:pk>/tarik/", views.invitation_withdraw, name="invitation_withdraw"),
        path("undangan/<int:pk>/kehadiran/", views.invitation_attendance, name="invitation_attendance"),
        path("undangan/<int:pk>/hasil/", views.invitation_result, name="invitation_result"),
        path("proyek/", views.project_list, name="project_list"),
        path("proyek/baru/", views.project_create, name="project_create"),
        path("proyek/<int:pk>/", views.project_detail, name="project_detail"),
        path("proyek/<int:pk>/daftar/", views.project_sign_up, name="project_sign_up"),
        path("proyek/<int:pk>/tim/", views.project_confirm, name="project_confirm"),
        path("proyek/<int:pk>/selesai/", views.project_complete, name="project_complete"),
        path("proyek/<int:pk>/batal/", views.project_cancel, name="project_cancel"),
        path(
            "proyek/<int:pk>/daftar/<int:signup_pk>/tarik/",
            views.project_signup_withdraw,
            name="project_signup_withdraw",
        ),
        path("program/penghargaan/", views.association_awards, name="association_awards"),
        path("lomba/", views.competition_list, name="competition_list"),
        path("lomba/baru/", views.competition_create, name="competition_create"),
        path("lomba/<int:pk>/", views.competition_detail, name="competition_detail"),
        path("lomba/<int:pk>/tutup/", views.competition_close, name="competition_close"),
    ],
    "interventions",
)
