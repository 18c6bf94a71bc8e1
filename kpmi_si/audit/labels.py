"""What each audited action means, in words: the one mapping every history page reads.

Audit rows keep the code (`activity.log`, stable for searches and exports); people read the label.
A code the services write without a label here shows as the code itself, and
`tests/project/test_audit_labels.py` fails until it gets one.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTION_LABELS: dict[str, Promise] = {
    # Accounts
    "login.lock": _("Login locked after failed attempts"),
    "login.unlock": _("Login lock lifted"),
    # Django admin (kpmi_si/audit/admin_audit.py)
    "admin.add": _("Added in Django admin"),
    "admin.change": _("Changed in Django admin"),
    "admin.delete": _("Deleted in Django admin"),
    # Groups and people
    "kpmi.create": _("KPMI registered"),
    "kpmi.update": _("KPMI edited"),
    "kpmi.role_assign": _("Role on the KPMI assigned"),
    "kpmi.role_end": _("Role on the KPMI ended"),
    "officer.assign": _("Association officer appointed"),
    "officer.end": _("Association officer's appointment ended"),
    "account.create": _("Account created"),
    "member.account_link": _("Account linked to the member"),
    "account_invitation.create": _("Account invitation made"),
    "account_invitation.redeem": _("Account invitation used"),
    "account_invitation.revoke": _("Account invitation withdrawn"),
    "member.register": _("Member registered"),
    "member.update": _("Member edited"),
    "member.level_change": _("Level changed"),
    "member.data_export": _("Personal data downloaded"),
    "member.anonymise": _("Member anonymised"),
    "privacy.review": _("Flagged text reviewed"),
    # Periods and targets
    "period.open": _("Period opened"),
    "period.close": _("Period closed"),
    "target.set": _("Target set"),
    "target.delete": _("Target removed"),
    # Logged work
    "activity.log": _("Work logged"),
    "activity.update": _("Work edited"),
    "activity.delete": _("Work deleted"),
    "activity.approve": _("Work approved"),
    "activity.reject": _("Work rejected"),
    # ToT and invitations
    "tot.create": _("ToT created"),
    "tot.update": _("ToT edited"),
    "tot.cancel": _("ToT cancelled"),
    "invitation.propose": _("Invitation proposed"),
    "invitation.send": _("Invitation sent"),
    "invitation.withdraw": _("Invitation withdrawn"),
    "invitation.accept": _("Invitation accepted"),
    "invitation.decline": _("Invitation declined"),
    "invitation.undo_decline": _("Decline taken back"),
    "invitation.attendance": _("Attendance recorded"),
    "invitation.result": _("ToT result recorded"),
    # Collaboration, competitions, projects, association awards
    "collaboration.create": _("Collaboration programme created"),
    "collaboration.cancel": _("Collaboration programme cancelled"),
    "collaboration.log_work": _("Programme's work logged"),
    "competition.create": _("Competition created"),
    "competition.close": _("Competition closed"),
    "project.publish": _("Project published"),
    "project.sign_up": _("Signed up for the project"),
    "project.signup_withdraw": _("Sign-up withdrawn"),
    "project.signup_decide": _("Sign-up decided"),
    "project.confirm": _("Project team confirmed"),
    "project.complete": _("Project completed"),
    "project.cancel": _("Project cancelled"),
    "association_award.grant": _("Association award granted"),
    # KOMTIK's annual awards
    "award_round.open": _("Round opened"),
    "award_round.categories": _("Categories changed"),
    "award_round.draft": _("Back to draft"),
    "award_round.shortlisting": _("Shortlist build started"),
    "award_round.shortlisted": _("Shortlist built"),
    "award_round.in_review": _("Jury review started"),
    "award_round.finalised": _("Winners finalised"),
    "award_round.published": pgettext_lazy("award round", "Published"),
    "award_jury.set": _("Jury member set"),
    "award_jury.remove": _("Jury member removed"),
    "award.vote": _("Jury score given"),
    "award.decide": _("Winners decided as the jury's tally suggests"),
    "award.override": _("Winners decided against the jury's tally"),
    "award.citation": _("Citation edited"),
    # Entrepreneurship
    "service_create": _("Service added"),
    "service_update": _("Service edited"),
    "service_adopt": _("Service adopted from a KOMTIK template"),
    "template_create": _("Service template added"),
    "template_update": _("Service template edited"),
    "rule_add": _("Free-service rule added"),
    "rule_remove": _("Free-service rule removed"),
    "client_create": _("Client registered"),
    "order_create": _("Order recorded"),
    "order_price_override": _("Order price overridden"),
    "order_pay": _("Payment recorded"),
    "order_cancel": _("Order cancelled"),
    "order_log_work": _("Order logged as work"),
    "posting_record": _("Ledger entry recorded"),
    "posting_reverse": _("Ledger entry reversed"),
    "business_register": _("Business registered"),
    "business_entry_record": _("Business income or cost recorded"),
    "business_settle_month": _("Business month settled"),
    "business_close": _("Business closed"),
    # Garut Citizen Journalism
    "article.save": _("Draft saved"),
    "article.submit": _("Sent to the editors"),
    "article.request_changes": _("Changes requested"),
    "article.approve": _("Approved"),
    "article.publish": pgettext_lazy("article", "Published"),
    "article.reject": _("Rejected"),
    "article.submit_correction": _("Correction sent"),
    "article.approve_correction": _("Correction approved"),
    "article.decline_correction": _("Correction declined"),
    "article.link_activity": _("Linked to logged work"),
    "editor.set": _("Editor set"),
    "editor.remove": _("Editor removed"),
    "buyer.create": _("Buyer registered"),
    "buyer.update": _("Buyer edited"),
    "buyer_token.issue": _("API token issued"),
    "buyer_token.revoke": _("API token revoked"),
    "revenue_share.set": _("Revenue share set"),
    "revenue_share.remove": _("Revenue share removed"),
    "sale.record": _("Sale recorded"),
    "sale.cancel": _("Sale cancelled"),
    "payout.record": _("Payout recorded"),
}


def action_label(code: str) -> str:
    """The words for an audit code; an unknown code (an old row, a code not labelled yet) as it is."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
