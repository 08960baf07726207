"""The organization filters, and which organizations the public may see at all."""

import django_filters
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from letters.models import Demand, Letter, Signature
from organizations.models import Alias, Organization

LETTERS_A_TO_Z = [chr(code) for code in range(ord("A"), ord("Z") + 1)]


def public_signatures() -> QuerySet:
    """Signatures any public surface may show: on a published letter, not withheld."""
    return Signature.objects.filter(letter__in=Letter.objects.published(), withheld=False)


def public_organizations() -> QuerySet:
    """Organizations a published letter shows: as a signer not withheld, as an addressee, or as a demand's target.

    An organization known only through withheld signatures or drafts is not public. Merged records are left out
    (their address redirects to the survivor). Annotated with `letters_signed`, the published letters it signed.
    """
    published = Letter.objects.published()
    signed = (
        public_signatures()
        .filter(organization=OuterRef("pk"))
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Organization.objects.filter(merged_into__isnull=True)
        .filter(
            Exists(public_signatures().filter(organization=OuterRef("pk")))
            | Exists(Letter.addressees.through.objects.filter(organization=OuterRef("pk"), letter__in=published))
            | Exists(Demand.objects.filter(target=OuterRef("pk"), letter__in=published))
        )
        .annotate(letters_signed=Coalesce(Subquery(signed, output_field=IntegerField()), Value(0)))
    )


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
        # Spellings printed on letters are searched only where a public signature shows them: an alias saved
        # from a withheld signature or a draft must not find anything.
        aliases = Alias.objects.filter(name__icontains=value).exclude(source=Alias.Source.LETTER)
        printed = public_signatures().filter(listed_as__icontains=value)
        return queryset.filter(
            Q(name__icontains=value)
            | Q(acronym__icontains=value)
            | Q(pk__in=aliases.values("organization"))
            | Q(pk__in=printed.values("organization"))
        )

    def filter_initial(self, queryset, name, value):
        return queryset.filter(name__istartswith=value)
