from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from letters.backups import BackupError, dump_json, dump_pg


class Command(BaseCommand):
    help = (
        "Back the archive up to PATH: --format json (portable dumpdata of letters, organizations, their history "
        "and the curators' accounts; .gz/.bz2/.xz compress) or --format pg (pg_dump -Fc of the whole PostgreSQL "
        "database). The backup holds withheld names and drafts: keep it private."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="File to write.")
        parser.add_argument("--format", choices=["json", "pg"], default="json")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be written, write nothing.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        kind = options["format"]
        if kind == "pg" and connection.vendor != "postgresql":
            raise CommandError("--format pg needs PostgreSQL (DATABASE_URL=postgres://...); use --format json.")
        if options["dry_run"]:
            self.stdout.write(f"Would write a {kind} backup of the {connection.vendor} archive to {path}.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if kind == "pg":
                dump_pg(path, connection.settings_dict)
            else:
                dump_json(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Wrote a {kind} backup to {path} ({path.stat().st_size:,} bytes)."))
