"""The letter filters: one FilterSet for the browse page (and, later, its CSV and JSON)."""

import django_filters
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Q, QuerySet

from letters.models import Letter, Signature
from organizations.filters import public_organizations
from organizations.models import Organization


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


# What the browse page says of an organization it filters by (its name, its stored counts).
NAMED_FIELDS = ("pk", "slug", "name", "letters_signed", "letters_addressed")


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

    # Both look the organization up first, so PostgreSQL plans with its id: for an organization that signed 7,759
    # letters it then walks the newest letters probing its signatures (1 ms) instead of joining them all (30 ms).
    def filter_addressee(self, queryset, name, value):
        organization = self.named("addressee")
        if organization is None:
            return queryset.none()
        return queryset.filter(
            pk__in=Letter.addressees.through.objects.filter(organization=organization).values("letter")
        )

    def filter_signer(self, queryset, name, value):
        # Only a signature the public may see makes an organization a signer.
        organization = self.named("signer")
        if organization is None:
            return queryset.none()
        return queryset.filter(
            pk__in=Signature.objects.filter(organization=organization, withheld=False).values("letter")
        )

    def named(self, field: str) -> Organization | None:
        """The public organization the `signer` or `addressee` filter names, if any: one query for both filters and
        for the page that says whose letters it lists. An organization no published letter shows matches nothing;
        an invalid form names none."""
        if not self.is_valid():
            return None
        cleaned = self.form.cleaned_data
        if not hasattr(self, "_named"):
            slugs = {cleaned.get("signer"), cleaned.get("addressee")} - {None, ""}
            found = public_organizations().filter(slug__in=slugs).only(*NAMED_FIELDS) if slugs else []
            self._named = {organization.slug: organization for organization in found}
        return self._named.get(cleaned.get(field))
