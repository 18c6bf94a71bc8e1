from .newsroom import (
    PHOTO_SLOTS,
    ApproveForm,
    ArticleForm,
    CommentForm,
    CorrectionApproveForm,
    LinkActivityForm,
    ReasonForm,
)

__all__ = [
    "PHOTO_SLOTS",
    "ApproveForm",
    "ArticleForm",
    "CommentForm",
    "CorrectionApproveForm",
    "LinkActivityForm",
    "ReasonForm",
]
