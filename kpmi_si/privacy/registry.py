"""Where members' personal data lives, field by field, in one place. Every text field of the project's
models is in exactly one of these (tests/privacy/test_registry.py fails on a new one that is in none),
so adding a field is also deciding what anonymising does with it."""

from __future__ import annotations

from django.apps import apps
from django.db import models

# The identity itself: member_anonymise replaces it (or clears it) on the member and their login.
IDENTITY: dict[str, tuple[str, ...]] = {
    "members.Member": ("full_name", "phone", "email"),
    "members.User": ("username", "first_name", "last_name", "email", "password"),
    # Uploaded files keep the name they had on the phone ("Foto Euis di balai desa.jpg"); the stored
    # file has a random name, so a name that matches is replaced.
    "programs.Evidence": ("original_name",),
    # Where an account invitation was e-mailed (#14): anonymising deletes the member's invitations.
    "accounts.AccountInvitation": ("email",),
}

# Text people wrote, which may name someone. Anonymising flags it for the KOMTIK admin to review when
# it names the member; it never rewrites it on its own.
FREE_TEXT: dict[str, tuple[str, ...]] = {
    "audit.AuditEntry": ("target_repr", "changes", "note"),
    "notifications.Notification": ("message", "email_subject"),
    "members.Kpmi": ("name", "address", "description"),
    "members.LevelChange": ("reason", "evidence"),
    "programs.Activity": ("title", "summary", "evidence_url", "rejection_reason"),
    "programs.Publication": ("link",),
    "programs.EducationSession": ("venue",),
    "programs.Deployment": ("site_name",),
    "programs.Training": ("venue",),
    "programs.AssociationAward": ("name", "reason"),
    "programs.CollaborationProgram": ("name", "theme", "venue"),
    "programs.Competition": ("title",),
    "programs.TotEvent": ("name", "venue"),
    "programs.Invitation": ("note",),
    "programs.VolunteerProject": ("title", "site_name", "needs"),
    "awards.AwardCategory": ("decision_note",),
    "awards.Vote": ("comment",),
    "awards.Award": ("citation",),
    # Garut Citizen Journalism (#13): what writers and editors wrote.
    "citizen_journalism.Article": (
        "title",
        "slug",
        "lead",
        "body",
        "body_html",
        "correction_note",
        "rejection_reason",
    ),
    "citizen_journalism.ArticleRevision": ("title", "lead", "body", "body_html", "tags", "note"),
    "citizen_journalism.ArticleNote": ("text",),
    "citizen_journalism.ArticlePhoto": ("caption", "credit", "original_name"),
    "citizen_journalism.Tag": ("name",),
    # Garut Citizen Journalism sales: a buyer's contact may be a person; references and reasons are typed.
    "citizen_journalism.Buyer": ("name", "contact"),
    "citizen_journalism.Payout": ("reference",),
    "citizen_journalism.Sale": ("cancel_reason",),
    # Entrepreneurship (#12): outside clients may be people; descriptions, notes and reasons are typed.
    "entrepreneurship.Client": ("name", "contact"),
    "entrepreneurship.Business": ("name",),
    "entrepreneurship.BusinessEntry": ("description",),
    "entrepreneurship.Order": ("note", "override_reason"),
    "entrepreneurship.Posting": ("description",),
}

# Text that names nobody, with the reason.
NOT_PERSONAL: dict[str, tuple[str, ...]] = {
    "audit.AuditEntry": ("action", "target_id"),  # a code and a record's key
    "notifications.Notification": ("link",),  # a path of this site
    "members.Kecamatan": ("code", "name"),  # reference data (BPS)
    "members.Desa": ("code", "name"),
    "associations.Association": ("description",),
    "associations.Officer": ("title",),  # a job title
    "associations.OfficerTerm": ("title",),  # the job title of an ended appointment
    "associations.Period": ("name",),
    "associations.Target": ("metric",),  # codes of associations.metrics
    "associations.TargetResult": ("metric",),
    "associations.MonthlyActual": ("metric",),
    "associations.StaleResult": ("metric",),  # a code of associations.metrics
    "associations.Evaluation": ("error",),  # a job's exception text
    "awards.ShortlistBuild": ("error",),
    "awards.Award": ("code",),  # the certificate's random code
    "privacy.ReviewFlag": ("object_id", "field"),
    "citizen_journalism.Category": ("name", "slug"),  # rubrics kept by KOMTIK
    "entrepreneurship.Order": ("price_reason",),  # computed from the price rules ("Gratis — calon pelatih")
    "entrepreneurship.Service": ("name", "description"),  # a group's catalogue
    "entrepreneurship.ServiceTemplate": ("name", "description"),  # KOMTIK's catalogue
    # --- Garut Citizen Journalism: buyers' API (#13) ---
    "citizen_journalism.BuyerToken": ("key_hash", "prefix"),  # a random key's hash and first characters
    "accounts.AccountInvitation": ("code_hash",),  # a random one-time code's hash (#14)
    # A login's random key and its signed data (the user's id, a hash of the password's hash, the CSRF
    # secret): the same as Django's own session table.
    "accounts.Session": ("session_key", "session_data"),
}


def text_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields of a model that hold free text (choices are codes, not text)."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField, models.JSONField)) and not field.choices
    ]


def free_text_fields() -> list[tuple[type[models.Model], str]]:
    return [(apps.get_model(label), name) for label, names in FREE_TEXT.items() for name in names]
