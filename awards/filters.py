import django_filters
from django.utils.translation import gettext_lazy as _

from members.models import Kecamatan

from .models import Award, Subject


class AwardFilter(django_filters.FilterSet):
    """The public winners page: winners of one district, or of one group of candidates."""

    kecamatan = django_filters.ModelChoiceFilter(
        label=_("District"),
        field_name="finalist__kpmi__kecamatan",
        queryset=Kecamatan.objects.all(),
        empty_label=_("All districts"),
    )
    subject = django_filters.ChoiceFilter(
        label=_("Who"), field_name="category__subject", choices=Subject.choices, empty_label=_("All")
    )

    class Meta:
        model = Award
        fields = ["kecamatan", "subject"]
