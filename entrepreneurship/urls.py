from django.urls import path  # noqa: F401

app_name = "entrepreneurship"
# Every page of a KPMI's money is under /usaha/kpmi/<kpmi_pk>/..., so the permission helper loads the
# group first; KOMTIK's templates under /usaha/templat/.
urlpatterns: list = [
    # --- catalogue, clients, orders, receipts (orders) ---
    # --- businesses, ledger, coverage, exports (ledger) ---
]
