from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from associations import services
from associations.models import Evaluation, Period


class Command(BaseCommand):
    help = "Evaluate every target of a period now, in this process (the nightly job does the same)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="The period's name, e.g. 2026 or '2026 Q1'.")

    def handle(self, *args, period: str, **options):
        found = Period.objects.filter(name=period).first()
        if found is None:
            raise CommandError(
                f"No period named {period!r}. Known: {', '.join(Period.objects.values_list('name', flat=True))}"
            )
        try:
            evaluation, created = services.evaluation_create(actor=None, period=found)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if not created:
            self.stdout.write(
                f"An evaluation of {found} is already under way (#{evaluation.pk}): "
                "finishing it here, or waiting for the process running it."
            )
        # Waits while another process runs this period's evaluation, then reports that run.
        result = services.period_evaluate(evaluation_id=evaluation.pk, wait=True)
        if result is None:
            result = Evaluation.objects.get(pk=evaluation.pk)
            self.stdout.write(f"Another process ran evaluation #{result.pk}.")
        if result.status != result.Status.SUCCEEDED:
            raise CommandError(f"Evaluation #{result.pk} failed: {result.error}")
        self.stdout.write(self.style.SUCCESS(f"Evaluated {found}: {result.results_changed} results changed."))
