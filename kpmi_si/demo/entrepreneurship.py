"""Deterministic demo money for `seed_demo`: in several groups, the two services of the source text
adopted from KOMTIK's templates (rules copied, priced by the group), orders since the start of last
year (free trainings for trainer candidates, paid trainings and deployments for schools, free
deployments for the target community), their payments in the ledger, pioneers' businesses with
income, costs and monthly settlements (the pledged share posted), and the groups' operating costs —
so that the Entrepreneurs dashboard has something to oversee after `make run`.

Rows are written in bulk (a few thousand; through the services one by one would take most of a
minute on SQLite); the prices come from `price_compute` and the receipt numbers from each group's
`ReceiptSequence`, as the order service gives them. One mistaken cost is corrected through
`posting_reverse`, so the demo ledger shows a reversal with its audit row.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone

from entrepreneurship.models import (
    Business,
    BusinessEntry,
    BusinessKind,
    BusinessSettlement,
    Category,
    Client,
    ClientCategory,
    EligibilityRule,
    EntryKind,
    Order,
    PaymentMethod,
    PaymentStatus,
    Posting,
    ReceiptSequence,
    Service,
    ServiceTemplate,
)
from entrepreneurship.services.ledger import posting_reverse
from entrepreneurship.services.pricing import price_compute
from kpmi_si.months import month_end, month_start, month_starts
from members.models import Kpmi, Level, Member, User

SEED = 2012
GROUPS = 8  # groups that run services (the first ones: the demo manager's group among them)
TRAINING = "Pelatihan dasar instalasi dan pemeliharaan TIK"
DEPLOYMENT = "Pendayagunaan TIK"
# Monthly operating costs of a group (Rupiah): rent of a room, internet, electricity.
MONTHLY_COSTS = [
    (Category.RENT, 300_000, 600_000),
    (Category.INTERNET, 200_000, 350_000),
    (Category.ELECTRICITY, 80_000, 200_000),
]
SCHOOLS = ["SMPN 2", "SDN 1", "SMK Al-Falah", "MTs Persis", "SMAN 3"]
BUSINESS_NAMES = [
    ("Servis Komputer", BusinessKind.REPAIR),
    ("Kursus Komputer", BusinessKind.TRAINING),
    ("Jasa Website", BusinessKind.WEB),
    ("Warnet", BusinessKind.INTERNET),
    ("Fotokopi dan Cetak", BusinessKind.PRINTING),
]


def entrepreneurship_present() -> bool:
    return Service.objects.exists() or Posting.objects.exists()


def next_receipt_number(kpmi: Kpmi) -> int:
    """The group's next receipt number, as the order service takes it: the counter row locked,
    bumped and saved in the caller's transaction."""
    sequence, _ = ReceiptSequence.objects.select_for_update().get_or_create(kpmi=kpmi)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def adopt(kpmi: Kpmi, template: ServiceTemplate, price: Decimal, actor: User | None) -> Service:
    """A group's own service from a KOMTIK template: its own price, the template's rules copied."""
    service = Service.objects.create(
        kpmi=kpmi,
        template=template,
        name=template.name,
        description=template.description,
        unit=template.unit,
        work_kind=template.work_kind,
        price=price,
        created_by=actor,
    )
    EligibilityRule.objects.bulk_create(
        EligibilityRule(
            service=service, client_level=r.client_level, client_category=r.client_category, kecamatan_id=r.kecamatan_id
        )
        for r in template.rules.all()
    )
    return service


def _rupiah(value: int) -> Decimal:
    return Decimal(value // 1000 * 1000)  # prices and bills end in thousands


class EntrepreneurshipDemoBuilder:
    def __init__(self, today: dt.date | None = None) -> None:
        self.rng = random.Random(SEED)
        self.today = today or timezone.localdate()
        self.start = dt.date(self.today.year - 1, 1, 1)
        self.admin = User.objects.filter(is_superuser=True).order_by("pk").first()
        self.orders: list[Order] = []
        self.postings: list[Posting] = []

    def _day(self, month: dt.date) -> dt.date:
        return min(month + dt.timedelta(days=self.rng.randint(0, 27)), self.today)

    @transaction.atomic
    def build(self) -> None:
        templates = {t.name: t for t in ServiceTemplate.objects.prefetch_related("rules")}
        if TRAINING not in templates or DEPLOYMENT not in templates:
            return
        groups = list(
            Kpmi.objects.exclude(status=Kpmi.Status.DISSOLVED).select_related("kecamatan").order_by("pk")[:GROUPS]
        )
        for kpmi in groups:
            self._group(kpmi, templates)
        Order.objects.bulk_create(self.orders, batch_size=500)
        self._postings_for_orders()
        Posting.objects.bulk_create(self.postings, batch_size=500)
        self._a_corrected_mistake(groups[0] if groups else None)

    def _group(self, kpmi: Kpmi, templates: dict[str, ServiceTemplate]) -> None:
        rng = self.rng
        training = adopt(kpmi, templates[TRAINING], _rupiah(rng.randint(100_000, 200_000)), self.admin)
        deployment = adopt(kpmi, templates[DEPLOYMENT], _rupiah(rng.randint(400_000, 900_000)), self.admin)
        rules = {training.pk: list(training.rules.all()), deployment.pk: list(deployment.rules.all())}
        members = list(Member.objects.filter(kpmi=kpmi).select_related("kpmi").order_by("pk"))
        candidates = [m for m in members if m.level == Level.TRAINER_CANDIDATE]
        clients = [
            Client.objects.create(
                kpmi=kpmi,
                name=f"{school} {kpmi.kecamatan.name}",
                category=ClientCategory.SCHOOL,
                kecamatan=kpmi.kecamatan,
            )
            for school in rng.sample(SCHOOLS, 3)
        ]
        community = [
            Client.objects.create(
                kpmi=kpmi,
                name=f"Warga RW {rw:02d} {kpmi.kecamatan.name}",
                category=ClientCategory.TARGET_COMMUNITY,
                kecamatan=kpmi.kecamatan,
            )
            for rw in rng.sample(range(1, 13), 2)
        ]
        village = Client.objects.create(
            kpmi=kpmi,
            name=f"Kantor Kecamatan {kpmi.kecamatan.name}",
            category=ClientCategory.GOVERNMENT,
            kecamatan=kpmi.kecamatan,
        )
        # Groups differ: some take an order most months, others now and then (a dashboard with
        # groups ahead and behind).
        busy = rng.uniform(0.15, 0.9)
        for month in month_starts(self.start, self.today):
            # A busy group takes a handful of orders a month: trainings for its own trainer candidates
            # (free), trainings and deployments for schools and offices (paid), deployments for the
            # target community (free).
            plan = []
            for _ in range(rng.randint(0, 1)):
                if candidates:
                    plan.append((training, {"member": rng.choice(candidates)}, rng.randint(1, 4)))
            if rng.random() < busy:
                plan.append((training, {"client": rng.choice(clients)}, rng.randint(2, 8)))
            if rng.random() < busy / 2:
                plan.append((deployment, {"client": rng.choice([*clients, village])}, 1))
            if rng.random() < busy:
                plan.append((deployment, {"client": rng.choice(community)}, 1))
            for service, who, quantity in plan:
                self._order(kpmi, service, rules[service.pk], who, quantity, self._day(month))
            if month < month_start(self.today):
                for category, low, high in MONTHLY_COSTS:
                    self._cost(kpmi, category, _rupiah(rng.randint(low, high)), month_end(month), month)
        self._businesses(kpmi, members)

    def _order(self, kpmi: Kpmi, service: Service, rules: list, who: dict, quantity: int, day: dt.date) -> None:
        price = price_compute(service=service, quantity=quantity, rules=rules, **who)
        if price.is_free:
            status, paid_on, method = PaymentStatus.WAIVED, None, PaymentMethod.NONE
        elif self.rng.random() < 0.04:
            status, paid_on, method = PaymentStatus.CANCELLED, None, PaymentMethod.NONE
        elif (self.today - day).days < 20 and self.rng.random() < 0.7:
            status, paid_on, method = PaymentStatus.UNPAID, None, PaymentMethod.NONE
        else:
            paid_on = min(day + dt.timedelta(days=self.rng.randint(0, 10)), self.today)
            status = PaymentStatus.PAID
            method = self.rng.choice([PaymentMethod.CASH, PaymentMethod.TRANSFER, PaymentMethod.EWALLET])
        self.orders.append(
            Order(
                kpmi=kpmi,
                service=service,
                quantity=quantity,
                date=day,
                unit_price=price.unit_price,
                total=price.total,
                is_free=price.is_free,
                free_rule=price.rule,
                price_reason=price.reason[:200],
                payment_status=status,
                payment_method=method,
                paid_on=paid_on,
                receipt_number=next_receipt_number(kpmi),
                delivered_on=day if day < self.today else None,
                created_by=self.admin,
                **who,
            )
        )

    def _postings_for_orders(self) -> None:
        # bulk_create gave the orders their ids (PostgreSQL and SQLite both return them).
        for order in self.orders:
            if order.payment_status == PaymentStatus.PAID and order.total > 0:
                self.postings.append(
                    Posting(
                        kpmi_id=order.kpmi_id,
                        date=order.paid_on,
                        category=Category.SERVICE_INCOME,
                        amount=order.total,
                        description=f"{order.receipt_label} {order.service.name}"[:200],
                        order=order,
                        created_by=self.admin,
                    )
                )

    def _cost(self, kpmi: Kpmi, category: str, amount: Decimal, day: dt.date, month: dt.date) -> None:
        label = Category(category).label
        self.postings.append(
            Posting(
                kpmi=kpmi,
                date=min(day, self.today),
                category=category,
                amount=-amount,
                description=f"{label} {month:%m/%Y}",
                created_by=self.admin,
            )
        )

    def _businesses(self, kpmi: Kpmi, members: list[Member]) -> None:
        """The group's pioneers (or, in a group without one yet, its most senior manager) each run a
        business, recorded month by month and settled every finished month."""
        rng = self.rng
        owners = [m for m in members if m.level == Level.PIONEER][:2] or [
            m for m in members if m.level == Level.MANAGER
        ][:1]
        for index, owner in enumerate(owners):
            name, kind = BUSINESS_NAMES[(kpmi.pk + index) % len(BUSINESS_NAMES)]
            started = self.start - dt.timedelta(days=rng.randint(30, 700))
            business = Business.objects.create(
                kpmi=kpmi,
                owner=owner,
                name=f"{name} {owner.full_name.split()[0]}",
                kind=kind,
                started_on=started,
                pledged_share=Decimal(rng.choice([10, 15, 20, 25])),
                created_by=self.admin,
            )
            entries, settlements = [], []
            for month in month_starts(max(started, self.start), self.today):
                income = _rupiah(rng.randint(1_000_000, 4_000_000))
                costs = _rupiah(rng.randint(800_000, 3_000_000))
                entries += [
                    BusinessEntry(
                        business=business,
                        date=self._day(month),
                        kind=EntryKind.INCOME,
                        amount=income,
                        description="Pendapatan bulan ini",
                        created_by=self.admin,
                    ),
                    BusinessEntry(
                        business=business,
                        date=self._day(month),
                        kind=EntryKind.COST,
                        amount=costs,
                        description="Bahan dan sewa alat",
                        created_by=self.admin,
                    ),
                ]
                if month >= month_start(self.today):
                    continue  # this month is not over: not settled yet
                profit = max(income - costs, Decimal(0))
                contribution = (profit * business.pledged_share / 100).quantize(Decimal("1"), rounding=ROUND_DOWN)
                settlements.append(
                    BusinessSettlement(
                        business=business,
                        month=month,
                        income=income,
                        costs=costs,
                        contribution=contribution,
                        settled_by=self.admin,
                    )
                )
            BusinessEntry.objects.bulk_create(entries)
            BusinessSettlement.objects.bulk_create(settlements)
            for settlement in settlements:
                if settlement.contribution > 0:
                    self.postings.append(
                        Posting(
                            kpmi=kpmi,
                            date=min(month_end(settlement.month) + dt.timedelta(days=1), self.today),
                            category=Category.BUSINESS_CONTRIBUTION,
                            amount=settlement.contribution,
                            description=f"{business.name} {settlement.month:%m/%Y}"[:200],
                            settlement=settlement,
                            created_by=self.admin,
                        )
                    )

    def _a_corrected_mistake(self, kpmi: Kpmi | None) -> None:
        """A cost typed ten times too large, reversed through the service (audited), as a treasurer would."""
        if kpmi is None or self.admin is None:
            return
        day = min(self.start + dt.timedelta(days=40), self.today)
        wrong = Posting(
            kpmi=kpmi,
            date=day,
            category=Category.EQUIPMENT,
            amount=Decimal("-4500000"),
            description="Printer (salah ketik)",
            created_by=self.admin,
        )
        wrong.save(force_insert=True)
        posting_reverse(actor=self.admin, posting=wrong, reason="Salah ketik: seharusnya Rp 450.000", date=day)
        Posting(
            kpmi=kpmi,
            date=day,
            category=Category.EQUIPMENT,
            amount=Decimal("-450000"),
            description="Printer",
            created_by=self.admin,
        ).save(force_insert=True)


def build(today: dt.date | None = None) -> None:
    EntrepreneurshipDemoBuilder(today=today).build()
    catch_up_open_periods()


def catch_up_open_periods() -> None:
    """A database seeded before this layer existed has its periods already: give the open ones the
    Entrepreneurs association's default targets and evaluate them, so its dashboard fills too. Also
    run by `seed_demo` after Garut Citizen Journalism's demo, whose articles and sales come after the
    periods' first evaluation and feed the association's content figures."""
    from associations import services
    from associations.models import Association, Period

    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    association = Association.objects.filter(code=Association.Code.ENTREPRENEURS).first()
    if admin is None or association is None:
        return
    for period in Period.objects.filter(status=Period.Status.OPEN, parent__isnull=True).order_by("start"):
        services.targets_apply_defaults(actor=admin, period=period, association=association)
        evaluation, _ = services.evaluation_create(actor=admin, period=period)
        services.period_evaluate(evaluation_id=evaluation.pk)
