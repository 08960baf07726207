from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from archive.cache import public_page
from letters import exports
from letters.filters import LetterFilter
from letters.listing import COUNT_CAP, capped_page, count_phrases, filters_used, page_links, query_links, stored_totals
from letters.models import Letter, LetterSlug
from letters.rendering import citations, facet_line, letter_items, timeline_figure
from letters.signatory_list import printed_signatories
from letters.totals import count_phrase, letter_totals, totals_fields, totals_paragraphs

LETTERS_PER_PAGE = 20


# What a row of a letter list shows (rendering.letter_items): not the body, its HTML, the pasted
# source text or the search vector, which made up most of each row read (2-3 ms of a 20-row page).
# Its addressees' names are stored on it (Letter.addressee_names): no query for them.
LETTER_ROW_FIELDS = ("title", "slug", "date", "kind", "addressee_names")
# Its figures (letters.totals.letter_totals): the withheld count only decides what may be shown.
LETTER_ROW_FIELDS += ("named_count", "undisclosed_signatory_count", "declared_signatory_count", "withheld_count")
LETTER_ROW_FIELDS += ("totals_note",)


@require_GET
@public_page
def home(request):
    totals = stored_totals()
    timeline = totals.timeline
    context = {
        "letter_items": letter_items(
            Letter.objects.published().only(*LETTER_ROW_FIELDS).order_by("-date", "-id")[:8],
            empty="No letters yet.",
        ),
        "letter_total": sum(row["count"] for row in timeline),
        "organization_total": totals.organizations,
        "signature_total": sum(row["signatures"] for row in timeline),
        "timeline": timeline_figure(timeline, noun="letter", id="home-timeline", caption="Letters by year"),
    }
    return render(request, "letters/home.html", context)


@require_GET
@public_page
def letter_list(request, format: str = "html"):
    filterset = LetterFilter(request.GET, queryset=Letter.objects.published())
    letters = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    if not request.GET.get("sort"):
        letters = letters.order_by("-date", "-id")
    if format != "html":
        # The whole filtered list, every page of it, in the order the page shows.
        rows = exports.letter_rows(letters, request.build_absolute_uri, spreadsheet=format == "csv")
        return exports.table_response(exports.LETTER_COLUMNS, rows, "letters", format)
    totals = stored_totals()
    chosen_addressee, chosen_signer = filterset.named("addressee"), filterset.named("signer")
    paginator = Paginator(letters.only(*LETTER_ROW_FIELDS), LETTERS_PER_PAGE)
    # Where a stored figure is the answer, the page does not count the letters again.
    used = filters_used(filterset)
    stored_count = None
    if not used:
        stored_count = sum(row["count"] for row in totals.timeline)
    elif used == {"signer"} and chosen_signer:
        stored_count = chosen_signer.letters_signed
    elif used == {"addressee"} and chosen_addressee:
        stored_count = chosen_addressee.letters_addressed
    more = False
    if stored_count is not None:
        paginator.count = stored_count
        page = paginator.get_page(request.GET.get("page"))
    else:
        page, more = capped_page(paginator, request.GET.get("page"), COUNT_CAP)
    count_text, download_text = count_phrases(paginator.count, COUNT_CAP if more else None, "letter", "letters")
    page = page_links(request, page)
    addressees = totals.addressees  # stored with the totals (letters.counts), not read per request
    link, chosen = query_links(request.GET), request.GET.get
    years = [(row["year"], f"{row['year']}-01-01", f"{row['year']}-12-31") for row in totals.timeline]
    context = {
        "filter": filterset,
        "page": page,
        "letter_items": letter_items(page, empty="No letter matches these filters."),
        "kinds": Letter.Kind.choices,
        # The facets' links, each to this list with one filter set (and back to its first page).
        "kind_facet": facet_line(
            [(label, link(kind=value, page=None), chosen("kind") == value) for value, label in Letter.Kind.choices],
            remove_url=link(kind=None, page=None),
            remove_label="Remove kind filter",
        ),
        "addressee_facet": facet_line(
            [
                (org["name"], link(addressee=org["slug"], page=None), chosen("addressee") == org["slug"])
                for org in addressees
            ],
            remove_url=link(addressee=None, page=None),
            remove_label="Remove addressee filter",
        ),
        "year_facet": facet_line(
            [
                (
                    str(year),
                    link(date_after=after, date_before=before, page=None),
                    (chosen("date_after"), chosen("date_before")) == (after, before),
                )
                for year, after, before in years
            ],
            remove_url=link(date_after=None, date_before=None, page=None),
            remove_label="Remove year filter",
        ),
        "chosen_addressee": chosen_addressee,
        # Chosen from outside the facet's addressees (an organization's page links here): named on its own line.
        "chosen_addressee_unlisted": chosen_addressee
        and chosen_addressee.slug not in {org["slug"] for org in addressees},
        "chosen_signer": chosen_signer,
        "count_text": count_text,
        "download_text": download_text,
    }
    return render(request, "letters/letter_list.html", context)


def find_letter(year: int, month: str, day: str, slug: str) -> tuple[Letter, bool]:
    """The published letter this address names, and whether the address is its current one; else 404.

    An old slug (kept in LetterSlug after a rename) or a corrected date still finds the letter, so the
    caller answers 301 to the current address.
    """
    # Not the pasted source text or the search vector, which no letter address shows.
    letter = Letter.objects.published().defer("source_text", "search_vector").filter(slug=slug).first()
    if letter is None:
        old = LetterSlug.objects.filter(slug=slug, letter__in=Letter.objects.published()).first()
        if old is None:
            raise Http404("No letter at this address.")
        return Letter.objects.published().get(pk=old.letter_id), False
    return letter, letter_kwargs(letter) == {"year": year, "month": month, "day": day, "slug": slug}


def letter_kwargs(letter: Letter) -> dict:
    return {
        "year": letter.date.year,
        "month": f"{letter.date.month:02d}",
        "day": f"{letter.date.day:02d}",
        "slug": letter.slug,
    }


@require_GET
@public_page
def letter_detail(request, year: int, month: str, day: str, slug: str):
    letter, current = find_letter(year, month, day, slug)
    if not current:
        return HttpResponsePermanentRedirect(letter.get_absolute_url())
    url = request.build_absolute_uri(letter.get_absolute_url())
    context = letter_page_context(letter)
    context.update(citations=citations(letter, url), canonical_url=url)
    return render(request, "letters/letter_detail.html", context)


def letter_page_context(letter: Letter) -> dict:
    """What the letter page shows. Retracted lines stay on the printed list (struck through) and in its count."""
    signatory_items, retracted = printed_signatories(letter)
    totals = letter_totals(letter)
    count = count_phrase(totals, retracted=retracted)
    summary = f"{count}. {letter.get_kind_display()}"
    if letter.date:
        summary += f", {letter.date:%d %B %Y}"
    summary += "."
    if letter.subject:
        summary += f" {letter.subject}"
    return {
        "letter": letter,
        "count": count,
        "summary": summary,
        "addressees": letter.addressees.only("pk", "name", "slug").order_by("name"),
        "demands": letter.demands.select_related("target").order_by("position"),
        "signatory_items": signatory_items,
        "totals": totals_paragraphs(totals, retracted=retracted),
    }


@require_GET
def letter_preview(request, pk: int):
    """A staff preview of any letter, draft or not, as the public would see it. 404 for anyone else; never cached
    and never indexed."""
    if not (request.user.is_active and request.user.is_staff):
        raise Http404("No letter at this address.")
    letter = Letter.objects.filter(pk=pk).first()
    if letter is None:
        raise Http404("No letter at this address.")
    context = letter_page_context(letter)
    context["preview"] = True
    response = render(request, "letters/letter_detail.html", context)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def letter_csv(request, year: int, month: str, day: str, slug: str):
    letter, current = find_letter(year, month, day, slug)
    if not current:
        return HttpResponsePermanentRedirect(reverse("letters:detail_csv", kwargs=letter_kwargs(letter)))
    rows = exports.letter_signatory_rows(letter, spreadsheet=True)
    return exports.table_response(exports.SIGNATORY_COLUMNS, rows, f"{letter.date:%Y-%m-%d}-{letter.slug}", "csv")


@require_GET
@public_page
def letter_json(request, year: int, month: str, day: str, slug: str):
    letter, current = find_letter(year, month, day, slug)
    if not current:
        return HttpResponsePermanentRedirect(reverse("letters:detail_json", kwargs=letter_kwargs(letter)))
    data = {
        "title": letter.title,
        "date": letter.date.isoformat(),
        "kind": letter.kind,
        "url": request.build_absolute_uri(letter.get_absolute_url()),
        "subject": letter.subject,
        "source_url": letter.source_url,
        "addressees": [{"name": o.name, "slug": o.slug} for o in letter.addressees.only("name", "slug")],
        **totals_fields(letter_totals(letter)),
        "demands": [
            {"position": d.position, "text": d.text, "target": d.target.slug if d.target else None}
            for d in letter.demands.select_related("target")
        ],
        "signatories": [
            dict(zip([column.name for column in exports.SIGNATORY_COLUMNS], row, strict=True))
            for row in exports.letter_signatory_rows(letter, spreadsheet=False)
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})


@require_GET
@public_page
def data_page(request):
    """The bulk downloads and their data dictionary."""
    return render(request, "data/index.html", {"tables": exports.TABLES.values()})


@require_GET
def data_file(request, name: str):
    table = exports.TABLES.get(name)
    if table is None:
        raise Http404("No such data file.")
    return exports.table_response(table.columns, table.rows(request.build_absolute_uri), table.name, "csv")


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
