"""The organization filters, and which organizations the public may see at all."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet

from letters.models import Letter, Signature
from organizations.models import Alias, Organization

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
        # Every spelling printed on a letter is kept as an alias (letters.importing), so searching aliases searches
        # printed names too; but a spelling saved from a withheld signature or a draft must not find anything, so
        # a letter's spelling counts only where a public signature of its organization prints it.
        printed_publicly = public_signatures().filter(organization=OuterRef("organization"), listed_as=OuterRef("name"))
        aliases = Alias.objects.filter(name__icontains=value).filter(
            ~Q(source=Alias.Source.LETTER) | Exists(printed_publicly)
        )
        names = Organization.objects.filter(Q(name__icontains=value) | Q(acronym__icontains=value))
        # A UNION of two searches, each served by its trigram index on PostgreSQL (organizations migration 0007),
        # rather than one OR that scans every organization.
        return queryset.filter(pk__in=names.order_by().values("pk").union(aliases.order_by().values("organization")))

    def filter_initial(self, queryset, name, value):
        return queryset.filter(name__istartswith=value)
