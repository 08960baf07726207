"""Data out: the archive's public data as CSV and JSON tables, streamed in constant memory.

Every table starts from the public querysets (`Letter.objects.published()`, `public_signatures()`,
`public_organizations()`), so a draft letter or a withheld signature never reaches a row or a count. Rows come
from `.values_list(...).iterator()`: no model instances and no query per row, and on PostgreSQL a server-side
cursor, so a million signatures go out in the memory of one chunk.
"""

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header

from letters.models import Demand, Letter, Signature
from organizations.filters import public_organizations, public_signatures

CHUNK_ROWS = 2000
# Excel reads a CSV file as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"

Absolute = Callable[[str], str]  # request.build_absolute_uri


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str


@dataclass(frozen=True)
class Table:
    """A downloadable table: its columns (the data dictionary) and the function that yields its rows."""

    name: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[Absolute], Iterator[tuple]]

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


# --- Rows ---------------------------------------------------------------------------------------------------------


def letter_url(date, slug: str) -> str:
    return reverse(
        "letters:detail", kwargs={"year": date.year, "month": f"{date:%m}", "day": f"{date:%d}", "slug": slug}
    )


def letter_rows(letters: QuerySet, absolute: Absolute) -> Iterator[tuple]:
    """`letters` comes from `Letter.objects.published()`, filtered or not."""
    fields = ("pk", "slug", "title", "date", "kind", "subject", "language", "source_url")
    # signatory_total, not the stored declared count: beside the public named count, the declared one would
    # reveal how many names a curator withheld (Letter.signatory_total).
    counts = ("named_count", "undisclosed_signatory_count", "signatory_total")
    for pk, slug, title, date, kind, subject, language, source_url, *numbers in (
        letters.prefetch_related(None).values_list(*fields, *counts).iterator(chunk_size=CHUNK_ROWS)
    ):
        yield (pk, slug, title, date, kind, absolute(letter_url(date, slug)), subject, language, source_url, *numbers)


def organization_rows(organizations: QuerySet, absolute: Absolute) -> Iterator[tuple]:
    """`organizations` comes from `public_organizations()`, filtered or not."""
    fields = ("pk", "slug", "name", "acronym", "kind", "country", "website", "letters_signed")
    for pk, slug, *rest in organizations.values_list(*fields).iterator(chunk_size=CHUNK_ROWS):
        url = absolute(reverse("organizations:detail", kwargs={"slug": slug}))
        yield (pk, slug, *rest, url)


def signature_rows(signatures: QuerySet) -> Iterator[tuple]:
    """Public signatures letter by letter, positions renumbered 1..M over the public lines of each letter.

    Renumbering keeps a gap from hinting at a withheld line; a coalition that is not public leaves its members'
    `coalition_position` blank. Only one letter's numbering is held in memory at a time.
    """
    fields = ("pk", "letter_id", "letter__slug", "letter__date", "organization_id", "organization__slug")
    lifecycle = ("added_on", "retracted_on", "retraction_reason")
    current_letter, number = None, {}
    for pk, letter_id, letter_slug, date, org_id, org_slug, org_name, listed_as, member_of, *changes in (
        signatures.order_by("letter_id", "position")
        .values_list(*fields, "organization__name", "listed_as", "member_of_id", *lifecycle)
        .iterator(chunk_size=CHUNK_ROWS)
    ):
        if letter_id != current_letter:
            current_letter, number = letter_id, {}
        number[pk] = len(number) + 1
        coalition = number.get(member_of)
        yield (letter_id, letter_slug, date, org_id, org_slug, org_name, number[pk], listed_as, coalition, *changes)


def all_signature_rows(absolute: Absolute) -> Iterator[tuple]:
    return signature_rows(public_signatures())


def letter_signatory_rows(letter: Letter) -> list[tuple]:
    """One letter's public signatories as its page prints them: position, listed_as, organization, coalition, and
    when a line was added or retracted."""
    return [
        (position, listed_as, org_id, org_slug, org_name, coalition, *changes)
        for _id, _slug, _date, org_id, org_slug, org_name, position, listed_as, coalition, *changes in signature_rows(
            public_signatures().filter(letter=letter)
        )
    ]


def demand_rows(absolute: Absolute) -> Iterator[tuple]:
    fields = ("pk", "letter_id", "letter__slug", "letter__date", "position", "text", "target_id", "target__slug")
    demands = Demand.objects.filter(letter__in=Letter.objects.published()).order_by("letter_id", "position")
    yield from demands.values_list(*fields).iterator(chunk_size=CHUNK_ROWS)


def addressee_rows(absolute: Absolute) -> Iterator[tuple]:
    fields = ("letter_id", "letter__slug", "organization_id", "organization__slug")
    addressees = Letter.addressees.through.objects.filter(letter__in=Letter.objects.published())
    yield from addressees.order_by("letter_id", "organization_id").values_list(*fields).iterator(chunk_size=CHUNK_ROWS)


def co_signature_pairs() -> QuerySet:
    """Pairs of organizations with the number of published letters both signed, neither signature withheld.

    One aggregate query: public signatures joined to the other public signatures of the same letter, each pair
    once (organization_a < organization_b), grouped and counted. Plain ORM, so SQLite and PostgreSQL alike.
    """
    return (
        Signature.objects.filter(letter__status=Letter.Status.PUBLISHED, withheld=False)
        # One filter() call, so both conditions hold for the same co-signature row of the self-join.
        .filter(Q(letter__signatures__withheld=False) & Q(letter__signatures__organization__gt=F("organization")))
        .values(
            "organization_id",
            "organization__slug",
            other_id=F("letter__signatures__organization_id"),
            other_slug=F("letter__signatures__organization__slug"),
        )
        .annotate(letters=Count("letter_id"))
        .order_by("organization_id", "other_id")
        .values_list("organization_id", "organization__slug", "other_id", "other_slug", "letters")
    )


def co_signature_rows(absolute: Absolute) -> Iterator[tuple]:
    yield from co_signature_pairs().iterator(chunk_size=CHUNK_ROWS)


def letters_of_organization_rows(signatures: QuerySet, absolute: Absolute) -> Iterator[tuple]:
    """An organization's public signatures as the letters it signed, newest first, with the name as listed."""
    fields = ("letter_id", "letter__slug", "letter__title", "letter__date", "letter__kind", "listed_as")
    lifecycle = ("added_on", "retracted_on", "retraction_reason")
    for letter_id, slug, title, date, kind, listed_as, *changes in (
        signatures.order_by("-letter__date", "-letter_id")
        .values_list(*fields, *lifecycle)
        .iterator(chunk_size=CHUNK_ROWS)
    ):
        yield (letter_id, slug, title, date, kind, absolute(letter_url(date, slug)), listed_as, *changes)


# --- The data dictionary -----------------------------------------------------------------------------------------

LETTER_ID = Column("letter_id", "integer", "The letter's id (id in letters.csv).")
LETTER_SLUG = Column("letter_slug", "text", "The letter's slug, part of its address.")
LETTER_DATE = Column("letter_date", "date (YYYY-MM-DD)", "The date printed on the letter.")
ORG_ID = Column("organization_id", "integer", "The organization's id (id in organizations.csv).")
ORG_SLUG = Column("organization_slug", "text", "The organization's slug, part of its address.")
LISTED_AS = Column("listed_as", "text", "The name exactly as printed on the letter.")
POSITION = Column("position", "integer", "1-based order among the letter's named signatories.")
COALITION = Column(
    "coalition_position", "integer or empty", "The position of the coalition line this line is listed under, if any."
)
# A signature's life after publication. A retracted line stays on the letter (struck through) and in every table and
# count of named signatories: the archive records that it was signed, and that it was withdrawn.
ADDED_ON = Column(
    "added_on", "date or empty", "When the signature was added after publication; empty if on the letter as published."
)
RETRACTED_ON = Column("retracted_on", "date or empty", "When the signatory withdrew its signature; empty if it stands.")
RETRACTION_REASON = Column("retraction_reason", "text or empty", "The note published with the retraction.")
LIFECYCLE = (ADDED_ON, RETRACTED_ON, RETRACTION_REASON)

LETTER_COLUMNS = (
    Column("id", "integer", "Stable id of the letter."),
    Column("slug", "text", "The letter's slug, part of its address."),
    Column("title", "text", "Title of the letter."),
    Column("date", "date (YYYY-MM-DD)", "The date printed on the letter."),
    Column("kind", "text", "open_letter, joint_statement, press_release, statement or petition."),
    Column("url", "URL", "The letter's page in the archive."),
    Column("subject", "text", "Subject line, if any."),
    Column("language", "text", "Language code of the letter's text."),
    Column("source_url", "URL or empty", "Where the letter was published."),
    Column(
        "signatories_named",
        "integer",
        "Signatories named on the letter (rows in signatures.csv), retracted ones included: see retracted_on there.",
    ),
    Column("signatories_undisclosed", "integer or empty", "Signatories the letter counts but does not name."),
    Column(
        "signatories_total",
        "integer",
        "The total of signatories the letter states; named plus undisclosed where the archive withholds a name.",
    ),
)
ORGANIZATION_COLUMNS = (
    Column("id", "integer", "Stable id of the organization."),
    Column("slug", "text", "The organization's slug, part of its address."),
    Column("name", "text", "The name the archive files it under."),
    Column("acronym", "text", "Acronym, if any."),
    Column("kind", "text", "organization, coalition, network, individual, government_body, ..."),
    Column("country", "text", "Country or base, where known."),
    Column("website", "URL or empty", "Website, where known."),
    Column("letters_signed", "integer", "Published letters it signed."),
    Column("url", "URL", "The organization's page in the archive."),
)
ORG_NAME = Column("organization_name", "text", "The name the archive files the organization under.")
SIGNATORY_COLUMNS = (POSITION, LISTED_AS, ORG_ID, ORG_SLUG, ORG_NAME, COALITION, *LIFECYCLE)
ORGANIZATION_LETTER_COLUMNS = (
    LETTER_ID,
    LETTER_SLUG,
    Column("letter_title", "text", "Title of the letter."),
    LETTER_DATE,
    Column("letter_kind", "text", "Kind of letter."),
    Column("letter_url", "URL", "The letter's page in the archive."),
    LISTED_AS,
    *LIFECYCLE,
)


def _published_letters():
    return Letter.objects.published().order_by("date", "pk")


TABLES = {
    table.name: table
    for table in (
        Table(
            "letters",
            "One row per published letter.",
            LETTER_COLUMNS,
            lambda absolute: letter_rows(_published_letters(), absolute),
        ),
        Table(
            "organizations",
            "One row per organization a published letter shows: as a signatory, an addressee or a demand's target.",
            ORGANIZATION_COLUMNS,
            lambda absolute: organization_rows(public_organizations().order_by("pk"), absolute),
        ),
        Table(
            "signatures",
            "One row per named signature: who signed which letter, and the name as printed. A retracted signature "
            "stays, with its retraction date and note.",
            (
                LETTER_ID,
                LETTER_SLUG,
                LETTER_DATE,
                ORG_ID,
                ORG_SLUG,
                ORG_NAME,
                POSITION,
                LISTED_AS,
                COALITION,
                *LIFECYCLE,
            ),
            all_signature_rows,
        ),
        Table(
            "demands",
            "One row per numbered demand of a published letter.",
            (
                Column("id", "integer", "Stable id of the demand."),
                LETTER_ID,
                LETTER_SLUG,
                LETTER_DATE,
                Column("position", "integer", "The demand's number on the letter."),
                Column("text", "text", "The demand as written."),
                Column("target_id", "integer or empty", "Id of the organization the demand is made of, if named."),
                Column("target_slug", "text or empty", "Slug of that organization."),
            ),
            demand_rows,
        ),
        Table(
            "addressees",
            "One row per letter and organization it is addressed to.",
            (LETTER_ID, LETTER_SLUG, ORG_ID, ORG_SLUG),
            addressee_rows,
        ),
        Table(
            "co-signatures",
            "One row per pair of organizations that signed at least one letter together: an edge list.",
            (
                Column("organization_a_id", "integer", "Id of one organization (the smaller id of the pair)."),
                Column("organization_a_slug", "text", "Its slug."),
                Column("organization_b_id", "integer", "Id of the other organization."),
                Column("organization_b_slug", "text", "Its slug."),
                Column("letters", "integer", "Published letters both signed (the edge weight)."),
            ),
            co_signature_rows,
        ),
    )
}


# --- Responses ---------------------------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write() hands back what it is given, so csv.writer formats without buffering."""

    def write(self, value: str) -> str:
        return value


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): such text gets a leading
# apostrophe, which spreadsheets hide and read as "this is text". JSON carries the text as it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(row: tuple) -> tuple:
    return tuple("'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value for value in row)


def csv_chunks(columns: Iterable[Column], rows: Iterable[tuple]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([column.name for column in columns])
    chunk = []
    for row in rows:
        chunk.append(writer.writerow(spreadsheet_safe(row)))
        # A chunk of rows per write: one write per row would cost the server a system call per row.
        if len(chunk) == CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def json_chunks(columns: Iterable[Column], rows: Iterable[tuple]) -> Iterator[str]:
    names = [column.name for column in columns]
    separator, chunk = "[\n", []
    for row in rows:
        chunk.append(separator + json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, default=str))
        separator = ",\n"
        if len(chunk) == CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + ("\n]\n" if separator == ",\n" else "[]\n")


def table_response(columns: Iterable[Column], rows: Iterable[tuple], stem: str, format: str) -> StreamingHttpResponse:
    """A streamed CSV (UTF-8 with a BOM, for Excel) or JSON array of objects, downloaded as `<stem>.<format>`."""
    if format == "csv":
        response = StreamingHttpResponse(csv_chunks(columns, rows), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(json_chunks(columns, rows), content_type="application/json")
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}.{format}")
    return response
