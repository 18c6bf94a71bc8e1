from django.urls import path

from .views import catalogue, orders

app_name = "entrepreneurship"
# Every page of a KPMI's money is under /usaha/kpmi/<kpmi_pk>/..., so the permission helper loads the
# group first; KOMTIK's templates under /usaha/templat/.
urlpatterns: list = [
    # --- catalogue, clients, orders, receipts (orders) ---
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
    # --- businesses, ledger, coverage, exports (ledger) ---
]
