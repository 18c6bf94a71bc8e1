from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from citizen_journalism.demo import EDITOR_USERNAME, seed_citizen_journalism
from citizen_journalism.models import Article, Sale
from kpmi_si.demo import awards as awards_demo
from kpmi_si.demo import entrepreneurship as entrepreneurship_demo
from kpmi_si.demo import periods as periods_demo
from kpmi_si.demo.members import DEMO_PASSWORD, DemoBuilder, demo_present
from kpmi_si.demo.work import WorkDemoBuilder, work_present

ACCOUNTS = [
    ("admin", "KOMTIK admin"),
    ("petugas_komunitas", "officer (communities)"),
    ("petugas_pengguna", "officer (users)"),
    ("petugas_platform", "officer (platform)"),
    ("petugas_entrepreneur", "officer (entrepreneurs)"),
    ("pengelola", "KPMI manager"),
    ("pembina", "supervisor (pembina) of two KPMI"),
    ("anggota", "member"),
    ("juri", "jury member of last year's awards"),
    (EDITOR_USERNAME, "editor of Garut Citizen Journalism"),
]


class Command(BaseCommand):
    help = (
        "Load deterministic demo data for Garut: groups, members, work, services and the ledger, periods, "
        "last year's awards, "
        "an account per role. Safe twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (never on a live database).")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: demo accounts with a known password do not belong here. Use --force to override."
            )
        # Each layer is guarded on its own: a database seeded before a layer existed gets just that
        # layer on the next run, and a complete one is left as it is.
        steps = [
            ("groups, members and accounts", demo_present, lambda: DemoBuilder().build()),
            ("logged work", work_present, lambda: WorkDemoBuilder().build()),
            # Before the periods, so that their evaluation counts the services and the ledger.
            (
                "services, businesses and the ledger",
                entrepreneurship_demo.entrepreneurship_present,
                entrepreneurship_demo.build,
            ),
            ("periods, targets and evaluations", periods_demo.periods_present, periods_demo.build),
            ("last year's award round", awards_demo.awards_present, awards_demo.build),
        ]
        added = []
        for label, present, build in steps:
            if not present():
                build()
                added.append(label)
        if added:
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {', '.join(added)}."))
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        # After the members (its writers are members with a login); safe twice on its own.
        content_before = _content_made()
        seed_citizen_journalism(self.stdout, password=DEMO_PASSWORD)
        if _content_made() != content_before:
            # The Entrepreneurs association's content figures count these articles and sales: the
            # open periods, evaluated before they existed, are evaluated again.
            entrepreneurship_demo.catch_up_open_periods()
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, role in ACCOUNTS:
            self.stdout.write(f"  {username:<22} {role}")


def _content_made() -> tuple[int, int]:
    return Article.objects.count(), Sale.objects.count()
