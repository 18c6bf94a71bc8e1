from django.urls import path  # noqa: F401

from .views import businesses as business_views  # ledger part
from .views import exports as export_views  # ledger part
from .views import ledger as ledger_views  # ledger part

app_name = "entrepreneurship"
# Every page of a KPMI's money is under /usaha/kpmi/<kpmi_pk>/..., so the permission helper loads the
# group first; KOMTIK's templates under /usaha/templat/.
urlpatterns: list = [
    # --- catalogue, clients, orders, receipts (orders) ---
    # --- businesses, ledger, coverage, exports (ledger) ---
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
