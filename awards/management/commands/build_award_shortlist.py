from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from awards import services
from awards.models import AwardRound, ShortlistBuild


class Command(BaseCommand):
    help = "Build the shortlist of an award round now, in this process (the job does the same)."

    def add_arguments(self, parser):
        parser.add_argument("--round", required=True, type=int, help="The round's id (see the admin's awards page).")

    def handle(self, *args, round: int, **options):
        found = AwardRound.objects.filter(pk=round).first()
        if found is None:
            known = ", ".join(f"{pk} ({year})" for pk, year in AwardRound.objects.values_list("pk", "year"))
            raise CommandError(f"No award round with id {round}. Known: {known or 'none'}")
        try:
            build, created = services.shortlist_create(actor=None, round=found)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if not created:
            self.stdout.write(
                f"A shortlist build of {found} is already under way (#{build.pk}): "
                "finishing it here, or waiting for the process running it."
            )
        # Waits while another process builds this round's shortlist, then reports that build.
        result = services.shortlist_build(build_id=build.pk, wait=True)
        if result is None:
            result = ShortlistBuild.objects.get(pk=build.pk)
            self.stdout.write(f"Another process ran shortlist build #{result.pk}.")
        if result.status != result.Status.SUCCEEDED:
            raise CommandError(f"Shortlist build #{result.pk} failed: {result.error}")
        self.stdout.write(
            self.style.SUCCESS(f"Built the shortlist of {found}: {result.finalists_changed} finalists changed.")
        )
