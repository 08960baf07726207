from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from letters.models import Letter, Signature


def published_letters():
    """Published letters with the number of their public (non-withheld) signatures."""
    return Letter.objects.published().annotate(
        named_count=Count("signatures", filter=Q(signatures__withheld=False))
    )


def home(request):
    letters = published_letters().order_by("-date")[:10]
    return render(request, "letters/home.html", {"letters": letters})


def letter_list(request):
    letters = published_letters().order_by("-date")
    return render(request, "letters/letter_list.html", {"letters": letters})


def letter_detail(request, year: int, month: str, day: str, slug: str):
    letter = get_object_or_404(
        published_letters(), slug=slug, date__year=year, date__month=int(month), date__day=int(day)
    )
    signatures = (
        Signature.objects.filter(letter=letter, withheld=False).select_related("organization").order_by("position")
    )
    demands = letter.demands.select_related("target").order_by("position")
    return render(
        request,
        "letters/letter_detail.html",
        {"letter": letter, "signatures": signatures, "demands": demands, "addressees": letter.addressees.all()},
    )
