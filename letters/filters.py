"""The letter filters: one FilterSet for the browse page (and, later, its CSV and JSON)."""

import django_filters
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q, QuerySet

from letters.models import Letter, Signature


def search_letters(queryset: QuerySet, text: str) -> QuerySet:
    """Full text of title, subject and body: PostgreSQL's search with its GIN index, icontains on SQLite."""
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(search_vector=SearchQuery(text, config="english", search_type="websearch"))
    for word in text.split():
        queryset = queryset.filter(Q(title__icontains=word) | Q(subject__icontains=word) | Q(body__icontains=word))
    return queryset


class LetterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_q")
    date = django_filters.DateFromToRangeFilter(
        field_name="date",
        label="Date",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    addressee = django_filters.CharFilter(label="Addressed to", method="filter_addressee")
    signer = django_filters.CharFilter(label="Signed by", method="filter_signer")
    kind = django_filters.ChoiceFilter(choices=Letter.Kind.choices, empty_label="Any kind")
    sort = django_filters.OrderingFilter(
        fields=(("date", "date"), ("signatory_total", "signatories")),
        field_labels={"date": "Date", "signatory_total": "Signatories"},
        label="Sort by",
        empty_label="Newest first",
    )

    class Meta:
        model = Letter
        fields = ["q", "date", "addressee", "signer", "kind"]

    def __init__(self, data=None, queryset=None, **kwargs):
        # Whatever the caller passes, only published letters are ever filtered.
        queryset = Letter.objects.published() if queryset is None else queryset.published()
        super().__init__(data, queryset, **kwargs)

    def filter_q(self, queryset, name, value):
        return search_letters(queryset, value)

    def filter_addressee(self, queryset, name, value):
        return queryset.filter(
            pk__in=Letter.addressees.through.objects.filter(organization__slug=value).values("letter")
        )

    def filter_signer(self, queryset, name, value):
        # Only a signature the public may see makes an organization a signer.
        return queryset.filter(
            pk__in=Signature.objects.filter(organization__slug=value, withheld=False).values("letter")
        )
