import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Kecamatan, Kpmi, Level, Member


class KpmiFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="search")
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("District"), queryset=Kecamatan.objects.all(), empty_label=_("All districts")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Kpmi.Status.choices, empty_label=_("All"))

    class Meta:
        model = Kpmi
        fields = ["q", "kecamatan", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value.strip()) if value.strip() else queryset


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="search")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices, empty_label=_("All levels"))
    joined_year = django_filters.NumberFilter(
        label=_("Join year"), field_name="joined_on", lookup_expr="year", min_value=1990, max_value=2100
    )

    class Meta:
        model = Member
        fields = ["q", "level", "joined_year"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(full_name__icontains=value) | Q(phone__icontains=value))
