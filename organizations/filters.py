"""The organization filters, and which organizations the public may see at all."""

import django_filters
from django.db.models import QuerySet

from letters.models import Letter, Signature
from organizations.models import Organization

LETTERS_A_TO_Z = [chr(code) for code in range(ord("A"), ord("Z") + 1)]


def public_signatures() -> QuerySet:
    """Signatures any public surface may show: on a published letter, not withheld."""
    return Signature.objects.filter(letter__in=Letter.objects.published(), withheld=False)


def public_organizations() -> QuerySet:
    """Organizations a published letter shows: as a signer not withheld, as an addressee, or as a demand's target.

    An organization known only through withheld signatures or drafts is not public. Merged records are left out
    (their address redirects to the survivor). `is_public` and `letters_signed` are stored and kept fresh on write
    by letters.counts, which holds the full definition.
    """
    return Organization.objects.filter(is_public=True)


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name", method="filter_q")
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices, empty_label="Any kind")
    initial = django_filters.ChoiceFilter(
        label="Starts with", choices=[(c, c) for c in LETTERS_A_TO_Z], method="filter_initial", empty_label="Any"
    )
    sort = django_filters.OrderingFilter(
        fields=(("name", "name"), ("letters_signed", "letters")),
        field_labels={"name": "Name", "letters_signed": "Letters signed"},
        label="Sort by",
        empty_label="A–Z",
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "initial"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, public_organizations() if queryset is None else queryset, **kwargs)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # One stored text per organization (its name, acronym, aliases and publicly printed spellings: see
        # Organization.search_names), so PostgreSQL either walks the A-Z index testing each row, for a common word,
        # or reads its trigram index, for a rare one.
        return queryset.filter(search_names__icontains=value)

    def filter_initial(self, queryset, name, value):
        return queryset.filter(name__istartswith=value)
