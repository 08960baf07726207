from django.shortcuts import get_object_or_404, render

from letters.models import Letter, Signature
from organizations.models import Organization


def public_organizations():
    """Organizations that a published letter names, as a signer shown publicly or as an addressee."""
    published = Letter.objects.published()
    return Organization.objects.filter(merged_into__isnull=True).filter(
        pk__in=Signature.objects.filter(letter__in=published, withheld=False).values("organization")
    ) | Organization.objects.filter(merged_into__isnull=True, letters_received__in=published)


def organization_list(request):
    organizations = public_organizations().distinct().order_by("name")
    return render(request, "organizations/organization_list.html", {"organizations": organizations})


def organization_detail(request, slug: str):
    organization = get_object_or_404(public_organizations().distinct(), slug=slug)
    signatures = (
        Signature.objects.filter(organization=organization, withheld=False, letter__in=Letter.objects.published())
        .select_related("letter")
        .order_by("-letter__date")
    )
    return render(
        request, "organizations/organization_detail.html", {"organization": organization, "signatures": signatures}
    )
