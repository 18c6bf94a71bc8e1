import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Kecamatan

from .models import TargetResult


class ResultFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="search")
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=Kecamatan.objects.all(), empty_label=_("All districts")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TargetResult.Status.choices, empty_label=_("All"))

    class Meta:
        model = TargetResult
        fields = ["q", "kecamatan", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(kpmi__name__icontains=value) | Q(member__full_name__icontains=value))
