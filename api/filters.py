"""Filters of the API's signature and demand lists, in the same django-filter style as the pages' FilterSets."""

import django_filters
from django.db.models import QuerySet

from letters.models import Demand, Letter, Signature
from organizations.filters import public_signatures


class SignatureFilter(django_filters.FilterSet):
    letter = django_filters.CharFilter(field_name="letter__slug", label="Letter slug")
    organization = django_filters.CharFilter(field_name="organization__slug", label="Organization slug")

    class Meta:
        model = Signature
        fields = ["letter", "organization"]

    def __init__(self, data=None, queryset: QuerySet | None = None, **kwargs):
        # Whatever the caller passes, only public signatures are ever filtered.
        public = public_signatures()
        super().__init__(data, public if queryset is None else queryset & public, **kwargs)


class DemandFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", label="Text contains")
    letter = django_filters.CharFilter(field_name="letter__slug", label="Letter slug")
    target = django_filters.CharFilter(field_name="target__slug", label="Slug of the organization asked")
    theme = django_filters.CharFilter(field_name="themes__slug", label="Theme slug", distinct=True)

    class Meta:
        model = Demand
        fields = ["q", "letter", "target", "theme"]

    def __init__(self, data=None, queryset: QuerySet | None = None, **kwargs):
        public = Demand.objects.filter(letter__in=Letter.objects.published())
        super().__init__(data, public if queryset is None else queryset & public, **kwargs)
