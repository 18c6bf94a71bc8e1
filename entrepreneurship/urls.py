from django.urls import path

from .views import businesses as business_views
from .views import catalogue, orders
from .views import exports as export_views
from .views import ledger as ledger_views

app_name = "entrepreneurship"
# Every page of a KPMI's money is under /usaha/kpmi/<kpmi_pk>/..., so the permission helper loads the
# group first; KOMTIK's templates under /usaha/templat/.
urlpatterns: list = [
    # --- catalogue, clients, orders, receipts ---
    path("kpmi/<int:kpmi_pk>/layanan/", catalogue.service_list, name="service_list"),
    path("kpmi/<int:kpmi_pk>/layanan/baru/", catalogue.service_create, name="service_create"),
    path("kpmi/<int:kpmi_pk>/layanan/<int:pk>/", catalogue.service_detail, name="service_detail"),
    path("kpmi/<int:kpmi_pk>/layanan/<int:pk>/ubah/", catalogue.service_edit, name="service_edit"),
    path("kpmi/<int:kpmi_pk>/layanan/<int:pk>/aturan/", catalogue.rule_add, name="rule_add"),
    path("kpmi/<int:kpmi_pk>/layanan/<int:pk>/aturan/<int:rule_pk>/hapus/", catalogue.rule_remove, name="rule_remove"),
    path("kpmi/<int:kpmi_pk>/layanan/templat/<int:template_pk>/", catalogue.service_adopt, name="service_adopt"),
    path("templat/", catalogue.template_list, name="template_list"),
    path("templat/baru/", catalogue.template_create, name="template_create"),
    path("templat/<int:pk>/", catalogue.template_detail, name="template_detail"),
    path("templat/<int:pk>/ubah/", catalogue.template_edit, name="template_edit"),
    path("templat/<int:pk>/aturan/", catalogue.template_rule_add, name="template_rule_add"),
    path("templat/<int:pk>/aturan/<int:rule_pk>/hapus/", catalogue.template_rule_remove, name="template_rule_remove"),
    path("kpmi/<int:kpmi_pk>/pesanan/", orders.order_list, name="order_list"),
    path("kpmi/<int:kpmi_pk>/pesanan/baru/", orders.order_create, name="order_create"),
    path("kpmi/<int:kpmi_pk>/pesanan/<int:pk>/", orders.order_detail, name="order_detail"),
    path("kpmi/<int:kpmi_pk>/pesanan/<int:pk>/bayar/", orders.order_pay, name="order_pay"),
    path("kpmi/<int:kpmi_pk>/pesanan/<int:pk>/batal/", orders.order_cancel, name="order_cancel"),
    path("kpmi/<int:kpmi_pk>/pesanan/<int:pk>/kwitansi/", orders.order_receipt, name="order_receipt"),
    path("kpmi/<int:kpmi_pk>/pesanan/<int:pk>/catat-kegiatan/", orders.order_log_work, name="order_log_work"),
    # --- businesses, ledger, coverage, exports ---
    path("kpmi/<int:kpmi_pk>/keuangan/", ledger_views.money_overview, name="money"),
    path("kpmi/<int:kpmi_pk>/buku-kas/", ledger_views.ledger, name="ledger"),
    path("kpmi/<int:kpmi_pk>/buku-kas/catat/", ledger_views.posting_create, name="posting_create"),
    path("kpmi/<int:kpmi_pk>/buku-kas/<int:pk>/balik/", ledger_views.posting_reverse_view, name="posting_reverse"),
    path("kpmi/<int:kpmi_pk>/unduh/buku-kas/", export_views.ledger_export, name="ledger_export"),
    path("kpmi/<int:kpmi_pk>/unduh/pesanan/", export_views.orders_export, name="orders_export"),
    path("kpmi/<int:kpmi_pk>/usaha-perintis/", business_views.business_list, name="business_list"),
    path("kpmi/<int:kpmi_pk>/usaha-perintis/baru/", business_views.business_create, name="business_create"),
    path("kpmi/<int:kpmi_pk>/usaha-perintis/<int:pk>/", business_views.business_detail, name="business_detail"),
    path(
        "kpmi/<int:kpmi_pk>/usaha-perintis/<int:pk>/catat/",
        business_views.business_entry_create,
        name="business_entry_create",
    ),
    path("kpmi/<int:kpmi_pk>/usaha-perintis/<int:pk>/tutup/", business_views.business_close, name="business_close"),
    path("kpmi/<int:kpmi_pk>/usaha-perintis/<int:pk>/setel/", business_views.business_settle, name="business_settle"),
]
