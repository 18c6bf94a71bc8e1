from .businesses import Business, BusinessEntry, BusinessKind, BusinessSettlement, EntryKind
from .catalogue import ClientCategory, EligibilityRule, Service, ServiceTemplate, Unit, WorkKind
from .ledger import (
    EARNED_CATEGORIES,
    INCOME_CATEGORIES,
    MANUAL_CATEGORIES,
    OPERATING_CATEGORIES,
    Category,
    ImmutablePostingError,
    Posting,
)
from .orders import MAX_QUANTITY, Client, Order, PaymentMethod, PaymentStatus, ReceiptSequence

__all__ = [
    "EARNED_CATEGORIES",
    "INCOME_CATEGORIES",
    "MANUAL_CATEGORIES",
    "MAX_QUANTITY",
    "OPERATING_CATEGORIES",
    "Business",
    "BusinessEntry",
    "BusinessKind",
    "BusinessSettlement",
    "Category",
    "Client",
    "ClientCategory",
    "EligibilityRule",
    "EntryKind",
    "ImmutablePostingError",
    "Order",
    "PaymentMethod",
    "PaymentStatus",
    "Posting",
    "ReceiptSequence",
    "Service",
    "ServiceTemplate",
    "Unit",
    "WorkKind",
]
