"""Data out: the archive's public data as CSV and JSON tables, streamed in constant memory.

Every table starts from the public querysets (`Letter.objects.published()`, `public_signatures()`,
`public_organizations()`), so a draft letter or a withheld signature never reaches a row or a count. A table is a
`values_list` query, and the database does the work a row needs: the signatures' renumbering (a window function),
the spreadsheet guard on text cells (`spreadsheet_text`) and, on PostgreSQL, the CSV formatting itself (`COPY`).
Rows stream from the database as they are made (`COPY ... TO STDOUT` on PostgreSQL, a cursor read a chunk at a time
elsewhere), so a million signatures go out in the memory of one chunk. Only the letters and organizations tables add
a cell in Python, their address in the archive.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from itertools import islice

from django.db import connections, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Concat, Left, NullIf, RowNumber
from django.db.models.lookups import In
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header

from letters.listing import letter_urls
from letters.models import Demand, Letter, Signature
from letters.totals import public_totals, totals_fields
from organizations.filters import public_organizations, public_signatures

CHUNK_ROWS = 2000
# Excel reads a CSV file as UTF-8 only when it starts with a byte order mark.
BOM = "\ufeff"

Absolute = Callable[[str], str]  # request.build_absolute_uri
Rows = Iterable[tuple]  # a values_list QuerySet, streamed by the database, or tuples made in Python


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str


@dataclass(frozen=True)
class Table:
    """A downloadable CSV table: its columns (the data dictionary) and the function that gives its rows."""

    name: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[Absolute], Rows]

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


# --- Cells --------------------------------------------------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): in a CSV file such text gets a
# leading apostrophe, which spreadsheets hide and read as "this is text". JSON carries the text as it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(field: str) -> NullIf:
    """A text field as a CSV cell carries it, computed by the query: an apostrophe before a formula's first character.

    An empty text is NULL here: csv.writer writes None and "" alike as nothing, PostgreSQL's COPY writes "" as `""`.
    """
    value = F(field)
    guarded = Case(
        When(In(Left(value, 1), FORMULA_STARTS), then=Concat(Value("'"), value, output_field=TextField())),
        default=value,
        output_field=TextField(),
    )
    return NullIf(guarded, Value(""), output_field=TextField())


def table_values(queryset: QuerySet, fields: Sequence[str | F], *, spreadsheet: bool) -> QuerySet:
    """`queryset.values_list(*fields)`; for a spreadsheet (CSV), every text field named goes through `spreadsheet_text`.

    An F() stays as it is, for a value Python needs unchanged (a slug for an address). Python adds no cell but the
    archive's absolute URLs, which start with http, so they need no guard.
    """
    if spreadsheet:
        query = queryset.query.clone()  # resolve_ref() adds joins to the query it resolves in
        fields = [
            spreadsheet_text(field)
            if isinstance(field, str) and isinstance(query.resolve_ref(field).output_field, CharField | TextField)
            else field
            for field in fields
        ]
    return queryset.values_list(*fields)


def streamed(rows: Rows) -> Iterable[tuple]:
    """Rows one chunk of the database's cursor at a time: iterating a QuerySet itself would keep every row."""
    return rows.iterator(chunk_size=CHUNK_ROWS) if isinstance(rows, QuerySet) else rows


# --- Rows ---------------------------------------------------------------------------------------------------------


def letter_rows(letters: QuerySet, absolute: Absolute, *, spreadsheet: bool) -> Iterator[tuple]:
    """`letters` comes from `Letter.objects.published()`, filtered or not."""
    fields = ("pk", "slug", "title", "date", "kind", "subject", "language", "source_url")
    # What letters.totals needs to tell the figures; the withheld count only decides what may be shown.
    counts = ("declared_signatory_count", "named_count", "undisclosed_signatory_count", "withheld_count", "totals_note")
    values = table_values(letters.prefetch_related(None), (*fields, *counts, F("slug")), spreadsheet=spreadsheet)
    letter_url = letter_urls()
    for pk, slug, title, date, kind, subject, language, source_url, *numbers, path_slug in streamed(values):
        declared, named, undisclosed, withheld, note = numbers
        totals = public_totals(declared=declared, named=named, undisclosed=undisclosed, withheld=withheld, note=note)
        url = absolute(letter_url(date, path_slug))
        yield (pk, slug, title, date, kind, url, subject, language, source_url, *totals_fields(totals).values())


def organization_rows(organizations: QuerySet, absolute: Absolute, *, spreadsheet: bool) -> Iterator[tuple]:
    """`organizations` comes from `public_organizations()`, filtered or not."""
    fields = ("pk", "slug", "name", "acronym", "kind", "country", "website", "letters_signed", F("slug"))
    for *cells, path_slug in streamed(table_values(organizations, fields, spreadsheet=spreadsheet)):
        yield (*cells, absolute(reverse("organizations:detail", kwargs={"slug": path_slug})))


def numbered_signatures(signatures: QuerySet) -> QuerySet:
    """Public signatures of whole letters, with the numbers a public table shows, both computed by the database.

    `number` renumbers the letter's public lines 1..M (a window function), so a gap never hints at a withheld line.
    `coalition_number` is the `number` of the coalition line this line is listed under: empty when it is not public
    (or not on the same letter). `signatures` must hold every public line of its letters: the window numbers the rows
    of the query.
    """
    coalition = public_signatures().filter(pk=OuterRef(OuterRef("member_of")), letter=OuterRef(OuterRef("letter")))
    up_to_coalition = (
        public_signatures()
        .filter(letter=OuterRef("letter"), position__lte=Subquery(coalition.order_by().values("position")))
        .order_by()
        .values("letter")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return signatures.annotate(
        number=Window(RowNumber(), partition_by=F("letter_id"), order_by=F("position").asc()),
        # Counted only for a member line (a few in a thousand), not for every row.
        coalition_number=Case(
            When(member_of__isnull=False, then=Subquery(up_to_coalition)), output_field=IntegerField()
        ),
    ).order_by("letter_id", "position")


SIGNATURE_FIELDS = ("letter_id", "letter__slug", "letter__date", "organization_id", "organization__slug")
SIGNATURE_FIELDS += ("organization__name", "number", "listed_as", "coalition_number")
LIFECYCLE_FIELDS = ("added_on", "retracted_on", "retraction_reason")


def signature_table(absolute: Absolute) -> QuerySet:
    """signatures.csv: every public signature, letter by letter in printed order."""
    return table_values(
        numbered_signatures(public_signatures()), (*SIGNATURE_FIELDS, *LIFECYCLE_FIELDS), spreadsheet=True
    )


def letter_signatory_rows(letter: Letter, *, spreadsheet: bool) -> QuerySet:
    """One letter's public signatories as its page prints them: position, listed_as, organization, coalition, and
    when a line was added or retracted."""
    fields = ("number", "listed_as", "organization_id", "organization__slug", "organization__name", "coalition_number")
    signatures = numbered_signatures(public_signatures().filter(letter=letter))
    return table_values(signatures, (*fields, *LIFECYCLE_FIELDS), spreadsheet=spreadsheet)


def demand_table(absolute: Absolute) -> QuerySet:
    fields = ("pk", "letter_id", "letter__slug", "letter__date", "position", "text", "target_id", "target__slug")
    demands = Demand.objects.filter(letter__in=Letter.objects.published()).order_by("letter_id", "position")
    return table_values(demands, fields, spreadsheet=True)


def addressee_table(absolute: Absolute) -> QuerySet:
    fields = ("letter_id", "letter__slug", "organization_id", "organization__slug")
    addressees = Letter.addressees.through.objects.filter(letter__in=Letter.objects.published())
    return table_values(addressees.order_by("letter_id", "organization_id"), fields, spreadsheet=True)


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
    )


def co_signature_table(absolute: Absolute) -> QuerySet:
    fields = ("organization_id", "organization__slug", "other_id", "other_slug", "letters")
    return table_values(co_signature_pairs(), fields, spreadsheet=True)


def letters_of_organization_rows(signatures: QuerySet, absolute: Absolute, *, spreadsheet: bool) -> Iterator[tuple]:
    """An organization's public signatures as the letters it signed, newest first, with the name as listed."""
    fields = ("letter_id", "letter__slug", "letter__title", "letter__date", "letter__kind", "listed_as")
    values = table_values(
        signatures.order_by("-letter__date", "-letter_id"),
        (*fields, *LIFECYCLE_FIELDS, F("letter__slug")),
        spreadsheet=spreadsheet,
    )
    letter_url = letter_urls()
    for letter_id, slug, title, date, kind, listed_as, *changes, path_slug in streamed(values):
        yield (letter_id, slug, title, date, kind, absolute(letter_url(date, path_slug)), listed_as, *changes)


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
    Column(
        "signatories_undisclosed",
        "integer or empty",
        "Signatories the letter says chose not to be named, as it states them; empty if it states none.",
    ),
    Column(
        "signatories_total",
        "integer",
        "signatories_stated where given, else signatories_named plus signatories_undisclosed (for sorting).",
    ),
    Column(
        "signatories_stated",
        "integer or empty",
        "The total of signatories the letter states. Empty when it states none, and when the archive withholds a "
        "name: beside the named count the stated total would tell how many.",
    ),
    Column(
        "signatories_difference",
        "integer or empty",
        "signatories_stated minus signatories_named minus signatories_undisclosed: 0 when the letter's figures add "
        "up, positive when fewer are named and undisclosed than stated, negative when more; empty without a stated "
        "total.",
    ),
    Column(
        "totals_note",
        "text or empty",
        "The curators' note on why the figures differ (e.g. one organization printed twice); empty when they do not.",
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


TABLES = {
    table.name: table
    for table in (
        Table(
            "letters",
            "One row per published letter.",
            LETTER_COLUMNS,
            lambda absolute: letter_rows(Letter.objects.published().order_by("date", "pk"), absolute, spreadsheet=True),
        ),
        Table(
            "organizations",
            "One row per organization a published letter shows: as a signatory, an addressee or a demand's target.",
            ORGANIZATION_COLUMNS,
            lambda absolute: organization_rows(public_organizations().order_by("pk"), absolute, spreadsheet=True),
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
            signature_table,
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
            demand_table,
        ),
        Table(
            "addressees",
            "One row per letter and organization it is addressed to.",
            (LETTER_ID, LETTER_SLUG, ORG_ID, ORG_SLUG),
            addressee_table,
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
            co_signature_table,
        ),
    )
}


# --- Responses ---------------------------------------------------------------------------------------------------


def csv_lines(rows: Rows) -> Iterator[str | bytes]:
    """The rows as CSV lines, a chunk of them at a time: csv.writer's format ("\\r\\n" after each row, a cell quoted
    only when it holds a comma, a quote or a line break, None as nothing)."""
    if isinstance(rows, QuerySet) and connections[rows.db].vendor == "postgresql":
        yield from postgresql_csv_lines(rows)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for chunk in database_chunks(rows) if isinstance(rows, QuerySet) else batched(rows):
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def database_chunks(rows: QuerySet) -> Iterator[list[tuple]]:
    """The query's rows as the database gives them, without the ORM's conversions: SQLite gives a date as its ISO
    text, which is what csv.writer writes of a date object."""
    sql, params = rows.query.get_compiler(rows.db).as_sql()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK_ROWS):
            yield chunk


def batched(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_ROWS)):
        yield chunk


# PostgreSQL looks each signature's organization up through a cache of recent lookups (Memoize) sized by work_mem (times
# hash_mem_multiplier). At the default 4 MB it holds a fraction of 200,000 organizations and most lookups miss: the
# query of signatures.csv took 15 s at full scale, 9.6 s with 64 MB (37 MB used, every organization cached).
COPY_WORK_MEM = "64MB"


def postgresql_csv_lines(rows: QuerySet) -> Iterator[bytes]:
    """The same lines formatted by PostgreSQL: `COPY (query) TO STDOUT` streams them as the query makes them, while
    Python only joins them (csv.writer would be most of the time of a million-row table).

    COPY's CSV quotes exactly as csv.writer does; what differs is settled here and in the query: a line ends in
    "\\n" (made "\\r\\n" below) and an empty text is written `""` (spreadsheet_text makes it NULL, written as nothing).
    Dates are written in the session's DateStyle, ISO (YYYY-MM-DD) unless a server is configured otherwise.
    """
    connection = connections[rows.db]
    sql, params = rows.query.get_compiler(rows.db).as_sql()
    statement = f"COPY ({sql}) TO STDOUT (FORMAT csv)"
    # One transaction, so the setting holds for this COPY and no longer (set_config(..., true) is SET LOCAL).
    with transaction.atomic(using=rows.db, savepoint=False), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, true)", [COPY_WORK_MEM])
        # psycopg's copy() is not the wrapper's execute(): log it as one, for DEBUG and the query counts of the tests.
        logged = cursor.debug_sql(statement, params) if connection.queries_logged else nullcontext()
        with logged, cursor.cursor.copy(statement, params) as copy:
            lines = []
            for line in copy:  # one row a read, ending in "\n"
                lines.append(line[:-1])
                if len(lines) == CHUNK_ROWS:
                    yield b"\r\n".join(lines) + b"\r\n"
                    lines = []
            if lines:
                yield b"\r\n".join(lines) + b"\r\n"


def csv_chunks(columns: Iterable[Column], rows: Rows) -> Iterator[str | bytes]:
    header = io.StringIO()
    csv.writer(header).writerow([column.name for column in columns])
    yield BOM + header.getvalue()
    yield from csv_lines(rows)


def json_chunks(columns: Iterable[Column], rows: Rows) -> Iterator[str]:
    names = [column.name for column in columns]
    separator, chunk = "[\n", []
    for row in streamed(rows):
        chunk.append(separator + json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, default=str))
        separator = ",\n"
        if len(chunk) == CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + ("\n]\n" if separator == ",\n" else "[]\n")


def table_response(columns: Iterable[Column], rows: Rows, stem: str, format: str) -> StreamingHttpResponse:
    """A streamed CSV (UTF-8 with a BOM, for Excel) or JSON array of objects, downloaded as `<stem>.<format>`.

    For CSV, `rows` must come with spreadsheet=True (text guarded by the query); for JSON, with spreadsheet=False.
    """
    if format == "csv":
        response = StreamingHttpResponse(csv_chunks(columns, rows), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(json_chunks(columns, rows), content_type="application/json")
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}.{format}")
    return response
