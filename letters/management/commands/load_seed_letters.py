import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from letters.importing import ImportConflict, build_report, commit_report
from letters.models import Letter
from letters.parsing import LetterInputError, check_input
from organizations.models import Alias, Organization

DEFAULT_MANIFEST = settings.BASE_DIR / "fixtures" / "seed_letters.json"


class Command(BaseCommand):
    help = (
        "Load the seed letters listed in fixtures/seed_letters.json, in date order, as published letters. "
        "Idempotent: organizations and letters already in the archive are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--manifest", default=str(DEFAULT_MANIFEST), help="The JSON file listing the seeds.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and match every seed; save nothing.")

    def handle(self, *args, **options):
        manifest_path = Path(options["manifest"])
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"{manifest_path}: cannot be read as JSON ({error}).") from None

        with transaction.atomic():
            self._load_authority_records(manifest.get("organizations", []))
            reports = []
            for entry in manifest["letters"]:
                path = manifest_path.parent / entry["file"]
                try:
                    text = check_input(path.read_bytes())
                except (OSError, LetterInputError) as error:
                    raise CommandError(f"{path}: {error}") from None
                reports.append((entry, text))
            # Letters are imported oldest first, so each one matches against the organizations of earlier ones.
            for entry, text in reports:
                report = build_report(text)
                if options["dry_run"]:
                    self.stdout.write(f"{entry['file']}: {len(report.signatories)} signatories (dry run)")
                    continue
                try:
                    result = commit_report(
                        report,
                        status=Letter.Status.PUBLISHED,
                        slug=entry.get("slug"),
                        source_url=entry.get("source_url", ""),
                    )
                except ImportConflict as error:
                    raise CommandError(f"{entry['file']}: {error}") from None
                verb = "loaded" if result.created else "already loaded"
                self.stdout.write(f"{entry['file']}: {verb} as letter {result.letter.pk}")
            if options["dry_run"]:
                transaction.set_rollback(True)
        self.stdout.write(self.style.SUCCESS("Seed letters are in the archive."))

    def _load_authority_records(self, records: list[dict]) -> None:
        for record in records:
            organization, _ = Organization.objects.get_or_create(
                slug=record["slug"],
                defaults={"name": record["name"], "kind": record["kind"], "acronym": record.get("acronym", "")},
            )
            for alias in record.get("aliases", []):
                Alias.objects.get_or_create(organization=organization, name=alias, defaults={"source": "curator"})
