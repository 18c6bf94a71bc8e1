from .newsroom import (
    PHOTO_SLOTS,
    ApproveForm,
    ArticleForm,
    CommentForm,
    CorrectionApproveForm,
    LinkActivityForm,
    ReasonForm,
)
from .sales import BuyerForm, PayoutForm, SaleCancelForm, SaleForm, ShareForm

__all__ = [
    "BuyerForm",
    "PayoutForm",
    "SaleCancelForm",
    "SaleForm",
    "ShareForm",
    "PHOTO_SLOTS",
    "ApproveForm",
    "ArticleForm",
    "CommentForm",
    "CorrectionApproveForm",
    "LinkActivityForm",
    "ReasonForm",
]
