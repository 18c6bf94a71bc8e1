import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from entrepreneurship.models import Category, ImmutablePostingError, Posting
from entrepreneurship.services.ledger import posting_record, posting_reverse


def yesterday() -> dt.date:
    # Computed when a test runs, in the site's time zone: a constant taken at collection goes stale when
    # the suite crosses midnight, and the machine's UTC date is not Garut's between 17:00 and 24:00 UTC.
    return timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture
def rent(kpmi_a, manager_a):
    return posting_record(
        actor=manager_a,
        kpmi=kpmi_a,
        date=yesterday(),
        category=Category.RENT,
        amount=Decimal("250000"),
        description="Sewa sekretariat",
    )


def test_a_cost_is_posted_as_money_out_and_audited(rent, manager_a):
    from kpmi_si.audit.models import AuditEntry

    assert rent.amount == Decimal("-250000.00")
    entry = AuditEntry.objects.get(action="posting_record", target_id=str(rent.pk))
    assert entry.actor == manager_a


def test_a_posting_is_never_changed_or_deleted_by_the_application(rent):
    rent.description = "Sewa (diubah)"
    with pytest.raises(ImmutablePostingError):
        rent.save()
    with pytest.raises(ImmutablePostingError):
        rent.delete()
    assert Posting.objects.get(pk=rent.pk).description == "Sewa sekretariat"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's; SQLite is the demo")
def test_the_database_refuses_to_rewrite_a_posting(rent):
    for statement in (
        "UPDATE entrepreneurship_posting SET amount = 1 WHERE id = %s",
        "DELETE FROM entrepreneurship_posting WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="never changed or deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [rent.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        Posting.objects.filter(pk=rent.pk).update(amount=Decimal("-1"))
    assert Posting.objects.get(pk=rent.pk).amount == Decimal("-250000.00")


def test_a_mistake_is_corrected_by_one_reversal(rent, manager_a, kpmi_a):
    reversal = posting_reverse(actor=manager_a, posting=rent, reason="Salah bulan")
    assert reversal.amount == Decimal("250000.00") and reversal.category == Category.RENT
    assert sum(p.amount for p in Posting.objects.filter(kpmi=kpmi_a)) == 0
    with pytest.raises(ValidationError):
        posting_reverse(actor=manager_a, posting=rent, reason="Lagi")
    with pytest.raises(ValidationError):
        posting_reverse(actor=manager_a, posting=reversal, reason="Balik lagi")
    assert Posting.objects.filter(kpmi=kpmi_a).count() == 2


def test_a_manager_of_another_kpmi_cannot_post_or_reverse(rent, manager_b, kpmi_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        posting_reverse(actor=manager_b, posting=rent, reason="Bukan milik saya")
    with pytest.raises(PermissionDenied):
        posting_record(
            actor=manager_b,
            kpmi=kpmi_a,
            date=yesterday(),
            category=Category.RENT,
            amount=Decimal("1"),
            description="x",
        )
    assert Posting.objects.count() == 1
