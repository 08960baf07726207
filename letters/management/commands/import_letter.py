import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from letters.formats import read_document
from letters.formats.limits import MAX_UPLOAD_BYTES
from letters.importing import ImportConflict, build_report, commit_report, update_letter
from letters.models import Letter
from letters.parsing import MAX_INPUT_CHARS, LetterInputError, check_input
from letters.review_checks import parser_notes, review_checks
from letters.review_draft import find_letter


def read_input(path: str) -> str:
    """The letter's text from a file (text, PDF, HTML, DOCX) or stdin ('-', text only), refused with one line
    if it cannot be a letter."""
    # Read one byte past the limit so an oversized input is refused without loading all of it (a text takes
    # at most 4 UTF-8 bytes a character).
    try:
        if path == "-":
            limit = MAX_INPUT_CHARS * 4 + 1
            raw = sys.stdin.buffer.read(limit)
        else:
            limit = MAX_UPLOAD_BYTES + 1
            with Path(path).open("rb") as handle:
                raw = handle.read(limit)
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a directory, not a letter's file.") from None
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None
    if path == "-" and len(raw) == limit:
        raise CommandError(f"{path}: over the size limit of {MAX_INPUT_CHARS:,} characters.")
    try:
        return check_input(raw) if path == "-" else read_document(path, raw)
    except LetterInputError as error:
        raise CommandError(f"{path}: {error}") from None


class Command(BaseCommand):
    help = (
        "Import one letter from its text: parse it, match every signatory to the archive's organizations, "
        "and save it in one transaction. Importing the same text again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            help="The letter as a file (plain text, PDF, HTML or a saved web page, Word .docx), "
            "or - to read its text from standard input.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would be saved; save nothing.")
        parser.add_argument("--json", action="store_true", help="Print the full report as JSON on standard output.")
        parser.add_argument("--publish", action="store_true", help="Save the letter as published (default: draft).")
        parser.add_argument("--slug", help="The letter's slug (default: made from its title).")
        parser.add_argument("--source-url", default="", help="Where the letter was published.")
        parser.add_argument(
            "--into",
            metavar="LETTER",
            help="The id or slug of the letter this text corrects: its list is updated, keeping curator decisions.",
        )
        parser.add_argument(
            "--retract-removed",
            action="store_true",
            help="With --into a published letter: keep lines no longer printed as retractions (default: delete).",
        )

    def handle(self, *args, **options):
        text = read_input(options["path"])
        report = build_report(text)
        if options["json"]:
            checks = [str(warning) for warning in review_checks(report)]
            self.stdout.write(json.dumps({**report.as_dict(), "checks": checks}, ensure_ascii=False, indent=2))
        else:
            self._summarize(report)
        if options["dry_run"]:
            return
        status = Letter.Status.PUBLISHED if options["publish"] else Letter.Status.DRAFT
        try:
            if options["into"]:
                letter = find_letter(options["into"])
                if letter is None:
                    raise CommandError(f"--into {options['into']}: no such letter in the archive.")
                result = update_letter(
                    report,
                    letter.pk,
                    status=Letter.Status.PUBLISHED if options["publish"] else letter.status,
                    slug=options["slug"],
                    source_url=options["source_url"],
                    retract_removed=options["retract_removed"],
                )
            else:
                result = commit_report(report, status=status, slug=options["slug"], source_url=options["source_url"])
        except ImportConflict as error:
            raise CommandError(str(error)) from None
        if result.diff is not None:
            diff = result.diff
            message = (
                f"Updated letter {result.letter.pk} '{result.letter.title}': {len(diff.added)} lines added, "
                f"{len(diff.removed)} no longer printed, {len(diff.renamed)} renamed, {len(diff.moved)} moved."
            )
        elif result.created:
            message = (
                f"Saved letter {result.letter.pk} '{result.letter.title}' with {result.letter.signatures.count()} "
                f"signatures; {result.organizations_created} new organizations, {result.aliases_created} new aliases."
            )
        else:
            message = f"Already in the archive as letter {result.letter.pk}: nothing changed."
        # With --json, stdout carries only the report, so status lines go to stderr.
        out = self.stderr if options["json"] else self.stdout
        out.write(self.style.SUCCESS(message))

    def _summarize(self, report) -> None:
        parsed = report.parsed
        counts: dict[str, int] = {}
        for _, decision in report.signatories:
            counts[decision.match.report_rule] = counts.get(decision.match.report_rule, 0) + 1
        self.stdout.write(f"{parsed.title} ({parsed.date or 'undated'}), {parsed.kind}")
        self.stdout.write(
            f"  {len(parsed.signatories)} named signatories; declared {parsed.declared_total}, "
            f"undisclosed {parsed.undisclosed}; {len(parsed.demands)} demands"
        )
        lines = parsed.list_lines
        self.stdout.write(
            f"  signatory list: {lines.read} lines read: {lines.kept} in signatories, {lines.headings} headings, "
            f"{lines.skipped} skipped (each in a warning below)"
        )
        self.stdout.write("  matches: " + ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items())))
        for warning in review_checks(report):
            self.stdout.write(self.style.WARNING(f"  check: {warning}"))
        for note in parser_notes(report):
            self.stdout.write(f"  note: {note}")
