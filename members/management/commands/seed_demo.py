from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.demo import DEMO_PASSWORD, DemoBuilder, demo_present


class Command(BaseCommand):
    help = "Load deterministic demo data for Garut (KPMI, members, one account per role). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (never on a live database).")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: demo accounts with a known password do not belong here. Use --force to override."
            )
        if demo_present():
            self.stdout.write("Demo data already present; nothing changed.")
            self._print_accounts(
                [
                    ("admin", ""),
                    ("petugas_komunitas", ""),
                    ("petugas_pengguna", ""),
                    ("petugas_platform", ""),
                    ("petugas_entrepreneur", ""),
                    ("pengelola", ""),
                    ("pembina", ""),
                    ("anggota", ""),
                ]
            )
            return
        accounts = DemoBuilder().build()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self._print_accounts([(a.username, a.role) for a in accounts])

    def _print_accounts(self, rows):
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, role in rows:
            self.stdout.write(f"  {username:<22} {role}")
